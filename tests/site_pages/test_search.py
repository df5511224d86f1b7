"""Chinese search: segmented index and queries on the configured database backend."""

import os
import subprocess
import sys

import pytest
from django.db import connection
from wagtail.models import Page
from wagtail.search.backends import get_search_backend
from wagtail.search.query import Phrase, PlainText

from site_pages.models import ArticlePage, NoticePage
from site_pages.search import SearchForm, run_search
from site_pages.search_backend import segment_search_query
from site_pages.segmentation import segment_for_index, segment_query
from tests.factories import make_content

pytestmark = pytest.mark.usefixtures("shared_portal")


@pytest.fixture
def searchable(portal):
    a, b = portal["a"], portal["b"]
    return {
        "disclosure": make_content(a, title="县政府召开政府信息公开工作推进会", text="会议部署全县政务公开重点任务。"),
        "lemon": make_content(
            b, model=NoticePage, title="关于举办柠檬产业发展论坛的通知", text="论坛将在安岳县城举行。"
        ),
        "carving": make_content(a, title="卧佛院石刻数字化保护启动", text="石刻文物保护利用取得新进展。"),
        "draft": make_content(a, title="未发布的信息公开草稿", publish=False),
    }


def titles(results):
    return {page.title for page in results}


def test_a_word_inside_a_longer_chinese_run_is_found(searchable):
    found = titles(Page.objects.live().search("信息公开"))
    assert "县政府召开政府信息公开工作推进会" in found
    assert "未发布的信息公开草稿" not in found


def test_body_text_is_searched(searchable):
    assert "卧佛院石刻数字化保护启动" in titles(Page.objects.live().search("文物保护"))
    assert "关于举办柠檬产业发展论坛的通知" in titles(Page.objects.live().search("安岳县城"))


def test_unrelated_words_do_not_match(searchable):
    assert titles(Page.objects.live().search("养老保险")) == set()


def test_specific_model_search(searchable):
    assert titles(ArticlePage.objects.live().search("柠檬")) == set()
    assert titles(NoticePage.objects.live().search("柠檬产业")) == {"关于举办柠檬产业发展论坛的通知"}


def test_admin_style_plaintext_and_phrase_queries_are_segmented(searchable):
    assert "县政府召开政府信息公开工作推进会" in titles(Page.objects.search(PlainText("信息公开")))
    assert "卧佛院石刻数字化保护启动" in titles(Page.objects.search(Phrase("石刻")))


def test_query_segmentation_gives_character_pairs():
    assert segment_query("信息公开").split() == ["信息", "息公", "公开"]
    assert segment_query("  ") == ""
    assert segment_query("<script>'\";--").split() == ["sc", "cr", "ri", "ip", "pt"]
    assert segment_search_query("!!!") is None


def test_index_text_contains_words_and_sub_words():
    tokens = segment_for_index("政府信息公开工作").split()
    assert {"信息", "公开", "工作"} <= set(tokens)


@pytest.mark.parametrize(
    "query",
    [
        "",
        "   ",
        "信" * 500,
        "' OR 1=1; --",
        '"; DROP TABLE wagtailcore_page; --',
        "<script>alert(1)</script>",
        "%_\\*?[]()",
        "AND OR NOT",
        "“信息公开” AND",
        "\x00\x01",
    ],
)
def test_odd_queries_give_a_normal_page(client, searchable, query):
    response = client.get("/search/", {"q": query})
    assert response.status_code == 200
    html = response.content.decode()
    assert "全站搜索" in html
    assert "<script>alert(1)</script>" not in html


