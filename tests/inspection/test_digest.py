"""The daily digest: each unit's editors and reviewers hear once of what is new, and nothing when nothing is."""

import datetime
import io

import pytest
from django.core import mail
from django.core.management import call_command

from cms.inspection.digest import send_digest
from cms.inspection.digest_models import DigestState
from cms.inspection.findings import InspectionContext
from cms.inspection.models import mark_false_positive
from cms.inspection.report import inspect
from tests.factories import UnitFactory, make_column, member

from .support import DAY, only_column_checks, published_on

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("shared_portal")]


@pytest.fixture
def site(portal, township_a, monkeypatch, settings):
    """石羊镇's news column last updated on DAY; its editor and head have addresses."""
    settings.WAGTAILADMIN_BASE_URL = "https://admin.example.invalid"
    only_column_checks(monkeypatch)
    published_on(portal["a"], DAY, title="石羊镇召开春耕动员会")
    editor = member(township_a, "info_officer", username="sy_info", email="info@sy.example.invalid")
    head = member(township_a, "head", username="sy_head", email="head@sy.example.invalid")
    member(township_a, "typesetter", username="sy_typesetter", email="type@sy.example.invalid")
    return {"editor": editor, "head": head, **portal}


def mails_to(address):
    return [message for message in mail.outbox if address in message.to]


def test_first_day_sends_what_to_fix_and_by_when(site, township_a):
    run = send_digest(DAY + datetime.timedelta(days=10))
    [message] = mails_to("info@sy.example.invalid")
    assert sorted(message.to) == ["head@sy.example.invalid", "info@sy.example.invalid"]
    assert message.subject == "安岳县人民政府网站检查：石羊镇有 1 项新的预警或问题"
    assert "【预警】栏目即将超期" in message.body
    assert "石羊镇召开春耕动员会" in message.body
    assert f"位置：{site['a'].get_full_url()}" in message.body
    assert "整改：在期限前在该栏目发布新的信息。" in message.body
    assert "期限：最迟 2026-01-19" in message.body
    [(html, mime)] = message.alternatives
    assert mime == "text/html" and f'<a href="{site["a"].get_full_url()}">' in html and "最迟 2026-01-19" in html
    assert [unit for unit, _items in run.mailed if unit == township_a]
    state = DigestState.objects.get(unit=township_a)
    assert state.as_of == DAY + datetime.timedelta(days=10) and state.sent_at is not None


def test_same_findings_next_day_send_nothing(site, township_a):
    send_digest(DAY + datetime.timedelta(days=10))
    mail.outbox.clear()
    run = send_digest(DAY + datetime.timedelta(days=11))
    assert mails_to("info@sy.example.invalid") == []
    assert township_a in run.quiet


def test_a_new_finding_sends_again_naming_only_it(site, township_a):
    send_digest(DAY + datetime.timedelta(days=10))
    mail.outbox.clear()
    make_column(site["towns"], "石羊镇通知公告", township_a, slug="sytz")
    send_digest(DAY + datetime.timedelta(days=11))
    [message] = mails_to("info@sy.example.invalid")
    assert "石羊镇有 1 项新的预警或问题" in message.subject
    assert "【问题】空白栏目" in message.body and "栏目即将超期" not in message.body
    assert "另有 1 项此前已告知的预警或问题尚未整改" in message.body


def test_a_warning_that_becomes_a_finding_is_new(site, township_a):
    send_digest(DAY + datetime.timedelta(days=10))
    mail.outbox.clear()
    send_digest(DAY + datetime.timedelta(days=15))
    [message] = mails_to("info@sy.example.invalid")
    assert "【问题】栏目未按时更新" in message.body
    assert "期限：已于 2026-01-19 到期，请立即整改" in message.body


def test_a_fixed_problem_that_comes_back_is_named_again(site, township_a):
    send_digest(DAY + datetime.timedelta(days=10))
    published_on(site["a"], DAY + datetime.timedelta(days=11), title="石羊镇新闻")
    send_digest(DAY + datetime.timedelta(days=12))
    assert DigestState.objects.get(unit=township_a).identities == []
    mail.outbox.clear()
    send_digest(DAY + datetime.timedelta(days=21))
    assert len(mails_to("info@sy.example.invalid")) == 1


def test_units_without_members_or_findings_get_nothing(site, township_b, county_office):
    quiet_unit = UnitFactory(name="安岳县测试局", short_name="测试局", kind="department")
    member(quiet_unit, "head", username="quiet_head", email="head@quiet.example.invalid")
    run = send_digest(DAY + datetime.timedelta(days=10))
    assert township_b in run.unreachable  # its empty column is a finding, and nobody there to tell
    assert not DigestState.objects.filter(unit=township_b).exists()
    assert mails_to("head@quiet.example.invalid") == []
    assert not DigestState.objects.filter(unit=quiet_unit).exists()
    member(township_b, "deputy_head", username="lt_deputy", email="deputy@lt.example.invalid")
    send_digest(DAY + datetime.timedelta(days=11))
    assert len(mails_to("deputy@lt.example.invalid")) == 1


def test_false_positives_are_left_out(site, township_a):
    as_of = DAY + datetime.timedelta(days=10)
    [row] = [row for row in inspect(InspectionContext(as_of=as_of)) if row.finding.unit == township_a.organisation_code]
    mark_false_positive(row.finding, "栏目已按要求合并", site["head"])
    send_digest(as_of)
    assert mails_to("info@sy.example.invalid") == []


def test_command_reports_per_unit(site, township_b):
    out = io.StringIO()
    call_command("send_inspection_digest", "--as-of", (DAY + datetime.timedelta(days=10)).isoformat(), stdout=out)
    text = out.getvalue()
    assert "安岳县石羊镇人民政府测试：已发送，1 项新的预警或问题。" in text
    assert f"{township_b.name}：有新的预警或问题，但没有留有邮箱的信息员、分管负责人或主要负责人，未发送。" in text
    assert len(mails_to("info@sy.example.invalid")) == 1
