"""The deduction table (扣分标准), one row per finding kind or accountability category (imported by models.py)."""

from decimal import Decimal

from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from .findings import Kind


class AccountabilityCategory(models.TextChoices):
    """The accountability cases of article 34, each deducted from the annual assessment."""

    HIGHER_CRITICISM = "higher_criticism", _("上级政府批评")
    NEWMEDIA_UNQUALIFIED = "newmedia_unqualified", _("政务新媒体不合格")
    NEWMEDIA_UNFILED = "newmedia_unfiled_change", _("新媒体变更未备案")
    REPLY_CRITICISED = "reply_criticised", _("留言超期被批评")
    ADS_OR_CHARGING = "ads_or_charging", _("发布广告或收费")
    IMPROPER_INFORMATION = "improper_information", _("不当信息引发舆情")
    RECTIFICATION_NOT_DONE = "rectification_not_done", _("整改不到位")


NATIONAL_BASIS = "国办秘函〔2019〕19号"
ARTICLE_34 = "第三十四条"

# kind -> (points per finding or case, cap per unit or None, veto, basis). Points follow the national
# indicators' deduction items (per stale or empty column, per overdue reply, per broken link); the veto
# items deduct nothing because a veto ranks the unit last whatever its points.
DEFAULT_RULES = {
    Kind.COLUMN_STALE: ("5", "30", False, NATIONAL_BASIS),
    Kind.COLUMN_EMPTY: ("5", "30", False, NATIONAL_BASIS),
    Kind.COLUMN_WARNING: ("0", None, False, NATIONAL_BASIS),
    Kind.HOMEPAGE_STALE: ("10", None, False, NATIONAL_BASIS),
    Kind.AVAILABILITY: ("5", None, False, NATIONAL_BASIS),
    Kind.NEWMEDIA_STALE: ("5", "20", False, NATIONAL_BASIS),
    Kind.NEWMEDIA_UNFILED: ("5", "20", False, NATIONAL_BASIS),
    Kind.NEWMEDIA_DUPLICATE: ("5", "20", False, NATIONAL_BASIS),
    Kind.NEWMEDIA_NOTICES: ("10", None, False, NATIONAL_BASIS),
    Kind.LETTER_OVERDUE: ("2", "20", False, NATIONAL_BASIS),
    Kind.LETTER_VETO: ("0", None, True, NATIONAL_BASIS),
    Kind.SERVICE_GUIDE_INCOMPLETE: ("0", None, True, NATIONAL_BASIS),
    Kind.DISCLOSURE_OVERDUE: ("1", "20", False, NATIONAL_BASIS),
    Kind.REQUEST_OVERDUE: ("5", "20", False, NATIONAL_BASIS),
    Kind.BROKEN_LINK: ("0.5", "10", False, NATIONAL_BASIS),
    Kind.HIDDEN_LINK: ("10", None, False, NATIONAL_BASIS),
    Kind.CONTENT_FLAGGED: ("2", "20", False, NATIONAL_BASIS),
    Kind.TAMPER: ("20", None, False, NATIONAL_BASIS),
    Kind.PORTAL_BASICS: ("2", "10", False, NATIONAL_BASIS),
    Kind.VETO: ("0", None, True, NATIONAL_BASIS),
    AccountabilityCategory.HIGHER_CRITICISM: ("10", None, False, ARTICLE_34),
    AccountabilityCategory.NEWMEDIA_UNQUALIFIED: ("5", None, False, ARTICLE_34),
    AccountabilityCategory.NEWMEDIA_UNFILED: ("3", None, False, ARTICLE_34),
    AccountabilityCategory.REPLY_CRITICISED: ("3", None, False, ARTICLE_34),
    AccountabilityCategory.ADS_OR_CHARGING: ("10", None, False, ARTICLE_34),
    AccountabilityCategory.IMPROPER_INFORMATION: ("10", None, False, ARTICLE_34),
    AccountabilityCategory.RECTIFICATION_NOT_DONE: ("5", None, False, ARTICLE_34),
}

# No field choices: a kind added to the checks later needs a row, not a migration of this table.
RULE_KINDS = dict([*Kind.choices, *AccountabilityCategory.choices])


def kind_label(kind):
    return RULE_KINDS.get(kind, kind)


class DeductionRule(models.Model):
    kind = models.CharField(_("扣分项"), max_length=40, unique=True)
    points = models.DecimalField(
        _("每项扣分"), max_digits=5, decimal_places=2, default=Decimal("0"), validators=[MinValueValidator(0)]
    )
    cap = models.DecimalField(
        _("单位扣分上限"),
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
        help_text=_("同一单位同一扣分项最多扣的分数；留空表示不设上限。"),
    )
    veto = models.BooleanField(_("单项否决"), default=False, help_text=_("出现此项问题（预警除外）即单项否决。"))
    basis = models.CharField(_("依据"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("扣分标准")
        verbose_name_plural = _("扣分标准")
        ordering = ["pk"]

    def __str__(self):
        return str(kind_label(self.kind))
