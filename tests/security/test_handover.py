"""人员调离: roles, submissions and drafts move to the successor; the account stops; everything is recorded."""

from io import StringIO

import pytest
from django.contrib.auth.models import Group
from django.core.management import CommandError, call_command
from django.urls import reverse

from cms.organisation.models import Membership
from cms.security.handover import HandoverError, hand_over
from cms.security.models import AuditEntry, Handover
from cms.security.roles import AUDIT_ADMIN, SYSTEM_ADMIN
from tests.factories import UserFactory, log_in, make_content, member
from workflows import api

pytestmark = pytest.mark.usefixtures("shared_portal")


@pytest.fixture
def leaver(township_a):
    user = member(township_a, "info_officer", username="sy_leaver")
    Membership.objects.create(user=user, unit=township_a, role="head")
    return user


@pytest.fixture
def heir(db):
    return UserFactory(username="sy_heir")


@pytest.fixture
def work(portal, leaver):
    """A submission of the leaver waiting at 一审 and an unpublished draft they own and locked."""
    submitted = make_content(portal["a"], title="春耕生产工作会", publish=False)
    submitted.save_revision(user=leaver)
    api.submit(submitted, leaver)
    draft = make_content(portal["a"], title="未完成的稿件", publish=False, owner=leaver)
    draft.locked, draft.locked_by = True, leaver
    draft.save()
    return {"submitted": submitted, "draft": draft}


def test_hand_over_end_to_end(leaver, heir, work, township_a):
    state = api.current_task_state(work["submitted"])
    assert state in api.awaiting(leaver)
    handover = hand_over(leaver, heir, reason="调任县财政局")

    leaver.refresh_from_db()
    assert not leaver.is_active
    assert not Membership.objects.filter(user=leaver).exists()
    assert set(Membership.objects.filter(user=heir).values_list("unit", "role")) == {
        (township_a.pk, "info_officer"),
        (township_a.pk, "head"),
    }
    assert state in api.awaiting(heir)
    state.workflow_state.refresh_from_db()
    assert state.workflow_state.requested_by == heir
    work["draft"].refresh_from_db()
    assert work["draft"].owner == heir
    assert not work["draft"].locked

    assert handover.successor == heir and handover.reason == "调任县财政局"
    summary = handover.summary
    assert {m["role"] for m in summary["memberships"]} == {"info_officer", "head"}
    assert [s["object"] for s in summary["workflow_submissions"]] == ["春耕生产工作会"]
    assert "未完成的稿件" in [d["title"] for d in summary["drafts"]]
    assert summary["unlocked_pages"] == [{"id": work["draft"].pk, "title": "未完成的稿件"}]
    assert summary["newmedia"]["accounts"] == []
    assert "不是任何新媒体账号的责任人" in summary["newmedia"]["note"]

    entry = AuditEntry.objects.get(action="handover")
    assert entry.object_id == str(handover.pk)
    assert "sy_leaver" in entry.detail and "sy_heir" in entry.detail
    assert AuditEntry.objects.filter(action="permission.user_flags", object_id=str(leaver.pk)).exists()


def test_successor_keeps_roles_already_held(leaver, township_a):
    heir = member(township_a, "info_officer", username="sy_heir2")
    handover = hand_over(leaver, heir)
    flags = {m["role"]: m["successor_already_held"] for m in handover.summary["memberships"]}
    assert flags == {"info_officer": True, "head": False}
    assert Membership.objects.filter(user=heir, unit=township_a).count() == 2


@pytest.mark.parametrize(
    ("make_successor", "message"),
    [
        (lambda leaver: leaver, "不能是调离人员本人"),
        (lambda leaver: UserFactory(username="gone", is_active=False), "已停用"),
    ],
)
def test_refusals(leaver, make_successor, message):
    with pytest.raises(HandoverError, match=message):
        hand_over(leaver, make_successor(leaver))
    leaver.refresh_from_db()
    assert leaver.is_active
    assert not Handover.objects.exists()


def test_second_hand_over_is_refused(leaver, heir):
    hand_over(leaver, heir)
    with pytest.raises(HandoverError, match="已经办理过调离交接"):
        hand_over(leaver, UserFactory())


