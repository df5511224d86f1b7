"""互动交流: message boards (县长信箱, 咨询投诉, 建言献策) and the letters the public writes to them.

A letter has an owner (the handling unit) and a clock in working days (site_pages.letters.clock); every
handling step is a ``MessageEvent``. The writer's contact details are shown only to the units handling the
letter and each view is audited; the public sees a published letter with its reply, masked.
"""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.models import Page

from cms import mediastorage

from ..fields import EditorRichTextField
from .base import PortalPage, column_takes


def private_storage():
    """Attachments carry the writer's documents and photos, so they never live under the public MEDIA_ROOT."""
    location = getattr(settings, "LETTER_FILES_ROOT", settings.BASE_DIR / "var" / "private" / "letters")
    return mediastorage.private_storage(location, "letters")


class LetterType(models.TextChoices):
    CONSULT = "consult", _("咨询")
    COMPLAINT = "complaint", _("投诉")
    SUGGESTION = "suggestion", _("建议")
    HELP = "help", _("求助")
    OTHER = "other", _("其他")


class LetterStatus(models.TextChoices):
    PENDING = "pending", _("待受理")
    ACCEPTED = "accepted", _("已受理")
    REFUSED = "refused", _("不予受理")
    TRANSFERRED = "transferred", _("已转办")
    IN_PROGRESS = "in_progress", _("办理中")
    REPLY_DRAFTED = "reply_drafted", _("答复待审核")
    CLOSED = "closed", _("已办结")


# Letters whose clock runs: not refused and not yet answered.
OPEN_STATUSES = (
    LetterStatus.PENDING,
    LetterStatus.ACCEPTED,
    LetterStatus.TRANSFERRED,
    LetterStatus.IN_PROGRESS,
    LetterStatus.REPLY_DRAFTED,
)


class RefusalReason(models.TextChoices):
    # 网上信访 and 纪检举报 have their own statutory channels and are outside the board's clock.
    PETITION = "petition", _("属于信访事项，请通过信访渠道反映")
    DISCIPLINE = "discipline", _("属于纪检监察举报，请向纪检监察机关举报")
    DUPLICATE = "duplicate", _("重复留言")
    ABUSIVE = "abusive", _("含有辱骂、攻击等不文明内容")
    OUT_OF_SCOPE = "out_of_scope", _("不属于本信箱受理范围")


# Refusals that the national rule takes out of the consultation clock and the veto count.
CLOCK_EXEMPT_REASONS = (RefusalReason.PETITION, RefusalReason.DISCIPLINE)


class Satisfaction(models.TextChoices):
    SATISFIED = "satisfied", _("满意")
    BASICALLY = "basically", _("基本满意")
    UNSATISFIED = "unsatisfied", _("不满意")


class MessageBoardPage(RoutablePageMixin, PortalPage):
    """A board the public writes to; letters go to its default unit until the intake transfers them."""

    intro = EditorRichTextField(_("受理范围和须知"), blank=True)
    default_unit = models.ForeignKey(
        "organisation.Unit",
        verbose_name=_("默认办理单位"),
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("新留言先交由该单位受理，可再转办给其他单位。"),
    )
    warning_days = models.PositiveSmallIntegerField(
        _("预警时限（工作日）"), default=5, validators=[MinValueValidator(1), MaxValueValidator(60)]
    )
    deadline_days = models.PositiveSmallIntegerField(
        _("答复时限（工作日）"), default=10, validators=[MinValueValidator(1), MaxValueValidator(60)]
    )
    publish_letters = models.BooleanField(
        _("公开留言和答复"), default=True, help_text=_("公开的留言经写信人同意后，连同答复在本栏目展示。")
    )

    parent_page_types = ["site_pages.ColumnPage"]
    subpage_types = []

    content_panels = Page.content_panels + [
        FieldPanel("intro"),
        MultiFieldPanel(
            [
                FieldPanel("default_unit"),
                FieldRowPanel([FieldPanel("warning_days"), FieldPanel("deadline_days")]),
                FieldPanel("publish_letters"),
            ],
            heading=_("办理规则"),
        ),
    ]
    settings_panels = [FieldPanel("owning_unit", permission="organisation.change_unit")]

    class Meta:
        verbose_name = _("留言信箱")
        verbose_name_plural = _("留言信箱")

    @classmethod
    def can_create_at(cls, parent):
        # A 动态 or 通知公告 column holds only its own content types.
        return super().can_create_at(parent) and column_takes(parent.specific, cls)

    def clean(self):
        from django.core.exceptions import ValidationError

        super().clean()
        if self.warning_days and self.deadline_days and self.warning_days >= self.deadline_days:
            raise ValidationError({"warning_days": _("预警时限应短于答复时限。")})

    @path("")
    def index(self, request):
        from ..letters import public

        return public.board(self, request)

    @path("write/")
    def write(self, request):
        from ..letters import public

        return public.write(self, request)

    @path("query/")
    def query(self, request):
        from ..letters import public

        return public.query(self, request)

    @path("statistics/")
    def statistics(self, request):
        from ..letters import statistics_views

        return statistics_views.public_statistics(self, request)

    @path("<int:letter_id>/")
    def letter(self, request, letter_id):
        from ..letters import public

        return public.letter(self, request, letter_id)


