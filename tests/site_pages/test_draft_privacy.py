"""Another unit's drafts stay private in the admin: titles, revisions, workflow history and comments.

Every admin URL that takes a page id is walked through the URL resolver, so a view Wagtail adds later
is covered without touching this file. Outsiders are the editor of another township and the county
office's editor, whose grant on 乡镇动态 covers the township columns below it.
"""

import json

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from wagtail.models import Comment, TaskState, WorkflowState

from tests.factories import log_in, make_content, member
from workflows import api

pytestmark = pytest.mark.usefixtures("shared_portal")

DRAFT_TITLE = "石羊镇尚未发布的草稿甲"
LIVE_TITLE = "石羊镇已经发布的信息乙"
NEWER_TITLE = "石羊镇已发布信息的新草稿丙"
# Content pages have no comments panel today; the secret guards the day one is added.
COMMENT_TEXT = "石羊镇内部批注丁"
SECRETS = (DRAFT_TITLE, NEWER_TITLE, COMMENT_TEXT)
# URL keyword arguments that name a page.
PAGE_KWARGS = {"page_id", "parent_page_id", "page_to_move_id", "destination_id"}
# Listings, searches, reports and choosers that take no page id in their path.
LISTINGS = [
    "wagtailadmin_home",
    "wagtailadmin_explore_root",
    "wagtailadmin_pages:search",
    "wagtailadmin_pages:search_results",
    "wagtailadmin_choose_page",
    "wagtailadmin_choose_page_search",
    "wagtailadmin_choose_page_chosen_multiple",
    "wagtailadmin_api:pages:listing",
    "wagtailadmin_api:pages:find",
    "wagtailadmin_reports:site_history",
    "wagtailadmin_reports:site_history_results",
    "wagtailadmin_reports:workflow",
    "wagtailadmin_reports:workflow_results",
    "wagtailadmin_reports:workflow_tasks",
    "wagtailadmin_reports:workflow_tasks_results",
    "wagtailadmin_reports:aging_pages",
    "wagtailadmin_reports:locked_pages",
]
# Namespaces where a bare `pk` is a page id.
PAGE_PK_NAMESPACES = {"wagtailadmin_pages:", "wagtailadmin_api:pages:"}


def admin_page_patterns():
    """(name, pattern) of every admin URL whose arguments include a page id."""
    found = []

    def walk(patterns, namespace):
        for entry in patterns:
            if isinstance(entry, URLResolver):
                walk(entry.url_patterns, f"{namespace}{entry.namespace}:" if entry.namespace else namespace)
            elif isinstance(entry, URLPattern) and entry.name:
                params = set(entry.pattern.regex.groupindex)
                page_pk = namespace in PAGE_PK_NAMESPACES and "pk" in params
                if params & PAGE_KWARGS or page_pk:
                    found.append((namespace + entry.name, params))

    admin = next(p for p in get_resolver().url_patterns if isinstance(p, URLResolver) and str(p.pattern) == "admin/")
    walk(admin.url_patterns, "")
    return found


def url_kwargs(params, page, state):
    task_state = TaskState.objects.filter(workflow_state=state).order_by("-pk").first() if state else None
    values = {
        "page_id": page.pk,
        "parent_page_id": page.pk,
        "page_to_move_id": page.pk,
        "destination_id": page.pk,
        "pk": page.pk,
        "revision_id": page.latest_revision_id,
        "revision_id_a": "earliest",
        "revision_id_b": "latest",
        "workflow_state_id": state.pk if state else 1,
        "task_state_id": task_state.pk if task_state else 1,
        "task_id": task_state.task_id if task_state else 1,
        "action_name": "approve",
        "content_type_app_name": "site_pages",
        "content_type_model_name": "articlepage",
        "app_label": "site_pages",
        "model_name": "articlepage",
        "fmt": "xlsx",
    }
    return {name: values[name] for name in params}


