from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class PageFingerprint(models.Model):
    """What a page's public HTML looked like when it was last published (or re-baselined).

    One row per page: only the latest approved state matters for tamper checks, and the audit
    history of publishing already lives in Wagtail's page log.
    """

    class Reason(models.TextChoices):
        PUBLISH = "publish", _("发布")
        ANCESTOR = "ancestor", _("下级页面发布")
        REFRESH = "refresh", _("发布后自动更新")
        BASELINE = "baseline", _("人工建立基线")

    page = models.OneToOneField(
        "wagtailcore.Page", on_delete=models.CASCADE, related_name="security_fingerprint", verbose_name=_("页面")
    )
    revision = models.ForeignKey(
        "wagtailcore.Revision",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("版本"),
    )
    url = models.CharField(_("地址"), max_length=500)
    content_sha256 = models.CharField(_("正文区域摘要"), max_length=64)
    chrome_sha256 = models.CharField(_("页面框架摘要"), max_length=64)
    active_elements = models.JSONField(_("主动内容与外部资源"), default=list)
    reason = models.CharField(_("原因"), max_length=16, choices=Reason.choices)
    created_at = models.DateTimeField(_("时间"), default=timezone.now)
    # Last time check_tamper found the served page matching; CMS activity before it is accounted for.
    verified_at = models.DateTimeField(_("最近一次核对一致"), null=True, blank=True)

    class Meta:
        verbose_name = _("页面指纹")
        verbose_name_plural = _("页面指纹")

    def __str__(self):
        return self.url


class TamperFinding(models.Model):
    class Kind(models.TextChoices):
        CONTENT = "content", _("页面内容被篡改")
        INJECTED = "injected", _("挂马或暗链")
        UNREACHABLE = "unreachable", _("页面无法正常访问")
        UNFINGERPRINTED = "unfingerprinted", _("页面没有发布指纹")
        FILE_ADDED = "file_added", _("新增文件")
        FILE_CHANGED = "file_changed", _("文件被修改")
        FILE_REMOVED = "file_removed", _("文件被删除")
        MANIFEST_MISSING = "manifest_missing", _("完整性清单缺失")

    page = models.ForeignKey(
        "wagtailcore.Page",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("页面"),
    )
    url = models.CharField(_("地址或文件"), max_length=500)
    kind = models.CharField(_("类别"), max_length=20, choices=Kind.choices)
    detail = models.TextField(_("详情"))
    detected_at = models.DateTimeField(_("发现时间"), default=timezone.now)
    last_seen_at = models.DateTimeField(_("最近一次发现"), default=timezone.now)
    resolved = models.BooleanField(_("已处置"), default=False)
    resolved_at = models.DateTimeField(_("处置时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("篡改监测发现")
        verbose_name_plural = _("篡改监测发现")
        ordering = ["-detected_at", "-pk"]
        indexes = [models.Index(fields=["resolved", "kind"])]

    def __str__(self):
        return f"{self.get_kind_display()} {self.url}"
