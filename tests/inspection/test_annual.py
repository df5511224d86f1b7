"""年度考核: four quarters and the accountability cases, by assess_year and through the admin."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from cms.inspection.annual import assess_year
from cms.inspection.findings import Kind, Severity
from cms.inspection.models import AccountabilityCase, AnnualAssessment, DeductionRule, InspectionRun
from cms.inspection.runs import quarter_of
from cms.inspection.scoring_models import AccountabilityCategory
from tests.factories import UnitFactory, log_in
from tests.security import samples

pytestmark = pytest.mark.django_db


def stored_run(as_of, *rows):
    findings = [
        {
            "kind": str(kind),
            "unit": unit.organisation_code,
            "object": f"/{n}/",
            "detail": "证据",
            "severity": str(severity),
            "rule": "规则",
            "false_positive": False,
            "key": f"{kind}|{unit.organisation_code}|/{n}/",
        }
        for n, (unit, kind, severity) in enumerate(rows)
    ]
    return InspectionRun.objects.create(quarter=quarter_of(as_of), as_of=as_of, findings=findings)


def case(unit, category, year=2026, description="市政府办公室通报批评"):
    return AccountabilityCase.objects.create(
        unit=unit,
        year=year,
        category=category,
        date=datetime.date(year, 5, 1),
        description=description,
        evidence_text="资府办发〔2026〕3号通报第二条",
    )


def points(category):
    return DeductionRule.objects.get(kind=category).points


def test_final_score_is_the_mean_of_the_quarters_less_capped_case_deductions(township_a, township_b):
    stored_run(datetime.date(2026, 3, 31), (township_a, Kind.HOMEPAGE_STALE, Severity.FINDING))
    stored_run(datetime.date(2026, 6, 30), (township_a, Kind.TAMPER, Severity.FINDING))
    case(township_a, AccountabilityCategory.HIGHER_CRITICISM)
    case(township_a, AccountabilityCategory.ADS_OR_CHARGING)
    case(township_a, AccountabilityCategory.ADS_OR_CHARGING)
    DeductionRule.objects.filter(kind=AccountabilityCategory.ADS_OR_CHARGING).update(cap=Decimal("15"))
    [first, *_rest] = assess_year(2026)
    a = AnnualAssessment.objects.get(year=2026, unit=township_a)
    b = AnnualAssessment.objects.get(year=2026, unit=township_b)
    quarters = [Decimal(90), Decimal(80)]  # 100 - 10 (home page), 100 - 20 (tamper)
    deduction = points(AccountabilityCategory.HIGHER_CRITICISM) + Decimal(15)
    assert (a.q1, a.q2, a.q3, a.q4) == (Decimal(90), Decimal(80), None, None)
    assert a.accountability == deduction == Decimal(25)
    assert a.final_score == sum(quarters) / 2 - deduction == Decimal(60)
    assert (b.q1, b.q2, b.final_score) == (Decimal(100), Decimal(100), Decimal(100))
    assert first.unit == township_b


def test_a_vetoed_quarter_ranks_the_unit_last_and_the_floor_is_zero(township_a, township_b):
    stored_run(datetime.date(2026, 9, 1), (township_a, Kind.LETTER_VETO, Severity.VETO))
    for _n in range(12):
        case(township_b, AccountabilityCategory.HIGHER_CRITICISM)
    ranked = assess_year(2026)
    assert ranked[-1].unit == township_a and ranked[-1].vetoed_quarters == "Q3"
    assert ranked[-1].vetoed_quarter_labels == "第三季度"
    assert AnnualAssessment.objects.get(year=2026, unit=township_b).final_score == 0


def test_assessing_again_drops_units_no_longer_assessed(township_a):
    UnitFactory(active=False)
    recorded = case(township_a, AccountabilityCategory.RECTIFICATION_NOT_DONE)
    assess_year(2026)
    assert AnnualAssessment.objects.filter(year=2026, unit=township_a).exists()
    recorded.delete()
    assess_year(2026)
    assert not AnnualAssessment.objects.filter(year=2026).exists()


def test_a_case_needs_evidence_a_past_date_and_a_sensible_year(township_a):
    future = timezone.localdate() + datetime.timedelta(days=1)
    bad = AccountabilityCase(
        unit=township_a, year=1999, category=AccountabilityCategory.ADS_OR_CHARGING, date=future, description="说明"
    )
    with pytest.raises(ValidationError) as error:
        bad.full_clean()
    messages = error.value.message_dict
    assert messages["evidence_text"] == ["请上传证据材料或填写证据说明。"]
    assert messages["date"] == ["发生日期不能晚于今天。"]
    assert "考核年度“1999”无效" in messages["year"][0]


def test_annual_table_shows_quarters_and_cases_and_refuses_a_bad_year(client, inspector, township_a, evidence):
    stored_run(datetime.date(2026, 3, 31), (township_a, Kind.HOMEPAGE_STALE, Severity.FINDING))
    log_in(client, inspector)
    page = client.get(reverse("inspection_annual"), {"year": "2026"}).content.decode()
    assert township_a.name in page and "上级政府批评" in page and "证据文件问责" in page
    assert reverse("inspection_case_evidence", args=[evidence.pk]) in page
    page = client.get(reverse("inspection_annual"), {"year": "二〇二六"}).content.decode()
    this_year = timezone.localdate().year
    assert f"考核年度“二〇二六”无效，请填写四位年份，例如 {this_year}；已显示 {this_year} 年。" in page
    assert "考核年度“1800”无效" in client.get(reverse("inspection_annual"), {"year": "1800"}).content.decode()


def test_recording_a_case_with_evidence_through_the_admin(client, inspector, township_a):
    log_in(client, inspector)
    url = reverse("inspection_case_create")
    assert client.get(url, {"year": "2026"}).status_code == 200
    form = {
        "unit": township_a.pk,
        "year": "2026",
        "category": AccountabilityCategory.IMPROPER_INFORMATION,
        "date": "2026-04-02",
        "description": "转载不实信息引发舆情",
    }
    page = client.post(url, form).content.decode()
    assert "请上传证据材料或填写证据说明。" in page and not AccountabilityCase.objects.exists()
    page = client.post(url, {**form, "category": "nosuch", "unit": "999999", "date": "昨天"}).content.decode()
    assert "所选问责情形不在可选范围内" in page and "所选单位不存在或已停用" in page and "发生日期无效" in page
    upload = SimpleUploadedFile("舆情截图.pdf", samples.written_pdf())
    response = client.post(url, {**form, "evidence_file": upload})
    assert response.status_code == 302 and response["Location"] == reverse("inspection_annual") + "?year=2026"
    recorded = AccountabilityCase.objects.get()
    assert recorded.recorded_by == inspector and recorded.evidence_file.name.startswith("cases/")
    try:
        download = client.get(reverse("inspection_case_evidence", args=[recorded.pk]))
        assert download.status_code == 200 and download["Content-Disposition"].startswith("attachment")
        assert b"".join(download.streaming_content) == samples.written_pdf()
    finally:
        recorded.evidence_file.delete(save=False)
    assess_year(2026)
    assert AnnualAssessment.objects.get(unit=township_a).accountability == points(
        AccountabilityCategory.IMPROPER_INFORMATION
    )


def test_evidence_of_a_case_without_a_file_or_an_unknown_case_is_404(client, inspector, township_a):
    recorded = case(township_a, AccountabilityCategory.REPLY_CRITICISED)
    log_in(client, inspector)
    assert client.get(reverse("inspection_case_evidence", args=[recorded.pk])).status_code == 404
    assert client.get(reverse("inspection_case_evidence", args=[recorded.pk + 100])).status_code == 404
