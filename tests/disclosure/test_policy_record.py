"""One record per document: a published 政策文件 is the catalogue's entry, with one URL."""

import datetime
import importlib

import pytest
from django.apps import apps
from django.urls import reverse
from django.utils import timezone
from wagtail.contrib.redirects.models import Redirect
from wagtail.models import Page

from disclosure.models import DisclosureItem, DisclosureSettings, PolicyCatalogueEntry, TopicCategory
from site_pages.models import PolicyDocumentPage
from tests.factories import log_in, make_column, make_content, member

from .test_catalogue import build_catalogue, category, code_of, make_item, unit_catalogue

pytestmark = pytest.mark.usefixtures("shared_portal")

TODAY = timezone.localdate()
REGULATION = "安岳县政府网站和政府系统政务新媒体管理办法"
merge_migration = importlib.import_module("disclosure.migrations.0006_merge_policy_duplicates")


@pytest.fixture
def catalogue(home, township_a, township_b, county_office):
    catalogue, proactive = build_catalogue(home, county_office)
    return {
        "catalogue": catalogue,
        "proactive": proactive,
        "a": unit_catalogue(proactive, township_a, "sy"),
        "b": unit_catalogue(proactive, township_b, "lt"),
    }


@pytest.fixture
def policy_column(home, township_a):
    return make_column(home, "政策文件", township_a, update_class="notice_policy", slug="zcwj")


def make_policy(column, title=REGULATION, number="安府办发〔2026〕12号", publish=True, **fields):
    return make_content(
        column,
        model=PolicyDocumentPage,
        title=title,
        text="第一条 为规范政府网站管理，制定本办法。",
        document_number=number,
        written_date=TODAY - datetime.timedelta(days=5),
        issuing_authority="安岳县人民政府办公室",
        publish=publish,
        **fields,
    )


def listed_titles(response):
    return [row.title for row in response.context["listing"].object_list]


def test_published_policy_is_listed_once_with_its_own_url_and_metadata(catalogue, policy_column, township_a, client):
    policy = make_policy(policy_column)
    entry = policy.catalogue_entry
    entry.topic = TopicCategory.objects.get(name="综合政务")
    entry.save()
    make_item(catalogue["a"], title="石羊镇2026年预算")

    for listing_page in (catalogue["proactive"], catalogue["a"]):
        response = client.get(listing_page.url)
        assert listed_titles(response).count(REGULATION) == 1
        html = response.content.decode()
        assert html.count(f'href="{policy.url}"') == 1 and entry.index_number in html
    assert policy.url.startswith("/zcwj/")
    home = client.get(catalogue["catalogue"].url).content.decode()
    assert home.count(f'href="{policy.url}"') == 1

    column = client.get(policy_column.url).content.decode()
    assert column.count(f'href="{policy.url}"') == 1

    page = client.get(policy.url).content.decode()
    for label, value in (
        ("索引号", entry.index_number),
        ("主题分类", "综合政务"),
        ("公开类别", "行政法规、规章和规范性文件"),
        ("发布机构", township_a.name),
    ):
        assert f'<th scope="row">{label}</th><td' in page
        assert f'data-label="{label}"' in page and value in page
    assert not DisclosureItem.objects.filter(title=REGULATION).exists()


def test_catalogue_filters_apply_to_policy_documents(catalogue, policy_column, township_a, client):
    policy = make_policy(policy_column)
    entry = policy.catalogue_entry
    url = catalogue["proactive"].url
    assert listed_titles(client.get(url, {"category": entry.category_id})) == [REGULATION]
    assert listed_titles(client.get(url, {"category": category().pk})) == []
    assert listed_titles(client.get(url, {"unit": township_a.pk, "year": TODAY.year})) == [REGULATION]
    assert listed_titles(client.get(catalogue["b"].url)) == []


