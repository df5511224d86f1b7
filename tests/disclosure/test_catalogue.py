"""The disclosure catalogue: 索引号, withholding, due dates, public browsing and the workflow."""

import datetime
import re

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from wagtail.models import Page, Site

from cms.organisation.models import Unit
from disclosure import calendar
from disclosure.index_numbers import validate_pattern
from disclosure.models import (
    DisclosureCatalogue,
    DisclosureCategory,
    DisclosureItem,
    DisclosureSettings,
    IndexNumberCounter,
    ProactiveDisclosurePage,
    TopicCategory,
    UnitCataloguePage,
)
from disclosure.statutory import DisclosureMode, WithholdingReason
from tests import module_data
from tests.factories import log_in, member, paragraph
from workflows import api

pytestmark = pytest.mark.usefixtures("shared_portal")

TODAY = timezone.localdate()


def build_catalogue(home, owner):
    catalogue = DisclosureCatalogue(title="政府信息公开", slug="zfxxgk", owning_unit=owner, show_in_menus=True)
    home.add_child(instance=catalogue)
    catalogue.save_revision().publish()
    proactive = ProactiveDisclosurePage(title="法定主动公开内容", slug="fdzdgknr", show_in_menus=True)
    catalogue.add_child(instance=proactive)
    proactive.save_revision().publish()
    return catalogue, proactive


def unit_catalogue(proactive, unit, slug):
    page = UnitCataloguePage(title=unit.short_name or unit.name, slug=slug, owning_unit=unit)
    proactive.add_child(instance=page)
    page.save_revision().publish()
    return page


def category(name="财政预算、决算信息"):
    return DisclosureCategory.objects.get(name=name)


def make_item(parent, title="测试公开信息", publish=True, written=None, **fields):
    fields.setdefault("category", category())
    item = DisclosureItem(
        title=title,
        slug=fields.pop("slug", f"item-{Page.objects.count()}"),
        summary=fields.pop("summary", "测试概述"),
        written_date=written or TODAY - datetime.timedelta(days=3),
        body=paragraph(fields.pop("text", "正文内容。")),
        live=False,
        **fields,
    )
    parent.add_child(instance=item)
    revision = item.save_revision()
    if publish:
        revision.publish()
        item.refresh_from_db()
    return item


@pytest.fixture(scope="module")
def catalogue_rows(shared_portal, django_db_blocker):
    """The catalogue on the module's shared portal, made once for the module's tests (tests/module_data.py)."""
    with django_db_blocker.unblock():
        catalogue, proactive = build_catalogue(shared_portal["portal"]["home"], shared_portal["county_office"])
        return {
            "catalogue": catalogue,
            "proactive": proactive,
            "a": unit_catalogue(proactive, shared_portal["township_a"], "sy"),
            "b": unit_catalogue(proactive, shared_portal["township_b"], "lt"),
        }


@pytest.fixture
def catalogue(request, catalogue_rows, db):
    return module_data.copy_for(request, catalogue_rows)


@pytest.fixture
def reviewers(township_a):
    """Six people of 石羊镇 covering the six stages (two deputy heads: 二审 and 三校)."""
    return {
        "info_officer": member(township_a, "info_officer", username="sy_xxy"),
        "deputy_head": member(township_a, "deputy_head", username="sy_fg"),
        "head": member(township_a, "head", username="sy_zy"),
        "typesetter": member(township_a, "typesetter", username="sy_pb"),
        "section_chief": member(township_a, "section_chief", username="sy_gs"),
        "deputy_head_2": member(township_a, "deputy_head", username="sy_fg2"),
    }


STAGES = ["info_officer", "deputy_head", "head", "typesetter", "section_chief", "deputy_head_2"]


def code_of(unit):
    return Unit.objects.get(pk=unit.pk).organisation_code


# ---------------------------------------------------------------- 索引号


