from django.core.exceptions import ValidationError
from django.db import models
from django.utils import dateformat
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from .. import calendar


class CalendarDay(models.Model):
    """A holiday or make-up workday entered by administrators (see disclosure.calendar).

    Entries cover years the chinesecalendar package does not know yet and override the package
    for the same date, which is how a wrong package date is corrected.
    """

    class Kind(models.TextChoices):
        HOLIDAY = calendar.HOLIDAY, _("放假")
        WORKDAY = calendar.WORKDAY, _("调休上班")

    date = models.DateField(_("日期"), unique=True, error_messages={"unique": _("该日期已经登记，请修改原有记录。")})
    kind = models.CharField(_("类型"), max_length=10, choices=Kind.choices)
    name = models.CharField(_("节日"), max_length=40, help_text=_("如：春节、国庆节；调休上班日填写所调休的节日。"))
    note = models.CharField(
        _("备注"), max_length=200, blank=True, help_text=_("如国务院办公厅通知的文号，或更正数据的原因。")
    )

    class Meta:
        ordering = ["date"]
        verbose_name = _("节假日与调休日")
        verbose_name_plural = _("节假日与调休日")

    def __str__(self):
        return _("%(date)s %(name)s（%(kind)s）") % {
            "date": self.date.isoformat(),
            "name": self.name,
            "kind": self.get_kind_display(),
        }

    def clean(self):
        super().clean()
        # A make-up workday only changes anything on a weekend, or on a weekday the package
        # wrongly lists as a holiday; anywhere else it is a data-entry mistake (usually the
        # wrong date or the wrong kind), so refuse it rather than store a no-op.
        if (
            self.date is not None
            and self.kind == self.Kind.WORKDAY
            and self.date.weekday() < 5
            and calendar.package_is_working_day(self.date) is not False
        ):
            raise ValidationError(
                {
                    "kind": ValidationError(
                        _(
                            "%(date)s是%(weekday)s，本来就是工作日，无需登记为调休上班日。"
                            "只有周六、周日调休上班才需要登记；请核对日期或类型。"
                        ),
                        code="workday_on_weekday",
                        params={"date": date_format(self.date, "DATE_FORMAT"), "weekday": self.weekday()},
                    )
                }
            )

    def weekday(self):
        return dateformat.format(self.date, "l")

    weekday.short_description = _("星期")
