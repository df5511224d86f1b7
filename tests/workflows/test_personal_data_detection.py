"""Personal data in real government text: evasions are found, look-alikes pass, masking touches only the data."""

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from cms.security.roles import SECURITY_ADMIN
from tests.factories import UserFactory, log_in, make_content
from workflows import checks
from workflows.checks import find_personal_data, mask_object_personal_data, mask_personal_data, scan_text
from workflows.models import PublicMailboxDomain

VALID_ID = "11010519491231002X"  # GB 11643's own example
OLD_ID = "110105491231002"  # the same person's 15-digit number
VALID_CARD = "6222021234567890128"  # Luhn-valid, UnionPay prefix
WIDE = str.maketrans("0123456789X@", "０１２３４５６７８９Ｘ＠")


@pytest.fixture(autouse=True)
def fresh_caches(db):
    checks.invalidate_lexicon_cache()
    checks.invalidate_public_mailbox_domains()
    yield
    checks.invalidate_lexicon_cache()
    checks.invalidate_public_mailbox_domains()


def personal(text):
    found = [f for f in scan_text(text) if f.category == "personal_data"]
    for finding in found:
        assert text[finding.start : finding.end] == finding.matched
    return found


@pytest.mark.parametrize(
    ("text", "kind", "matched"),
    [
        (f"身份证号{VALID_ID}。", "id_number", VALID_ID),
        ("身份证号 110105 19491231 002X 已核验", "id_number", "110105 19491231 002X"),
        ("身份证号110105-1949-1231-002x", "id_number", "110105-1949-1231-002x"),
        (f"身份证号{VALID_ID.translate(WIDE)}。", "id_number", VALID_ID.translate(WIDE)),
        (f"原身份证号{OLD_ID}，", "id_number", OLD_ID),
        (f"持证人{VALID_ID}人员信息", "id_number", VALID_ID),  # a unit word after a checksummed ID
        ("旧证 110105 491231 002 作废", "id_number", "110105 491231 002"),
        ("联系电话13800138000。", "mobile", "13800138000"),
        ("联系电话１３８００１３８０００。", "mobile", "１３８００１３８０００"),
        ("请拨 1 3 8 0 0 1 3 8 0 0 0 联系", "mobile", "1 3 8 0 0 1 3 8 0 0 0"),
        ("手机：138-0013-8000", "mobile", "138-0013-8000"),
        ("手机：138.0013.8000；", "mobile", "138.0013.8000"),
        ("手机 +86 138 0013 8000，", "mobile", "+86 138 0013 8000"),
        ("手机 0086-13800138000，", "mobile", "0086-13800138000"),
        ("手机　１３８　００１３　８０００。", "mobile", "１３８　００１３　８０００"),
        ("卡号 622202 1234567890 128，", "bank_card", "622202 1234567890 128"),
        ("开户行账号：6222-0212-3456-7890-128", "bank_card", "6222-0212-3456-7890-128"),
        (f"请汇至{VALID_CARD}", "bank_card", VALID_CARD),
        ("邮箱 zhangsan＠qq.com。", "email", "zhangsan＠qq.com"),
        ("邮箱zhang.san@163.com，", "email", "zhang.san@163.com"),
    ],
)
def test_evasions_are_found_on_the_characters_as_written(text, kind, matched):
    found = personal(text)
    assert [(f.kind, f.matched, f.severity) for f in found] == [(kind, matched, "block")]
    assert found[0].start == text.index(matched)


@pytest.mark.parametrize(
    "text",
    [
        "项目总投资13582000000元，其中中央资金3500000000元。",
        "总投资 13582000000 元",
        "全县人口13582000000人",  # an absurd figure, still a count
        "面积13582000000平方米，增长13582000000%",
        "金额￥13582000000",
        "脱贫户数：4521 3870 2964 5101 户",
        "举报邮箱：jubao@ay.gov.cn；省厅邮箱 xfb@sc.gov.cn；gov.cn 本身 a@gov.cn",
        "统一社会信用代码 11510000MB1234567X",
        "咨询电话：0832-12345678，（028）23456789",
        "2024年3月15日，2024-03-15，2024.03.15",
        "附表：1 2 3 4 5 6 7 8 9 10 11 12",
        "流水号6222021234567890124",  # UnionPay prefix, fails Luhn
    ],
)
def test_look_alikes_are_not_personal_data(text):
    assert personal(text) == []
    assert mask_personal_data(text) == text