def test_index_number_is_generated_on_first_publication(catalogue, township_a, township_b):
    draft = make_item(catalogue["a"], publish=False)
    assert draft.index_number == ""
    first = make_item(catalogue["a"])
    second = make_item(catalogue["a"])
    other = make_item(catalogue["b"])
    year = timezone.localdate(first.first_published_at).year
    assert first.index_number == f"{code_of(township_a)}/{year}-00001"
    assert second.index_number == f"{code_of(township_a)}/{year}-00002"
    assert other.index_number == f"{code_of(township_b)}/{year}-00001"
    assert first.published_date == timezone.localdate(first.first_published_at)
    assert IndexNumberCounter.objects.get(unit=township_a, year=year).last_serial == 2


def test_index_number_is_immutable(catalogue):
    item = make_item(catalogue["a"])
    number = item.index_number
    # A revision saved before the first publication carries no number; publishing it later keeps the number.
    item.title = "修改后的标题"
    item.save_revision().publish()
    item.refresh_from_db()
    assert item.index_number == number and item.title == "修改后的标题"
    item.unpublish()
    item.get_latest_revision().publish()
    item.refresh_from_db()
    assert item.index_number == number
    item.index_number = "篡改/2026-99999"
    with pytest.raises(ValidationError, match="不得更改"):
        item.save()
    assert DisclosureItem.objects.get(pk=item.pk).index_number == number


def test_index_numbers_are_unique_in_the_database(catalogue):
    item = make_item(catalogue["a"])
    other = make_item(catalogue["b"])
    with pytest.raises(IntegrityError), transaction.atomic():
        DisclosureItem.objects.filter(pk=other.pk).update(index_number=item.index_number)


def test_pattern_from_site_settings(catalogue, township_a):
    settings = DisclosureSettings.for_site(Site.objects.get(is_default_site=True))
    settings.index_number_pattern = "AY-{code}-{year}-{serial:04d}"
    settings.save()
    item = make_item(catalogue["a"])
    year = timezone.localdate(item.first_published_at).year
    assert item.index_number == f"AY-{code_of(township_a)}-{year}-0001"


@pytest.mark.parametrize(
    "pattern, message",
    [
        ("{code}/{year}", "{serial}"),
        ("{serial:05d}", "{code}"),
        ("{code}/{year}-{serial:05d}-{unit}", "不能使用"),
        ("{code}/{year-{serial}", "花括号"),
        ("{code}/{year}-{serial:05x}{", "花括号"),
        ("{code}/{year}-{serial:abc}", "索引号格式有误"),
        ("{code}" * 10 + "{year}{serial}", "超过"),
    ],
)
def test_bad_patterns_are_refused_in_chinese(pattern, message):
    with pytest.raises(ValidationError) as refused:
        validate_pattern(pattern)
    assert message in " ".join(refused.value.messages)


def test_default_pattern_is_valid():
    validate_pattern("{code}/{year}-{serial:05d}")


# ---------------------------------------------------------------- item validation and withholding


def test_summary_longer_than_100_characters_is_refused(catalogue):
    item = make_item(catalogue["a"], publish=False)
    item.summary = "概" * 101
    with pytest.raises(ValidationError) as refused:
        item.full_clean()
    assert "内容概述不能超过100个字" in str(refused.value.message_dict["summary"])


def test_future_written_date_and_changed_before_written_are_refused(catalogue):
    item = make_item(catalogue["a"], publish=False)
    item.written_date = TODAY + datetime.timedelta(days=1)
    with pytest.raises(ValidationError, match="成文日期不能晚于今天"):
        item.full_clean()
    item.written_date = TODAY - datetime.timedelta(days=5)
    item.changed_date = TODAY - datetime.timedelta(days=6)
    with pytest.raises(ValidationError, match="变更日期不能早于成文日期"):
        item.full_clean()


def test_document_number_is_normalised(catalogue):
    item = make_item(catalogue["a"], publish=False, document_number="石府发[2026]3号")
    item.full_clean()
    assert item.document_number == "石府发〔2026〕3号"


