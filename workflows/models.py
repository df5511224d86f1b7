"""三审三校: task types whose approvers come from the content's unit, check runs, consents, overrides, register.

Workflow tasks act on anything that carries an `owning_unit` (pages and workflow-enabled snippets);
nothing here imports a page type.
"""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.validators import RegexValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from wagtail.models import Task, TaskState

from cms.organisation.models import Role, Unit, UnitKind


class RejectionReason(models.TextChoices):
    """The six reasons content fails review (the regulation's 不予发布 list)."""

    SECRET_OR_SENSITIVE = "secret_sensitive", _("涉及国家秘密或敏感信息")
    AGAINST_POLICY_OR_LAW = "against_policy_law", _("违反党的路线方针政策或法律法规")
    HARMFUL_TO_OTHERS = "harmful_to_others", _("损害他人合法权益")
    UNTIMELY = "untimely", _("时效性不符或不宜发布")
    HARMFUL_TO_DEVELOPMENT = "harmful_to_development", _("不利于本县改革发展稳定")
    INACCURATE = "inaccurate", _("数据或表述不准确")


class Stage(models.TextChoices):
    REVIEW_1 = "review_1", _("一审")
    REVIEW_2 = "review_2", _("二审")
    REVIEW_3 = "review_3", _("三审（签发）")
    PROOF_1 = "proof_1", _("一校")
    PROOF_2 = "proof_2", _("二校")
    PROOF_3 = "proof_3", _("三校")
    GRADED = "graded", _("分级审核")


# The checklist the regulation gives each review level; every item must be ticked to approve.
CHECKLISTS = {
    Stage.REVIEW_1: [
        ("confidentiality", _("保密性")),
        ("conformity", _("规范性")),
        ("accuracy", _("准确性")),
        ("language", _("语言文字")),
    ],
    Stage.REVIEW_2: [
        ("factual_basis", _("事实依据")),
        ("publication_basis", _("发布依据")),
        ("document_norms", _("公文规范")),
        ("publication_value", _("发布价值")),
    ],
    Stage.REVIEW_3: [
        ("political_orientation", _("政治导向")),
        ("policy_law", _("政策法规")),
        ("social_impact", _("社会效应预判")),
    ],
    Stage.GRADED: [
        ("political_orientation", _("政治导向")),
        ("policy_law", _("政策法规")),
        ("social_impact", _("社会效应预判")),
    ],
}
PROOF_STAGES = {Stage.PROOF_1, Stage.PROOF_2, Stage.PROOF_3}
# Key added to a stage's checklist while automated-check warnings await an approver's acknowledgement.
ACKNOWLEDGE_KEY = "acknowledge_findings"
ACKNOWLEDGE_LABEL = _("已阅知自动检查提示，确认可以发布")


def checklist_labels():
    labels = {key: label for items in CHECKLISTS.values() for key, label in items}
    labels[ACKNOWLEDGE_KEY] = ACKNOWLEDGE_LABEL
    return labels


class UnitSource(models.TextChoices):
    OWNING = "owning", _("内容所属单位")
    SUPERVISOR = "supervisor", _("主管单位（县政府办公室）")


class AutomatedCheckTask(Task):
    """自动检查: scans the submitted revision; block findings send it back to the editor."""

    admin_form_fields = Task.admin_form_fields

    def get_task_state_class(self):
        return AutomatedCheckTaskState

    def start(self, workflow_state, user=None):
        from . import api

        return api.start_task(self, workflow_state, user)

    def get_actions(self, obj, user):
        return []

    @classmethod
    def get_description(cls):
        return _("提交时自动检查敏感词、涉密标识、个人信息、广告用语和转载来源，发现阻止项则退回修改。")

    class Meta:
        verbose_name = _("自动检查")
        verbose_name_plural = _("自动检查")