def test_wrong_check_character_on_a_date_shaped_number_is_a_warning():
    text = "证件号110105194912310021，请核对"
    (finding,) = personal(text)
    assert (finding.kind, finding.severity, finding.term) == ("id_number", "warn", "疑似身份证号，校验位不符")
    assert finding.matched == "110105194912310021"
    assert mask_personal_data(text) == text  # doubtful numbers are the reviewer's to judge


def test_bare_luhn_number_without_label_or_known_issuer_is_only_a_warning():
    text = "编号8888888888888888"  # Luhn-valid, no issuer prefix, no label
    (finding,) = personal(text)
    assert (finding.kind, finding.severity) == ("bank_card", "warn")
    assert [f.severity for f in personal("账号 8888 8888 8888 8888")] == ["block"]


def test_offsets_survive_mixed_widths_and_several_hits():
    text = (
        f"张三，身份证{VALID_ID.translate(WIDE)}，电话1 3 8 0 0 1 3 8 0 0 0，"
        "卡号 622202 1234567890 128，邮箱 zs＠qq.com。"
    )
    spans = find_personal_data(text)
    assert [s.kind for s in spans] == ["id_number", "mobile", "bank_card", "email"]
    assert all(text[s.start : s.end].strip() == text[s.start : s.end] for s in spans)


def test_masking_changes_only_the_personal_data():
    text = (
        f"总投资13582000000元；身份证{VALID_ID.translate(WIDE)}；电话 138-0013-8000；"
        "卡号 622202 1234567890 128；举报邮箱 jb@ay.gov.cn；个人邮箱 zhang＠qq.com；旧证110105491231002。"
    )
    masked = mask_personal_data(text)
    assert masked == (
        "总投资13582000000元；身份证１１０***********００２Ｘ；电话 138-****-8000；"
        "卡号 ****** *********0 128；举报邮箱 jb@ay.gov.cn；个人邮箱 z***＠qq.com；旧证110********1002。"
    )
    assert personal(masked) == []


def test_listed_mailbox_domain_passes_and_other_mailboxes_block():
    text = "投稿邮箱 tougao@scdaily.cn，记者邮箱 reporter@news.scdaily.cn"
    assert [f.kind for f in personal(text)] == ["email", "email"]
    PublicMailboxDomain.objects.create(domain="scdaily.cn", owner="四川日报")
    assert personal(text) == []
    PublicMailboxDomain.objects.filter(domain="scdaily.cn").update(active=False)
    checks.invalidate_public_mailbox_domains()
    assert len(personal(text)) == 2


@pytest.fixture
def security_admin(db):
    user = UserFactory(username="anquan")
    user.groups.add(Group.objects.get(name=SECURITY_ADMIN))
    return user


def test_security_administrator_keeps_the_mailbox_domain_list(client, security_admin):
    log_in(client, security_admin)
    add_url = reverse("public-mailbox-domains:add")
    response = client.post(add_url, {"domain": "Reporter@SCDAILY.cn", "owner": "四川日报", "active": "on"})
    assert response.status_code == 302
    assert PublicMailboxDomain.objects.get().domain == "scdaily.cn"
    assert personal("投稿 tougao@scdaily.cn") == []
    response = client.post(add_url, {"domain": "不是域名", "owner": "", "active": "on"})
    assert response.status_code == 200
    assert "请填写邮箱 @ 之后的域名" in response.content.decode()


def test_editor_may_not_change_the_mailbox_domain_list(client, editor_a):
    log_in(client, editor_a)
    response = client.post(reverse("public-mailbox-domains:add"), {"domain": "qq.com", "active": "on"})
    assert response.status_code in (302, 403)
    assert not PublicMailboxDomain.objects.exists()


def test_deidentify_view_masks_evasions_on_the_page(client, portal, editor_a):
    text = (
        f"申请人身份证{VALID_ID.translate(WIDE)}，电话1 3 8 0 0 1 3 8 0 0 0，总投资13582000000元，举报邮箱jb@ay.gov.cn"
    )
    page = make_content(portal["a"], text=text)
    log_in(client, editor_a)
    url = reverse("workflows:deidentify", args=[page.get_base_content_type().pk, page.pk])
    assert client.post(url).status_code == 302
    page.refresh_from_db()
    body = page.get_latest_revision_as_object().body[0].value.source
    assert "１１０***********００２Ｘ" in body
    assert "1 3 8 * * * * 8 0 0 0" in body
    assert "总投资13582000000元" in body and "jb@ay.gov.cn" in body


def test_mask_object_personal_data_counts_only_certain_findings(portal):
    page = make_content(portal["a"], text="证件号110105194912310021，手机１３８００１３８０００", publish=False)
    assert mask_object_personal_data(page) == 1
    assert "证件号110105194912310021" in page.body[0].value.source
