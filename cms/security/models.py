from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.serializers.json import DjangoJSONEncoder
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


class AuditImmutableError(PermissionDenied):
    """Raised on any attempt to change or remove an audit entry (a 403 when it reaches a view)."""


class AuditQuerySet(models.QuerySet):
    """Audit entries are append-only: bulk changes through the ORM are refused.

    The only way out of the table is ``purge_archived``, called by archive_audit after the
    entries are safely written to an archive file.
    """

    def update(self, **kwargs):
        raise AuditImmutableError(_("审计记录不可修改。"))

    def delete(self):
        raise AuditImmutableError(_("审计记录不可删除，只能在保存期满后用 archive_audit 命令归档。"))

    def bulk_update(self, objs, fields, batch_size=None):
        raise AuditImmutableError(_("审计记录不可修改。"))

    update.queryset_only = True
    delete.queryset_only = True

    def purge_archived(self, pks):
        """Remove archived entries; archive_audit is the only caller."""
        return models.QuerySet.delete(self.filter(pk__in=pks))


class AuditEntry(models.Model):
    class Result(models.TextChoices):
        SUCCESS = "success", _("成功")
        FAILURE = "failure", _("失败")

    timestamp = models.DateTimeField(_("时间"), default=timezone.now, db_index=True)
    action = models.CharField(_("事件"), max_length=64, db_index=True)
    result = models.CharField(_("结果"), max_length=10, choices=Result.choices, default=Result.SUCCESS)
    # No database constraint and no cascade: deleting a user or a content type must neither delete
    # nor rewrite the evidence, so the name is also kept as text.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
        verbose_name=_("用户"),
    )
    username = models.CharField(_("用户名"), max_length=150, blank=True, db_index=True)
    ip_address = models.GenericIPAddressField(_("地址"), null=True, blank=True)
    content_type = models.ForeignKey(
        "contenttypes.ContentType",
        null=True,
        blank=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
        verbose_name=_("对象类型"),
    )
    object_id = models.CharField(_("对象编号"), max_length=255, blank=True)
    object_repr = models.CharField(_("对象"), max_length=255, blank=True)
    detail = models.TextField(_("详情"), blank=True)
    data = models.JSONField(_("附加数据"), default=dict, blank=True, encoder=DjangoJSONEncoder)

    objects = AuditQuerySet.as_manager()

    class Meta:
        verbose_name = _("审计记录")
        verbose_name_plural = _("审计记录")
        ordering = ["-timestamp", "-pk"]
        # Only reading exists as a permission: nobody can be granted editing or deleting.
        default_permissions = ("view",)
        indexes = [models.Index(fields=["action", "timestamp"]), models.Index(fields=["content_type", "object_id"])]

    def __str__(self):
        return f"{self.timestamp:%Y-%m-%d %H:%M:%S} {self.action} {self.username}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise AuditImmutableError(_("审计记录不可修改。"))
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AuditImmutableError(_("审计记录不可删除，只能在保存期满后用 archive_audit 命令归档。"))


class Handover(models.Model):
    """One 人员调离: who left, who took over, and everything that moved (summary)."""

    # PROTECT: departing staff are deactivated, never deleted, so the hand-over stays provable.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="handovers_given", verbose_name=_("调离人员")
    )
    successor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="handovers_received",
        verbose_name=_("接替人员"),
    )
    performed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("经办人"),
    )
    created_at = models.DateTimeField(_("办理时间"), default=timezone.now)
    reason = models.TextField(_("调离原因"), blank=True)
    summary = models.JSONField(_("交接内容"), default=dict, encoder=DjangoJSONEncoder)

    class Meta:
        verbose_name = _("人员调离交接")
        verbose_name_plural = _("人员调离交接")
        ordering = ["-created_at", "-pk"]
        default_permissions = ("add", "view")

    def __str__(self):
        return f"{self.user} → {self.successor}"


class PasswordState(models.Model):
    """When a user's password was last set, and whether they must change it before working.

    ``must_change`` is set when somebody else set the password (an administrator creating the account or
    resetting it): the initial password is known to two people, so its owner replaces it at first login.
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="password_state", verbose_name=_("用户")
    )
    changed_at = models.DateTimeField(_("密码设置时间"), default=timezone.now)
    must_change = models.BooleanField(_("须修改密码"), default=False)
    # The last expiry reminder e-mailed, so the daily command sends each reminder once.
    reminded_at = models.DateTimeField(_("最近一次到期提醒"), null=True, blank=True)

    class Meta:
        verbose_name = _("密码状态")
        verbose_name_plural = _("密码状态")

    def __str__(self):
        return str(self.user)


class PasswordHistory(models.Model):
    """Hashes of a user's recent passwords, so none of the last few can be chosen again."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="password_history", verbose_name=_("用户")
    )
    password = models.CharField(_("密码摘要"), max_length=128)
    created_at = models.DateTimeField(_("设置时间"), default=timezone.now)

    class Meta:
        verbose_name = _("历史密码")
        verbose_name_plural = _("历史密码")
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"{self.user} {self.created_at:%Y-%m-%d}"


class CheckedPdf(models.Model):
    """A PDF content that passed the parse check at upload (pdfcheck.inspect_pdf).

    Keyed by the SHA-1 that Wagtail stores as `Document.file_hash`: only a document whose file has
    this hash is served inline; any other PDF (older uploads, files put in place by code) is a download.
    """

    sha1 = models.CharField(max_length=40, unique=True)
    checked_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("已检查的 PDF")
        verbose_name_plural = _("已检查的 PDF")

    def __str__(self):
        return self.sha1