class UnitRoleTask(Task):
    """A review or proof stage acted on by the members of a unit holding one role."""

    stage = models.CharField(_("环节"), max_length=20, choices=Stage.choices)
    role = models.CharField(_("审核角色"), max_length=20, choices=Role.choices)
    unit_source = models.CharField(_("审核单位"), max_length=20, choices=UnitSource.choices, default=UnitSource.OWNING)

    admin_form_fields = Task.admin_form_fields + ["stage", "role", "unit_source"]
    # A task's stage is what its history and every workflow using it rely on (a sign-off stays a sign-off).
    admin_form_readonly_on_edit_fields = ["stage"]

    def get_task_state_class(self):
        return UnitTaskState

    def start(self, workflow_state, user=None):
        from . import api

        return api.start_task(self, workflow_state, user)

    def resolve_unit(self, obj):
        if self.unit_source == UnitSource.SUPERVISOR:
            return Unit.objects.active().filter(kind=UnitKind.SUPERVISOR).order_by("pk").first()
        unit_id = getattr(obj, "owning_unit_id", None)
        if unit_id:
            return Unit.objects.filter(pk=unit_id).first()
        # Portal structure without an owning unit (the home page) is reviewed by the unit that runs the portal.
        return Unit.objects.active().filter(kind=UnitKind.OPERATOR).order_by("pk").first()

    def checklist(self):
        return [key for key, _label in CHECKLISTS.get(self.stage, [])]

    @property
    def is_proof(self):
        return self.stage in PROOF_STAGES

    def user_can_access_editor(self, obj, user):
        from . import api

        return api.can_act(obj, user)

    def locked_for_user(self, obj, user):
        # Editing is allowed; an edit sends the content back to the first stage.
        return False

    def get_actions(self, obj, user):
        from . import api

        if not api.can_act(obj, user):
            return []
        return [("reject", _("退回修改"), True), ("approve", _("通过"), True)]

    def get_form_for_action(self, action):
        from .forms import ApproveForm, RejectForm

        return RejectForm if action == "reject" else ApproveForm

    def get_template_for_action(self, action):
        return "workflows/action_modal.html"

    def on_action(self, task_state, user, action_name, **kwargs):
        from . import api

        obj = task_state.workflow_state.content_object
        if action_name == "approve":
            api.approve(obj, user, comment=kwargs.get("comment", ""), checked=kwargs.get("checked", ()))
            # The review dialog follows this address, which tells the approver what happens next.
            return reverse("workflows:approved", args=[task_state.pk])
        elif action_name == "reject":
            api.reject(obj, user, reasons=kwargs.get("reasons", ()), comment=kwargs.get("comment", ""))

    def get_task_states_user_can_moderate(self, user, **kwargs):
        from .api import awaiting

        # Wagtail ORs these querysets across task types, so they must all be of the base TaskState model.
        return TaskState.objects.filter(pk__in=awaiting(user).filter(task=self).values("pk"))

    @classmethod
    def get_description(cls):
        return _("由内容所属单位（或主管单位）中担任指定角色的人员审核。")

    class Meta:
        verbose_name = _("单位角色审核")
        verbose_name_plural = _("单位角色审核")


