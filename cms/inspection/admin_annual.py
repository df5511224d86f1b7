"""年度考核 in the admin: each unit's four quarter scores, accountability cases and final score; recording a case.

The table is computed afresh (``assess_year``) each time it is opened, so a run recorded or a case added
since shows at once. Evidence files are private and are served only here, to inspectors.
"""

from django import forms
from django.contrib import messages
from django.http import FileResponse, Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import TemplateView

from cms.organisation.models import Unit

from .admin_common import InspectorViewMixin
from .annual import assess_year
from .annual_models import AccountabilityCase, validate_year
from .scoring_models import AccountabilityCategory

ANNUAL = ("inspection_annual", gettext_lazy("年度考核"))


def year_from(request):
    """(year, error): the requested year, or this year with a Chinese error when it is not a year."""
    today = timezone.localdate().year
    raw = request.GET.get("year", "").strip()
    if not raw:
        return today, None
    try:
        year = int(raw)
        validate_year(year)
    except (ValueError, forms.ValidationError):
        return today, _("考核年度“%(value)s”无效，请填写四位年份，例如 %(year)s；已显示 %(year)s 年。") % {
            "value": raw,
            "year": today,
        }
    return year, None


class AnnualView(InspectorViewMixin, TemplateView):
    template_name = "inspection/admin/annual.html"
    page_title = gettext_lazy("年度考核")
    header_icon = "pick"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        year, error = year_from(self.request)
        cases = {}
        for case in AccountabilityCase.objects.filter(year=year).select_related("unit", "recorded_by"):
            cases.setdefault(case.unit_id, []).append(case)
        rows = [{"assessment": a, "cases": cases.get(a.unit_id, [])} for a in assess_year(year)]
        this_year = timezone.localdate().year
        context.update(year=year, year_error=error, rows=rows, years=range(this_year, this_year - 5, -1))
        return context


class CaseForm(forms.ModelForm):
    class Meta:
        model = AccountabilityCase
        fields = ["unit", "year", "category", "date", "description", "evidence_file", "evidence_text"]
        widgets = {"date": forms.DateInput(attrs={"type": "date"}), "description": forms.Textarea(attrs={"rows": 4})}
        error_messages = {
            "unit": {
                "required": gettext_lazy("请选择单位。"),
                "invalid_choice": gettext_lazy("所选单位不存在或已停用，请重新选择。"),
            },
            "year": {
                "required": gettext_lazy("请填写考核年度。"),
                "invalid": gettext_lazy("请填写四位年份，例如 2026。"),
            },
            "category": {
                "required": gettext_lazy("请选择问责情形。"),
                "invalid_choice": gettext_lazy("所选问责情形不在可选范围内，请重新选择。"),
            },
            "date": {
                "required": gettext_lazy("请填写发生日期。"),
                "invalid": gettext_lazy("发生日期无效，请按 YYYY-MM-DD 填写。"),
            },
            "description": {
                "required": gettext_lazy("请填写情况说明。"),
                "max_length": gettext_lazy("情况说明不能超过 2000 字。"),
            },
            "evidence_text": {"max_length": gettext_lazy("证据说明不能超过 5000 字。")},
            "evidence_file": {"invalid": gettext_lazy("上传的文件无效，请重新选择。")},
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = Unit.objects.active()
        self.fields["unit"].empty_label = _("请选择单位")
        self.fields["category"].choices = [("", _("请选择问责情形")), *AccountabilityCategory.choices]


class CaseCreateView(InspectorViewMixin, TemplateView):
    template_name = "inspection/admin/case_form.html"
    page_title = gettext_lazy("记录问责情形")
    header_icon = "pick"
    parent_crumbs = (ANNUAL,)

    def get_context_data(self, form=None, **kwargs):
        context = super().get_context_data(**kwargs)
        year, _error = year_from(self.request)
        context["form"] = form or CaseForm(initial={"year": year})
        return context

    def post(self, request):
        form = CaseForm(request.POST, request.FILES)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form))
        case = form.save(commit=False)
        case.recorded_by = request.user
        case.save()
        messages.success(
            request,
            _("已记录%(unit)s的问责情形“%(category)s”，计入 %(year)s 年度考核。")
            % {"unit": case.unit.name, "category": case.get_category_display(), "year": case.year},
        )
        return redirect(reverse("inspection_annual") + f"?year={case.year}")


class CaseEvidenceView(InspectorViewMixin, View):
    http_method_names = ["get"]

    def prepare(self, case_id):
        self.case = AccountabilityCase.objects.filter(pk=case_id).first()
        if self.case is None or not self.case.evidence_file:
            raise Http404(_("问责情形不存在，或没有上传证据材料。"))

    def get(self, request, case_id):
        name = self.case.evidence_file.name.rsplit("/", 1)[-1]
        return FileResponse(self.case.evidence_file.open("rb"), as_attachment=True, filename=name)
