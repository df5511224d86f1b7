"""扣分标准 in the admin: the deduction table, read by inspectors and edited by the county office's leaders."""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView

from .access import can_edit_rules
from .admin_common import InspectorViewMixin
from .scoring_models import DeductionRule, kind_label

NUMBER_ERRORS = {
    "required": gettext_lazy("请填写扣分。"),
    "invalid": gettext_lazy("请填写数字，例如 5 或 0.5。"),
    "min_value": gettext_lazy("扣分不能为负数。"),
    "max_digits": gettext_lazy("扣分不能超过 999.99。"),
    "max_decimal_places": gettext_lazy("扣分最多保留两位小数。"),
    "max_whole_digits": gettext_lazy("扣分不能超过 999.99。"),
}


class RuleForm(forms.ModelForm):
    class Meta:
        model = DeductionRule
        fields = ["points", "cap", "veto", "basis"]
        error_messages = {
            "points": NUMBER_ERRORS,
            "cap": NUMBER_ERRORS,
            "basis": {"max_length": gettext_lazy("依据不能超过 200 字。")},
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The table shows the kind once per row, so each input names it for screen readers.
        for field in self.fields.values():
            field.widget.attrs["aria-label"] = f"{self.kind_label} {field.label}"

    @property
    def kind_label(self):
        return kind_label(self.instance.kind)


RuleFormSet = forms.modelformset_factory(DeductionRule, form=RuleForm, extra=0, can_delete=False)


class RuleTableView(InspectorViewMixin, TemplateView):
    template_name = "inspection/admin/rules.html"
    page_title = gettext_lazy("扣分标准")
    header_icon = "table"

    def formset(self, data=None):
        return RuleFormSet(data, queryset=DeductionRule.objects.order_by("pk"))

    def post(self, request):
        if not can_edit_rules(request.user):
            raise PermissionDenied
        formset = self.formset(request.POST)
        if formset.is_valid():
            formset.save()
            messages.success(request, _("扣分标准已保存，之后计算的得分按新标准扣分。"))
            return redirect("inspection_rules")
        messages.error(request, _("扣分标准未保存，请按提示修改。"))
        return self.render_to_response(self.get_context_data(formset=formset))

    def get_context_data(self, formset=None, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(formset=formset or self.formset(), editable=can_edit_rules(self.request.user))
        return context
