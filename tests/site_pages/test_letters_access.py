"""Who sees a letter and its writer in each state, the attachments, and the purge of personal data."""

import datetime

import pytest
from django.core.files.base import ContentFile
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone

from cms.security.models import AuditEntry
from site_pages.letters import access, handling, retention
from site_pages.models.letters import LetterStatus, MessageAction
from tests.factories import UnitFactory, log_in, member
from tests.site_pages.letters_support import make_board, make_letter

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(township_a, township_b, county_office):
    return {
        "intake": member(county_office, "info_officer"),
        "supervisor": member(county_office, "section_chief"),
        "handler": member(township_a, "info_officer"),
        "head": member(township_a, "head"),
        "other": member(township_b, "head"),
    }


@pytest.fixture
def board(township_b):
    # The board's intake is unit B here, so the county office only supervises.
    return make_board(township_b)


def detail(client, user, letter):
    log_in(client, user)
    return client.get(reverse("letters_admin:detail", args=[letter.pk]))


def contact(client, user, letter):
    log_in(client, user)
    return client.post(reverse("letters_admin:contact", args=[letter.pk]))


def test_each_state_shows_the_letter_to_the_right_units(client, board, people, township_a, township_b):
    letter = make_letter(board)
    intake_b = people["other"]
    # 待受理: the intake (unit B) and the supervisor see it; unit A does not.
    assert detail(client, intake_b, letter).status_code == 200
    assert detail(client, people["supervisor"], letter).status_code == 200
    assert detail(client, people["handler"], letter).status_code == 404
    handling.accept(letter, intake_b)
    handling.transfer(letter, intake_b, township_a, "")
    # 已转办 / 办理中 / 答复待审核: unit A handles; its members read the writer's details.
    for step in (lambda: None, lambda: handling.start(letter, people["handler"])):
        step()
        assert detail(client, people["handler"], letter).status_code == 200
        assert "13900001111" in contact(client, people["handler"], letter).content.decode()
    handling.draft_reply(letter, people["handler"], "已答复。")
    page = detail(client, people["head"], letter).content.decode()
    assert 'data-action="approve"' in page and 'data-action="send_back"' in page
    assert 'data-action="approve"' not in detail(client, people["handler"], letter).content.decode()


def test_other_units_and_supervisors_cannot_read_contact_details(client, board, people, township_a):
    letter = make_letter(board)
    handling.accept(letter, people["other"])
    handling.transfer(letter, people["other"], township_a, "")
    outsider = member(UnitFactory(kind="department"), "head")
    assert detail(client, outsider, letter).status_code == 404
    assert contact(client, outsider, letter).status_code == 404
    # The supervisor reads the letter and may 督办, but the writer's details stay with the units handling it.
    page = detail(client, people["supervisor"], letter).content.decode()
    assert "查看联系方式" not in page and 'data-action="supervision"' in page
    assert contact(client, people["supervisor"], letter).status_code == 404
    assert not AuditEntry.objects.filter(action="personal_data.view").exists()
    assert access.letters_for(outsider).count() == 0


def test_attachments_only_for_handlers_and_audited(client, board, people, township_a):
    letter = make_letter(board)
    attachment = letter.attachments.create(
        file=ContentFile(b"%PDF-1.4 photo", name="photo.pdf"), original_name="王小明的照片.pdf", size=14
    )
    url = reverse("letters_admin:attachment", args=[letter.pk, attachment.pk])
    log_in(client, people["handler"])
    assert client.get(url).status_code == 404
    log_in(client, people["other"])
    response = client.get(url)
    assert response.status_code == 200 and b"".join(response.streaming_content) == b"%PDF-1.4 photo"
    entry = AuditEntry.objects.get(action="personal_data.export")
    assert "王小明" not in entry.detail and "王小明" not in str(entry.data)


def closed_letter(board, people, township_a, days_ago):
    letter = make_letter(board)
    letter.attachments.create(file=ContentFile(b"%PDF-1.4", name="a.pdf"), original_name="a.pdf", size=8)
    handling.accept(letter, people["other"])
    handling.transfer(letter, people["other"], township_a, "")
    handling.start(letter, people["handler"])
    handling.draft_reply(letter, people["handler"], "已答复。")
    handling.approve_reply(letter, people["head"])
    letter.replied_at = timezone.now() - datetime.timedelta(days=days_ago)
    letter.save(update_fields=["replied_at"])
    return letter


def test_purge_erases_writers_of_letters_past_retention(settings, board, people, township_a):
    settings.LETTER_RETENTION_DAYS = 30
    old = closed_letter(board, people, township_a, 40)
    recent = closed_letter(board, people, township_a, 10)
    still_open = make_letter(board)
    stored = old.attachments.get().file.name

    call_command("purge_letter_personal_data")
    old.refresh_from_db()
    recent.refresh_from_db()
    still_open.refresh_from_db()
    assert (old.name, old.mobile, old.email) == ("", "", "") and old.personal_data_purged_at
    assert not old.attachments.exists() and not old.attachments.model.file.field.storage.exists(stored)
    assert old.status == LetterStatus.CLOSED and old.reply_text == "已答复。" and old.content
    assert MessageAction.PURGED in old.events.values_list("action", flat=True)
    assert not old.events.exclude(comment="").exists()
    assert recent.name == "王小明" and still_open.name == "王小明"
    assert AuditEntry.objects.filter(action="personal_data.purge").count() == 1
    with pytest.raises(CommandError, match="保存30天"):
        call_command("purge_letter_personal_data", "--before", timezone.localdate().isoformat())
    assert retention.purgeable(retention.latest_allowed_cutoff()).count() == 0


def test_purged_letter_shows_no_contact_button(client, settings, board, people, township_a):
    settings.LETTER_RETENTION_DAYS = 30
    old = closed_letter(board, people, township_a, 40)
    retention.purge(retention.latest_allowed_cutoff())
    page = detail(client, people["handler"], old).content.decode()
    assert "查看联系方式" not in page and "个人信息已于" in page
    assert contact(client, people["handler"], old).status_code == 404


def test_menu_and_dashboard(client, board, people, township_a, admin_user):
    letter = make_letter(board)
    handling.accept(letter, people["other"])
    handling.transfer(letter, people["other"], township_a, "")
    handling.start(letter, people["handler"])
    handling.draft_reply(letter, people["handler"], "已答复。")
    # The head's dashboard lists the reply awaiting sign-off among the workflow's tasks.
    log_in(client, people["head"])
    home = client.get(reverse("wagtailadmin_home"))
    assert home.status_code == 200 and letter.receipt_number in home.content.decode()
    assert client.get(reverse("letters_admin:index")).status_code == 200
    # A user with no role anywhere has no 留言办理 at all.
    admin_user.is_superuser = False
    admin_user.save()
    log_in(client, admin_user)
    assert client.get(reverse("letters_admin:index")).status_code in (302, 403)