class Message(models.Model):
    """One letter. The writer's mobile is required (to call back) and never shown to the public."""

    board = models.ForeignKey(
        MessageBoardPage, on_delete=models.PROTECT, related_name="messages", verbose_name=_("信箱")
    )
    receipt_number = models.CharField(_("留言编号"), max_length=20, unique=True, editable=False)
    query_code_hash = models.CharField(max_length=64, editable=False)
    # One token per rendered form: a second POST of the same form finds the first letter instead of a new one.
    submission_token = models.CharField(max_length=64, unique=True, editable=False)

    letter_type = models.CharField(_("留言类型"), max_length=20, choices=LetterType.choices)
    subject = models.CharField(_("标题"), max_length=100)
    content = models.TextField(_("留言内容"))
    name = models.CharField(_("姓名"), max_length=50)
    show_name = models.BooleanField(_("公开时显示姓名"), default=False)
    mobile = models.CharField(_("手机号码"), max_length=20)
    email = models.EmailField(_("电子邮箱"), blank=True)
    consent_to_publish = models.BooleanField(_("同意公开"), default=False)
    submitted_at = models.DateTimeField(_("提交时间"), auto_now_add=True, db_index=True)

    # Held letters contained blocked terms; an intake officer screens them before anything else happens.
    held_for_screening = models.BooleanField(_("待甄别"), default=False)
    screening_findings = models.JSONField(_("自动检查发现"), default=list, blank=True)

    status = models.CharField(
        _("办理状态"), max_length=20, choices=LetterStatus.choices, default=LetterStatus.PENDING, db_index=True
    )
    handling_unit = models.ForeignKey(
        "organisation.Unit",
        verbose_name=_("办理单位"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="letters",
    )
    accepted_at = models.DateTimeField(_("受理时间"), null=True, blank=True)
    refusal_reason = models.CharField(_("不予受理理由"), max_length=20, choices=RefusalReason.choices, blank=True)
    refusal_note = models.TextField(_("不予受理说明"), blank=True)

    # The published reply; drafts and their approval live in the handling records until approved.
    reply_text = models.TextField(_("答复内容"), blank=True)
    reply_unit = models.ForeignKey(
        "organisation.Unit",
        verbose_name=_("答复单位"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    replied_at = models.DateTimeField(_("答复时间"), null=True, blank=True)
    published = models.BooleanField(_("已公开"), default=False, db_index=True)

    satisfaction = models.CharField(_("满意度评价"), max_length=20, choices=Satisfaction.choices, blank=True)
    rated_at = models.DateTimeField(_("评价时间"), null=True, blank=True)

    personal_data_purged_at = models.DateTimeField(_("个人信息清除时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("留言")
        verbose_name_plural = _("留言")
        ordering = ["-submitted_at", "-pk"]
        indexes = [models.Index(fields=["board", "published", "-replied_at"])]

    def __str__(self):
        return f"{self.receipt_number} {self.subject}"

    @property
    def is_open(self):
        return self.status in OPEN_STATUSES

    @property
    def clock_exempt(self):
        return self.status == LetterStatus.REFUSED and self.refusal_reason in CLOCK_EXEMPT_REASONS


class MessageAttachment(models.Model):
    """An image or PDF the writer attached; stored outside MEDIA_ROOT and served only to handlers."""

    message = models.ForeignKey(Message, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(_("附件"), upload_to="%Y/%m/", storage=private_storage)
    original_name = models.CharField(_("原文件名"), max_length=200)
    size = models.PositiveIntegerField(_("大小（字节）"))

    class Meta:
        verbose_name = _("留言附件")
        verbose_name_plural = _("留言附件")

    def __str__(self):
        return self.original_name


class MessageAction(models.TextChoices):
    SUBMITTED = "submitted", _("提交留言")
    HELD = "held", _("自动检查后待甄别")
    SCREENED = "screened", _("甄别通过")
    ACCEPTED = "accepted", _("受理")
    REFUSED = "refused", _("不予受理")
    TRANSFERRED = "transferred", _("转办")
    REASSIGNED = "reassigned", _("改派")
    STARTED = "started", _("开始办理")
    DRAFTED = "drafted", _("起草答复")
    APPROVED = "approved", _("审核通过答复")
    SENT_BACK = "sent_back", _("退回重办")
    CLOSED = "closed", _("办结并公开")
    INSTRUCTION = "instruction", _("领导批示")
    SUPERVISION = "supervision", _("督办")
    RATED = "rated", _("评价答复")
    CONTACT_VIEWED = "contact_viewed", _("查看联系方式")
    PURGED = "purged", _("清除个人信息")


class MessageEvent(models.Model):
    """One recorded step: who, when, what, with the comment and the unit it concerned."""

    message = models.ForeignKey(Message, on_delete=models.CASCADE, related_name="events")
    action = models.CharField(_("操作"), max_length=20, choices=MessageAction.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("操作人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    unit = models.ForeignKey(
        "organisation.Unit",
        verbose_name=_("相关单位"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    comment = models.TextField(_("说明"), blank=True)
    at = models.DateTimeField(_("时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("办理记录")
        verbose_name_plural = _("办理记录")
        ordering = ["at", "pk"]

    def __str__(self):
        return f"{self.message_id} {self.get_action_display()}"
