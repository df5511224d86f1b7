"""What purges the page cache (cms.pagecache.purge), on a small portal without the demo."""

import datetime
from io import BytesIO

import pytest
from django.apps import apps
from django.core.files.images import ImageFile
from django.core.management import call_command
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from wagtail.contrib.frontend_cache.backends import BaseBackend
from wagtail.images import get_image_model
from wagtail.models import Page, PageViewRestriction, get_page_models

from cms.pagecache import purge
from cms.pagecache.keys import bump_generation
from cms.pagecache.middleware import HEADER
from cms.security.audit import record
from disclosure.models import DisclosureCatalogue
from site_pages.demo.emblem import emblem_png
from site_pages.models import PortalSettings, SearchQueryStat
from tests.factories import UnitFactory, log_in, make_column, make_content
from tests.pagecache.conftest import fresh, generation, warm
from tests.workflows.conftest import draft, reviewers  # noqa: F401 - fixtures of the 三审三校 tests
from workflows import api

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("shared_portal")]


def every_model():
    return apps.get_models(include_auto_created=True)


def changes_generation(action):
    before = generation()
    action()
    return generation() != before


def test_every_model_purges_unless_declared_with_a_reason(page_cache_on):
    labels = {model._meta.label for model in every_model()}
    assert not set(purge.NO_PURGE) - labels, "NO_PURGE names models that do not exist"
    assert all(isinstance(reason, str) and reason.strip() for reason in purge.NO_PURGE.values())
    assert not {model._meta.label for model in get_page_models()} & set(purge.NO_PURGE), "pages always purge"
    bump_generation()
    for model in every_model():
        expected = purge.label_of(model) not in purge.NO_PURGE
        assert changes_generation(lambda model=model: purge.on_model_change(sender=model)) is expected, model


def test_saving_or_deleting_a_purging_model_changes_the_generation(page_cache_on, portal, township_a):
    bump_generation()
    image = get_image_model()(title="县徽", file=ImageFile(BytesIO(emblem_png(32)), name="emblem-purge.png"))
    assert changes_generation(image.save)

    def change_settings():
        settings = PortalSettings.for_site(portal["home"].get_site())
        settings.phone = "028-12345678"
        settings.save()

    assert changes_generation(change_settings)
    township_a.name = "安岳县石羊镇人民政府（改）"
    assert changes_generation(township_a.save)
    assert changes_generation(lambda: PageViewRestriction.objects.create(page=portal["a"], password="x"))
    assert changes_generation(image.delete)
    unit = UnitFactory(name="安岳县测试局", short_name="测试局")
    assert changes_generation(unit.delete)


def test_writes_made_while_serving_public_pages_do_not_purge(page_cache_on, portal):
    bump_generation()
    assert not changes_generation(lambda: SearchQueryStat.record("春耕", found=True))
    assert not changes_generation(lambda: record("session.timeout"))


def test_drafts_locks_and_sign_ins_do_not_purge_but_publishing_does(page_cache_on, portal, editor_a, client):
    article = make_content(portal["a"], title="春耕简报")
    bump_generation()
    article.title = "春耕简报（修改稿）"
    assert not changes_generation(lambda: article.save_revision(user=editor_a))
    assert not changes_generation(lambda: make_content(portal["a"], title="新草稿", publish=False))
    article.locked = True
    assert not changes_generation(lambda: article.save(update_fields=["locked"]))
    assert not changes_generation(lambda: log_in(client, editor_a))
    assert changes_generation(lambda: article.latest_revision.publish())
    editor_a.first_name = "张"
    assert changes_generation(editor_a.save)


def test_a_purge_inside_a_transaction_is_repeated_once_after_commit(page_cache_on, portal):
    with transaction.atomic():
        before = generation()
        for number in range(3):
            make_content(portal["a"], title=f"批量{number}")
        assert generation() != before
        scheduled = [entry[1] for entry in transaction.get_connection().run_on_commit]
    assert scheduled.count(bump_generation) == 1


def test_the_final_approval_of_the_workflow_is_visible_on_the_next_request(page_cache_on, portal, draft, reviewers):  # noqa: F811
    client = Client()
    for url in ("/", portal["a"].url, portal["towns"].url):
        warm(client, url)
    api.submit(draft, reviewers["info_officer"])
    for _stage, who in (
        ("review_1", "info_officer"),
        ("review_2", "deputy_head"),
        ("review_3", "head"),
        ("proof_1", "typesetter"),
        ("proof_2", "section_chief"),
        ("proof_3", "deputy_head_2"),
    ):
        assert client.get(portal["a"].url).get(HEADER) == "hit"  # approvals before the last change nothing public
        api.approve(draft, reviewers[who], checked=api.checklist_for(draft), comment="同意。")
    draft.refresh_from_db()
    assert draft.live
    assert draft.title in fresh(client, portal["a"].url).content.decode()
    assert fresh(client, draft.url).status_code == 200


