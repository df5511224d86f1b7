"""The admin our users meet is in Chinese, including strings Wagtail's own catalogue lacks."""

from django.utils import translation
from django.utils.translation import gettext

from tests.factories import PASSWORD


def test_project_catalogue_fills_wagtail_gaps_and_unifies_review_words():
    with translation.override("zh-hans"):
        assert gettext("Awaiting your review") == "待您审核"
        assert gettext("Sort by '%(label)s' in ascending order.") == "按“%(label)s”升序排列。"
        assert gettext("Approve") == "通过"
        assert gettext("Request changes") == "退回修改"


def test_dashboard_and_explorer_render_in_chinese(client, portal, editor_a):
    client.login(username=editor_a.username, password=PASSWORD)
    dashboard = client.get("/admin/").content.decode()
    assert 'lang="zh-hans"' in dashboard.lower() or "zh-hans" in dashboard.lower()
    assert "仪表板" in dashboard or "控制面板" in dashboard or "我的" in dashboard
    explorer = client.get(f"/admin/pages/{portal['a'].pk}/").content.decode()
    assert "石羊镇" in explorer
    assert "Sort by" not in explorer and "Awaiting your review" not in dashboard
