"""办事指南: refused while an inspected element is empty, published when complete, listed, searched and shown whole."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text, streamfield

from site_pages.models import ServiceGuidePage, ServiceIndexPage
from tests.factories import log_in, member, paragraph
from workflows import api
from workflows.api import WorkflowError

pytestmark = pytest.mark.usefixtures("shared_portal")

# The six stages' people: (key, role); two deputy heads, for 二审 and 三校.
PEOPLE = [
    ("info_officer", "info_officer"),
    ("deputy_head", "deputy_head"),
    ("head", "head"),
    ("typesetter", "typesetter"),
    ("section_chief", "section_chief"),
    ("deputy_head_2", "deputy_head"),
]

MATERIAL = {
    "name": "居民身份证",
    "copies": "原件1份",
    "format": "paper",
    "source": "公安机关核发",
    "note": "查验后退还",
}
COMPLETE = {
    "item_type": "public_service",
    "audience": "person",
    "implementing_body": "安岳县石羊镇人民政府",
    "legal_basis": "《中华人民共和国社会保险法》第二十条",
    "conditions": "户籍在石羊镇、年满16周岁的城乡居民。",
    "statutory_time_limit": "5个工作日",
    "promised_time_limit": "即办",
    "fees": "不收费",
    "location": "石羊镇便民服务中心一号窗口",
    "office_hours": "法定工作日 9:00—12:00，13:30—17:30",
    "consultation_phone": "028-24561234",
    "complaint_phone": "028-24565678、12345",
    "delivery": "窗口领取",
    "online_url": "https://www.sczwfw.gov.cn/guide/123",
}
STEPS = "提交申请，窗口受理，当场办结。"


@pytest.fixture
def reviewers(township_a):
    return {key: member(township_a, role, username=f"guide_{key}") for key, role in PEOPLE}


def make_listing(parent, title, unit, slug):
    listing = ServiceIndexPage(title=title, slug=slug, owning_unit=unit, show_in_menus=True)
    parent.add_child(instance=listing)
    listing.save_revision().publish()
    return listing


@pytest.fixture
def service_index(portal, county_office):
    """The county's 办事指南, holding one listing per department (each edits its own guides)."""
    return make_listing(portal["home"], "办事指南", county_office, "bszn")


def make_guide(index, unit, title="城乡居民养老保险参保登记", publish=False, user=None, **overrides):
    department = ServiceIndexPage.objects.child_of(index).filter(owning_unit=unit).first()
    if department is None:
        department = make_listing(index, unit.name, unit, f"unit-{unit.pk}")
    fields = {**COMPLETE, "materials": [("material", dict(MATERIAL))], "body": paragraph(STEPS), **overrides}
    guide = ServiceGuidePage(title=title, slug=f"guide-{ServiceGuidePage.objects.count()}", owning_unit=unit, **fields)
    guide.live = False
    department.add_child(instance=guide)
    revision = guide.save_revision(user=user)
    if publish:
        revision.publish()
        guide.refresh_from_db()
    return guide


def empty_value(name):
    return [] if name in ("materials", "body") else ""


@pytest.mark.parametrize("name", ServiceGuidePage.REQUIRED_ELEMENTS)
def test_submission_is_refused_naming_the_missing_element(service_index, township_a, reviewers, name):
    guide = make_guide(service_index, township_a, user=reviewers["info_officer"], **{name: empty_value(name)})
    label = str(ServiceGuidePage.element_label(name))
    with pytest.raises(WorkflowError, match="办事指南要素不全") as refused:
        api.submit(guide, reviewers["info_officer"])
    assert label in refused.value.message
    assert api.current_stage(guide) is None
    assert label in "".join(api.precheck(guide).requirements)


def test_refusal_names_every_missing_element_and_material_part(service_index, township_a, reviewers):
    incomplete = {**MATERIAL, "source": "", "copies": " "}
    guide = make_guide(
        service_index,
        township_a,
        user=reviewers["info_officer"],
        fees="",
        complaint_phone="",
        materials=[("material", dict(MATERIAL)), ("material", incomplete)],
    )
    with pytest.raises(WorkflowError) as refused:
        api.submit(guide, reviewers["info_officer"])
    message = refused.value.message
    for part in ("收费标准及依据", "监督投诉电话", "申请材料第2项的份数", "申请材料第2项的来源渠道"):
        assert part in message
    assert "申请材料第1项" not in message