def test_unit_without_a_catalogue_can_be_chosen_for_its_policy_documents(catalogue, home, county_office, client):
    column = make_column(home, "县政府文件", county_office, update_class="notice_policy", slug="xzfwj")
    make_policy(column, title="县政府办公室的政策文件")
    response = client.get(catalogue["proactive"].url, {"unit": county_office.pk})
    assert county_office in response.context["units"]
    assert listed_titles(response) == ["县政府办公室的政策文件"]


def test_policy_index_number_follows_the_item_rules(catalogue, policy_column, township_a):
    item = make_item(catalogue["a"])
    policy = make_policy(policy_column)
    later = make_item(catalogue["a"], title="石羊镇2026年决算")
    code = code_of(township_a)
    year = TODAY.year
    assert item.index_number == f"{code}/{year}-00001"
    assert policy.catalogue_entry.index_number == f"{code}/{year}-00002"
    assert later.index_number == f"{code}/{year}-00003"
    assert policy.catalogue_entry.published_date == TODAY

    policy.title = "修订后的标题"
    policy.save_revision().publish()
    assert PolicyCatalogueEntry.objects.get(page=policy).index_number == f"{code}/{year}-00002"


def test_changed_pattern_never_repeats_a_number(catalogue, policy_column, township_a):
    settings = DisclosureSettings.for_page(catalogue["a"])
    settings.index_number_pattern = "{code}-{year}-{serial:03d}"
    settings.save()
    item = make_item(catalogue["a"])
    code = code_of(township_a)
    # The first serial's number under the new pattern is taken by an item: the policy skips to the next.
    DisclosureItem.objects.filter(pk=item.pk).update(index_number=f"{code}-{TODAY.year}-002")
    policy = make_policy(policy_column)
    assert policy.catalogue_entry.index_number == f"{code}-{TODAY.year}-003"


def test_unpublishing_removes_the_policy_from_the_catalogue(catalogue, policy_column, client):
    policy = make_policy(policy_column)
    number = policy.catalogue_entry.index_number
    assert listed_titles(client.get(catalogue["proactive"].url)) == [REGULATION]

    policy.unpublish()
    assert listed_titles(client.get(catalogue["proactive"].url)) == []
    assert REGULATION not in client.get(catalogue["catalogue"].url).content.decode()

    policy.save_revision().publish()
    assert PolicyCatalogueEntry.objects.get(page=policy).index_number == number
    assert listed_titles(client.get(catalogue["proactive"].url)) == [REGULATION]


def test_draft_policy_is_not_catalogued(catalogue, policy_column):
    policy = make_policy(policy_column, publish=False)
    assert not PolicyCatalogueEntry.objects.filter(page=policy).exists()


# ---------------------------------------------------------------- the migration


def uncatalogue(policy):
    """The state before the migration: policy pages had no catalogue entry."""
    PolicyCatalogueEntry.objects.filter(page=policy).delete()


def test_migration_merges_a_duplicate_item_into_the_policy_page(catalogue, policy_column, township_a, client):
    policy = make_policy(policy_column, number="安府办发〔2023〕12号")
    uncatalogue(policy)
    topic = TopicCategory.objects.get(name="综合政务")
    duplicate = make_item(
        catalogue["a"],
        title=f"安岳县人民政府关于印发《{REGULATION}》的通知",
        summary="规范全县政府网站和政务新媒体。",
        text="规范全县政府网站和政务新媒体。",
        document_number="安府发〔2026〕3号",
        topic=topic,
        slug="sy-gfxwj",
    )
    unmatched = make_item(catalogue["a"], title="石羊镇2026年预算", slug="sy-ys")
    old_url = duplicate.url

    merge_migration.merge(apps, None)

    entry = PolicyCatalogueEntry.objects.get(page=policy)
    assert (entry.index_number, entry.category_id, entry.topic_id) == (
        duplicate.index_number,
        duplicate.category_id,
        topic.pk,
    )
    assert not Page.objects.filter(pk=duplicate.pk).exists()
    assert DisclosureItem.objects.filter(pk=unmatched.pk).exists()
    assert Page.objects.get(pk=catalogue["a"].pk).numchild == 1
    redirect = Redirect.objects.get(old_path=old_url.rstrip("/"))
    assert redirect.redirect_page_id == policy.pk
    assert client.get(old_url).status_code == 301
    assert sorted(listed_titles(client.get(catalogue["proactive"].url))) == sorted([REGULATION, "石羊镇2026年预算"])


