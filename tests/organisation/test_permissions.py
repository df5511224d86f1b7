"""Editors touch only their own unit's columns, through the real admin views, and never publish."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from wagtail.models import GroupPagePermission
from wagtail.test.utils.form_data import nested_form_data, rich_text, streamfield

from cms.organisation.models import Membership
from cms.organisation.permissions import _grant_once, grant_page_to_unit
from site_pages.models import ArticlePage
from tests.factories import log_in, make_content, member

pytestmark = pytest.mark.usefixtures("shared_portal")


def login(client, user):
    log_in(client, user)


def article_form(title, **extra):
    return nested_form_data(
        {
            "title": title,
            "slug": "",  # left blank, as the Chinese title gives no slug
            "summary": "",
            "body": streamfield([("paragraph", rich_text("<p>石羊镇召开乡村振兴工作推进会。</p>"))]),
            "is_repost": "",
            "source_organisation": "",
            "source_url": "",
            **extra,
        }
    )


def add_url(column):
    return reverse("wagtailadmin_pages:add", args=("site_pages", "articlepage", column.pk))


def refused(response):
    """Wagtail answers a permission failure with 403, or a redirect to the dashboard (or to the
    login page when the user has no admin access left at all)."""
    if response.status_code == 403:
        return True
    location = response.get("Location", "")
    return response.status_code == 302 and (location.rstrip("/").endswith("/admin") or "/admin/login/" in location)


def test_membership_puts_the_user_in_the_unit_group_and_removal_takes_it_away(portal, township_a, editor_a):
    group = township_a.editor_group
    assert group in editor_a.groups.all()
    assert GroupPagePermission.objects.filter(group=group, page=portal["a"]).count() == 2
    Membership.objects.filter(user=editor_a).delete()
    assert group not in editor_a.groups.all()


def test_unit_groups_never_get_publish_permission(portal, township_a):
    codenames = set(
        GroupPagePermission.objects.filter(group__unit__isnull=False).values_list("permission__codename", flat=True)
    )
    assert codenames == {"add_page", "change_page"}


def test_editor_creates_a_draft_in_own_column_but_cannot_publish(client, portal, editor_a):
    login(client, editor_a)
    response = client.get(add_url(portal["a"]))
    assert response.status_code == 200
    response = client.post(
        add_url(portal["a"]), article_form("石羊镇乡村振兴推进会", **{"action-publish": "action-publish"})
    )
    assert response.status_code == 302
    page = ArticlePage.objects.get(title="石羊镇乡村振兴推进会")
    assert not page.live
    assert page.first_published_at is None
    assert page.owning_unit == portal["a"].owning_unit


def test_editor_of_township_a_is_refused_on_township_b_column(client, portal, editor_a):
    login(client, editor_a)
    assert refused(client.get(add_url(portal["b"])))
    response = client.post(add_url(portal["b"]), article_form("越权发布"))
    assert refused(response)
    assert not ArticlePage.objects.filter(title="越权发布").exists()


def test_editor_of_township_a_cannot_edit_township_b_article(client, portal, editor_a):
    article = make_content(portal["b"], title="龙台镇动态")
    login(client, editor_a)
    edit = reverse("wagtailadmin_pages:edit", args=(article.pk,))
    assert refused(client.get(edit))
    assert refused(client.post(edit, article_form("被篡改的标题")))
    article.refresh_from_db()
    assert article.title == "龙台镇动态"


def test_county_office_editor_is_refused_on_a_township_subcolumn(client, portal, county_office):
    """A grant on 乡镇动态 reaches its sub-columns; ownership narrows it back."""
    office_editor = member(county_office, "info_officer", username="office_editor")
    login(client, office_editor)
    assert client.get(add_url(portal["towns"])).status_code == 200
    assert refused(client.get(add_url(portal["a"])))


def test_editor_cannot_add_top_level_columns_or_touch_home(client, portal, editor_a):
    login(client, editor_a)
    url = reverse("wagtailadmin_pages:add", args=("site_pages", "columnpage", portal["home"].pk))
    assert refused(client.get(url))


def test_inactive_unit_loses_its_permissions(client, portal, township_a, editor_a):
    township_a.active = False
    township_a.save()
    editor_a.refresh_from_db()
    assert township_a.editor_group not in editor_a.groups.all()
    login(client, editor_a)
    assert refused(client.get(add_url(portal["a"])))


def test_changing_a_columns_owner_moves_the_grant(portal, township_a, township_b):
    column = portal["a"]
    column.owning_unit = township_b
    column.save()
    assert not GroupPagePermission.objects.filter(page=column, group=township_a.editor_group).exists()
    assert GroupPagePermission.objects.filter(page=column, group=township_b.editor_group).exists()


def test_a_save_restores_a_lost_grant_and_a_resave_reads_twice(portal, township_a):
    column = portal["a"]
    GroupPagePermission.objects.filter(page=column, permission__codename="change_page").delete()
    grant_page_to_unit(column, township_a)
    granted = GroupPagePermission.objects.filter(page=column, group=township_a.editor_group)
    assert sorted(granted.values_list("permission__codename", flat=True)) == ["add_page", "change_page"]
    # Already granted: other units' grants removed, this one's read, nothing written (the savepoint aside).
    with CaptureQueriesContext(connection) as queries:
        grant_page_to_unit(column, township_a)
    statements = [q["sql"] for q in queries.captured_queries if not q["sql"].startswith(("SAVEPOINT", "RELEASE"))]
    assert len(statements) == 2, statements


def test_a_grant_made_meanwhile_by_another_save_is_no_error(portal, township_a):
    """Between reading the group's grants and writing the missing ones, a concurrent save may write one first."""
    column = portal["a"]
    existing = GroupPagePermission.objects.get(page=column, permission__codename="add_page")
    _grant_once(GroupPagePermission, group=existing.group, page=column, permission=existing.permission)
    assert GroupPagePermission.objects.filter(page=column, group=existing.group).count() == 2
    # The transaction is still usable after the refused insert.
    assert GroupPagePermission.objects.filter(page=column).exists()


def test_explorer_offers_adding_pages_only_in_own_column(client, portal, editor_a):
    login(client, editor_a)
    own = client.get(reverse("wagtailadmin_explore", args=(portal["a"].pk,))).content.decode()
    assert reverse("wagtailadmin_pages:add_subpage", args=(portal["a"].pk,)) in own
    other = client.get(reverse("wagtailadmin_explore", args=(portal["b"].pk,)))
    assert reverse("wagtailadmin_pages:add_subpage", args=(portal["b"].pk,)) not in other.content.decode()


@pytest.mark.parametrize("role", ["typesetter", "section_chief", "deputy_head", "head"])
def test_every_role_in_the_unit_may_edit_its_columns(client, portal, township_a, role):
    user = member(township_a, role)
    login(client, user)
    assert client.get(add_url(portal["a"])).status_code == 200