def test_withholding_without_a_reason_is_refused(catalogue, reviewers):
    item = make_item(catalogue["a"], publish=False)
    item.disclosure_mode = DisclosureMode.WITHHELD
    with pytest.raises(ValidationError) as refused:
        item.full_clean()
    assert "不予公开须选择《政府信息公开条例》规定的理由" in str(refused.value.message_dict["withholding_reason"])
    with pytest.raises(ValidationError, match="规定的理由"):
        item.record_withholding(reviewers["head"], "")


def test_only_the_head_may_withhold(catalogue, reviewers, township_b):
    item = make_item(catalogue["a"], publish=False)
    for who in ("info_officer", "deputy_head"):
        with pytest.raises(ValidationError, match="只有本单位主要负责人"):
            item.record_withholding(reviewers[who], WithholdingReason.INTERNAL_AFFAIRS)
    other_head = member(township_b, "head", username="lt_head")
    with pytest.raises(ValidationError, match="只有本单位主要负责人"):
        item.record_withholding(other_head, WithholdingReason.INTERNAL_AFFAIRS)
    # Setting the fields directly, bypassing the head, does not validate either.
    item.disclosure_mode = DisclosureMode.WITHHELD
    item.withholding_reason = WithholdingReason.INTERNAL_AFFAIRS
    item.withholding_recorded_by = reviewers["info_officer"]
    with pytest.raises(ValidationError, match="须由本单位主要负责人决定"):
        item.full_clean()
    item.record_withholding(reviewers["head"], WithholdingReason.INTERNAL_AFFAIRS, "内部工作流程")
    item.full_clean()


def test_workflow_refuses_a_withheld_item_without_the_heads_decision(catalogue, reviewers):
    item = make_item(catalogue["a"], publish=False)
    content = item.get_latest_revision().as_object()
    content.disclosure_mode = DisclosureMode.WITHHELD
    content.withholding_reason = WithholdingReason.PROCESS_INFORMATION
    with pytest.raises(ValidationError, match="须由本单位主要负责人决定"):
        content.save_revision(user=reviewers["info_officer"])
    # Even a revision written without validation is stopped at submission.
    content.save_revision(user=reviewers["info_officer"], clean=False)
    with pytest.raises(api.WorkflowError, match="须由本单位主要负责人决定"):
        api.submit(item, reviewers["info_officer"])


def post_edit(client, item, user, **changes):
    from django.urls import reverse
    from wagtail.test.utils.form_data import nested_form_data, rich_text, streamfield

    log_in(client, user)
    data = {
        "title": item.title,
        "slug": item.slug,
        "summary": item.summary,
        "category": item.category_id,
        "topic": "",
        "written_date": item.written_date.isoformat(),
        "changed_date": "",
        "document_number": "",
        "validity": "valid",
        "disclosure_mode": DisclosureMode.PROACTIVE,
        "disclosure_scope": "society",
        "withholding_reason": "",
        "withholding_explanation": "",
        "body": streamfield([("paragraph", rich_text("<p>正文</p>"))]),
        "attachments": streamfield([]),
        **changes,
    }
    return client.post(reverse("wagtailadmin_pages:edit", args=(item.pk,)), nested_form_data(data))


def test_editor_form_lets_only_the_head_withhold(catalogue, reviewers, client):
    item = make_item(catalogue["a"], publish=False)
    withhold = {"disclosure_mode": DisclosureMode.WITHHELD, "withholding_reason": WithholdingReason.THIRD_PARTY}
    response = post_edit(client, item, reviewers["info_officer"], **withhold)
    assert response.status_code == 200
    assert "只有本单位主要负责人可以决定不予公开" in response.content.decode()
    response = post_edit(client, item, reviewers["head"], disclosure_mode=DisclosureMode.WITHHELD)
    assert "不予公开须选择《政府信息公开条例》规定的理由" in response.content.decode()
    response = post_edit(client, item, reviewers["head"], **withhold)
    assert response.status_code == 302
    item.refresh_from_db()
    saved = item.get_latest_revision_as_object()
    assert saved.disclosure_mode == DisclosureMode.WITHHELD
    assert saved.withholding_recorded_by == reviewers["head"] and saved.withholding_recorded_at
    # The info officer may edit other fields afterwards without touching the head's decision.
    response = post_edit(client, saved, reviewers["info_officer"], title="改标题", **withhold)
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.get_latest_revision_as_object().title == "改标题"
    assert item.get_latest_revision_as_object().withholding_recorded_by == reviewers["head"]


