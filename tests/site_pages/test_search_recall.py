"""Search recall on the demo portal: every two-character piece of every title finds its page, 文号 and 索引号
in any brackets, and the filters and sort over real content."""

import io

import pytest
from django.core.management import call_command
from django.http import QueryDict
from wagtail.models import Page

from site_pages import search as site_search
from site_pages.models import PolicyDocumentPage
from site_pages.segmentation import WORD_RUN, normalise

BRACKETS = [("〔", "〕"), ("[", "]"), ("(", ")"), ("（", "）"), ("【", "】"), ("［", "］")]


def found_ids(**params):
    query = QueryDict(mutable=True)
    query.update(params)
    form = site_search.SearchForm(query)
    form.is_valid()
    return site_search.run_search(form).ids


def result_pages():
    return Page.objects.live().public().type(*site_search.result_models().values())


def test_every_two_character_piece_of_every_title_finds_its_page(demo_county):
    pages = list(result_pages())
    assert len(pages) > 50
    pieces = {}
    for page in pages:
        for i in range(len(page.title) - 1):
            piece = page.title[i : i + 2]
            if WORD_RUN.search(normalise(piece)):
                pieces.setdefault(piece, set()).add(page.pk)
    missing = {}
    for piece, expected in pieces.items():
        lost = expected - set(found_ids(q=piece))
        if lost:
            missing[piece] = sorted(Page.objects.get(pk=pk).title for pk in lost)
    assert missing == {}
    assert len(pieces) > 500


def test_the_issue_example_finds_the_new_media_pages(demo_county):
    titles = [Page.objects.get(pk=pk).title for pk in found_ids(q="新媒体")]
    assert len([t for t in titles if "政务新媒体" in t]) >= 2
    # Titles holding the query come before pages that only mention it.
    assert "新媒体" in titles[0]


@pytest.mark.parametrize("opening,closing", BRACKETS)
def test_document_number_in_any_brackets_finds_the_document_first(demo_county, opening, closing):
    for policy in PolicyDocumentPage.objects.live().exclude(document_number=""):
        typed = policy.document_number.replace("〔", opening).replace("〕", closing)
        assert found_ids(q=typed)[0] == policy.pk, typed


def test_index_number_finds_the_item_first(demo_county):
    from disclosure.models import DisclosureItem

    items = list(DisclosureItem.objects.live().public().exclude(index_number="")[:5])
    assert items
    for item in items:
        assert found_ids(q=item.index_number)[0] == item.pk


def test_type_filter_keeps_one_type(demo_county):
    everything = found_ids(q="安岳")
    policies = found_ids(q="安岳", type="policy")
    assert policies and set(policies) < set(everything)
    assert set(Page.objects.filter(pk__in=policies).values_list("content_type__model", flat=True)) == {
        "policydocumentpage"
    }


def test_disclosure_items_are_results_and_columns_are_not(demo_county):
    from disclosure.models import DisclosureItem

    item = DisclosureItem.objects.live().public().first()
    assert item.pk in found_ids(q=item.title, type="disclosure")
    column = Page.objects.live().filter(content_type__model="columnpage").first()
    assert column.pk not in found_ids(q=column.title)


def test_date_sort_is_newest_first(demo_county):
    ids = found_ids(q="安岳", sort="date")
    dates = [Page.objects.get(pk=pk).first_published_at for pk in ids]
    assert len(dates) > 5
    assert dates == sorted(dates, reverse=True)


def test_update_index_leaves_the_demo_searchable(demo_county):
    before = found_ids(q="新媒体")
    call_command("update_index", stdout=io.StringIO())
    assert set(found_ids(q="新媒体")) == set(before)
    assert before
