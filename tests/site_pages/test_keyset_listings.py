"""Keyset pagination (site_pages/keyset.py) shows exactly what ORDER BY ... OFFSET showed, on every page.

The catalogue is filled with a few hundred items in bulk (bench_catalogue's insert), many sharing a date, plus
policy documents on the same dates, so that ties are broken by the page id across both sources. Walking the
listing forwards by its "next" links and backwards by its "previous" links, jumping to the last page and typing a
page number must each give the rows of a plain ordered query, page by page.
"""

import datetime
import re
from io import BytesIO

import pytest
from django.core.files.images import ImageFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from wagtail.images import get_image_model
from wagtail.models import Page

from disclosure.models import DisclosureItem, PolicyCatalogueEntry
from disclosure.models.item import public_items
from disclosure.models.listing import CATALOGUE_PAGE_SIZE
from disclosure.models.policy_record import public_policy_entries
from site_pages import keyset, listing_cache
from site_pages.demo.emblem import emblem_png
from site_pages.models import ArticlePage, PolicyDocumentPage, columns
from site_pages.models.columns import LISTING_PAGE_SIZE
from tests.benchmarks.bench_catalogue import build_tree, bulk_items
from tests.factories import make_column, make_content

ITEMS = 230
LINK = re.compile(r'<a href="\?([^"]*)" rel="(first|prev|next|last)"')


@pytest.fixture
def catalogue(db):
    proactive, parents, _unit = build_tree()
    # Two years and the months and days of bench_catalogue's round robin: every date is shared by several items.
    bulk_items(parents, 0, ITEMS, (2025, 2026))
    column = make_column(proactive.get_parent().get_parent(), "政策文件", parents[0].owning_unit, "notice_policy")
    dates = list(DisclosureItem.objects.values_list("published_date", flat=True).distinct()[:3])
    for number, date in enumerate(dates):
        make_content(
            column,
            model=PolicyDocumentPage,
            title=f"政策文件{number}",
            slug=f"zc{number}",
            document_number=f"安府办发〔2026〕{number + 1}号",
            written_date=date,
            issuing_authority="安岳县人民政府办公室",
        )
    for entry, date in zip(PolicyCatalogueEntry.objects.order_by("pk"), dates, strict=True):
        PolicyCatalogueEntry.objects.filter(pk=entry.pk).update(published_date=date)
    return proactive, parents


def expected_ids(items, policy_entries):
    """Every row's page id in the order a plain ORDER BY gives (what the listing showed before keysets)."""
    item_rows = items.values_list("published_date", "pk")
    policy_rows = policy_entries.values_list("published_date", "page_id")
    rows = item_rows.order_by().union(policy_rows.order_by(), all=True).order_by("-published_date", "-pk")
    return [pk for _date, pk in rows]


def shown_ids(response):
    return [row.page_id for row in response.context["listing"].object_list]


def links(response):
    return {rel: query.replace("&amp;", "&") for query, rel in LINK.findall(response.content.decode())}


def walk(client, url, start_query, rel):
    """Pages met following `rel` links from the page at `start_query`, as lists of shown ids."""
    pages, query = [], start_query
    while query is not None:
        response = client.get(f"{url}?{query}")
        assert response.status_code == 200
        pages.append(shown_ids(response))
        query = links(response).get(rel)
    return pages


def chunks(ids, size):
    return [ids[start : start + size] for start in range(0, len(ids), size)]


def test_catalogue_pages_match_order_by_offset_forwards_backwards_and_by_number(client, catalogue):
    proactive, _parents = catalogue
    expected = expected_ids(public_items().descendant_of(proactive), public_policy_entries())
    # bulk_items withholds one item (a view restriction): the public sees the others and the policy documents.
    assert len(expected) == ITEMS - 1 + 3 and len(set(expected)) == len(expected)
    pages = chunks(expected, CATALOGUE_PAGE_SIZE)

    assert walk(client, proactive.url, "page=1", "next") == pages
    last = links(client.get(proactive.url))["last"]
    assert walk(client, proactive.url, last, "prev") == pages[::-1]
    for number in (1, 2, 7, len(pages) - 1, len(pages)):
        assert shown_ids(client.get(proactive.url, {"page": number})) == pages[number - 1]


def test_filtered_and_unit_listings_match_order_by(client, catalogue):
    proactive, parents = catalogue
    sample = DisclosureItem.objects.order_by("pk").first()
    items = public_items().descendant_of(proactive).filter(category=sample.category_id)
    policy = public_policy_entries().filter(category=sample.category_id)
    query = f"category={sample.category_id}&page=1"
    expected = chunks(expected_ids(items, policy), CATALOGUE_PAGE_SIZE)
    assert walk(client, proactive.url, query, "next") == expected

    unit_page = parents[2]
    items = public_items().child_of(unit_page)
    policy = public_policy_entries().filter(page__owning_unit=unit_page.owning_unit_id)
    assert walk(client, unit_page.url, "page=1", "next") == chunks(expected_ids(items, policy), CATALOGUE_PAGE_SIZE)


