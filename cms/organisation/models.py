from django.conf import settings
from django.contrib.auth.models import Group
from django.db import models
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.search import index

from .people import person_name
from .validators import normalise_uscc, validate_uscc


class UnitKind(models.TextChoices):
    TOWNSHIP = "township", _("乡镇")
    SUBDISTRICT = "subdistrict", _("街道")
    DEPARTMENT = "department", _("县级部门")
    INSTITUTION = "institution", _("事业单位")
    SUPERVISOR = "supervisor", _("主管单位（县政府办公室）")
    OPERATOR = "operator", _("承办单位（电子政务外网管理办公室）")
    CYBERSPACE = "cyberspace", _("县委网信办")


class Role(models.TextChoices):
    INFO_OFFICER = "info_officer", _("信息员")
    TYPESETTER = "typesetter", _("排版人员")
    SECTION_CHIEF = "section_chief", _("股室负责人")
    DEPUTY_HEAD = "deputy_head", _("分管负责人")
    HEAD = "head", _("主要负责人")


class UnitQuerySet(models.QuerySet):
    def active(self):
        return self.filter(active=True)

    def for_user(self, user):
        """Units where the user holds at least one role."""
        if not user.is_authenticated:
            return self.none()
        return self.filter(memberships__user=user).distinct()


class Unit(index.Indexed, ClusterableModel):
    name = models.CharField(_("单位名称"), max_length=100, unique=True)
    short_name = models.CharField(_("简称"), max_length=40, blank=True)
    kind = models.CharField(_("单位类型"), max_length=20, choices=UnitKind.choices)
    organisation_code = models.CharField(
        _("统一社会信用代码"),
        max_length=18,
        unique=True,
        validators=[validate_uscc],
        help_text=_("18位统一社会信用代码，用于生成信息公开索引号。"),
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("上级单位"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    active = models.BooleanField(_("启用"), default=True)
    # One Wagtail group per unit carries the unit's page permissions; kept in sync by signals.
    editor_group = models.OneToOneField(
        Group, null=True, blank=True, editable=False, on_delete=models.SET_NULL, related_name="unit"
    )
    # The unit's own collection of documents and images; its group alone may add, change and choose there.
    collection = models.OneToOneField(
        "wagtailcore.Collection",
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="unit",
    )

    objects = UnitQuerySet.as_manager()

    panels = [
        MultiFieldPanel(
            [
                FieldPanel("name"),
                FieldRowPanel([FieldPanel("short_name"), FieldPanel("kind")]),
                FieldPanel("organisation_code"),
                FieldRowPanel([FieldPanel("parent"), FieldPanel("active")]),
            ],
            heading=_("基本信息"),
        ),
        InlinePanel("memberships", heading=_("人员与角色"), label=_("人员")),
    ]

    search_fields = [
        index.SearchField("name"),
        index.SearchField("short_name"),
        index.AutocompleteField("name"),
        index.FilterField("kind"),
        index.FilterField("active"),
    ]

    class Meta:
        verbose_name = _("单位")
        verbose_name_plural = _("单位")
        ordering = ["kind", "name"]

    def __str__(self):
        return self.name

    @property
    def display_name(self):
        return self.short_name or self.name

    def clean_fields(self, exclude=None):
        # Normalise before the length check: codes are often pasted with spaces or in lower case.
        self.organisation_code = normalise_uscc(self.organisation_code)
        super().clean_fields(exclude=exclude)


class MembershipQuerySet(models.QuerySet):
    def active(self):
        return self.filter(unit__active=True, user__is_active=True)


class Membership(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("用户"),
        on_delete=models.CASCADE,
        related_name="memberships",
    )
    unit = ParentalKey(Unit, verbose_name=_("单位"), on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(_("角色"), max_length=20, choices=Role.choices)
    created_at = models.DateTimeField(_("设立时间"), auto_now_add=True)

    objects = MembershipQuerySet.as_manager()

    panels = [FieldRowPanel([FieldPanel("user"), FieldPanel("role")])]

    class Meta:
        verbose_name = _("人员角色")
        verbose_name_plural = _("人员角色")
        ordering = ["unit__name", "role"]
        constraints = [
            models.UniqueConstraint(fields=["user", "unit", "role"], name="unique_membership_role"),
        ]

    def __str__(self):
        return f"{self.unit} · {self.get_role_display()} · {person_name(self.user)}"


def user_has_role(user, unit_id, role):
    """True if the user holds `role` in the unit (used by permissions and workflow tasks)."""
    if not user.is_authenticated or unit_id is None:
        return False
    return Membership.objects.active().filter(user=user, unit_id=unit_id, role=role).exists()
