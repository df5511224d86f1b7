"""依申请公开: requests from the public, their statutory clock, and the annual report page."""

import hashlib
import secrets
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import IntegrityError, models, transaction
from django.db.models import F
from django.http import HttpResponse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.http import content_disposition_header
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, FieldRowPanel, HelpPanel, MultiFieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path

from cms import mediastorage
from disclosure.statutory import WithholdingReason
from site_pages.fields import EditorRichTextField
from site_pages.models.base import PortalPage

from .choices import (
    ApplicantCategory,
    ApplicantType,
    DeliveryMethod,
    EventAction,
    IdType,
    Outcome,
    OutcomeReason,
    ResponseForm,
    Status,
)

# Query codes avoid look-alike characters (0/O, 1/l/I) because applicants copy them from paper and
# type them back; 16 characters of this 31-letter alphabet carry 79 random bits.
QUERY_CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
QUERY_CODE_LENGTH = 16
QUERY_CODE_GROUP = 4
REVIEW_GROUPS = ("review", "direct_suit", "after_review_suit")
REVIEW_RESULTS = ("upheld", "corrected", "other", "pending")


def private_storage():
    """Reply documents name the applicant, so they never live under the public MEDIA_ROOT.

    They are served only through the admin view that checks access to the request.
    """
    location = getattr(settings, "DISCLOSURE_REQUEST_FILES_ROOT", settings.BASE_DIR / "var" / "private")
    return mediastorage.private_storage(location, "")


def hash_secret(secret):
    # The secret has at least 79 random bits, so a fast unsalted hash cannot be reversed by guessing.
    return hashlib.sha256(secret.encode()).hexdigest()


def new_query_code():
    return "".join(secrets.choice(QUERY_CODE_ALPHABET) for _ in range(QUERY_CODE_LENGTH))


def format_query_code(code):
    """XXXX-XXXX-XXXX-XXXX, for reading aloud and copying by hand; the dashes are not part of the code."""
    return "-".join(code[i : i + QUERY_CODE_GROUP] for i in range(0, len(code), QUERY_CODE_GROUP))


def canonical_query_code(text):
    """What the applicant typed, as the code was hashed: dashes and spaces dropped, upper case."""
    return "".join(ch for ch in text if ch.isalnum()).upper()


def publishing_units():
    """The agencies a request can be addressed to: active units that publish a catalogue (发布机构)."""
    from cms.organisation.models import Unit
    from disclosure.models import UnitCataloguePage

    return Unit.objects.active().filter(pk__in=UnitCataloguePage.objects.live().values("owning_unit"))


class ReceiptCounter(models.Model):
    """The last receipt serial issued per year; incremented with an atomic UPDATE so that
    concurrent submissions never share a number."""

    year = models.PositiveIntegerField(primary_key=True)
    last = models.PositiveIntegerField(default=0)

    def __str__(self):
        return f"{self.year}: {self.last}"

    @classmethod
    def next_number(cls, year):
        with transaction.atomic():
            try:
                with transaction.atomic():
                    cls.objects.get_or_create(year=year)
            except IntegrityError:
                pass  # another submission created this year's row first; the UPDATE below still works
            cls.objects.filter(year=year).update(last=F("last") + 1)
            serial = cls.objects.get(year=year).last
        return f"YSQ{year}-{serial:05d}"


class RateLimitWindow(models.Model):
    """A rate-limit window counted in the database while the cache (Redis) is unreachable (see ratelimit)."""

    key = models.CharField(max_length=200, unique=True)
    count = models.PositiveIntegerField(default=0)
    expires_at = models.DateTimeField(db_index=True)

    def __str__(self):
        return f"{self.key}: {self.count}"


class DisclosureRequestQuerySet(models.QuerySet):
    def open(self):
        return self.filter(status__in=[Status.RECEIVED, Status.SUPPLEMENT, Status.CONSULTING])

    def purgeable(self, before):
        """Closed requests answered before `before` whose personal data is still held.

        A request is closed once answered (已答复 or 已归档); the reply date is the closing date, since
        archiving is a later filing step that staff may put off.
        """
        return self.filter(
            status__in=[Status.ANSWERED, Status.ARCHIVED],
            answered_on__lt=before,
            personal_data_purged_at__isnull=True,
        )


