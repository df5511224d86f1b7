"""People of the supervising county office, who inspect, and a recorded case (used by the admin tests of 检查考核)."""

import datetime

import pytest
from django.core.files.base import ContentFile

from cms.inspection.models import AccountabilityCase
from tests.factories import member
from tests.security import samples


@pytest.fixture
def inspector(county_office):
    return member(county_office, "info_officer", username="xzfb_jc")


@pytest.fixture
def office_head(county_office):
    return member(county_office, "head", username="xzfb_zyfzr")


@pytest.fixture
def evidence(township_a):
    """An accountability case of township A with a private evidence file, removed afterwards."""
    case = AccountabilityCase.objects.create(
        unit=township_a,
        year=2026,
        category="higher_criticism",
        date=datetime.date(2026, 5, 1),
        description="证据文件问责",
        evidence_text="资府办发〔2026〕3号通报第二条",
    )
    case.evidence_file.save("通报.pdf", ContentFile(samples.written_pdf()), save=True)
    yield case
    case.evidence_file.delete(save=False)
