"""Service-guide check: a live guide missing any required element (or a material's part) is a veto finding."""

import datetime

import pytest

from cms.inspection.checks import services
from cms.inspection.findings import InspectionContext
from site_pages.models import ServiceGuidePage
from tests.site_pages.test_service_guides import MATERIAL, empty_value, make_guide, make_listing

pytestmark = pytest.mark.usefixtures("shared_portal")

AS_OF = datetime.date(2026, 12, 3)


def run(unit_code=None):
    return list(services.service_guide_incomplete(InspectionContext(as_of=AS_OF, unit_code=unit_code)))


@pytest.fixture
def index(home, county_office):
    return make_listing(home, "办事指南", county_office, "bszn")


def test_complete_and_unpublished_guides_are_not_findings(index, township_a):
    make_guide(index, township_a, title="完整的指南", publish=True)
    make_guide(index, township_a, title="未发布的草稿", fees="")
    assert run() == []


@pytest.mark.parametrize("name", ServiceGuidePage.REQUIRED_ELEMENTS)
def test_each_missing_element_is_a_veto_finding(index, township_a, township_b, name):
    guide = make_guide(index, township_a, title="缺要素的指南", publish=True)
    # Published before the requirement held, or edited outside the workflow: the live row lacks it.
    ServiceGuidePage.objects.filter(pk=guide.pk).update(**{name: empty_value(name)})
    found = run()
    assert [(f.kind, f.severity, f.unit) for f in found] == [
        ("service_guide_incomplete", "veto", township_a.organisation_code)
    ]
    assert str(ServiceGuidePage.element_label(name)) in found[0].detail
    assert found[0].object.startswith("http") and found[0].object.endswith(guide.url_path.split("/")[-2] + "/")
    assert run(township_b.organisation_code) == []


def test_a_material_missing_a_part_is_named(index, township_a):
    guide = make_guide(index, township_a, title="材料不全", publish=True)
    ServiceGuidePage.objects.filter(pk=guide.pk).update(
        materials=[("material", dict(MATERIAL)), ("material", {**MATERIAL, "source": ""})]
    )
    found = run()
    assert "缺少 1 项要素：申请材料第2项的来源渠道" in found[0].detail
