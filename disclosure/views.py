"""Admin views for the working-day calendar: the per-year status and the deadline calculator."""

from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView
from wagtail.admin.views import generic
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.widgets import HeaderButton
from wagtail.permission_policies import ModelPermissionPolicy

from . import calendar
from .forms import DeadlineCalculatorForm
from .models import CalendarDay

STATUS_YEARS_AHEAD = 2


def year_statuses(today=None):
    """The calendar source of the current year and the next two, for the admin status panel."""
    year = (today or timezone.localdate()).year
    return [calendar.year_calendar(y) for y in range(year, year + STATUS_YEARS_AHEAD + 1)]


class YearStatusMixin:
    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["year_statuses"] = year_statuses()
        context["package_version"] = calendar.package_version()
        return context


class CalendarDayIndexView(YearStatusMixin, generic.IndexView):
    @cached_property
    def header_buttons(self):
        return [
            *super().header_buttons,
            # Buttons are sorted by (priority, label); a larger priority keeps "add" first.
            HeaderButton(
                _("期限计算"), url=reverse("working_day_calculator:index"), icon_name="calendar-check", priority=1100
            ),
        ]


class DeadlineCalculatorView(YearStatusMixin, WagtailAdminTemplateMixin, TemplateView):
    """Any admin user may check a due date; only editing the calendar needs model permissions."""

    template_name = "disclosure/admin/deadline_calculator.html"
    page_title = _("期限计算")
    header_icon = "calendar-check"

    def get_breadcrumbs_items(self):
        return [*self.breadcrumbs_items, {"url": "", "label": self.get_page_title()}]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        form = DeadlineCalculatorForm(self.request.GET or None)
        context["form"] = form
        if form.is_valid():
            start = form.cleaned_data["start"]
            context["start"] = start
            context["working_days"] = form.cleaned_data["working_days"]
            context["result"] = calendar.deadline(start, form.cleaned_data["working_days"])
        policy = ModelPermissionPolicy(CalendarDay)
        if policy.user_has_any_permission(self.request.user, ["view", "add", "change", "delete"]):
            context["calendar_days_url"] = reverse("calendar_days:index")
        return context