def test_command(leaver, heir):
    out = StringIO()
    call_command("handover", "sy_leaver", "--successor", "sy_heir", "--reason", "退休", stdout=out)
    assert "sy_leaver 调离，由 sy_heir 接替" in out.getvalue()
    assert "不是任何新媒体账号的责任人" in out.getvalue()
    assert Handover.objects.get().reason == "退休"
    with pytest.raises(CommandError, match="找不到接替人员“nobody”"):
        call_command("handover", "sy_heir", "--successor", "nobody")
    with pytest.raises(CommandError, match="找不到调离人员“nobody”"):
        call_command("handover", "nobody", "--successor", "sy_heir")


def test_admin_view(client, leaver, heir):
    admin = UserFactory(username="xitong")
    admin.groups.add(Group.objects.get(name=SYSTEM_ADMIN))
    log_in(client, admin)
    add_url = reverse("handovers:add")
    assert client.get(add_url).status_code == 200
    response = client.post(add_url, {"user": leaver.pk, "successor": leaver.pk, "reason": ""})
    assert response.status_code == 200
    assert "接替人员不能是调离人员本人" in response.content.decode()
    response = client.post(add_url, {"user": leaver.pk, "successor": heir.pk, "reason": "调任"}, REMOTE_ADDR="10.0.0.2")
    assert response.status_code == 302
    handover = Handover.objects.get()
    assert handover.performed_by == admin
    entry = AuditEntry.objects.get(action="handover")
    assert (entry.user, entry.ip_address) == (admin, "10.0.0.2")
    assert client.get(reverse("handovers:index")).status_code == 200
    assert client.get(reverse("handovers:inspect", args=[handover.pk])).status_code == 200
    # No editing or deleting a record, even for a superuser.
    root = UserFactory(username="root", is_superuser=True)
    log_in(client, root)
    assert client.get(reverse("handovers:edit", args=[handover.pk])).status_code == 302
    assert client.post(reverse("handovers:delete", args=[handover.pk])).status_code == 302
    assert Handover.objects.filter(pk=handover.pk).exists()


def test_audit_administrator_reads_but_cannot_hand_over(client, leaver, heir):
    handover = hand_over(leaver, heir)
    auditor = UserFactory(username="shenji")
    auditor.groups.add(Group.objects.get(name=AUDIT_ADMIN))
    log_in(client, auditor)
    assert client.get(reverse("handovers:inspect", args=[handover.pk])).status_code == 200
    assert client.get(reverse("handovers:add")).status_code == 302
    assert client.post(reverse("handovers:add"), {"user": heir.pk, "successor": auditor.pk}).status_code == 302
    assert Handover.objects.count() == 1


def test_published_page_with_unpublished_edits_is_handed_over(portal, leaver, heir):
    edited = make_content(portal["a"], title="已发布的通知", owner=leaver)
    edited.title = "已发布的通知（修改中）"
    edited.save_revision(user=leaver)
    finished = make_content(portal["a"], title="已完成的稿件", owner=leaver)
    summary = hand_over(leaver, heir).summary
    edited.refresh_from_db()
    finished.refresh_from_db()
    assert edited.owner == heir
    assert finished.owner == leaver
    assert [d["title"] for d in summary["drafts"]] == ["已发布的通知"]


def test_new_media_accounts_of_the_leaver_are_listed_and_marked_for_password_change(leaver, heir, township_a):
    from newmedia.models import NewMediaAccount

    def registered(platform, name, status="active", **people):
        return NewMediaAccount.objects.create(platform=platform, name=name, unit=township_a, status=status, **people)

    mine = registered("wechat", "石羊发布", responsible=leaver)
    deputy = registered("douyin", "石羊镇", status="closing", deputy=leaver)
    other = registered("weibo", "石羊微博", responsible=heir)
    # Not open on a platform, so there is no password to change.
    applied = registered("toutiao", "石羊镇政务", status="applied", responsible=leaver)
    withdrawn = registered("kuaishou", "石羊镇发布", status="withdrawn", responsible=leaver)
    summary = hand_over(leaver, heir).summary
    assert [(a["name"], a["roles"]) for a in summary["newmedia"]["accounts"]] == [
        ("微信公众号：石羊发布", ["责任人"]),
        ("抖音：石羊镇", ["副责任人"]),
        ("今日头条：石羊镇政务", ["责任人"]),
        ("快手：石羊镇发布", ["责任人"]),
    ]
    assert "口令更换" in summary["newmedia"]["note"]
    for account, required in ((mine, True), (deputy, True), (other, False), (applied, False), (withdrawn, False)):
        account.refresh_from_db()
        assert account.password_change_required is required

    # The unit records the change: the mark clears and the date is kept.
    mine.password_change_required = False
    mine.save()
    mine.refresh_from_db()
    assert mine.password_changed_at is not None