def test_column_listing_matches_order_by_with_ties(client, portal, monkeypatch):
    """Every way a column is read: a short listing by its range of paths, a long one (here past 10) merged from the
    children of each page with children below it (the column and its sub-columns, two levels deep), or, past
    MAX_LISTED_PARENTS such pages (here 2), by the site's date index. One set of pages for the three."""
    column = portal["towns"]
    parents = [column, portal["a"], portal["b"]]
    for number in range(LISTING_PAGE_SIZE * 2 + 7):
        make_content(parents[number % 3], model=ArticlePage, title=f"动态{number}", slug=f"dt{number}")
    # Four pages at a time share their publication time, across parents: the page id orders them.
    moment = timezone.now() - datetime.timedelta(days=3)
    listed = Page.objects.type(ArticlePage).descendant_of(column).order_by("pk")
    for number, page in enumerate(listed):
        Page.objects.filter(pk=page.pk).update(first_published_at=moment - datetime.timedelta(minutes=number // 4))
    ordered = column.listing_queryset().order_by("-first_published_at", "-pk").values_list("pk", flat=True)
    expected = chunks(list(ordered), LISTING_PAGE_SIZE)

    def pages(start, rel):
        found, query = [], start
        while query is not None:
            response = client.get(f"{column.url}?{query}")
            found.append([page.pk for page in response.context["listing"].object_list])
            query = links(response).get(rel)
        return found

    for bound, max_parents in [(keyset.BOUNDED_COUNT, 100), (10, 100), (10, 2)]:
        monkeypatch.setattr(keyset, "BOUNDED_COUNT", bound)
        monkeypatch.setattr(columns, "MAX_LISTED_PARENTS", max_parents)
        listing_cache.bump()  # no total or listing kept from the previous way
        assert pages("page=1", "next") == expected, (bound, max_parents)
        assert pages(links(client.get(column.url))["last"], "prev") == expected[::-1], (bound, max_parents)
        # A page number typed by hand (OFFSET) gives the same rows.
        for number in (2, len(expected)):
            shown = [page.pk for page in client.get(column.url, {"page": number}).context["listing"].object_list]
            assert shown == expected[number - 1], (bound, max_parents, number)


# One catalogue for all of them: building it is most of the test's time.
BAD_PAGING = [
    {"after": "garbage"},
    {"before": "2026-13-45~12"},
    {"after": "2026-01-01~x"},
    {"after": "~"},
    {"before": "9" * 40 + "~1"},
    {"after": "2026-01-01~1", "page": "-3"},
    {"page": "abc"},
    {"page": "0"},
    {"page": "99999"},
    {"page": "last"},
]
INVALID_CURSORS = ("garbage", "2026-13-45~12", "2026-01-01~x", "~")


def test_bad_paging_parameters_give_a_page_never_an_error(client, catalogue):
    proactive, _parents = catalogue
    for params in BAD_PAGING:
        response = client.get(proactive.url, params)
        assert response.status_code == 200, params
        assert response.context["listing"].object_list, params
        if any(value in INVALID_CURSORS for value in params.values()):
            assert "分页链接无效，已显示第一页。" in response.content.decode(), params
            assert response.context["listing"].number == 1, params


def test_bad_cursor_on_a_column_is_reported(client, portal):
    make_content(portal["a"], title="动态")
    for raw in ("garbage", "9" * 40 + "~1", "1.5~2"):
        response = client.get(portal["a"].url, {"after": raw})
        assert response.status_code == 200
        assert "分页链接无效，已显示第一页。" in response.content.decode()


def test_long_listing_total_is_cached_until_pages_change(client, catalogue, settings, monkeypatch):
    """Past BOUNDED_COUNT rows the total is read from the cache, and a publication or withdrawal renews it."""
    settings.LISTING_CACHE_ENABLED = True
    proactive, _parents = catalogue
    client.get(proactive.url)  # the first view creates the site's settings row, a write that renews the cache
    listing_cache.bump()
    monkeypatch.setattr(keyset, "BOUNDED_COUNT", 50)
    total = ITEMS - 1 + 3
    assert client.get(proactive.url).context["listing"].count == total
    # Rows changed behind the signals' back are not counted again: the total comes from the cache.
    DisclosureItem.objects.filter(pk=DisclosureItem.objects.order_by("pk").first().pk).update(summary="改")
    Page.objects.filter(pk=DisclosureItem.objects.order_by("pk")[1].pk).update(live=False)
    assert client.get(proactive.url).context["listing"].count == total
    # An unpublication through Wagtail (the signal every withdrawal sends) is seen on the next request.
    DisclosureItem.objects.order_by("pk")[2].unpublish()
    assert client.get(proactive.url).context["listing"].count == total - 2


@pytest.mark.django_db
def test_a_write_the_listing_cache_does_not_watch_still_renews_it(settings):
    """A cover image replaced (not a model the listing cache watches) renews it through the page cache's generation."""
    settings.LISTING_CACHE_ENABLED = True
    computed = []

    def read():
        computed.append(1)
        return len(computed)

    assert listing_cache.cached("probe", read) == listing_cache.cached("probe", read) == 1
    image = get_image_model()(title="题图", file=ImageFile(BytesIO(emblem_png(32)), name="cover-probe.png"))
    image.save()
    assert listing_cache.cached("probe", read) == 2


@pytest.mark.django_db
def test_a_request_reads_the_generation_once_and_forgets_it_after_its_own_purge(settings, monkeypatch):
    """Every listing value of a page costs one cache read of the generation per request, not one each."""
    from django.core.signals import request_finished, request_started

    from cms.pagecache import keys

    settings.LISTING_CACHE_ENABLED = True
    reads = []
    original = keys.page_cache

    def counting():
        reads.append(1)
        return original()

    monkeypatch.setattr(keys, "page_cache", counting)
    request_started.send(sender=None)
    try:
        first = [listing_cache.cached(f"memo-{n}", lambda n=n: n) for n in range(5)]
        assert first == list(range(5)) and len(reads) == 1
        # A purge made by this request (a form that publishes) is seen by what the request reads next.
        listing_cache.bump()
        assert listing_cache.cached("memo-0", lambda: "改") == "改"
    finally:
        request_finished.send(sender=None)
    reads.clear()
    # Outside a request (commands, scheduled jobs) every read asks the cache.
    listing_cache.cached("memo-1", lambda: 1)
    listing_cache.cached("memo-2", lambda: 2)
    assert len(reads) == 2


def test_every_listing_total_is_counted_once_until_pages_change(client, catalogue, settings):
    """Short totals too: a unit's hundred rows were counted on every request while a longer listing's total was
    read from the cache, so the unit's catalogue cost more at 100,000 items (a thousand rows counted) than at 1,000."""
    settings.LISTING_CACHE_ENABLED = True
    proactive, parents = catalogue
    column = make_column(proactive.get_parent().get_parent(), "动态", parents[0].owning_unit, slug="dt")
    for number in range(3):
        make_content(column, model=ArticlePage, title=f"动态{number}", slug=f"dt{number}")
    sample = DisclosureItem.objects.order_by("pk").first()
    client.get(proactive.url)  # the first view creates the site's settings row, a write that renews the cache
    listing_cache.bump()
    expected = {
        (proactive.url, ""): len(expected_ids(public_items().descendant_of(proactive), public_policy_entries())),
        (proactive.url, f"category={sample.category_id}"): len(
            expected_ids(
                public_items().descendant_of(proactive).filter(category=sample.category_id),
                public_policy_entries().filter(category=sample.category_id),
            )
        ),
        (parents[2].url, ""): len(
            expected_ids(
                public_items().child_of(parents[2]),
                public_policy_entries().filter(page__owning_unit=parents[2].owning_unit_id),
            )
        ),
        (column.url, ""): 3,
    }
    for (url, query), total in expected.items():
        assert client.get(f"{url}?{query}").context["listing"].count == total
        with CaptureQueriesContext(connection) as queries:
            response = client.get(f"{url}?{query}")
        assert response.context["listing"].count == total
        counts = [q["sql"] for q in queries.captured_queries if "COUNT(" in q["sql"]]
        assert not counts, f"{url}?{query} counted again: {counts}"
    # A publication renews them.
    make_content(column, model=ArticlePage, title="动态3", slug="dt3")
    assert client.get(column.url).context["listing"].count == 4


def test_a_source_function_that_does_not_pass_its_value_as_a_parameter_is_refused():
    """Sources made by one function are read by a statement compiled once for a placeholder value: a function that
    wrote its value into the SQL, or ignored it, would read one source's rows for all of them."""

    def ignoring(value):
        return keyset.Source(Page.objects.all(), "first_published_at", made_by=(ignoring, value))

    listing = keyset.KeysetListing(
        [ignoring("0001"), ignoring("0002")], lambda page: (page.first_published_at, page.pk), 20
    )
    with pytest.raises(ValueError, match="does not pass its value"):
        listing.newest(20)


def test_the_placeholder_parameter_becomes_a_column_reference_and_the_others_stay_parameters():
    sql = "SELECT 1 WHERE a = %s AND b LIKE 'x%%' AND c = %s AND d = %s"
    assert keyset._with_placeholder_as(sql, [keyset.PLACEHOLDER, 5, keyset.PLACEHOLDER], "made_by.value") == (
        "SELECT 1 WHERE a = made_by.value AND b LIKE 'x%%' AND c = %s AND d = made_by.value",
        [5],
    )
