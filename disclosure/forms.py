from datetime import date

from django import forms
from django.utils.translation import gettext_lazy as _
from wagtail.admin.widgets import AdminDateInput

# Far beyond any disclosure deadline, and keeps date arithmetic away from date.max.
EARLIEST_START = date(1990, 1, 1)
LATEST_START = date(2100, 12, 31)


class DeadlineCalculatorForm(forms.Form):
    start = forms.DateField(
        label=_("起算日"),
        widget=AdminDateInput,
        help_text=_("如收到申请之日或信息形成之日；期限从次日起算。"),
    )
    working_days = forms.IntegerField(
        label=_("工作日数"),
        min_value=0,
        max_value=366,
        initial=20,
        help_text=_("如主动公开 20 个工作日；依申请公开 7、15、20 个工作日。"),
    )

    def clean_start(self):
        start = self.cleaned_data["start"]
        if not EARLIEST_START <= start <= LATEST_START:
            raise forms.ValidationError(
                _("起算日须在 %(earliest)s 至 %(latest)s 之间。"),
                code="out_of_range",
                params={"earliest": EARLIEST_START.isoformat(), "latest": LATEST_START.isoformat()},
            )
        return start