def test_an_empty_first_paragraph_is_no_procedure(service_index, township_a, reviewers):
    guide = make_guide(service_index, township_a, user=reviewers["info_officer"], body=[("paragraph", "<p> </p>")])
    with pytest.raises(WorkflowError, match="办理流程"):
        api.submit(guide, reviewers["info_officer"])


def test_complete_guide_submits_and_publishes(service_index, township_a, reviewers):
    guide = make_guide(service_index, township_a, user=reviewers["info_officer"])
    assert api.precheck(guide).requirements == []
    api.submit(guide, reviewers["info_officer"])
    for who, _role in PEOPLE:
        api.approve(guide, reviewers[who], comment="同意", checked=api.checklist_for(guide))
    guide.refresh_from_db()
    assert guide.live


def test_admin_submit_is_refused_with_the_missing_elements(client, service_index, township_a, reviewers):
    guide = make_guide(service_index, township_a, user=reviewers["info_officer"])
    log_in(client, reviewers["info_officer"])
    data = {
        "title": guide.title,
        "slug": guide.slug,
        "summary": "",
        **COMPLETE,
        "legal_basis": "",
        "delivery": "",
        "materials": streamfield([("material", MATERIAL)]),
        "body": streamfield([("paragraph", rich_text(f"<p>{STEPS}</p>"))]),
        "comments": inline_formset([]),
        "action-submit": "1",
    }
    edit_url = reverse("wagtailadmin_pages:edit", args=[guide.pk])
    response = client.post(edit_url, nested_form_data(data))
    assert response.status_code == 302 and response.url == edit_url
    html = client.get(edit_url).content.decode()
    assert "办事指南要素不全" in html
    assert "设定依据" in html and "结果送达方式" in html
    assert api.current_stage(guide) is None


@pytest.mark.parametrize(
    ("field", "value", "error"),
    [
        ("online_url", "ftp://files.example.com/form", "online_url"),
        ("online_url", "javascript:alert(1)", "online_url"),
        ("statutory_time_limit", "20天", "statutory_time_limit"),
        ("consultation_phone", "请拨打办公室", "consultation_phone"),
    ],
)
def test_malformed_elements_are_refused_by_the_form(service_index, township_a, field, value, error):
    guide = ServiceGuidePage(title="测试事项", slug="t", owning_unit=township_a, **{**COMPLETE, field: value})
    guide.path, guide.depth = service_index.path + "0099", service_index.depth + 1
    with pytest.raises(ValidationError) as refused:
        guide.full_clean()
    assert error in refused.value.message_dict


def test_guides_go_only_below_a_guide_listing(portal, service_index):
    assert ServiceGuidePage.can_create_at(service_index)
    assert not ServiceGuidePage.can_create_at(portal["a"])
    assert ServiceIndexPage.can_create_at(portal["news"])
    assert ServiceIndexPage.can_create_at(service_index)


@pytest.fixture
def listed(service_index, township_a, township_b):
    return {
        "pension": make_guide(service_index, township_a, title="城乡居民养老保险参保登记", publish=True),
        "project": make_guide(
            service_index, township_b, title="企业投资项目备案", publish=True, audience="legal_person"
        ),
        "trader": make_guide(service_index, township_a, title="个体工商户设立登记", publish=True, audience="both"),
    }


def listed_titles(client, index, **params):
    response = client.get(index.url, params)
    assert response.status_code == 200
    return {guide.title for guide in response.context["listing"].object_list}


def test_listing_filters_by_department_and_life_event(client, service_index, listed, township_a, township_b):
    assert listed_titles(client, service_index) == {g.title for g in listed.values()}
    assert listed_titles(client, service_index, unit=township_a.pk) == {
        "城乡居民养老保险参保登记",
        "个体工商户设立登记",
    }
    assert listed_titles(client, service_index, unit=township_b.pk) == {"企业投资项目备案"}
    assert listed_titles(client, service_index, audience="person") == {"城乡居民养老保险参保登记", "个体工商户设立登记"}
    assert listed_titles(client, service_index, audience="legal_person") == {"企业投资项目备案", "个体工商户设立登记"}
    assert listed_titles(client, service_index, unit=township_b.pk, audience="person") == set()
    # A malformed filter is ignored, not an error page.
    assert len(listed_titles(client, service_index, unit="x", audience="nobody")) == 3


