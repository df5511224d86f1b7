"""The catalogue's taxonomies: disclosure categories (公开类别) and the national subject classes (主题分类).

Both are data that administrators extend in the admin; the regulation's lists and the 22 classes
of the national policy libraries are seeded by a data migration.
"""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from cms.organisation.models import UnitKind


class CategoryList(models.TextChoices):
    """Which list of the regulation a category comes from."""

    PROACTIVE = "proactive", _("主动公开基本目录")
    COUNTY = "county", _("县级政府重点公开")
    TOWNSHIP = "township", _("乡镇政府重点公开")
    OTHER = "other", _("其他（管理员增设）")


class DisclosureCategory(models.Model):
    """公开类别: an entry of the catalogue, and the unit kinds that must publish in it."""

    name = models.CharField(_("类别名称"), max_length=100)
    category_list = models.CharField(_("所属目录"), max_length=20, choices=CategoryList.choices)
    required_unit_kinds = models.JSONField(
        _("须公开的单位类型"),
        default=list,
        blank=True,
        help_text=_("哪些类型的单位必须在本类别下主动公开信息。"),
    )
    description = models.CharField(_("说明"), max_length=300, blank=True)
    sort_order = models.PositiveIntegerField(_("排序"), default=0)
    active = models.BooleanField(_("启用"), default=True, help_text=_("停用后不再供新信息选择，已有信息不受影响。"))

    class Meta:
        verbose_name = _("公开类别")
        verbose_name_plural = _("公开类别")
        ordering = ["sort_order", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["category_list", "name"],
                name="unique_disclosure_category_per_list",
                violation_error_message=_("同一目录下已有同名类别。"),
            )
        ]

    def __str__(self):
        return self.name

    def clean(self):
        super().clean()
        kinds = self.required_unit_kinds
        if not isinstance(kinds, list) or any(k not in UnitKind.values for k in kinds):
            raise ValidationError({"required_unit_kinds": _("须公开的单位类型只能从列出的单位类型中选择。")})

    def required_unit_kind_labels(self):
        return "、".join(str(UnitKind(k).label) for k in self.required_unit_kinds if k in UnitKind.values)

    required_unit_kind_labels.short_description = _("须公开的单位类型")


class TopicCategory(models.Model):
    """主题分类 of the national policy libraries (国务院政策文件库)."""

    name = models.CharField(_("主题名称"), max_length=50, unique=True)
    sort_order = models.PositiveIntegerField(_("排序"), default=0)
    active = models.BooleanField(_("启用"), default=True)

    class Meta:
        verbose_name = _("主题分类")
        verbose_name_plural = _("主题分类")
        ordering = ["sort_order", "pk"]

    def __str__(self):
        return self.name
