"""生成季度通报: the county office picks the column a run's bulletin goes to; the draft opens in the page editor."""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from site_pages.models import ColumnPage

from .access import is_inspector
from .bulletin import quarter_label
from .bulletin_issue import bulletin_columns, existing_bulletin, issue_bulletin
from .runs import InspectionRun


class ColumnChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, column):
        unit = column.owning_unit.name if column.owning_unit else ""
        return f"{column.title}（{unit}）" if unit else column.title


class BulletinColumnForm(forms.Form):
    column = ColumnChoiceField(
        label=gettext_lazy("发布栏目"),
        queryset=None,
        empty_label=gettext_lazy("请选择栏目"),
        error_messages={
            "required": gettext_lazy("请选择季度通报的发布栏目。"),
            "invalid_choice": gettext_lazy("所选栏目不存在或您无权在该栏目发布信息，请重新选择。"),
        },
        help_text=gettext_lazy("季度通报将作为草稿建在所选栏目下，经三审三校后发布。"),
    )

    def __init__(self, *args, columns, **kwargs):
        super().__init__(*args, **kwargs)
        chosen = ColumnPage.objects.filter(pk__in=[column.pk for column in columns])
        self.fields["column"].queryset = chosen.select_related("owning_unit").order_by("path")


def create_bulletin(request, run_id):
    """The county office's inspectors (access.is_inspector) issue the bulletin of the quarter's latest run."""
    if not is_inspector(request.user):
        raise PermissionDenied
    run = get_object_or_404(InspectionRun, pk=run_id)
    context = {
        "run": run,
        "quarter": quarter_label(run.quarter),
        "existing": existing_bulletin(run),
        "latest": InspectionRun.objects.of_quarter(run.quarter),
        "back_url": reverse("inspection_run", args=(run.pk,)),
    }
    if context["existing"] is not None or context["latest"] != run:
        return TemplateResponse(request, "inspection/bulletin/create.html", context)
    columns = bulletin_columns(request.user)
    form = BulletinColumnForm(request.POST or None, columns=columns)
    if request.method == "POST" and form.is_valid():
        try:
            page = issue_bulletin(run, form.cleaned_data["column"], request.user)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("已生成季度通报草稿，请核对后提交审核。"))
            return redirect(reverse("wagtailadmin_pages:edit", args=(page.pk,)))
    context.update(form=form, columns=columns)
    return TemplateResponse(request, "inspection/bulletin/create.html", context)
