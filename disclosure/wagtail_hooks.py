"""Admin screens for the working-day calendar (工作日历).

Holidays and make-up workdays are edited through a ModelViewSet, so Django model permissions
decide who may change them; the deadline calculator is open to every admin user because unit
staff need to check their own disclosure deadlines.
"""

import django_filters
from django import forms
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.viewsets.base import ViewSet, ViewSetGroup
from wagtail.admin.viewsets.model import ModelViewSet

from .models import CalendarDay
from .views import STATUS_YEARS_AHEAD, CalendarDayIndexView, DeadlineCalculatorView


def year_choices():
    this_year = timezone.localdate().year
    years = {d.year for d in CalendarDay.objects.dates("date", "year")}
    years.update(range(this_year, this_year + STATUS_YEARS_AHEAD + 1))
    return [(str(year), str(year)) for year in sorted(years, reverse=True)]


class CalendarDayFilterSet(WagtailFilterSet):
    year = django_filters.ChoiceFilter(
        label=_("年份"),
        field_name="date",
        lookup_expr="year",
        choices=year_choices,
        empty_label=_("全部"),
        widget=forms.RadioSelect,
    )

    class Meta:
        model = CalendarDay
        fields = ["year", "kind"]


class CalendarDayViewSet(ModelViewSet):
    model = CalendarDay
    icon = "date"
    menu_label = _("节假日与调休")
    url_prefix = "working-calendar/days"
    index_view_class = CalendarDayIndexView
    index_template_name = "disclosure/admin/calendarday_index.html"
    filterset_class = CalendarDayFilterSet
    list_display = ["date", "weekday", "kind", "name", "note"]
    search_fields = ["name", "note"]
    form_fields = ["date", "kind", "name", "note"]
    copy_view_enabled = False


class DeadlineCalculatorViewSet(ViewSet):
    icon = "calendar-check"
    menu_label = _("期限计算")
    url_prefix = "working-calendar/calculator"

    def get_urlpatterns(self):
        return [path("", DeadlineCalculatorView.as_view(), name="index")]


class WorkingCalendarViewSetGroup(ViewSetGroup):
    menu_label = _("工作日历")
    menu_icon = "date"
    menu_order = 260
    items = (CalendarDayViewSet("calendar_days"), DeadlineCalculatorViewSet("working_day_calculator"))


@hooks.register("register_admin_viewset")
def register_working_calendar_viewsets():
    return WorkingCalendarViewSetGroup()


@hooks.register("register_admin_viewset")
def register_catalogue_viewsets():
    from .catalogue_admin import CatalogueViewSetGroup

    return CatalogueViewSetGroup()
