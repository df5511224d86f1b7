"""搜索统计 (weekly counts, nobody's identity), its admin report, and the Elasticsearch/OpenSearch settings example."""

import datetime
import importlib.util
from copy import deepcopy

import pytest
from django.urls import reverse
from django.utils import timezone
from modelsearch.backends.elasticsearchbase import ElasticsearchBaseSearchBackend
from modelsearch.utils import deep_update

from cms.settings import search_examples
from site_pages.models import SearchQueryStat
from site_pages.models.search_stats import week_of
from tests.factories import log_in, make_content, member

pytestmark = pytest.mark.usefixtures("shared_portal")


def test_searches_are_counted_per_week_without_who_searched(client, portal):
    make_content(portal["a"], title="柠檬产业发展大会", slug="lemon")
    client.get("/search/", {"q": "柠檬"})
    client.get("/search/", {"q": " 柠檬 "})
    client.get("/search/", {"q": "柠檬", "page": "2"})
    client.get("/search/", {"q": "ＡＢＣ养老"})
    stats = {row.query: row for row in SearchQueryStat.objects.all()}
    assert set(stats) == {"柠檬", "abc养老"}
    assert (stats["柠檬"].searches, stats["柠檬"].zero_results) == (2, 0)
    assert (stats["abc养老"].searches, stats["abc养老"].zero_results) == (1, 1)
    assert stats["柠檬"].week == week_of(timezone.localdate())
    field_names = {f.name for f in SearchQueryStat._meta.get_fields()}
    assert field_names == {"id", "week", "query", "searches", "zero_results"}


def test_an_empty_query_is_not_counted(client, portal):
    client.get("/search/", {"q": "   "})
    assert not SearchQueryStat.objects.exists()


def test_zero_result_page_offers_queries_many_people_searched(client, portal):
    make_content(portal["a"], title="柠檬产业发展大会", slug="lemon")
    for _ in range(5):
        client.get("/search/", {"q": "柠檬产业"})
    client.get("/search/", {"q": "柠檬大会"})
    html = client.get("/search/", {"q": "不存在的内容"}).content.decode()
    assert "热门搜索" in html and "柠檬产业" in html
    assert "柠檬大会" not in html


def test_weeks_start_on_monday():
    assert week_of(datetime.date(2026, 12, 3)) == datetime.date(2026, 11, 30)
    assert week_of(datetime.date(2026, 11, 30)) == datetime.date(2026, 11, 30)


@pytest.fixture
def stats():
    week = week_of(timezone.localdate())
    SearchQueryStat.objects.create(week=week, query="新媒体", searches=9, zero_results=0)
    SearchQueryStat.objects.create(week=week, query="低保申请", searches=4, zero_results=4)
    SearchQueryStat.objects.create(week=week - datetime.timedelta(days=7), query="去年的词", searches=3)
    return week


def test_report_lists_top_and_zero_result_queries_for_the_supervising_office(client, county_office, stats):
    log_in(client, member(county_office, "info_officer", username="office"))
    url = reverse("site_pages_search_stats")
    html = client.get(url).content.decode()
    assert "搜索统计" in html
    assert html.index("新媒体") < html.index("低保申请")
    assert "去年的词" not in html
    last_week = (stats - datetime.timedelta(days=7)).isoformat()
    assert "去年的词" in client.get(url, {"week": last_week}).content.decode()
    assert client.get(url, {"week": "nonsense"}).status_code == 200
    assert url in client.get(reverse("wagtailadmin_home")).content.decode()


def test_superuser_reads_the_report(admin_client, stats):
    assert "新媒体" in admin_client.get(reverse("site_pages_search_stats")).content.decode()


def test_report_is_refused_to_ordinary_editors(client, editor_a, stats):
    log_in(client, editor_a)
    url = reverse("site_pages_search_stats")
    response = client.get(url)
    assert response.status_code in (302, 403)
    assert "新媒体" not in response.content.decode()
    assert url not in client.get(reverse("wagtailadmin_home")).content.decode()


@pytest.mark.parametrize("name", ["ELASTICSEARCH_IK", "OPENSEARCH_SMARTCN"])
def test_search_engine_settings_examples_are_valid(name):
    backends = getattr(search_examples, name)
    config = backends["default"]
    assert config["BACKEND"] == "site_pages.search_backend"
    assert importlib.util.find_spec(config["INNER"]) is not None
    assert config["URLS"] and all(url.startswith(("http://", "https://")) for url in config["URLS"])
    # The index settings merge into the backend's own analysis settings, with a Chinese default analyser.
    merged = deep_update(deepcopy(ElasticsearchBaseSearchBackend.settings), deepcopy(config["INDEX_SETTINGS"]))
    analyzers = merged["settings"]["analysis"]["analyzer"]
    assert {"ngram_analyzer", "edgengram_analyzer", "default", "default_search"} <= set(analyzers)
    chinese = {"ik_max_word", "ik_smart", "smartcn"}
    assert analyzers["default"].get("tokenizer") in chinese or analyzers["default"].get("type") in chinese
    assert set(config) <= {"BACKEND", "INNER", "URLS", "INDEX_PREFIX", "TIMEOUT", "OPTIONS", "INDEX_SETTINGS"}