@pytest.fixture
def township_pages(portal, editor_a):
    draft = make_content(portal["a"], title=DRAFT_TITLE, text="会议部署了春耕备耕工作。", publish=False)
    api.submit(draft, editor_a)
    Comment.objects.create(
        page=draft, user=editor_a, text=COMMENT_TEXT, contentpath="title", revision_created=draft.latest_revision
    )
    live = make_content(portal["a"], title=LIVE_TITLE, text="全镇完成春耕。")
    live.title = NEWER_TITLE
    live.save_revision(user=editor_a, log_action=True)
    draft_state = WorkflowState.objects.filter(object_id=str(draft.pk)).order_by("-pk").first()
    return {"draft": (draft, draft_state), "live": (live, None)}


@pytest.fixture
def county_editor(county_office):
    return member(county_office, "info_officer", username="xzfb_editor")


def leaks(client, url, data=None):
    """Secrets in the response, as text or escaped inside JSON (chooser modals, embedded comment data)."""
    body = client.get(url, data, follow=True).content.decode()
    return [secret for secret in SECRETS if secret in body or json.dumps(secret)[1:-1] in body]


def test_the_walk_covers_wagtails_page_views():
    names = {name for name, _params in admin_page_patterns()}
    expected = {"edit", "history", "workflow_history", "workflow_history_detail", "revisions_compare", "usage"}
    assert {f"wagtailadmin_pages:{n}" for n in expected} <= names
    assert {"wagtailadmin_explore", "wagtailadmin_choose_page_child"} <= names


@pytest.mark.parametrize("outsider", ["editor_b", "county_editor"])
def test_outsiders_never_see_another_units_drafts(client, township_pages, outsider, request):
    log_in(client, request.getfixturevalue(outsider))
    found = {}
    for name, params in admin_page_patterns():
        for page, state in township_pages.values():
            url = reverse(name, kwargs=url_kwargs(params, page, state))
            if hits := leaks(client, url):
                found[url] = hits
    column = township_pages["draft"][0].get_parent()
    ids = [page.pk for page, _state in township_pages.values()]
    terms = ("草稿甲", "新草稿丙", "石羊镇")  # parts only: a search form shows the query it was given
    queries = [{}, {"child_of": column.pk}, {"id": ids}, *({"q": t} for t in terms), *({"search": t} for t in terms)]
    for name in LISTINGS:
        for data in queries:
            if hits := leaks(client, reverse(name), data):
                found[f"{reverse(name)} {data}"] = hits
    assert not found, "\n".join(f"{url}: {', '.join(hits)}" for url, hits in sorted(found.items()))


def test_outsider_chooses_a_live_page_by_its_live_title(client, portal, township_pages, county_editor):
    log_in(client, county_editor)
    body = client.get(reverse("wagtailadmin_choose_page_child", args=(portal["a"].pk,))).json()["html"]
    assert LIVE_TITLE in body
    assert NEWER_TITLE not in body
    assert DRAFT_TITLE not in body


def test_the_owning_unit_still_sees_its_drafts(client, portal, township_pages, editor_a):
    log_in(client, editor_a)
    draft, state = township_pages["draft"]
    live, _state = township_pages["live"]
    explorer = client.get(reverse("wagtailadmin_explore", args=(portal["a"].pk,))).content.decode()
    assert DRAFT_TITLE in explorer and NEWER_TITLE in explorer
    assert DRAFT_TITLE in client.get(reverse("wagtailadmin_pages:edit", args=(draft.pk,))).content.decode()
    assert DRAFT_TITLE in client.get(reverse("wagtailadmin_pages:history", args=(draft.pk,))).content.decode()
    workflow = client.get(reverse("wagtailadmin_pages:workflow_history", args=(draft.pk,))).content.decode()
    assert DRAFT_TITLE in workflow
    assert NEWER_TITLE in client.get(reverse("wagtailadmin_pages:edit", args=(live.pk,))).content.decode()
    chooser = client.get(reverse("wagtailadmin_choose_page_child", args=(portal["a"].pk,))).json()["html"]
    assert DRAFT_TITLE in chooser


def test_a_reviewer_of_the_current_stage_may_open_the_draft(client, township_pages):
    draft, state = township_pages["draft"]
    stage = api.current_stage(draft)
    if stage is None:
        pytest.skip("the automated check sent the draft back")
    reviewer = member(stage.unit, stage.role, username="sy_reviewer")
    log_in(client, reviewer)
    assert client.get(reverse("wagtailadmin_pages:edit", args=(draft.pk,))).status_code == 200