class AutomatedCheckTaskState(TaskState):
    check_run = models.ForeignKey("CheckRun", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = _("自动检查记录")
        verbose_name_plural = _("自动检查记录")


class UnitTaskState(TaskState):
    """The unit and role are copied here when the task starts, so "awaiting me" is one query."""

    unit = models.ForeignKey(Unit, null=True, on_delete=models.PROTECT, related_name="task_states")
    role = models.CharField(_("审核角色"), max_length=20, choices=Role.choices)
    stage = models.CharField(_("环节"), max_length=20, choices=Stage.choices)
    checked = models.JSONField(_("已确认审核要点"), default=list, blank=True)
    reasons = models.JSONField(_("退回理由"), default=list, blank=True)

    def get_comment(self):
        if self.reasons:
            labels = "、".join(str(RejectionReason(r).label) for r in self.reasons if r in RejectionReason.values)
            return f"【{labels}】{self.comment}"
        return self.comment

    class Meta:
        verbose_name = _("审核环节记录")
        verbose_name_plural = _("审核环节记录")
        indexes = [models.Index(fields=["unit", "role"], name="unittaskstate_unit_role_idx")]


class ObjectRefMixin(models.Model):
    """A reference to a page or snippet by its base content type, as Wagtail's revisions do."""

    base_content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    object_id = models.CharField(max_length=255)
    content_object = GenericForeignKey("base_content_type", "object_id", for_concrete_model=False)

    class Meta:
        abstract = True

    @classmethod
    def for_object(cls, obj):
        return cls.objects.filter(base_content_type=obj.get_base_content_type(), object_id=str(obj.pk))


class CheckRun(ObjectRefMixin):
    class Phase(models.TextChoices):
        SUBMIT = "submit", _("提交时")
        PUBLISH = "publish", _("发布前")

    revision = models.ForeignKey("wagtailcore.Revision", on_delete=models.CASCADE, related_name="+")
    phase = models.CharField(_("检查时机"), max_length=10, choices=Phase.choices)
    findings = models.JSONField(_("检查发现"), default=list)
    requirements = models.JSONField(_("未满足的发布条件"), default=list)
    created_at = models.DateTimeField(_("检查时间"), auto_now_add=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    acknowledged_at = models.DateTimeField(_("确认时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("自动检查结果")
        verbose_name_plural = _("自动检查结果")
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"{self.get_phase_display()} {self.created_at:%Y-%m-%d %H:%M}"

    def blocking(self):
        return [f for f in self.findings if f.get("severity") == "block" and not f.get("overridden")]

    def warnings(self):
        return [f for f in self.findings if f.get("severity") == "warn" or f.get("overridden")]


class Consent(ObjectRefMixin):
    """联合发文会签: the written consent of a co-issuing unit's head, for one revision."""

    revision = models.ForeignKey("wagtailcore.Revision", on_delete=models.CASCADE, related_name="+")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+", verbose_name=_("会签单位"))
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("会签人")
    )
    comment = models.TextField(_("会签意见"), blank=True)
    created_at = models.DateTimeField(_("会签时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("联合发文会签")
        verbose_name_plural = _("联合发文会签")
        constraints = [models.UniqueConstraint(fields=["revision", "unit"], name="consent_once_per_unit_and_revision")]

    def __str__(self):
        return f"{self.unit} {self.user}"


class Override(ObjectRefMixin):
    """A head's recorded decision to publish despite a rule (unlisted source, unmasked personal data)."""

    class Kind(models.TextChoices):
        REPOST_SOURCE = "repost_source", _("转载来源不在权威来源名录")
        PERSONAL_DATA = "personal_data", _("公开未脱敏的个人信息")

    class LegalBasis(models.TextChoices):
        DISCIPLINARY = "disciplinary", _("惩戒公示")
        MANDATORY = "mandatory", _("强制性信息披露")

    kind = models.CharField(_("类型"), max_length=20, choices=Kind.choices)
    legal_basis = models.CharField(_("法定依据"), max_length=20, choices=LegalBasis.choices, blank=True)
    reason = models.TextField(_("理由"))
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("决定人")
    )
    created_at = models.DateTimeField(_("时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("主要负责人决定")
        verbose_name_plural = _("主要负责人决定")

    def __str__(self):
        return f"{self.get_kind_display()}：{self.reason}"


class AuthoritativeSourceLevel(models.TextChoices):
    NATIONAL = "national", _("国家级")
    PROVINCIAL = "provincial", _("省级")
    MUNICIPAL = "municipal", _("市级")
    COUNTY = "county", _("县级")
    CENTRAL_MEDIA = "central_media", _("中央媒体")
    PROVINCIAL_MEDIA = "provincial_media", _("省级媒体")


class AuthoritativeSource(models.Model):
    """权威来源名录: party/government organs and authoritative media that reposts may cite."""

    name = models.CharField(_("来源名称"), max_length=100, unique=True)
    domain = models.CharField(
        _("网站域名"), max_length=100, blank=True, help_text=_("如 gov.cn 或 www.sc.gov.cn；子域名同样认可。")
    )
    level = models.CharField(_("级别"), max_length=20, choices=AuthoritativeSourceLevel.choices)
    active = models.BooleanField(_("启用"), default=True)

    class Meta:
        verbose_name = _("权威来源")
        verbose_name_plural = _("权威来源名录")
        ordering = ["level", "name"]

    def __str__(self):
        return self.name

    def clean(self):
        self.name = self.name.strip()
        self.domain = self.domain.strip().lower().removeprefix("https://").removeprefix("http://").strip("/")


class PublicMailboxDomain(models.Model):
    """公开邮箱域名: organisations' mail domains (besides gov.cn) whose addresses are not personal data."""

    domain = models.CharField(
        _("邮箱域名"),
        max_length=100,
        unique=True,
        validators=[
            RegexValidator(
                r"^[a-z0-9-]+(\.[a-z0-9-]+)*\.[a-z]{2,}$",
                _("请填写邮箱 @ 之后的域名，如 scdaily.cn（子域名同样认可）。"),
            )
        ],
        help_text=_("邮箱地址 @ 之后的部分，如 scdaily.cn；子域名同样认可。gov.cn 及其子域名无需登记。"),
    )
    owner = models.CharField(_("所属单位"), max_length=100, blank=True)
    active = models.BooleanField(_("启用"), default=True)

    class Meta:
        verbose_name = _("公开邮箱域名")
        verbose_name_plural = _("公开邮箱域名")
        ordering = ["domain"]

    def __str__(self):
        return self.domain

    def clean_fields(self, exclude=None):
        # Pasted values often carry an @, a scheme or capitals: normalise before the validator runs.
        self.domain = (self.domain or "").strip().lower().rsplit("@", 1)[-1].removeprefix("https://")
        self.domain = self.domain.removeprefix("http://").strip("/").rstrip(".")
        super().clean_fields(exclude)


class UrlShortenerHost(models.Model):
    """短链接域名: URL-shortening services besides the built-in ones; links to them block publication."""

    domain = models.CharField(
        _("短链接域名"),
        max_length=100,
        unique=True,
        validators=[
            RegexValidator(
                r"^[a-z0-9-]+(\.[a-z0-9-]+)*\.[a-z]{2,}$",
                _("请填写短链接服务的域名，如 t.cn（子域名同样认可）。"),
            )
        ],
        help_text=_("短链接服务的域名；子域名同样认可。t.cn、dwz.cn、url.cn、bit.ly、suo.im 已内置。"),
    )
    note = models.CharField(_("说明"), max_length=100, blank=True)
    active = models.BooleanField(_("启用"), default=True)

    class Meta:
        verbose_name = _("短链接域名")
        verbose_name_plural = _("短链接域名")
        ordering = ["domain"]

    def __str__(self):
        return self.domain

    def clean_fields(self, exclude=None):
        # Pasted values often carry a scheme, a path or capitals: keep the host only.
        value = (self.domain or "").strip().lower().removeprefix("https://").removeprefix("http://")
        self.domain = value.split("/", 1)[0].rstrip(".")
        super().clean_fields(exclude)


class PublicationRecord(ObjectRefMixin):
    """信息发布登记: who reviewed, proofed and signed off one published revision, frozen at publication."""

    revision = models.ForeignKey(
        "wagtailcore.Revision", null=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("版本")
    )
    title = models.CharField(_("标题"), max_length=255)
    content_kind = models.CharField(_("信息类型"), max_length=100)
    unit = models.ForeignKey(
        Unit, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("发布单位")
    )
    unit_name = models.CharField(_("发布单位名称"), max_length=100, blank=True)
    column = models.ForeignKey(
        "wagtailcore.Page", null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("栏目")
    )
    column_title = models.CharField(_("栏目名称"), max_length=255, blank=True)
    url = models.CharField(_("网址"), max_length=500, blank=True)
    published_at = models.DateTimeField(_("发布时间"), db_index=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("发布人")
    )
    workflow_state = models.ForeignKey(
        "wagtailcore.WorkflowState", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    workflow_name = models.CharField(_("审核流程"), max_length=255, blank=True)
    emergency = models.BooleanField(_("紧急发布"), default=False)
    emergency_reason = models.TextField(_("紧急发布理由"), blank=True)
    submitted_by_name = models.CharField(_("提交人"), max_length=150, blank=True)
    submitted_at = models.DateTimeField(_("提交时间"), null=True, blank=True)
    # Snapshots: names and texts as they were at publication, so later renames do not rewrite history.
    stages = models.JSONField(_("审核环节"), default=list)
    findings = models.JSONField(_("自动检查发现"), default=list)
    acknowledgements = models.JSONField(_("提示确认"), default=list)
    overrides = models.JSONField(_("负责人决定"), default=list)
    consents = models.JSONField(_("联合发文会签"), default=list)

    class Meta:
        verbose_name = _("信息发布登记")
        verbose_name_plural = _("信息发布登记")
        ordering = ["-published_at", "-pk"]

    def __str__(self):
        return self.title
