"""Every public page type answers an anonymous GET within a fixed number of SQL queries (issue 17 §2).

The page types are Wagtail's page models walked at run time, as tests/e2e/test_page_types.py walks them: a type
added later fails here until it has a budget in BUDGETS (and the demo county a live page of it). Each page is
measured on the demo county, then grown — copies of its children and of itself (with their images and
attachments), images and attachments added to its body, and its top column nested three columns deeper — and
measured again: the count must not grow. URL depth costs nothing because the site routes by url_path
(site_pages/routing.py). The listing cache is on, as deployed: menus, breadcrumbs of the catalogue, filter choices
and home sections are read once and shared until pages change (site_pages/listing_cache.py).
"""

import pytest
from django.core.files.base import ContentFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Page, get_page_models

from site_pages import listing_cache
from site_pages.models import ColumnPage
from tests.factories import make_column

# {page model label: most SQL queries an anonymous GET of a live page of that type may take}.
BUDGETS = {
    "site_pages.HomePage": 0,
    "site_pages.ColumnPage": 1,
    "site_pages.SpecialTopicPage": 3,
    "site_pages.ArticlePage": 2,
    "site_pages.NoticePage": 2,
    "site_pages.PolicyDocumentPage": 7,
    "site_pages.InterpretationPage": 3,
    "site_pages.InterviewPage": 7,
    "site_pages.MessageBoardPage": 8,
    "site_pages.ServiceIndexPage": 7,
    "site_pages.ServiceGuidePage": 2,
    "site_pages.SurveyPage": 6,
    "inspection.Bulletin": 6,
    "disclosure.DisclosureCatalogue": 2,
    "disclosure.DisclosureSectionPage": 2,
    "disclosure.AnnualReportIndexPage": 2,
    "disclosure.ProactiveDisclosurePage": 2,
    "disclosure.UnitCataloguePage": 3,
    "disclosure.DisclosureItem": 3,
    "disclosure_requests.AnnualReportPage": 4,
    "newmedia.NewMediaDirectoryPage": 6,
}
COPIES = 3
NESTING = 3


@pytest.fixture(autouse=True)
def listing_cache_on(settings):
    settings.LISTING_CACHE_ENABLED = True
    listing_cache.bump()  # nothing cached by an earlier, rolled-back test is read


def served_models():
    return [model for model in get_page_models() if model is not Page]  # Page is the tree root, never served


def sample_page(model):
    """The demo county's first live, public page of exactly this type (not of a subclass)."""
    page = model.objects.exact_type(model).live().public().order_by("path").first()
    assert page is not None, f"the demo county has no live page of {model._meta.label}: add one to its seed"
    return page


def count_queries(client, url):
    """Queries of an anonymous GET of `url`, after one GET that fills the process-wide caches."""
    assert client.get(url).status_code == 200, url
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(queries)


def copy_live(page, parent, number):
    page.specific.copy(
        to=parent,
        update_attrs={"slug": f"{page.slug}-copy{number}", "title": f"{page.title}（副本{number}）"},
        keep_live=True,
        log_action=None,
    )


def add_images_and_attachments(page, copies):
    """Appends each image and document of the demo `copies` times to the body of a page that has one."""
    if "body" not in {field.name for field in page._meta.get_fields()}:
        return
    kinds = page.body.stream_block.child_blocks
    if "image" in kinds:
        for image in list(get_image_model().objects.all()) * copies:
            page.body.append(("image", {"image": image, "alt": image.title, "caption": ""}))
    if "attachment" in kinds:
        if not get_document_model().objects.exists():
            get_document_model().objects.create(title="附件", file=ContentFile(b"%PDF-1.4\n", name="fujian.pdf"))
        for document in list(get_document_model().objects.all()) * copies:
            page.body.append(("attachment", {"document": document, "title": ""}))
    page.save_revision().publish()


def nest_deeper(page):
    """Moves the page's top column under NESTING new columns, where the page rules allow it."""
    top = page.get_ancestors(inclusive=True).filter(depth=3).specific().first()
    if not isinstance(top, ColumnPage) or ColumnPage not in top.specific_class.allowed_parent_page_models():
        return  # the catalogue and the home page sit where the page rules put them: no deeper URL exists
    parent = top.get_parent()
    for level in range(NESTING):
        parent = make_column(parent, f"嵌套栏目{level}", top.owning_unit, slug=f"nest{level}")
    top.move(parent, pos="last-child")


def grow(page):
    """More children, siblings, images, attachments and URL depth."""
    for child in page.get_children().live()[:2]:
        for number in range(COPIES):
            copy_live(child, page, number)
    if page.depth > 2:
        for number in range(COPIES):
            copy_live(page, page.get_parent(), number)
    add_images_and_attachments(page.specific, COPIES)
    nest_deeper(page)


def test_every_page_type_has_a_budget():
    labels = {model._meta.label for model in served_models()}
    missing, stale = sorted(labels - set(BUDGETS)), sorted(set(BUDGETS) - labels)
    assert not missing and not stale, f"give {missing} a query budget; drop {stale}"


@pytest.mark.parametrize("label", sorted(BUDGETS))
def test_queries_within_budget_and_flat(client, demo_county, label):
    model = next(model for model in served_models() if model._meta.label == label)
    page = sample_page(model)
    add_images_and_attachments(page.specific, 1)  # the baseline reads images and documents too
    before = count_queries(client, page.url)
    assert before <= BUDGETS[label], f"{label} {page.url}: {before} queries, budget {BUDGETS[label]}"

    grow(page)
    page = Page.objects.get(pk=page.pk)
    after = count_queries(client, page.url)
    assert after <= before, f"{label} {page.url}: {after} queries once grown, {before} before"