class DisclosureRequest(models.Model):
    """One application. Only what 条例 第二十九条 requires is stored: who (name, identity document,
    contact), what information, and in which form it is wanted."""

    receipt_number = models.CharField(_("受理编号"), max_length=20, unique=True, editable=False)
    secret_hash = models.CharField(max_length=64, editable=False)

    applicant_type = models.CharField(_("申请人类型"), max_length=20, choices=ApplicantType.choices)
    applicant_category = models.CharField(_("申请人类别"), max_length=20, choices=ApplicantCategory.choices)
    name = models.CharField(_("姓名或名称"), max_length=100)
    id_type = models.CharField(_("证件类型"), max_length=20, choices=IdType.choices)
    id_number = models.CharField(_("证件号码"), max_length=30)
    contact_person = models.CharField(_("联系人"), max_length=50, blank=True)
    phone = models.CharField(_("联系电话"), max_length=30)
    email = models.EmailField(_("电子邮箱"), blank=True)
    address = models.CharField(_("通信地址"), max_length=200, blank=True)

    description = models.TextField(_("所需信息的内容描述"), max_length=2000)
    document_number = models.CharField(_("所需信息的文号"), max_length=100, blank=True)
    purpose = models.CharField(_("所需信息的用途"), max_length=500, blank=True)
    response_form = models.CharField(_("信息提供形式"), max_length=20, choices=ResponseForm.choices)
    delivery_method = models.CharField(_("获取方式"), max_length=20, choices=DeliveryMethod.choices)

    agency = models.ForeignKey(
        "organisation.Unit",
        verbose_name=_("受理机关"),
        help_text=_("申请人选择的行政机关（发布机构）；早期申请未选择。"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="addressed_disclosure_requests",
    )
    submitted_at = models.DateTimeField(_("提交时间"), default=timezone.now)
    received_on = models.DateField(_("收到申请日期"))
    handling_unit = models.ForeignKey(
        "organisation.Unit",
        verbose_name=_("承办单位"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="disclosure_requests",
    )
    status = models.CharField(_("状态"), max_length=20, choices=Status.choices, default=Status.RECEIVED)
    clock_start = models.DateField(
        _("答复期限起算日"), help_text=_("收到申请之日（非工作日收到的顺延至下一工作日），补正后为收到补正之日。")
    )

    supplement_requested_on = models.DateField(_("告知补正日期"), null=True, blank=True)
    supplement_note = models.TextField(_("补正事项"), blank=True)
    supplement_received_on = models.DateField(_("收到补正日期"), null=True, blank=True)

    extension_days = models.PositiveSmallIntegerField(_("延长工作日数"), default=0)
    extension_reason = models.TextField(_("延期理由"), blank=True)
    extension_approved_on = models.DateField(_("延期批准日期"), null=True, blank=True)
    extension_approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("延期批准人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    outcome = models.CharField(_("答复类型"), max_length=20, choices=Outcome.choices, blank=True)
    withholding_reason = models.CharField(
        _("不予公开理由"), max_length=30, choices=WithholdingReason.choices, blank=True
    )
    outcome_reason = models.CharField(_("具体情形"), max_length=20, choices=OutcomeReason.choices, blank=True)
    answered_on = models.DateField(_("答复日期"), null=True, blank=True)
    reply_document = models.FileField(
        _("答复书"), upload_to="disclosure_requests/replies/%Y/", storage=private_storage, blank=True
    )
    reply_note = models.TextField(_("答复说明"), blank=True)
    archived_on = models.DateField(_("归档日期"), null=True, blank=True)
    personal_data_purged_at = models.DateTimeField(_("个人信息清除时间"), null=True, blank=True, editable=False)

    objects = DisclosureRequestQuerySet.as_manager()

    class Meta:
        verbose_name = _("政府信息公开申请")
        verbose_name_plural = _("政府信息公开申请")
        ordering = ["-submitted_at", "-pk"]
        indexes = [
            models.Index(fields=["received_on"]),
            models.Index(fields=["answered_on"]),
            models.Index(fields=["status"]),
        ]

    def __str__(self):
        return self.receipt_number

    def issue_receipt(self):
        """Give a new request its receipt number and query code; returns the code, which is never stored."""
        secret = new_query_code()
        self.secret_hash = hash_secret(secret)
        self.receipt_number = ReceiptCounter.next_number(self.received_on.year)
        return secret

    @cached_property
    def clock(self):
        from .clock import request_clock

        return request_clock(self)


class ConsultationPeriod(models.Model):
    """征求第三方意见: the time it takes is not counted in the answer deadline (条例 第三十二条)."""

    request = models.ForeignKey(DisclosureRequest, on_delete=models.CASCADE, related_name="consultations")
    third_party = models.CharField(_("第三方"), max_length=200)
    started_on = models.DateField(_("发出征求意见日期"))
    ended_on = models.DateField(_("征询结束日期"), null=True, blank=True)

    class Meta:
        verbose_name = _("第三方意见征询")
        verbose_name_plural = _("第三方意见征询")
        ordering = ["started_on", "pk"]

    def __str__(self):
        return self.third_party


class RequestEvent(models.Model):
    """Who changed a request's state, when, and why: the handling record (办理记录)."""

    request = models.ForeignKey(DisclosureRequest, on_delete=models.CASCADE, related_name="events")
    action = models.CharField(_("操作"), max_length=30, choices=EventAction.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("操作人"), null=True, on_delete=models.PROTECT, related_name="+"
    )
    at = models.DateTimeField(_("操作时间"), default=timezone.now)
    effective_on = models.DateField(_("业务日期"), null=True)
    note = models.TextField(_("说明"), blank=True)

    class Meta:
        verbose_name = _("办理记录")
        verbose_name_plural = _("办理记录")
        ordering = ["at", "pk"]

    def __str__(self):
        return f"{self.request} {self.get_action_display()}"


def _figure(label, help_text=""):
    return models.PositiveIntegerField(label, default=0, help_text=help_text)


def _optional_figure(label):
    return models.PositiveIntegerField(
        label, null=True, blank=True, help_text=_("留空则使用信息公开目录的系统统计数；填写则以填报数为准。")
    )


class AnnualReportPage(RoutablePageMixin, PortalPage):
    """政府信息公开工作年度报告 for one year, in the 2021 national format.

    Table 三 (requests) and the 规范性文件 row are counted by the system; everything the system has no
    source for (规章, 行政许可/处罚/强制 decisions, fees, 行政复议/诉讼) is entered by staff and marked so.
    The counted figures are frozen into the page whenever it is saved, so a published report keeps
    the figures it was approved with; saving again recounts them.
    """

    year = models.PositiveIntegerField(_("报告年度"), validators=[MinValueValidator(2008)])
    overview = EditorRichTextField(_("一、总体情况"), blank=True)
    problems = EditorRichTextField(_("五、存在的主要问题及改进情况"), blank=True)
    other_matters = EditorRichTextField(
        _("六、其他需要报告的事项"), blank=True, help_text=_("含收取信息处理费情况等。")
    )

    regulations_issued = _figure(_("规章：本年制发件数"))
    regulations_repealed = _figure(_("规章：本年废止件数"))
    regulations_in_force = _figure(_("规章：现行有效件数"))
    normative_issued = _optional_figure(_("行政规范性文件：本年制发件数"))
    normative_repealed = _optional_figure(_("行政规范性文件：本年废止件数"))
    normative_in_force = _optional_figure(_("行政规范性文件：现行有效件数"))
    licensing_decisions = _figure(_("行政许可：本年处理决定数量"))
    punishment_decisions = _figure(_("行政处罚：本年处理决定数量"))
    coercion_decisions = _figure(_("行政强制：本年处理决定数量"))
    fee_amount = models.DecimalField(
        _("行政事业性收费：本年收费金额（万元）"), max_digits=12, decimal_places=4, default=Decimal(0)
    )

    review_upheld = _figure(_("行政复议：结果维持"))
    review_corrected = _figure(_("行政复议：结果纠正"))
    review_other = _figure(_("行政复议：其他结果"))
    review_pending = _figure(_("行政复议：尚未审结"))
    direct_suit_upheld = _figure(_("未经复议直接起诉：结果维持"))
    direct_suit_corrected = _figure(_("未经复议直接起诉：结果纠正"))
    direct_suit_other = _figure(_("未经复议直接起诉：其他结果"))
    direct_suit_pending = _figure(_("未经复议直接起诉：尚未审结"))
    after_review_suit_upheld = _figure(_("复议后起诉：结果维持"))
    after_review_suit_corrected = _figure(_("复议后起诉：结果纠正"))
    after_review_suit_other = _figure(_("复议后起诉：其他结果"))
    after_review_suit_pending = _figure(_("复议后起诉：尚未审结"))

    figures = models.JSONField(default=dict, editable=False)
    figures_counted_at = models.DateTimeField(null=True, editable=False)

    parent_page_types = ["disclosure.AnnualReportIndexPage"]
    subpage_types = []
    template = "disclosure_requests/annual_report_page.html"

    content_panels = PortalPage.content_panels + [
        FieldPanel("year"),
        FieldPanel("overview"),
        MultiFieldPanel(
            [
                HelpPanel(_("以下为人工填报数据，系统无对应数据来源。行政规范性文件留空则采用系统统计数。")),
                FieldRowPanel(
                    [
                        FieldPanel("regulations_issued"),
                        FieldPanel("regulations_repealed"),
                        FieldPanel("regulations_in_force"),
                    ]
                ),
                FieldRowPanel(
                    [FieldPanel("normative_issued"), FieldPanel("normative_repealed"), FieldPanel("normative_in_force")]
                ),
                FieldRowPanel(
                    [
                        FieldPanel("licensing_decisions"),
                        FieldPanel("punishment_decisions"),
                        FieldPanel("coercion_decisions"),
                    ]
                ),
                FieldPanel("fee_amount"),
            ],
            heading=_("二、主动公开政府信息情况"),
        ),
        HelpPanel(
            _("三、收到和处理政府信息公开申请情况：由系统根据依申请公开办理数据自动统计，保存时重新统计。"),
            heading=_("三、收到和处理政府信息公开申请情况"),
        ),
        MultiFieldPanel(
            [FieldRowPanel([FieldPanel(f"{group}_{result}") for result in REVIEW_RESULTS]) for group in REVIEW_GROUPS],
            heading=_("四、政府信息公开行政复议、行政诉讼情况（人工填报）"),
        ),
        FieldPanel("problems"),
        FieldPanel("other_matters"),
    ]

    class Meta:
        verbose_name = _("政府信息公开工作年度报告")
        verbose_name_plural = _("政府信息公开工作年度报告")

    def clean(self):
        super().clean()
        if self.year and self.year > timezone.localdate().year:
            raise ValidationError({"year": _("报告年度不能晚于今年。")})
        self.count_figures()

    def count_figures(self):
        from .annual_report import catalogue_normative_figures, request_figures

        self.figures = {"requests": request_figures(self.year), "normative": catalogue_normative_figures(self.year)}
        self.figures_counted_at = timezone.now()

    def extra_search_texts(self):
        return [str(self.year)]

    # ----------------------------------------------------------------- table rows for templates and xlsx

    def request_figures_table(self):
        if not self.figures.get("requests"):
            self.count_figures()
        return self.figures["requests"]

    def proactive_document_rows(self):
        system = self.figures.get("normative") or {}
        normative = {}
        for key in ("issued", "repealed", "in_force"):
            entered = getattr(self, f"normative_{key}")
            normative[key] = entered if entered is not None else system.get(key)
        uses_system = any(
            getattr(self, f"normative_{key}") is None and system.get(key) is not None for key in normative
        )
        return [
            {
                "label": _("规章"),
                "issued": self.regulations_issued,
                "repealed": self.regulations_repealed,
                "in_force": self.regulations_in_force,
                "source": _("人工填报"),
                "system": False,
            },
            {
                "label": _("行政规范性文件"),
                **{key: value if value is not None else 0 for key, value in normative.items()},
                "source": _("系统统计（信息公开目录）") if uses_system else _("人工填报"),
                "system": uses_system,
            },
        ]

    def proactive_decision_rows(self):
        return [
            (_("行政许可"), self.licensing_decisions),
            (_("行政处罚"), self.punishment_decisions),
            (_("行政强制"), self.coercion_decisions),
        ]

    @staticmethod
    def review_column_labels():
        return [_("结果维持"), _("结果纠正"), _("其他结果"), _("尚未审结"), _("总计")]

    def review_rows(self):
        labels = {
            "review": _("行政复议"),
            "direct_suit": _("行政诉讼：未经复议直接起诉"),
            "after_review_suit": _("行政诉讼：复议后起诉"),
        }
        rows = []
        for group in REVIEW_GROUPS:
            values = [getattr(self, f"{group}_{result}") for result in REVIEW_RESULTS]
            rows.append((labels[group], [*values, sum(values)]))
        return rows

    def get_context(self, request, *args, **kwargs):
        from .annual_report import COLUMNS, request_rows

        context = super().get_context(request, *args, **kwargs)
        figures = self.request_figures_table()
        context["request_table"] = [
            (label, depth, [figures[key][c] for c in COLUMNS] if key in figures else None)
            for key, label, depth in request_rows()
        ]
        context["applicant_columns"] = ApplicantCategory.choices
        return context

    @path("xlsx/", name="xlsx")
    def xlsx(self, request):
        from .annual_report import write_xlsx

        response = HttpResponse(
            write_xlsx(self), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        )
        filename = _("%(year)d年政府信息公开工作年度报告.xlsx") % {"year": self.year}
        response["Content-Disposition"] = content_disposition_header(True, filename)
        return response
