"""Column and home page update checks at their exact boundaries (10/14/15 days, month ends, empty or stale)."""

import datetime

import pytest
from django.test import override_settings

from cms.inspection.findings import Kind, Severity
from tests.factories import UnitFactory, make_column

from .support import DAY, column_findings, of_kind, published_on

pytestmark = pytest.mark.django_db

COLUMN_KINDS = (Kind.COLUMN_STALE, Kind.COLUMN_WARNING, Kind.COLUMN_EMPTY)


def kinds_on(as_of):
    return [(f.kind, f.severity) for f in of_kind(column_findings(as_of), *COLUMN_KINDS)]


@pytest.mark.parametrize(
    ("days", "expected"),
    [
        (9, []),
        (10, [(Kind.COLUMN_WARNING, Severity.WARNING)]),
        (14, [(Kind.COLUMN_WARNING, Severity.WARNING)]),
        (15, [(Kind.COLUMN_STALE, Severity.FINDING)]),
    ],
)
def test_news_column_warns_at_10_days_and_is_stale_at_15(home, township_a, days, expected):
    column = make_column(home, "石羊动态", township_a)
    published_on(column, DAY, title="春耕动员会")
    assert kinds_on(DAY + datetime.timedelta(days=days)) == expected


def test_stale_finding_names_unit_url_dates_and_rule(home, township_a):
    column = make_column(home, "石羊动态", township_a, slug="sydt")
    published_on(column, DAY, title="春耕动员会")
    [finding] = of_kind(column_findings(datetime.date(2026, 1, 20)), Kind.COLUMN_STALE)
    assert finding.unit == township_a.organisation_code
    assert finding.object == column.get_full_url() and finding.object.endswith("/sydt/")
    assert "2026-01-05" in finding.detail and "2026-01-19" in finding.detail and "15 天" in finding.detail
    assert "春耕动员会" in finding.detail and "14天" in finding.rule


@pytest.mark.parametrize(
    ("as_of", "expected"),
    [
        (datetime.date(2026, 2, 19), []),
        (datetime.date(2026, 2, 20), [Kind.COLUMN_WARNING]),
        (datetime.date(2026, 2, 28), [Kind.COLUMN_WARNING]),
        (datetime.date(2026, 3, 1), [Kind.COLUMN_STALE]),
    ],
)
def test_monthly_column_from_31_january_is_due_28_february(home, township_a, as_of, expected):
    column = make_column(home, "月度统计", township_a, update_class="monthly")
    published_on(column, datetime.date(2026, 1, 31))
    assert [kind for kind, _severity in kinds_on(as_of)] == expected


def test_notice_policy_column_is_stale_after_six_months(home, township_a):
    column = make_column(home, "通知公告", township_a, update_class="notice_policy")
    published_on(column, datetime.date(2025, 8, 31))
    assert kinds_on(datetime.date(2026, 2, 28)) == [(Kind.COLUMN_WARNING, Severity.WARNING)]
    assert kinds_on(datetime.date(2026, 3, 1)) == [(Kind.COLUMN_STALE, Severity.FINDING)]


@override_settings(INSPECTION_WARNING_SHARE=0.5)
def test_warning_share_is_configurable(home, township_a):
    column = make_column(home, "石羊动态", township_a)
    published_on(column, DAY)
    assert kinds_on(DAY + datetime.timedelta(days=6)) == []
    assert kinds_on(DAY + datetime.timedelta(days=7)) == [(Kind.COLUMN_WARNING, Severity.WARNING)]


def test_empty_column_is_empty_not_stale_and_later_content_does_not_count(home, township_a):
    empty = make_column(home, "空栏目", township_a)
    later = make_column(home, "后来才有", township_a)
    published_on(later, DAY + datetime.timedelta(days=30))
    findings = of_kind(column_findings(DAY), *COLUMN_KINDS)
    assert {(f.kind, f.object) for f in findings} == {
        (Kind.COLUMN_EMPTY, empty.get_full_url()),
        (Kind.COLUMN_EMPTY, later.get_full_url()),
    }
    assert "空白栏目" in findings[0].detail


def test_as_of_measures_from_the_newest_item_published_by_that_day(home, township_a):
    column = make_column(home, "石羊动态", township_a)
    published_on(column, DAY)
    published_on(column, DAY + datetime.timedelta(days=20))
    assert kinds_on(DAY + datetime.timedelta(days=15)) == [(Kind.COLUMN_STALE, Severity.FINDING)]
    assert kinds_on(DAY + datetime.timedelta(days=20)) == []


def test_first_level_parent_is_measured_over_its_subtree_and_middle_columns_are_skipped(home, county_office):
    town = UnitFactory(name="测试乡镇", short_name="测试镇")
    news = make_column(home, "新闻动态", county_office)
    towns = make_column(news, "乡镇动态", county_office)
    leaf = make_column(towns, "测试镇", town)
    published_on(leaf, DAY)
    findings = of_kind(column_findings(DAY + datetime.timedelta(days=15)), *COLUMN_KINDS)
    by_object = {f.object: f for f in findings}
    assert set(by_object) == {news.get_full_url(), leaf.get_full_url()}
    assert by_object[news.get_full_url()].data["first_level"] and not by_object[news.get_full_url()].data["leaf"]
    assert by_object[leaf.get_full_url()].data["leaf"] and by_object[leaf.get_full_url()].unit == town.organisation_code


def test_unit_filter_keeps_that_units_columns(home, township_a, township_b):
    make_column(home, "石羊", township_a)
    make_column(home, "龙台", township_b)
    findings = column_findings(DAY, unit_code=township_b.organisation_code)
    assert {f.unit for f in findings} == {township_b.organisation_code}


def home_with_feed(home, column):
    home.body = [("column_feed", {"title": "", "column": column, "page_type": "", "count": 8})]
    home.save_revision().publish()


@pytest.mark.parametrize(
    ("days", "expected"),
    [(9, []), (10, [Severity.WARNING]), (14, [Severity.WARNING]), (15, [Severity.FINDING])],
)
def test_home_page_warns_at_10_days_and_is_stale_at_15(home, township_a, days, expected):
    column = make_column(home, "石羊动态", township_a, update_class="annual")
    published_on(column, DAY, title="首页上的信息")
    home_with_feed(home, column)
    findings = of_kind(column_findings(DAY + datetime.timedelta(days=days)), Kind.HOMEPAGE_STALE)
    assert [f.severity for f in findings] == expected
    assert all("首页上的信息" in f.detail and f.object == home.get_full_url() for f in findings)


def test_home_page_counts_only_what_its_sections_list(home, township_a):
    shown = make_column(home, "首页栏目", township_a, update_class="annual")
    hidden = make_column(home, "不在首页", township_a)
    published_on(shown, DAY)
    published_on(hidden, DAY + datetime.timedelta(days=14))
    home_with_feed(home, shown)
    [finding] = of_kind(column_findings(DAY + datetime.timedelta(days=15)), Kind.HOMEPAGE_STALE)
    assert finding.severity == Severity.FINDING


def test_home_page_listing_nothing_is_stale(home):
    [finding] = of_kind(column_findings(DAY), Kind.HOMEPAGE_STALE)
    assert finding.severity == Severity.FINDING and "没有列出" in finding.detail