def test_migration_keeps_both_when_the_item_holds_more_than_the_page(catalogue, policy_column, township_a):
    policy = make_policy(policy_column, number="安府办发〔2026〕12号")
    uncatalogue(policy)
    fuller = make_item(
        catalogue["a"],
        title=REGULATION,
        summary="概述",
        text="概述之外的正文内容。",
        document_number="安府办发[2026]12号",
    )
    other_unit = make_item(catalogue["b"], title=REGULATION, summary="测试概述", text="测试概述")
    merge_migration.merge(apps, None)

    assert DisclosureItem.objects.filter(pk=fuller.pk).exists()
    assert DisclosureItem.objects.filter(pk=other_unit.pk).exists()
    entry = PolicyCatalogueEntry.objects.get(page=policy)
    assert entry.index_number not in (fuller.index_number, other_unit.index_number)
    # Serial 1 went to the page's first publication (its entry is gone in this pre-migration state), 2 to the item.
    assert entry.index_number == f"{code_of(township_a)}/{TODAY.year}-00003"
    assert entry.category.name == "行政法规、规章和规范性文件"


def test_migration_matches_only_one_to_one(catalogue, policy_column):
    first = make_policy(policy_column, number="安府发〔2026〕1号", slug="p1")
    second = make_policy(policy_column, number="安府发〔2026〕2号", slug="p2")
    uncatalogue(first)
    uncatalogue(second)
    item = make_item(catalogue["a"], title=REGULATION, summary="测试概述", text="测试概述")
    merge_migration.merge(apps, None)

    assert DisclosureItem.objects.filter(pk=item.pk).exists()
    assert PolicyCatalogueEntry.objects.filter(page__in=[first, second]).count() == 2


# ---------------------------------------------------------------- admin


def test_unit_staff_classify_their_own_policy_documents(catalogue, policy_column, township_b, client):
    own = make_policy(policy_column)
    other_column = make_column(policy_column.get_parent(), "龙台政策", township_b, slug="lt-zc")
    other = make_policy(other_column, title="龙台镇的政策文件", number="龙府发〔2026〕1号")
    officer = member(own.owning_unit, "info_officer", username="sy_xxy")
    log_in(client, officer)

    index = client.get(reverse("disclosure_policy_entries:index"))
    assert index.status_code == 200
    html = index.content.decode()
    assert own.catalogue_entry.index_number in html and other.catalogue_entry.index_number not in html
    assert reverse("disclosure_policy_entries:add") not in html

    topic = TopicCategory.objects.get(name="综合政务")
    edit_url = reverse("disclosure_policy_entries:edit", args=[own.catalogue_entry.pk])
    response = client.post(edit_url, {"category": own.catalogue_entry.category_id, "topic": topic.pk})
    assert response.status_code == 302
    entry = PolicyCatalogueEntry.objects.get(page=own)
    assert entry.topic == topic and entry.index_number == own.catalogue_entry.index_number

    other_edit = reverse("disclosure_policy_entries:edit", args=[other.catalogue_entry.pk])
    assert client.get(other_edit).status_code == 404
    assert client.post(reverse("disclosure_policy_entries:add"), {"category": entry.category_id}).status_code in (
        403,
        302,
    )
    assert PolicyCatalogueEntry.objects.count() == 2


def test_a_policy_page_is_found_by_its_index_number(catalogue, policy_column, client):
    policy = make_policy(policy_column)
    number = PolicyCatalogueEntry.objects.get(page=policy).index_number
    html = client.get("/search/", {"q": number}).content.decode()
    assert f'href="{policy.url}"' in html