def test_latin_words_english_drops_are_found_whatever_the_servers_default_text_search_configuration(portal):
    """IT, US and no are English stop words: under PostgreSQL's english configuration, the default of a server
    initialised in an English or C locale, they were dropped from the index and from the query."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL default_text_search_config = 'pg_catalog.english'")
    page = make_content(portal["a"], title="全县IT产业发展报告", text="推动IT与柠檬产业融合，对接US标准。")
    for query in ("IT", "it", "US"):
        assert page.pk in run_search(SearchForm({"q": query})).ids, query
        assert page.title in titles(Page.objects.live().search(query)), query


def test_search_page_lists_results_with_pagination(client, portal):
    for i in range(12):
        make_content(portal["a"], title=f"乡村振兴工作简报第{i + 1}期", slug=f"brief-{i}")
    first = client.get("/search/", {"q": "乡村振兴"}).content.decode()
    assert "共找到 12 条结果" in first
    assert "page=2" in first
    second = client.get("/search/", {"q": "乡村振兴", "page": "2"}).content.decode()
    assert second.count('<li class="search-hit">') == 2
    assert client.get("/search/", {"q": "乡村振兴", "page": "abc"}).status_code == 200
    assert client.get("/search/", {"q": "乡村振兴", "page": "999"}).status_code == 200


def test_configured_backend_wraps_the_database_backend_of_this_connection():
    backend = get_search_backend()
    assert type(backend).__name__.startswith("Segmenting")
    expected = {"postgresql": "Postgres", "sqlite": "SQLite"}[connection.vendor]
    assert expected in type(backend).__name__


def test_loading_the_site_does_not_build_jiebas_dictionary():
    """Start-up imports every URL and model; the dictionary (most of a second) waits for the first segmentation."""
    script = (
        "import django, jieba; django.setup(); import cms.urls; from django.test import Client; "
        "print(jieba.dt.initialized)"
    )
    result = subprocess.run(  # noqa: S603 - this interpreter with a fixed script
        [sys.executable, "-c", script], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "False"


def test_under_preload_the_dictionary_is_built_after_the_first_answer_and_inherited_by_later_workers():
    """cms.wsgi under gunicorn --preload: the first answer does not wait for the dictionary nor share the interpreter
    with its build; the first worker builds it by itself once an answer is finished (request_finished, which Django
    sends when gunicorn closes a response), the master right after that fork in a thread at the lowest priority
    (its own stays), and a worker forked later starts with it: the fork waits for that build."""
    script = """
import os, threading, time
import cms.wsgi, jieba
from django.core.signals import request_finished
from site_pages import segmentation
build, niceness = segmentation.tokenizer, []
built = lambda: build.cache_info().currsize == 1
assert not built() and not jieba.dt.initialized, "built before the first fork"

def niced_build():
    niceness.append(os.getpriority(os.PRIO_PROCESS, threading.get_native_id()))
    return build()

segmentation.tokenizer = niced_build

def child(first):
    pid = os.fork()
    if pid == 0:
        building = any(thread.name == "jieba-dictionary" for thread in threading.enumerate())
        if first and (building or built()):
            os._exit(2)  # the build would compete with the first answer
        request_finished.send(sender=None)
        request_finished.send(sender=None)
        deadline = time.monotonic() + (120 if first else 0)
        while not built() and time.monotonic() < deadline:
            time.sleep(0.05)
        builds = sum(thread.name == "jieba-dictionary" for thread in threading.enumerate())
        os._exit(0 if built() and jieba.dt.initialized and "安岳县" in jieba.dt.FREQ and builds <= 1 else 1)
    return os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1])

own = os.getpriority(os.PRIO_PROCESS, 0)
first = child(first=True)
later = child(first=False)
print(first, built(), later, niceness == [19], os.getpriority(os.PRIO_PROCESS, 0) == own)
"""
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "cms.settings.test"}
    result = subprocess.run(  # noqa: S603 - this interpreter with a fixed script
        [sys.executable, "-c", script], capture_output=True, text=True, env=env, timeout=300
    )
    assert result.stdout.split() == ["0", "True", "0", "True", "True"], result.stderr[-2000:]


def test_the_portals_own_words_are_in_the_dictionary_from_the_first_segmentation():
    assert "安岳县" in segment_for_index("安岳县召开会议").split()
