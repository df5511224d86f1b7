"""政务新媒体 registry (台账): one row per government new-media account and who answers for it.

This is the registry's core: the account, its owning unit, its state and the two people responsible for it
(责任人 and 副责任人, whose departure triggers 口令更换 through the hand-over in ``cms.security``).
Opening, change, closure and deregistration approvals and filings build on it.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Platform(models.TextChoices):
    WECHAT = "wechat", _("微信公众号")
    WECHAT_CHANNELS = "wechat_channels", _("微信视频号")
    WEIBO = "weibo", _("微博")
    DOUYIN = "douyin", _("抖音")
    KUAISHOU = "kuaishou", _("快手")
    TOUTIAO = "toutiao", _("今日头条")
    OTHER = "other", _("其他")


class AccountStatus(models.TextChoices):
    ACTIVE = "active", _("运营中")
    CLOSED = "closed", _("已关停")
    DEREGISTERED = "deregistered", _("已注销")


class NewMediaAccount(models.Model):
    platform = models.CharField(_("平台"), max_length=32, choices=Platform.choices)
    name = models.CharField(_("账号名称"), max_length=200)
    account_id = models.CharField(_("平台账号（ID）"), max_length=200, blank=True)
    unit = models.ForeignKey(
        "organisation.Unit", on_delete=models.PROTECT, related_name="newmedia_accounts", verbose_name=_("主办单位")
    )
    status = models.CharField(_("状态"), max_length=16, choices=AccountStatus.choices, default=AccountStatus.ACTIVE)
    responsible = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="newmedia_accounts_responsible",
        verbose_name=_("责任人"),
    )
    deputy = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="newmedia_accounts_deputy",
        verbose_name=_("副责任人"),
    )
    last_updated_at = models.DateTimeField(_("最近一次更新"), null=True, blank=True)
    # Set by the hand-over when the responsible person or deputy leaves; cleared when the unit records the change.
    password_change_required = models.BooleanField(_("须更换口令"), default=False)
    password_changed_at = models.DateTimeField(_("最近一次更换口令"), null=True, blank=True)

    class Meta:
        verbose_name = _("政务新媒体账号")
        verbose_name_plural = _("政务新媒体账号")
        ordering = ["unit__name", "platform", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["platform", "name"],
                name="newmedia_account_unique_platform_name",
                violation_error_message=_("该平台已登记同名的政务新媒体账号。"),
            )
        ]

    def __str__(self):
        return f"{self.get_platform_display()}：{self.name}"

    def save(self, *args, **kwargs):
        # Recording the change clears the hand-over's request for it.
        if self.pk and not self.password_change_required:
            previous = NewMediaAccount.objects.filter(pk=self.pk).values_list("password_change_required", flat=True)
            if previous and previous[0]:
                self.password_changed_at = timezone.now()
                if kwargs.get("update_fields") is not None:
                    kwargs["update_fields"] = {*kwargs["update_fields"], "password_changed_at"}
        super().save(*args, **kwargs)