def test_withheld_item_stays_out_of_the_public_catalogue(catalogue, reviewers, client):
    visible = make_item(catalogue["a"], title="石羊镇2026年部门预算")
    withheld = make_item(catalogue["a"], title="石羊镇内部人事安排", publish=False)
    withheld.record_withholding(reviewers["head"], WithholdingReason.INTERNAL_AFFAIRS, "人事管理信息")
    withheld.save_revision().publish()
    withheld.refresh_from_db()
    assert withheld.index_number  # numbered like every catalogue entry
    response = client.get(catalogue["proactive"].url)
    assert visible.title in response.content.decode()
    assert withheld.title not in response.content.decode()
    assert client.get(withheld.url).status_code in (302, 403)
    assert withheld.pk not in Page.objects.live().public().values_list("pk", flat=True)
    # Disclosing it later lifts the restriction.
    withheld.disclosure_mode = DisclosureMode.PROACTIVE
    withheld.withholding_reason = ""
    withheld.save_revision().publish()
    assert client.get(withheld.url).status_code == 200


def test_withheld_report_lists_decisions_for_reassessment(catalogue, reviewers, admin_client):
    item = make_item(catalogue["a"], title="石羊镇内部审计底稿", publish=False)
    item.record_withholding(reviewers["head"], WithholdingReason.PROCESS_INFORMATION, "审计过程稿")
    item.save_revision().publish()
    response = admin_client.get("/admin/disclosure/withheld/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "石羊镇内部审计底稿" in html and "过程性信息" in html


# ---------------------------------------------------------------- due dates


@pytest.mark.parametrize(
    "basis, due_date",
    [
        # 2026 Spring Festival: 15-23 Feb off, Saturdays 14 and 28 Feb are make-up workdays.
        (datetime.date(2026, 2, 10), datetime.date(2026, 3, 16)),
        # 2026 National Day: 1-7 Oct off, Sunday 20 Sep and Saturday 10 Oct are make-up workdays.
        (datetime.date(2026, 9, 28), datetime.date(2026, 10, 30)),
        # ... and Mid-Autumn Festival on Friday 25 Sep.
        (datetime.date(2026, 9, 18), datetime.date(2026, 10, 22)),
    ],
)
def test_due_date_across_2026_holidays(db, basis, due_date):
    item = DisclosureItem(written_date=basis)
    status = item.due_status(today=basis)
    assert status.due == due_date
    assert not status.provisional


def test_due_date_into_2027_is_provisional_without_entered_holidays(db):
    item = DisclosureItem(written_date=datetime.date(2026, 12, 20))
    status = item.due_status(today=datetime.date(2026, 12, 21))
    # Weekends only from 1 Jan 2027 (a Friday, counted as a working day until holidays are entered).
    assert status.due == datetime.date(2027, 1, 15)
    assert status.provisional


def test_due_date_into_2027_uses_entered_holidays(db):
    from disclosure.models import CalendarDay

    for day in (1, 2, 3):
        CalendarDay.objects.create(date=datetime.date(2027, 1, day), kind="holiday", name="元旦")
    calendar.invalidate()
    status = DisclosureItem(written_date=datetime.date(2026, 12, 20)).due_status(today=datetime.date(2026, 12, 21))
    assert status.due == datetime.date(2027, 1, 18)
    assert not status.provisional


def test_changed_date_restarts_the_clock_and_states(db):
    item = DisclosureItem(written_date=datetime.date(2026, 3, 2), changed_date=datetime.date(2026, 6, 1))
    due = item.due_status(today=datetime.date(2026, 6, 2)).due
    assert due == calendar.add_working_days(datetime.date(2026, 6, 1), 20)
    assert item.due_status(today=datetime.date(2026, 6, 2)).state == "pending"
    assert item.due_status(today=calendar.add_working_days(due, -3)).state == "approaching"
    overdue = item.due_status(today=due + datetime.timedelta(days=1))
    assert overdue.state == "overdue" and overdue.remaining < 0
    item.live, item.published_date = True, due + datetime.timedelta(days=3)
    assert item.due_status().state == "late"


def test_due_report_shows_unpublished_items_per_unit(catalogue, admin_client):
    make_item(catalogue["a"], title="逾期未公开的预算信息", publish=False, written=TODAY - datetime.timedelta(days=60))
    make_item(catalogue["b"], title="刚形成的采购信息", publish=False, written=TODAY)
    response = admin_client.get("/admin/disclosure/due/")
    html = response.content.decode()
    assert "逾期未公开的预算信息" in html and "已逾期" in html
    assert "刚形成的采购信息" not in html
    html = admin_client.get("/admin/disclosure/due/?state=all").content.decode()
    assert "刚形成的采购信息" in html
    assert "所选单位不存在" in admin_client.get("/admin/disclosure/due/?unit=999999").content.decode()


def test_editor_sees_the_due_status(catalogue, reviewers, client):
    item = make_item(catalogue["a"], publish=False, written=TODAY - datetime.timedelta(days=60))
    log_in(client, reviewers["info_officer"])
    html = client.get(f"/admin/pages/{item.pk}/edit/").content.decode()
    assert 'data-due-status="overdue"' in html


# ---------------------------------------------------------------- public catalogue


def set_year(item, year):
    """Move an item's publication into another year (test data only)."""
    DisclosureItem.objects.filter(pk=item.pk).update(published_date=datetime.date(year, 6, 1))
    IndexNumberCounter.objects.get_or_create(unit_id=item.owning_unit_id, year=year, defaults={"last_serial": 1})


def test_public_catalogue_filters_combine(catalogue, township_a, client):
    budget, procurement = category("财政预算、决算信息"), category("政府集中采购项目的目录、标准及实施情况")
    match = make_item(catalogue["a"], title="石羊镇2025年决算", category=budget)
    set_year(match, 2025)
    make_item(catalogue["a"], title="石羊镇2026年预算", category=budget)
    wrong_category = make_item(catalogue["a"], title="石羊镇采购目录", category=procurement)
    set_year(wrong_category, 2025)
    wrong_unit = make_item(catalogue["b"], title="龙台镇2025年决算", category=budget)
    set_year(wrong_unit, 2025)
    url = catalogue["proactive"].url
    response = client.get(url, {"category": budget.pk, "year": 2025, "unit": township_a.pk})
    titles = [item.title for item in response.context["listing"].object_list]
    assert titles == ["石羊镇2025年决算"]
    assert 2025 in response.context["years"]
    by_unit = client.get(catalogue["a"].url, {"year": 2025})
    assert sorted(i.title for i in by_unit.context["listing"].object_list) == ["石羊镇2025年决算", "石羊镇采购目录"]
    html = response.content.decode()
    assert '<label for="filter-category">' in html and '<th scope="col">' in html


def test_public_catalogue_reports_bad_filters_in_chinese(catalogue, client):
    make_item(catalogue["a"])
    response = client.get(catalogue["proactive"].url, {"category": "abc", "year": "1800", "unit": "999999"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "公开类别“abc”不存在" in html and "年份“1800”无效" in html and "发布机构“999999”不存在" in html
    assert len(response.context["listing"].object_list) == 1


def test_public_catalogue_paginates_twenty_per_page(catalogue, client):
    for n in range(25):
        make_item(catalogue["a"], title=f"分页测试信息{n:02d}", slug=f"page-test-{n}")
    first = client.get(catalogue["proactive"].url, {"category": category().pk})
    assert len(first.context["listing"].object_list) == 20
    assert f"category={category().pk}&amp;page=2" in first.content.decode()
    second = client.get(catalogue["proactive"].url, {"category": category().pk, "page": 2})
    assert len(second.context["listing"].object_list) == 5
    assert client.get(catalogue["proactive"].url, {"page": "x"}).context["listing"].number == 1


def test_item_page_shows_metadata_and_attachments(catalogue, client):
    from django.core.files.base import ContentFile
    from wagtail.documents import get_document_model

    document = get_document_model().objects.create(title="预算表", file=ContentFile(b"budget", name="budget.txt"))
    topic = TopicCategory.objects.get(name="财政、金融、审计")
    item = make_item(
        catalogue["a"],
        title="石羊镇2026年部门预算",
        document_number="石府发〔2026〕1号",
        topic=topic,
        attachments=[("attachment", {"document": document, "title": "2026年预算表"})],
    )
    html = client.get(item.url).content.decode()
    for text in (
        item.index_number,
        "安岳县石羊镇人民政府测试",
        "石府发〔2026〕1号",
        "财政预算、决算信息",
        "财政、金融、审计",
        "主动公开",
        "有效",
        "2026年预算表",
        document.url,
    ):
        assert text in html, text
    assert '<th scope="row">索引号</th>' in html


def test_on_request_item_lists_metadata_only(catalogue, client):
    item = make_item(catalogue["a"], disclosure_mode=DisclosureMode.ON_REQUEST, text="不在网上公开的全文")
    html = client.get(item.url).content.decode()
    assert "依申请公开" in html and "不在网上公开的全文" not in html


def test_catalogue_home_and_navigation(catalogue, client):
    make_item(catalogue["a"], title="石羊镇最新公开信息")
    html = client.get(catalogue["catalogue"].url).content.decode()
    assert "按类别浏览" in html and "石羊镇最新公开信息" in html and "市政建设" in html
    # The home page links the catalogue through an editable 栏目入口 block.
    home = catalogue["catalogue"].get_parent().specific
    home.body = [("entry", {"title": "政府信息公开", "link": {"label": "进入", "page": catalogue["catalogue"]}})]
    home.save_revision().publish()
    home_html = client.get("/").content.decode()
    assert f'href="{catalogue["catalogue"].url}"' in home_html


# ---------------------------------------------------------------- taxonomy


@pytest.mark.django_db
def test_seeded_categories_and_topics():
    assert DisclosureCategory.objects.filter(category_list="proactive").count() == 15
    assert DisclosureCategory.objects.filter(category_list="county").count() == 7
    assert DisclosureCategory.objects.filter(category_list="township").count() == 8
    assert TopicCategory.objects.count() == 22
    township = DisclosureCategory.objects.get(category_list="township", name="宅基地使用情况审核")
    assert township.required_unit_kinds == ["township", "subdistrict"]


def test_administrator_adds_a_category(admin_client):
    response = admin_client.post(
        "/admin/disclosure/categories/new/",
        {
            "name": "乡村振兴",
            "category_list": "other",
            "required_unit_kinds": ["township", "department"],
            "description": "",
            "sort_order": "500",
            "active": "on",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    added = DisclosureCategory.objects.get(name="乡村振兴")
    assert added.required_unit_kinds == ["township", "department"]


# ---------------------------------------------------------------- workflow


def test_item_passes_the_workflow_and_gets_its_number_at_final_approval(catalogue, reviewers):
    item = make_item(catalogue["a"], publish=False)
    item.save_revision(user=reviewers["info_officer"])
    api.submit(item, reviewers["info_officer"])
    for who in STAGES:
        item.refresh_from_db()
        assert item.index_number == "" and not item.live
        api.approve(item, reviewers[who], checked=api.checklist_for(item))
    item.refresh_from_db()
    assert item.live
    assert re.fullmatch(rf"{re.escape(code_of(item.owning_unit))}/\d{{4}}-00001", item.index_number)


def test_unmasked_personal_data_never_reaches_a_published_item(catalogue, reviewers):
    from workflows.models import Override

    item = make_item(catalogue["a"], publish=False, text="低保对象张三，身份证号11010519491231002X，电话13812345678。")
    item.save_revision(user=reviewers["info_officer"])
    with pytest.raises(api.WorkflowError, match="自动检查未通过"):
        api.submit(item, reviewers["info_officer"])
    assert not DisclosureItem.objects.get(pk=item.pk).live
    # Either the head records a legal basis ...
    api.override(
        item,
        reviewers["head"],
        kind=Override.Kind.PERSONAL_DATA,
        legal_basis=Override.LegalBasis.MANDATORY,
        reason="社会救助对象依法公示",
    )
    api.submit(item, reviewers["info_officer"])
    for who in STAGES:
        api.approve(item, reviewers[who], checked=api.checklist_for(item))
    item.refresh_from_db()
    assert item.live and "11010519491231002X" in str(item.body)


def test_masked_personal_data_passes_without_override(catalogue, reviewers):
    from workflows.checks import mask_object_personal_data

    item = make_item(catalogue["a"], publish=False, text="联系人电话13812345678。")
    content = item.get_latest_revision().as_object()
    assert mask_object_personal_data(content) == 1
    content.save_revision(user=reviewers["info_officer"])
    api.submit(item, reviewers["info_officer"])
    for who in STAGES:
        api.approve(item, reviewers[who], checked=api.checklist_for(item))
    item.refresh_from_db()
    assert item.live and "13812345678" not in str(item.body)


def test_annual_report_section_tolerates_a_missing_report_app():
    from disclosure.models import AnnualReportIndexPage

    AnnualReportIndexPage._clean_subpage_models = None
    models = AnnualReportIndexPage.clean_subpage_models()
    assert all(m._meta.label == "disclosure_requests.AnnualReportPage" for m in models)


def test_on_request_section_links_to_the_request_form(catalogue, client):
    from disclosure.models import DisclosureSectionPage

    section = DisclosureSectionPage(title="依申请公开", slug="ysqgk", show_request_links=True)
    catalogue["catalogue"].add_child(instance=section)
    section.save_revision().publish()
    html = client.get(section.url).content.decode()
    assert 'href="/yxsqgk/"' in html and "在线提交政府信息公开申请" in html
    assert 'href="/yxsqgk/status/"' in html


def test_migration_repairs_item_rich_text_stored_past_every_check(catalogue, client, admin_user):
    import importlib
    import json

    from django.apps import apps
    from django.urls import reverse
    from wagtail.models import Revision

    from site_pages.sanitize import clean_rich_text

    repair = importlib.import_module("disclosure.migrations.0007_repair_rich_text")
    item = make_item(catalogue["a"], title="迁移前导入的公开信息")
    hostile = '<p>正文</p><svg><text>图</text></svg><li>孤立的列表项</li><input value="x">'
    DisclosureItem.objects.filter(pk=item.pk).update(body=[{"type": "paragraph", "value": hostile, "id": "x"}])
    revision = item.latest_revision
    body = json.dumps([{"type": "paragraph", "value": hostile, "id": "x"}])
    Revision.objects.filter(pk=revision.pk).update(content={**revision.content, "body": body})
    log_in(client, admin_user)
    edit_url = reverse("wagtailadmin_pages:edit", args=(item.pk,))
    client.raise_request_exception = False
    assert client.get(edit_url).status_code == 500  # what the repair is for

    repair.repair_rich_text(apps, None)

    assert client.get(edit_url).status_code == 200
    assert DisclosureItem.objects.get(pk=item.pk).body.raw_data[0]["value"] == clean_rich_text(hostile)
    assert "<svg" not in json.dumps(Revision.objects.get(pk=revision.pk).content)
