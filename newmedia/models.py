"""政务新媒体 registry (台账): one row per government new-media account and who answers for it.

The account carries its owning unit, its lifecycle state (``newmedia.lifecycle`` moves it), the two people
responsible for it (责任人 and 副责任人, whose departure triggers 口令更换 through the hand-over in
``cms.security``) and the registry fields of the regulation (articles 5, 7-10, 30). Every lifecycle step is an
``AccountEvent``; the steps that must be filed (备案) carry the supervisor's and the cyberspace office's
acknowledgements.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import FileExtensionValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.fields import StreamField
from wagtail.images.blocks import ImageChooserBlock
from wagtail.models import DraftStateMixin, LockableMixin, RevisionMixin, WorkflowMixin

from workflows.reposts import RepostSourceMixin

# Uploads are parsed like every other entry point's (cms.security.uploads): an avatar or QR code is a
# plain picture; an approval or notice is a document or its scan.
ACCOUNT_IMAGE_EXTENSIONS = ["jpg", "jpeg", "png"]
EVENT_DOCUMENT_EXTENSIONS = ["pdf", "ofd", "doc", "docx", "jpg", "jpeg", "png"]


def validate_image(upload):
    # Imported here: cms.security.uploads loads models of its own.
    from cms.security.uploads import validate_image_upload

    validate_image_upload(upload)


def validate_document(upload):
    from cms.security.uploads import validate_document_upload

    validate_document_upload(upload)


ACCOUNT_IMAGE_VALIDATORS = [FileExtensionValidator(ACCOUNT_IMAGE_EXTENSIONS), validate_image]
EVENT_DOCUMENT_VALIDATORS = [FileExtensionValidator(EVENT_DOCUMENT_EXTENSIONS), validate_document]


class Platform(models.TextChoices):
    WECHAT = "wechat", _("微信公众号")
    WECHAT_CHANNELS = "wechat_channels", _("微信视频号")
    WEIBO = "weibo", _("微博")
    DOUYIN = "douyin", _("抖音")
    KUAISHOU = "kuaishou", _("快手")
    TOUTIAO = "toutiao", _("今日头条")
    APP = "app", _("移动客户端")
    OTHER = "other", _("其他（见平台名录）")


class AccountStatus(models.TextChoices):
    APPLIED = "applied", _("开设申请中")
    APPROVED = "approved", _("已获批复")
    REGISTERED = "registered", _("已报送全国系统")
    ACTIVE = "active", _("运营中")
    CLOSING = "closing", _("关停公示中")
    DEREGISTERED = "deregistered", _("已注销")
    REJECTED = "rejected", _("未获批准")
    WITHDRAWN = "withdrawn", _("已撤回")


# An application refused by 资阳市政府办公室 or withdrawn ends here: the account never existed on the platform,
# so it keeps no name or platform from a new application of the unit.
ENDED_APPLICATION_STATUSES = (AccountStatus.REJECTED, AccountStatus.WITHDRAWN)


class ClosureReason(models.TextChoices):
    """Article 9: why an account is closed and deregistered."""

    NO_RESOURCES = "no_resources", _("无经费、无人员保障")
    MOSTLY_REPOSTS = "mostly_reposts", _("以转载为主")
    NO_ORIGINAL = "no_original", _("无原创内容")
    LOW_ATTENTION = "low_attention", _("关注度低")


class PlatformOption(models.Model):
    """A platform outside the built-in list (平台名录), kept by the county office."""

    name = models.CharField(_("平台名称"), max_length=60, unique=True)
    active = models.BooleanField(_("启用"), default=True)

    class Meta:
        verbose_name = _("新媒体平台")
        verbose_name_plural = _("新媒体平台名录")
        ordering = ["name"]

    def __str__(self):
        return self.name


class PlatformException(models.Model):
    """An approved exception: the unit may run more than one account on the platform."""

    unit = models.ForeignKey("organisation.Unit", on_delete=models.CASCADE, verbose_name=_("单位"))
    platform = models.CharField(_("平台"), max_length=32, choices=Platform.choices)
    other_platform = models.ForeignKey(
        PlatformOption, null=True, blank=True, on_delete=models.CASCADE, verbose_name=_("名录中的平台")
    )
    document_number = models.CharField(_("批准文号"), max_length=100)
    approved_on = models.DateField(_("批准日期"))
    note = models.TextField(_("说明"), blank=True)

    class Meta:
        verbose_name = _("同平台多账号例外")
        verbose_name_plural = _("同平台多账号例外")
        ordering = ["unit__name", "platform"]

    def __str__(self):
        platform = self.other_platform.name if self.other_platform_id else self.get_platform_display()
        return f"{self.unit}：{platform}（{self.document_number}）"


class NewMediaAccount(models.Model):
    platform = models.CharField(_("平台"), max_length=32, choices=Platform.choices)
    other_platform = models.ForeignKey(
        PlatformOption,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="accounts",
        verbose_name=_("名录中的平台"),
        help_text=_("平台选“其他”时，从平台名录中选择。"),
    )
    name = models.CharField(_("账号名称"), max_length=200)
    account_id = models.CharField(_("平台账号（ID）"), max_length=200, blank=True)
    unit = models.ForeignKey(
        "organisation.Unit", on_delete=models.PROTECT, related_name="newmedia_accounts", verbose_name=_("主办单位")
    )
    status = models.CharField(_("状态"), max_length=16, choices=AccountStatus.choices, default=AccountStatus.APPLIED)
    verified_entity = models.CharField(
        _("认证主体"), max_length=200, blank=True, help_text=_("必须是机关或单位，不得以个人身份认证。")
    )
    avatar = models.ImageField(
        _("头像"), upload_to="newmedia/avatars/", blank=True, validators=ACCOUNT_IMAGE_VALIDATORS
    )
    qr_code = models.ImageField(
        _("二维码"), upload_to="newmedia/qrcodes/", blank=True, validators=ACCOUNT_IMAGE_VALIDATORS
    )
    purpose = models.TextField(_("功能定位"), blank=True)
    justification = models.TextField(_("开设理由"), blank=True)
    opened_on = models.DateField(_("开通日期"), null=True, blank=True)
    contractor = models.CharField(_("承办机构"), max_length=200, blank=True, help_text=_("委托第三方运维时填写。"))
    contractor_nda_on = models.DateField(_("保密协议签订日期"), null=True, blank=True)
    contractor_contract_end = models.DateField(_("委托合同截止日期"), null=True, blank=True)
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
    last_updated_at = models.DateTimeField(_("最近发文时间"), null=True, blank=True)
    # Set by the hand-over when the responsible person or deputy leaves; cleared when the unit records the change.
    password_change_required = models.BooleanField(_("须更换口令"), default=False)
    # Only the date of the change is kept, never the password itself.
    password_changed_at = models.DateTimeField(_("最近一次更换口令"), null=True, blank=True)
    approval_document_number = models.CharField(_("资阳市政府办公室批复文号"), max_length=100, blank=True)
    approved_on = models.DateField(_("批复日期"), null=True, blank=True)
    nationally_registered_on = models.DateField(_("全国政务新媒体信息报送系统报送日期"), null=True, blank=True)
    closure_reason = models.CharField(_("关停理由"), max_length=20, choices=ClosureReason.choices, blank=True)
    notice_start = models.DateField(_("关停公示开始"), null=True, blank=True)
    notice_end = models.DateField(_("关停公示结束"), null=True, blank=True)
    deregistered_on = models.DateField(_("注销日期（全国系统）"), null=True, blank=True)
    provincial_notice_count = models.PositiveSmallIntegerField(_("省政府办公厅通报次数"), default=0)
    forced_closure = models.BooleanField(_("应予强制关停"), default=False)

    class Meta:
        verbose_name = _("政务新媒体账号")
        verbose_name_plural = _("政务新媒体账号")
        ordering = ["unit__name", "platform", "name"]
        # A platform from the list (其他) is told apart by the list entry: a unit keeps one name on all of them.
        constraints = [
            models.UniqueConstraint(
                fields=["platform", "name"],
                condition=~models.Q(platform="other") & ~models.Q(status__in=ENDED_APPLICATION_STATUSES),
                name="newmedia_account_unique_platform_name",
                violation_error_message=_("该平台已登记同名的政务新媒体账号。"),
            ),
            models.UniqueConstraint(
                fields=["other_platform", "name"],
                condition=models.Q(platform="other") & ~models.Q(status__in=ENDED_APPLICATION_STATUSES),
                name="newmedia_account_unique_listed_platform_name",
                violation_error_message=_("该平台已登记同名的政务新媒体账号。"),
            ),
        ]

    def __str__(self):
        return f"{self.platform_label}：{self.name}"

    def save(self, *args, **kwargs):
        # Recording the change clears the hand-over's request for it.
        if self.pk and not self.password_change_required:
            previous = NewMediaAccount.objects.filter(pk=self.pk).values_list("password_change_required", flat=True)
            if previous and previous[0]:
                self.password_changed_at = timezone.now()
                if kwargs.get("update_fields") is not None:
                    kwargs["update_fields"] = {*kwargs["update_fields"], "password_changed_at"}
        super().save(*args, **kwargs)

    @property
    def platform_label(self):
        if self.platform == Platform.OTHER and self.other_platform_id:
            return self.other_platform.name
        return self.get_platform_display()


class EventKind(models.TextChoices):
    APPLIED = "applied", _("开设申请")
    REVIEWED = "reviewed", _("电子政务办审核")
    SUBMITTED = "submitted", _("县政府办报批")
    APPROVED = "approved", _("批复登记")
    REJECTED = "rejected", _("不予批准登记")
    WITHDRAWN = "withdrawn", _("撤回申请")
    REGISTERED = "registered", _("全国系统报送")
    ACTIVATED = "activated", _("开通")
    CHANGE_REQUESTED = "change_requested", _("变更申请")
    CHANGE_APPROVED = "change_approved", _("变更批准")
    CLOSURE_STARTED = "closure_started", _("关停公示")
    DEREGISTERED = "deregistered", _("注销")
    NOTICE = "notice", _("省政府办公厅通报")


class AccountEvent(models.Model):
    """One lifecycle step: who, when, why, with which documents; filed ones wait for both offices."""

    account = models.ForeignKey(NewMediaAccount, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(_("事项"), max_length=20, choices=EventKind.choices)
    from_status = models.CharField(_("原状态"), max_length=16, choices=AccountStatus.choices, blank=True)
    to_status = models.CharField(_("新状态"), max_length=16, choices=AccountStatus.choices, blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("经办人")
    )
    created_at = models.DateTimeField(_("时间"), default=timezone.now)
    comment = models.TextField(_("说明"), blank=True)
    document_number = models.CharField(_("文号"), max_length=100, blank=True)
    document = models.FileField(
        _("材料"), upload_to="newmedia/documents/", blank=True, validators=EVENT_DOCUMENT_VALIDATORS
    )
    details = models.JSONField(_("内容"), default=dict, blank=True)
    filed = models.BooleanField(_("须备案"), default=False)
    supervisor_ack_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    supervisor_ack_at = models.DateTimeField(_("县政府办签收时间"), null=True, blank=True)
    cyberspace_ack_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    cyberspace_ack_at = models.DateTimeField(_("县委网信办签收时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("新媒体账号办理记录")
        verbose_name_plural = _("新媒体账号办理记录")
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"{self.account}：{self.get_kind_display()}"

    @property
    def acknowledged(self):
        return self.supervisor_ack_at is not None and self.cyberspace_ack_at is not None


class ChangeStatus(models.TextChoices):
    PENDING = "pending", _("待批准")
    APPROVED = "approved", _("已批准")


class ChangeRequest(models.Model):
    """A requested rename, new verified entity, new 责任人 or new platform ID; nothing changes before approval."""

    account = models.ForeignKey(NewMediaAccount, on_delete=models.CASCADE, related_name="change_requests")
    changes = models.JSONField(_("变更内容"))
    status = models.CharField(_("状态"), max_length=10, choices=ChangeStatus.choices, default=ChangeStatus.PENDING)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("申请人")
    )
    requested_at = models.DateTimeField(_("申请时间"), default=timezone.now)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(_("批准时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("新媒体账号变更申请")
        verbose_name_plural = _("新媒体账号变更申请")
        ordering = ["-requested_at"]

    def __str__(self):
        return f"{self.account}：{self.get_status_display()}"


class NewMediaPost(RepostSourceMixin, WorkflowMixin, DraftStateMixin, LockableMixin, RevisionMixin, models.Model):
    """A post of an account (发文): reviewed under 三审三校 like a portal page, or recorded when posted elsewhere.

    Posting to the platform is out of reach: the final approval marks the post published for the account, and
    the unit records the post's address on the platform once it is out. A post published outside the system is
    entered (or imported) directly as published, with ``recorded_outside`` set, and has no workflow.
    """

    account = models.ForeignKey(
        NewMediaAccount, on_delete=models.PROTECT, related_name="posts", verbose_name=_("发布账号")
    )
    title = models.CharField(_("标题"), max_length=200)
    text = models.TextField(_("正文"), blank=True)
    images = StreamField(
        [("image", ImageChooserBlock(label=_("图片")))], verbose_name=_("图片"), blank=True, default=list
    )
    is_repost = models.BooleanField(
        _("转载"), default=False, help_text=_("转载信息须注明来源单位和原文链接，来源限党政机关和权威媒体。")
    )
    source_organisation = models.CharField(_("来源单位"), max_length=100, blank=True)
    source_url = models.URLField(_("原文链接"), max_length=500, blank=True)
    platform_url = models.URLField(
        _("平台发布链接"), max_length=500, blank=True, help_text=_("在平台发出后，填写该条信息在平台上的链接。")
    )
    published_at = models.DateTimeField(_("发布时间"), null=True, blank=True)
    recorded_outside = models.BooleanField(_("系统外发布（补录）"), default=False)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("政务新媒体发文")
        verbose_name_plural = _("政务新媒体发文")
        ordering = ["-published_at", "-pk"]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        # Publishing (the final approval) saves the object live: that moment is the post's publication.
        newly_published = self.live and self.published_at is None
        if newly_published:
            self.published_at = self.last_published_at or timezone.now()
            if kwargs.get("update_fields") is not None:
                kwargs["update_fields"] = {*kwargs["update_fields"], "published_at"}
        super().save(*args, **kwargs)
        if self.live and self.published_at is not None:
            note_post(self.account_id, self.published_at)

    @property
    def owning_unit_id(self):
        # The workflow's stages are the account's unit's reviewers.
        return self.account.unit_id if self.account_id else None

    @property
    def owning_unit(self):
        return self.account.unit if self.account_id else None

    def clean(self):
        super().clean()
        errors = self.repost_source_errors()
        if errors:
            raise ValidationError(errors)


def note_post(account_id, published_at):
    """The account's 最近发文时间 follows its newest post; an older post recorded late leaves it alone."""
    NewMediaAccount.objects.filter(pk=account_id).filter(
        models.Q(last_updated_at__isnull=True) | models.Q(last_updated_at__lt=published_at)
    ).update(last_updated_at=published_at)


# The public page and the fake-account reports (issue 14 §5) live in their own module.
from .public import FakeAccountReport, NewMediaDirectoryPage, ReportStep  # noqa: E402, F401
