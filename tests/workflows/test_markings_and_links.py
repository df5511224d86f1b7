"""Issue 12 §1: secrecy markings through traditional, width and spacing evasions; URL shorteners."""

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from cms.security.roles import SECURITY_ADMIN
from tests.factories import UserFactory, log_in
from workflows import checks
from workflows.checks import scan_text
from workflows.models import UrlShortenerHost


@pytest.fixture(autouse=True)
def fresh_lexicon(db):
    checks.invalidate_lexicon_cache()


def of(findings, category):
    return [f for f in findings if f.category == category]


@pytest.mark.parametrize(
    ("text", "marked"),
    [
        ("機密★1年\n關於……的通知", "機密★1年"),
        ("秘 密 ★\n关于……的通知", "秘 密 ★"),
        ("ｃ秘密＊５年", "秘密＊５年"),
        ("机密▲长期", "机密▲长期"),
        ("★秘密\n会议纪要", "★秘密"),
        ("密级：秘密\n关于……的通知", "密级：秘密"),
        ("密 级 ： 機 密", "密 级 ： 機 密"),
        ("绝密\n关于……的通知\n正文", "绝密"),
        ("\n  机密  \n关于……的通知", "机密"),
        ("【秘密】\n关于……的通知", "秘密"),
    ],
)
def test_evaded_markings_block_on_the_original_characters(text, marked):
    findings = of(scan_text(text), "confidential")
    assert [f.severity for f in findings] == ["block"]
    finding = findings[0]
    assert finding.matched == marked
    assert text[finding.start : finding.end] == marked


@pytest.mark.parametrize(
    "text",
    [
        "各单位要切实保守国家秘密，保护商业秘密。",
        "根据《机密文件管理办法》，有关文件应当妥善保管。",
        "关于……的通知\n第一段\n第二段\n第三段\n第四段\n第五段\n第六段\n机密",
        "工作秘密不得上网，机密事项另行处理。",
    ],
)
def test_look_alikes_do_not_block(text):
    assert [f for f in of(scan_text(text), "confidential") if f.severity == "block"] == []


@pytest.mark.parametrize(
    ("text", "word"),
    [
        ("本册为内部资料，请妥善保管。", "内部资料"),
        ("会议材料请勿外传。", "请勿外传"),
        ("此件不得翻印，阅后收回。", "不得翻印"),
        ("该手册系內部資料，供学习使用。", "內部資料"),
    ],
)
def test_handling_words_inside_sentences_warn(text, word):
    findings = of(scan_text(text), "confidential")
    assert [(f.severity, f.matched) for f in findings] == [("warn", word)]
    assert text[findings[0].start : findings[0].end] == word


@pytest.mark.parametrize("text", ["宗教团体可以编印宗教内部资料性出版物。", "《内部資料性出版物管理辦法》"])
def test_the_legal_class_of_internal_publications_is_not_a_handling_word(text):
    assert of(scan_text(text), "confidential") == []


@pytest.mark.parametrize(
    ("text", "host"),
    [
        ("详见 http://t.cn/A6xYz12 。", "t.cn"),
        ("详见https://dwz.cn/abCD3，", "dwz.cn"),
        ("扫码或访问 url.cn/5abc", "url.cn"),
        ("链接：https://bit.ly/3xyz", "bit.ly"),
        ("链接：ｈｔｔｐ：／／ｓｕｏ．ｉｍ／ａｂｃ１", "suo.im"),
    ],
)
def test_url_shorteners_block(text, host):
    findings = of(scan_text(text), "short_link")
    assert [(f.severity, f.term) for f in findings] == [("block", host)]
    assert text[findings[0].start : findings[0].end] == findings[0].matched
    assert of(scan_text(text), "commercial_link") == []


@pytest.fixture
def security_admin(db):
    user = UserFactory(username="anquan")
    user.groups.add(Group.objects.get(name=SECURITY_ADMIN))
    return user


def test_security_administrator_keeps_the_shortener_list(client, security_admin):
    text = "详见 https://sourl.example/abc 和 https://t.cn/x1"
    assert [f.term for f in of(scan_text(text), "short_link")] == ["t.cn"]
    log_in(client, security_admin)
    add_url = reverse("url-shortener-hosts:add")
    response = client.post(add_url, {"domain": "HTTPS://SoURL.example/", "note": "某短链服务", "active": "on"})
    assert response.status_code == 302
    assert UrlShortenerHost.objects.get().domain == "sourl.example"
    assert [f.term for f in of(scan_text(text), "short_link")] == ["sourl.example", "t.cn"]
    response = client.post(add_url, {"domain": "不是域名", "note": "", "active": "on"})
    assert response.status_code == 200
    assert "请填写短链接服务的域名" in response.content.decode()
    UrlShortenerHost.objects.update(active=False)
    checks.invalidate_url_shortener_hosts()
    assert [f.term for f in of(scan_text(text), "short_link")] == ["t.cn"]


def test_editor_may_not_change_the_shortener_list(client, editor_a):
    log_in(client, editor_a)
    response = client.post(reverse("url-shortener-hosts:add"), {"domain": "sourl.example", "active": "on"})
    assert response.status_code in (302, 403)
    assert not UrlShortenerHost.objects.exists()


@pytest.mark.parametrize(
    "text",
    [
        "详见 https://www.gov.cn/zhengce/ 和 https://mt.cn.example.org/x",
        "下载 https://bit.lyrics.example.com/a",
        "文件见 xt.cn/abc",
    ],
)
def test_hosts_that_only_resemble_shorteners_are_not_blocked(text):
    assert of(scan_text(text), "short_link") == []
