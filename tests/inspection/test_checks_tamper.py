"""Tamper check: unresolved check_tamper findings, each with its page's unit; resolved ones are left out."""

import datetime

import pytest

from cms.inspection.checks import tamper
from cms.inspection.findings import InspectionContext
from cms.security.models import TamperFinding
from tests.factories import make_content

AS_OF = datetime.date(2026, 12, 3)


def run(unit_code=None):
    return list(tamper.tamper(InspectionContext(as_of=AS_OF, unit_code=unit_code)))


@pytest.mark.django_db
def test_unresolved_findings_with_their_unit(portal, township_a, township_b):
    page = make_content(portal["a"], title="石羊镇新闻")
    injected = TamperFinding.objects.create(
        page=page, url="http://www.anyue.gov.cn/xwdt/sy/1/", kind="injected", detail="外部加载的脚本 evil.example"
    )
    TamperFinding.objects.create(page=page, url=injected.url, kind="content", detail="正文被修改", resolved=True)
    changed = TamperFinding.objects.create(url="static/js/site.js", kind="file_changed", detail="摘要不符")
    found = run()
    assert [(f.kind, f.severity, f.unit) for f in found] == [
        ("tamper", "finding", township_a.organisation_code),
        ("tamper", "finding", ""),
    ]
    assert "挂马或暗链：http://www.anyue.gov.cn/xwdt/sy/1/，外部加载的脚本 evil.example" in found[0].detail
    assert found[1].object.endswith(f"/{changed.pk}/")
    assert [f.unit for f in run(township_a.organisation_code)] == [township_a.organisation_code]
    assert run(township_b.organisation_code) == []
