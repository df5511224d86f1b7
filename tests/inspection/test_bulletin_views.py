"""生成季度通报 in the admin: the county office only, a column required, one bulletin per run, 404 for no run."""

import pytest
from django.urls import reverse

from cms.inspection.bulletin import Bulletin
from cms.inspection.bulletin_issue import issue_bulletin
from tests.factories import log_in, make_column, member

from .bulletin_support import make_run, notice_column

pytestmark = pytest.mark.usefixtures("shared_portal")


@pytest.fixture
def issued(portal, township_a, township_b, county_office):
    """(run, the county office's 通知公告 column)."""
    return make_run(township_a, township_b), notice_column(portal["home"], county_office)


@pytest.fixture
def inspector(client, county_office):
    return log_in(client, member(county_office, "info_officer", username="xzfb_inspector"))


def url(run_id):
    return reverse("inspection_bulletin_create", args=(run_id,))


def test_form_offers_the_offices_notice_columns_only(inspector, issued, portal, county_office):
    run, column = issued
    news = make_column(portal["home"], "政务要闻", county_office, update_class="news", slug="zwyw")
    html = inspector.get(url(run.pk)).content.decode()
    assert "2026年第四季度" in html and "2026-12-01" in html
    assert f'value="{column.pk}"' in html
    assert f'value="{news.pk}"' not in html
    # 乡镇动态 and the townships' columns are news columns; the townships' are not the office's anyway.
    assert f'value="{portal["a"].pk}"' not in html


def test_creates_the_draft_and_opens_the_editor(inspector, issued):
    run, column = issued
    response = inspector.post(url(run.pk), {"column": column.pk})
    page = Bulletin.objects.get(run=run)
    assert response.status_code == 302
    assert response["Location"] == reverse("wagtailadmin_pages:edit", args=(page.pk,))
    assert not page.live and page.get_parent().pk == column.pk
    editor = inspector.get(response["Location"])
    assert editor.status_code == 200
    html = editor.content.decode()
    assert "各单位得分和扣分情况" in html or "各单位得分排名" in html
    assert "已生成季度通报草稿" in html


def test_no_column_chosen(inspector, issued):
    run, column = issued
    response = inspector.post(url(run.pk), {"column": ""})
    assert response.status_code == 200
    assert "请选择季度通报的发布栏目。" in response.content.decode()
    assert not Bulletin.objects.exists()


def test_a_column_not_offered_is_refused(inspector, issued, portal):
    run, _column = issued
    response = inspector.post(url(run.pk), {"column": portal["a"].pk})
    assert "所选栏目不存在或您无权在该栏目发布信息" in response.content.decode()
    assert not Bulletin.objects.exists()


def test_unknown_run_is_404(inspector, issued):
    run, _column = issued
    assert inspector.get(url(run.pk + 999)).status_code == 404


def test_second_bulletin_for_a_run_links_to_the_first(inspector, issued):
    run, column = issued
    page = issue_bulletin(run, column)
    for response in (inspector.get(url(run.pk)), inspector.post(url(run.pk), {"column": column.pk})):
        html = response.content.decode()
        assert "本次检查已生成季度通报" in html
        assert reverse("wagtailadmin_pages:edit", args=(page.pk,)) in html
    assert Bulletin.objects.filter(run=run).count() == 1


@pytest.mark.parametrize("role", ["info_officer", "head"])
def test_other_units_are_refused(client, issued, township_a, role):
    run, column = issued
    log_in(client, member(township_a, role, username=f"sy_{role}"))
    for response in (client.get(url(run.pk)), client.post(url(run.pk), {"column": column.pk})):
        assert response.status_code in (302, 403)
        assert "2026年第四季度" not in response.content.decode()
    assert not Bulletin.objects.exists()


def test_no_column_to_choose_is_explained(client, township_a, township_b, county_office):
    run = make_run(township_a, township_b)
    log_in(client, member(county_office, "head", username="xzfb_head"))
    html = client.get(url(run.pk)).content.decode()
    assert "没有可以发布季度通报的栏目" in html


def test_an_earlier_run_of_the_quarter_points_to_the_latest(inspector, issued, township_a, township_b):
    earlier, column = issued
    latest = make_run(township_a, township_b)
    for response in (inspector.get(url(earlier.pk)), inspector.post(url(earlier.pk), {"column": column.pk})):
        html = response.content.decode()
        assert "不是2026年第四季度最新的检查记录" in html
        assert url(latest.pk) in html
    assert not Bulletin.objects.exists()
    assert reverse("inspection_run", args=(earlier.pk,)) in html
