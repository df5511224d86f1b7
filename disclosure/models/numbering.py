"""The catalogue's site settings and its 索引号: the pattern, each unit's yearly counter and the allocation.

Items and catalogued policy documents take their 索引号 the same way (allocate_for): the next serial of the owning
unit's counter for the year of first publication, in the site's pattern, unique across the whole catalogue.
"""

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
from wagtail.models import Site

from cms.organisation.models import Unit

from .. import due
from ..index_numbers import DEFAULT_PATTERN, allocate, validate_pattern


@register_setting(icon="list-ul")
class DisclosureSettings(BaseSiteSetting):
    index_number_pattern = models.CharField(
        _("索引号格式"),
        max_length=100,
        default=DEFAULT_PATTERN,
        validators=[validate_pattern],
        help_text=_(
            "{code} 为发布机构的统一社会信用代码，{year} 为首次发布的年份，{serial:05d} 为该单位当年的5位序号。"
            "修改格式只影响此后生成的索引号，已生成的索引号不变。"
        ),
    )
    warning_working_days = models.PositiveSmallIntegerField(
        _("临期提醒（工作日）"),
        default=due.DEFAULT_WARNING_DAYS,
        validators=[MinValueValidator(1), MaxValueValidator(due.PROACTIVE_WORKING_DAYS)],
        help_text=_("距公开期限不超过此工作日数的未公开信息列为“临近期限”。"),
    )

    panels = [FieldPanel("index_number_pattern"), FieldPanel("warning_working_days")]

    class Meta:
        verbose_name = _("信息公开设置")

    @classmethod
    def for_page(cls, page):
        site = page.get_site() or Site.objects.filter(is_default_site=True).first()
        return cls.for_site(site) if site else cls()


class IndexNumberCounter(models.Model):
    """The last serial given to a unit in a year; locked while the next one is taken."""

    unit = models.ForeignKey(Unit, verbose_name=_("单位"), on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField(_("年份"))
    last_serial = models.PositiveIntegerField(_("已用序号"), default=0)

    class Meta:
        verbose_name = _("索引号序号")
        verbose_name_plural = _("索引号序号")
        constraints = [models.UniqueConstraint(fields=["unit", "year"], name="unique_index_counter_per_unit_year")]

    def __str__(self):
        return f"{self.unit_id}/{self.year}: {self.last_serial}"


def number_in_use(number):
    """索引号 are unique across the catalogue: its own items and the policy documents it lists."""
    # Both take their numbers from allocate_for below, so their modules build on this one: imported late.
    from .item import DisclosureItem
    from .policy_record import PolicyCatalogueEntry

    return (
        DisclosureItem.objects.filter(index_number=number).exists()
        or PolicyCatalogueEntry.objects.filter(index_number=number).exists()
    )


def allocate_for(page, year):
    """The next 索引号 of the page's unit and year, in the site's pattern (inside the publish transaction)."""
    code = Unit.objects.values_list("organisation_code", flat=True).get(pk=page.owning_unit_id)
    pattern = DisclosureSettings.for_page(page).index_number_pattern
    return allocate(page.owning_unit_id, code=code, year=year, pattern=pattern, taken=number_in_use)
