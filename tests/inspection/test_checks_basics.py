"""Portal basics: footer identifiers in 门户网站设置 and a search that finds the newest page."""

import datetime

import pytest
from wagtail.models import Site

from cms.inspection.checks import basics
from cms.inspection.findings import InspectionContext
from site_pages import search as site_search
from site_pages.models import PortalSettings
from tests.factories import make_content

pytestmark = pytest.mark.usefixtures("shared_portal")

AS_OF = datetime.date(2026, 12, 3)
COMPLETE = {
    "site_code": "5120210001",
    "icp_number": "蜀ICP备05000001号",
    "police_number": "川公网安备51102102000001号",
    "conac_url": "https://bszs.conac.cn/sitename?method=show&id=1",
}


def run(function, unit_code=None):
    return list(function(InspectionContext(as_of=AS_OF, unit_code=unit_code)))


def portal_settings(**values):
    settings = PortalSettings.for_site(Site.objects.get(is_default_site=True))
    for name, value in {**COMPLETE, **values}.items():
        setattr(settings, name, value)
    settings.save()
    return settings


@pytest.mark.django_db
def test_complete_footer_is_no_finding(home):
    portal_settings()
    assert run(basics.footer_identifiers) == []


@pytest.mark.django_db
@pytest.mark.parametrize(
    "field, label",
    [
        ("site_code", "网站标识码"),
        ("icp_number", "ICP备案号"),
        ("police_number", "公安机关备案号"),
        ("conac_url", "党政机关网站标识链接"),
    ],
)
def test_each_missing_identifier_is_named(home, field, label):
    portal_settings(**{field: ""})
    found = run(basics.footer_identifiers)
    assert [(f.kind, f.severity, f.unit) for f in found] == [("portal_basics", "finding", "")]
    assert found[0].detail.endswith(f"页脚缺少：{label}。")
    assert "/settings/site_pages/portalsettings/" in found[0].object
    assert run(basics.footer_identifiers, "91510000000000000X") == []


@pytest.mark.django_db
def test_search_finds_the_newest_page(portal):
    make_content(portal["a"], title="石羊镇召开秋季森林防火工作会议")
    assert run(basics.search_answers) == []


@pytest.mark.django_db
def test_search_that_fails_or_misses_is_a_finding(portal, monkeypatch):
    make_content(portal["a"], title="石羊镇召开秋季森林防火工作会议")
    monkeypatch.setattr(site_search, "run_search", lambda form: site_search.Outcome(query=form.value("q")))
    missed = run(basics.search_answers)
    assert [(f.kind, f.severity) for f in missed] == [("portal_basics", "finding")]
    assert "找不到已发布的同名页面" in missed[0].detail and missed[0].object.startswith("/search/?q=")

    def broken(form):
        raise ConnectionError("index down")

    monkeypatch.setattr(site_search, "run_search", broken)
    assert "搜索出错（ConnectionError）" in run(basics.search_answers)[0].detail