def test_scheduled_publishing_is_visible_on_the_next_request(page_cache_on, portal):
    client = Client()
    page = make_content(portal["a"], title="定时发布的信息", publish=False)
    warm(client, portal["a"].url)
    revision = page.save_revision()
    revision.approved_go_live_at = timezone.now() - datetime.timedelta(minutes=1)
    revision.save()
    call_command("publish_scheduled")
    assert "定时发布的信息" in fresh(client, portal["a"].url).content.decode()


class RecordingBackend(BaseBackend):
    purged = []

    def __init__(self, params):
        super().__init__(params)

    def purge(self, url):
        self.purged.append(url)


@pytest.fixture
def frontend_cache(settings, monkeypatch):
    settings.WAGTAILFRONTENDCACHE = {"test": {"BACKEND": f"{__name__}.RecordingBackend"}}
    monkeypatch.setattr(purge, "frontend_cache_installed", lambda: True)
    RecordingBackend.purged = []
    return RecordingBackend.purged


def test_the_front_end_cache_is_told_the_page_its_ancestors_home_and_catalogue(
    page_cache_on, portal, frontend_cache, django_capture_on_commit_callbacks
):
    catalogue = DisclosureCatalogue(title="政府信息公开", slug="zfxxgk")
    with django_capture_on_commit_callbacks(execute=True):
        portal["home"].add_child(instance=catalogue)
        catalogue.save_revision().publish()
    frontend_cache.clear()
    site_root = portal["home"].full_url
    with django_capture_on_commit_callbacks(execute=True):
        page = make_content(portal["a"], title="前端缓存测试")
    expected = {page.full_url, portal["a"].full_url, portal["towns"].full_url, portal["news"].full_url, site_root}
    assert expected | {catalogue.full_url} <= set(frontend_cache)
    assert len(frontend_cache) == len(set(frontend_cache)), "each URL once per transaction"

    frontend_cache.clear()
    old_url = page.full_url
    with django_capture_on_commit_callbacks(execute=True):
        page.move(portal["b"], pos="last-child")
    page.refresh_from_db()
    assert {old_url, page.full_url, portal["b"].full_url, site_root} <= set(frontend_cache)

    frontend_cache.clear()
    with django_capture_on_commit_callbacks(execute=True):
        Page.objects.get(pk=page.pk).specific.delete()
    assert {page.full_url, portal["b"].full_url, site_root} <= set(frontend_cache)


def test_a_rolled_back_transaction_does_not_hold_back_later_front_end_purges(
    page_cache_on, portal, frontend_cache, django_capture_on_commit_callbacks
):
    with pytest.raises(RuntimeError), transaction.atomic():
        make_content(portal["a"], title="回滚的信息")
        raise RuntimeError
    with django_capture_on_commit_callbacks(execute=True):
        page = make_content(portal["a"], title="回滚后的信息")
    assert page.full_url in frontend_cache


def test_a_new_column_shows_in_the_home_navigation_on_the_next_request(page_cache_on, portal, county_office):
    client = Client()
    warm(client, "/")
    column = make_column(portal["home"], "政务公开新栏目", county_office, slug="zwgk-new")
    make_content(column, title="新栏目里的信息")
    assert "政务公开新栏目" in fresh(client, "/").content.decode()


def test_the_navigation_is_read_once_and_renewed_by_a_new_column(page_cache_on, portal, county_office, settings):
    settings.LISTING_CACHE_ENABLED = True
    make_content(portal["a"], title="石羊镇的信息")
    client = Client()
    first = client.get(portal["a"].url)
    assert [column.title for column in first.context["portal_nav"]] == ["新闻动态"]
    with CaptureQueriesContext(connection) as queries:
        assert [column.title for column in fresh(client, portal["b"].url).context["portal_nav"]] == ["新闻动态"]
    assert not [query for query in queries if "show_in_menus" in query["sql"].partition("WHERE")[2]]
    column = make_column(portal["home"], "政务公开新栏目", county_office, slug="zwgk-nav")
    make_content(column, title="新栏目里的信息")
    titles = [column.title for column in fresh(client, portal["a"].url).context["portal_nav"]]
    assert titles == ["新闻动态", "政务公开新栏目"]