def test_listing_is_paginated_and_keeps_its_filters(client, service_index, township_a, monkeypatch):
    monkeypatch.setattr("site_pages.models.services.LISTING_PAGE_SIZE", 2)
    for number in range(3):
        make_guide(service_index, township_a, title=f"事项{number}", publish=True)
    html = client.get(service_index.url, {"audience": "person"}).content.decode()
    assert "audience=person&amp;page=2" in html
    assert len(client.get(service_index.url, {"page": 2}).context["listing"].object_list) == 1


def test_listing_search_finds_a_guide_by_its_name(client, service_index, listed):
    assert listed_titles(client, service_index, q="养老保险") == {"城乡居民养老保险参保登记"}
    assert listed_titles(client, service_index, q="项目备案") == {"企业投资项目备案"}
    assert listed_titles(client, service_index, q="个") == {"个体工商户设立登记"}


def test_site_search_finds_a_guide_by_its_name(client, listed):
    response = client.get(reverse("search"), {"q": "城乡居民养老保险参保登记"})
    hits = response.context["hits"]
    assert hits and hits[0].page.pk == listed["pension"].pk
    assert hits[0].type_label == "办事指南"
    only_guides = client.get(reverse("search"), {"q": "登记", "type": "service"}).context["hits"]
    assert {hit.page.pk for hit in only_guides} == {listed["pension"].pk, listed["trader"].pk}


def test_public_page_shows_every_element(client, service_index, township_a):
    guide = make_guide(service_index, township_a, publish=True)
    html = client.get(guide.url).content.decode()
    for name in ServiceGuidePage.REQUIRED_ELEMENTS:
        label = str(ServiceGuidePage.element_label(name))
        assert f'data-label="{label}"' in html or f">{label}</h2>" in html, label
    for value in (
        "安岳县石羊镇人民政府",
        "《中华人民共和国社会保险法》第二十条",
        "公共服务",
        "个人办事",
        "5个工作日",
        "即办",
        "石羊镇便民服务中心一号窗口",
        "028-24561234",
        "028-24565678、12345",
        "窗口领取",
        STEPS,
        *(value for value in MATERIAL.values() if value != "paper"),
        "纸质",
    ):
        assert value in html, value
    assert html.count('href="https://www.sczwfw.gov.cn/guide/123"') == 2
    assert 'data-label="事项名称">城乡居民养老保险参保登记</td>' in html


def test_department_editor_opens_and_adds_guides_in_the_admin(client, service_index, township_a, township_b, reviewers):
    guide = make_guide(service_index, township_a, user=reviewers["info_officer"])
    log_in(client, reviewers["info_officer"])
    html = client.get(reverse("wagtailadmin_pages:edit", args=[guide.pk])).content.decode()
    for label in ("事项名称", "申请材料", "办理流程", "法定时限", "监督投诉电话", "在线办理"):
        assert label in html
    department = guide.get_parent()
    add_url = reverse("wagtailadmin_pages:add", args=["site_pages", "serviceguidepage", department.pk])
    assert client.get(add_url).status_code == 200
    # Another department's guides are its own to edit.
    other = make_guide(service_index, township_b, title="企业投资项目备案", publish=True)
    other_add_url = reverse("wagtailadmin_pages:add", args=["site_pages", "serviceguidepage", other.get_parent().pk])
    assert client.get(other_add_url).status_code in (302, 403)


def test_guides_count_as_the_columns_content(client, portal, service_index, listed):
    from site_pages.home_blocks import column_items

    assert {page.pk for page in column_items(service_index, 10)} == {g.pk for g in listed.values()}
    assert {page.pk for page in column_items(service_index, 10, "article")} == set()
    assert service_index.listing_queryset().first() is not None
    assert "办事指南" in {column.title for column in client.get("/").context["portal_nav"]}


def test_automatic_checks_read_every_element(service_index, township_a, reviewers):
    material = {**MATERIAL, "name": "代开发票证明"}
    guide = make_guide(
        service_index,
        township_a,
        user=reviewers["info_officer"],
        conditions="可代开发票的个人",
        materials=[("material", material)],
    )
    with pytest.raises(WorkflowError) as refused:
        api.submit(guide, reviewers["info_officer"])
    fields = {finding["field"].split(".")[0] for finding in refused.value.findings if finding["matched"] == "代开发票"}
    assert {"conditions", "materials"} <= fields


def test_guide_listing_opens_in_the_admin(admin_client, service_index, listed):
    assert admin_client.get(reverse("wagtailadmin_pages:edit", args=[service_index.pk])).status_code == 200
    explorer = admin_client.get(reverse("wagtailadmin_explore", args=[service_index.pk]))
    assert explorer.status_code == 200
