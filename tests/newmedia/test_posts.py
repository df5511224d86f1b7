"""Posts under 三审三校: the workflow publishes them for the account; units reach only their own accounts' posts."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from newmedia.models import NewMediaAccount, NewMediaPost
from tests.factories import log_in, member
from workflows import api
from workflows.models import AuthoritativeSource, PublicationRecord

from .conftest import active

pytestmark = pytest.mark.usefixtures("shared_portal")

ORDER = [
    ("review_1", "officer"),
    ("review_2", "deputy_head"),
    ("review_3", "head"),
    ("proof_1", "typesetter"),
    ("proof_2", "section_chief"),
    ("proof_3", "deputy_head_2"),
]


@pytest.fixture
def reviewers(township_a, people):
    return {
        "officer": people["officer"],
        "head": people["head"],
        "deputy_head": member(township_a, "deputy_head", username="sy_nm_fg"),
        "typesetter": member(township_a, "typesetter", username="sy_nm_pb"),
        "section_chief": member(township_a, "section_chief", username="sy_nm_gs"),
        "deputy_head_2": member(township_a, "deputy_head", username="sy_nm_fg2"),
    }


@pytest.fixture
def account(township_a, people):
    return active(township_a, people)


def draft(account, user, **fields):
    fields = {"title": "石羊镇春耕生产动员会召开", "text": "会议部署了春耕备耕工作。", **fields}
    post = NewMediaPost.objects.create(account=account, live=False, **fields)
    post.save_revision(user=user)
    return post


def approve_all(post, reviewers):
    for stage, who in ORDER:
        assert api.current_stage(post).stage == stage
        api.approve(post, reviewers[who], checked=api.checklist_for(post))


def test_post_goes_through_every_stage_and_is_published_for_the_account(account, reviewers):
    post = draft(account, reviewers["officer"])
    assert account.last_updated_at is None
    api.submit(post, reviewers["officer"])
    approve_all(post, reviewers)
    post.refresh_from_db()
    account.refresh_from_db()
    assert post.live and post.published_at is not None
    assert account.last_updated_at == post.published_at
    assert timezone.now() - post.published_at < datetime.timedelta(minutes=5)
    record = PublicationRecord.objects.get(object_id=str(post.pk))
    assert record.unit == account.unit
    assert len([s for s in record.stages if s["stage"]]) == 6


def test_post_checks_block_personal_data_and_unlisted_repost_sources(account, reviewers):
    post = draft(account, reviewers["officer"], text="联系人手机13812345678")
    with pytest.raises(api.WorkflowError):
        api.submit(post, reviewers["officer"])
    assert not NewMediaPost.objects.get(pk=post.pk).live

    repost = draft(
        account,
        reviewers["officer"],
        is_repost=True,
        source_organisation="某自媒体",
        source_url="https://x.example.com/1",
    )
    findings = api.precheck(repost).blocking()
    assert [f["category"] for f in findings] == ["unlisted_source"]
    AuthoritativeSource.objects.get_or_create(name="四川省人民政府", defaults={"domain": "sc.gov.cn"})
    repost.source_organisation, repost.source_url = "四川省人民政府", "https://www.sc.gov.cn/a.html"
    repost.save_revision(user=reviewers["officer"])
    assert not api.precheck(repost).blocking()


def test_repost_needs_its_source(account):
    post = NewMediaPost(account=account, title="转载", is_repost=True)
    with pytest.raises(Exception, match="来源单位"):
        post.full_clean()


def test_unit_sees_and_edits_only_its_own_accounts_posts(client, account, township_b, people):
    post = draft(account, people["officer"])
    log_in(client, people["outsider"])
    listing = client.get(reverse("newmedia_posts:list"))
    assert listing.status_code == 200 and "石羊镇春耕生产动员会召开" not in listing.content.decode()
    for name in ("edit", "history", "delete", "usage"):
        assert client.get(reverse(f"newmedia_posts:{name}", args=[post.pk])).status_code == 404
    log_in(client, people["officer"])
    assert "石羊镇春耕生产动员会召开" in client.get(reverse("newmedia_posts:list")).content.decode()
    assert client.get(reverse("newmedia_posts:edit", args=[post.pk])).status_code == 200
    log_in(client, people["cyberspace"])
    assert "石羊镇春耕生产动员会召开" in client.get(reverse("newmedia_posts:list")).content.decode()


def test_platform_url_is_recorded_on_a_published_post_only(client, account, people):
    post = draft(account, people["officer"])
    log_in(client, people["officer"])
    url = reverse("newmedia_posts:platform_url", args=[post.pk])
    assert client.get(url).status_code == 404
    NewMediaPost.objects.filter(pk=post.pk).update(live=True, published_at=timezone.now())
    response = client.post(url, {"platform_url": "javascript:alert(1)"})
    assert response.status_code == 200 and not NewMediaPost.objects.get(pk=post.pk).platform_url
    client.post(url, {"platform_url": "https://mp.weixin.qq.com/s/abc"})
    assert NewMediaPost.objects.get(pk=post.pk).platform_url == "https://mp.weixin.qq.com/s/abc"
    log_in(client, people["outsider"])
    assert client.get(url).status_code == 404


def test_outside_post_form_and_csv_import_over_http(client, account, people):
    log_in(client, people["officer"])
    response = client.post(
        reverse("newmedia_posts:outside"),
        {
            "account": account.pk,
            "title": "系统外发文",
            "url": "https://mp.example.cn/s/1",
            "published_at": "2026-12-01T10:00",
        },
    )
    assert response.status_code == 302
    account.refresh_from_db()
    assert timezone.localtime(account.last_updated_at).date() == datetime.date(2026, 12, 1)

    bad = "账号,标题,链接,发布时间\n石羊镇人民政府,一,https://mp.example.cn/s/2,昨天\n".encode()
    response = client.post(reverse("newmedia_posts:import"), {"file": _upload(bad)})
    page = response.content.decode()
    assert response.status_code == 200 and "第 2 行" in page and "未导入任何发文" in page
    assert NewMediaPost.objects.count() == 1


def test_outsider_cannot_record_posts_for_another_units_account(client, account, people):
    log_in(client, people["outsider"])
    response = client.post(
        reverse("newmedia_posts:outside"),
        {
            "account": account.pk,
            "title": "冒名",
            "url": "https://mp.example.cn/s/9",
            "published_at": "2026-12-01T10:00",
        },
    )
    assert response.status_code == 200 and not NewMediaPost.objects.exists()


def _upload(data):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile("posts.csv", data, content_type="text/csv")


def test_unit_writes_a_post_in_the_admin_and_finds_the_outside_forms(client, account, township_b, people):
    other = NewMediaAccount.objects.create(platform="wechat", name="龙台镇人民政府", unit=township_b, status="active")
    log_in(client, people["officer"])
    form = client.get(reverse("newmedia_posts:add")).content.decode()
    assert "石羊镇人民政府" in form and "龙台镇人民政府" not in form
    response = client.post(
        reverse("newmedia_posts:add"), {"account": other.pk, "title": "冒名发文", "text": "正文", "images-count": "0"}
    )
    assert response.status_code == 200 and not NewMediaPost.objects.exists()
    listing = client.get(reverse("newmedia_posts:list")).content.decode()
    assert reverse("newmedia_posts:outside") in listing and reverse("newmedia_posts:import") in listing


def test_unit_saves_and_submits_its_post_from_the_admin(client, account, reviewers):
    log_in(client, reviewers["officer"])
    data = {"account": account.pk, "title": "石羊镇冬季防火提示", "text": "进山入林严禁携带火种。", "images-count": "0"}
    response = client.post(reverse("newmedia_posts:add"), data)
    assert response.status_code == 302
    post = NewMediaPost.objects.get(title="石羊镇冬季防火提示")
    assert not post.live and post.latest_revision is not None
    client.post(reverse("newmedia_posts:edit", args=[post.pk]), {**data, "action-submit": "1"})
    assert api.current_stage(post).stage == "review_1"
