"""For the public (issue 14 §5): the 政务新媒体矩阵 page, where citizens check that an account is genuine, and
the 假冒账号举报 (article 31) that it receives.

A report goes to the cyberspace office (县委网信办) and the supervisor (县政府办公室), is due a number of working
days after it arrives (``NEWMEDIA_REPORT_DUE_WORKING_DAYS``) and is handled in the steps 核实 → 处置 → 结果,
each recorded with who, when and what.
"""

import secrets

from django.conf import settings
from django.db import models, transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.admin.panels import FieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.models import Page

from cms.organisation.models import Membership, UnitKind
from site_pages.models.base import PortalPage

from .models import AccountStatus, NewMediaAccount, Platform

DEFAULT_DUE_WORKING_DAYS = 5
HANDLING_OFFICES = (UnitKind.CYBERSPACE, UnitKind.SUPERVISOR)
PUBLIC_STATUSES = (AccountStatus.ACTIVE, AccountStatus.CLOSING)


def due_working_days():
    return getattr(settings, "NEWMEDIA_REPORT_DUE_WORKING_DAYS", DEFAULT_DUE_WORKING_DAYS)


def public_accounts():
    """Accounts a citizen may rely on: running, or running out their closure notice."""
    return (
        NewMediaAccount.objects.filter(status__in=PUBLIC_STATUSES)
        .select_related("unit", "other_platform")
        .order_by("unit__name", "platform", "name")
    )


def directory_groups(accounts):
    """[(unit, [(platform label, [accounts])])], in the accounts' order."""
    groups = []
    for account in accounts:
        if not groups or groups[-1][0] != account.unit:
            groups.append((account.unit, []))
        platforms = groups[-1][1]
        if not platforms or platforms[-1][0] != account.platform_label:
            platforms.append((account.platform_label, []))
        platforms[-1][1].append(account)
    return groups


@receiver(post_save, sender=NewMediaAccount, dispatch_uid="newmedia_directory_refingerprint_save")
@receiver(post_delete, sender=NewMediaAccount, dispatch_uid="newmedia_directory_refingerprint_delete")
def refingerprint_directory(sender, **kwargs):
    """A registry change is an edit through the CMS of what the directory shows: its tamper-check
    fingerprint follows it (cms.security.tamper would otherwise report the changed listing)."""
    requested_at = timezone.now()
    transaction.on_commit(lambda: _refingerprint(requested_at), robust=True)


def _refingerprint(requested_at):
    from cms.security.fingerprint import record_fingerprint
    from cms.security.models import PageFingerprint

    # One rendering per transaction however many accounts it saved (the seed saves dozens).
    fresh = PageFingerprint.objects.filter(created_at__gte=requested_at).values_list("page_id", flat=True)
    for page in NewMediaDirectoryPage.objects.live().exclude(pk__in=fresh):
        record_fingerprint(page, PageFingerprint.Reason.REFRESH)


class ReportStatus(models.TextChoices):
    RECEIVED = "received", gettext_lazy("待核实")
    VERIFIED = "verified", gettext_lazy("已核实")
    DISPOSED = "disposed", gettext_lazy("已处置")
    CLOSED = "closed", gettext_lazy("已办结")


class StepKind(models.TextChoices):
    VERIFY = "verify", gettext_lazy("核实")
    DISPOSE = "dispose", gettext_lazy("处置")
    RESULT = "result", gettext_lazy("结果")


# Each step moves the report from the first status to the second; they come in this order only.
STEP_ORDER = {
    StepKind.VERIFY: (ReportStatus.RECEIVED, ReportStatus.VERIFIED),
    StepKind.DISPOSE: (ReportStatus.VERIFIED, ReportStatus.DISPOSED),
    StepKind.RESULT: (ReportStatus.DISPOSED, ReportStatus.CLOSED),
}


class ReportError(Exception):
    """A refused handling step; the message is shown to the office."""


class FakeAccountReport(models.Model):
    receipt_number = models.CharField(gettext_lazy("举报编号"), max_length=24, unique=True, editable=False)
    platform = models.CharField(gettext_lazy("平台"), max_length=32, choices=Platform.choices)
    account = models.CharField(gettext_lazy("账号名称或链接"), max_length=300)
    description = models.TextField(gettext_lazy("举报内容"))
    # Personal data: shown only to the two handling offices, never published.
    contact = models.CharField(gettext_lazy("联系方式（个人信息）"), max_length=100, blank=True)
    received_at = models.DateTimeField(gettext_lazy("收到时间"), default=timezone.now)
    due_on = models.DateField(gettext_lazy("办理期限"))
    status = models.CharField(
        gettext_lazy("办理状态"), max_length=10, choices=ReportStatus.choices, default=ReportStatus.RECEIVED
    )

    class Meta:
        verbose_name = gettext_lazy("假冒政务新媒体账号举报")
        verbose_name_plural = gettext_lazy("假冒政务新媒体账号举报")
        ordering = ["-received_at", "-pk"]

    def __str__(self):
        return self.receipt_number

    def next_step(self):
        for kind, (before, _after) in STEP_ORDER.items():
            if self.status == before:
                return kind
        return None

    @property
    def overdue(self):
        return self.status != ReportStatus.CLOSED and self.due_on < timezone.localdate()


class ReportStep(models.Model):
    report = models.ForeignKey(FakeAccountReport, on_delete=models.CASCADE, related_name="steps")
    kind = models.CharField(gettext_lazy("环节"), max_length=10, choices=StepKind.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=gettext_lazy("经办人"),
    )
    created_at = models.DateTimeField(gettext_lazy("时间"), default=timezone.now)
    comment = models.TextField(gettext_lazy("办理意见"))

    class Meta:
        verbose_name = gettext_lazy("举报办理记录")
        verbose_name_plural = gettext_lazy("举报办理记录")
        ordering = ["created_at", "pk"]

    def __str__(self):
        return f"{self.report}：{self.get_kind_display()}"


def receive_report(report):
    """Store a citizen's report with its receipt number and due date."""
    from disclosure.calendar import add_working_days

    report.received_at = timezone.now()
    report.due_on = add_working_days(timezone.localtime(report.received_at).date(), due_working_days())
    while True:
        report.receipt_number = f"JB{timezone.localdate():%Y%m%d}{secrets.token_hex(3).upper()}"
        if not FakeAccountReport.objects.filter(receipt_number=report.receipt_number).exists():
            break
    report.save()
    transaction.on_commit(lambda: alert_offices(report))
    return report


def alert_offices(report):
    """Tell both offices a report arrived; the reporter's contact stays in the admin (personal data)."""
    from django.core.mail import send_mail
    from django.urls import reverse

    from .access import office_members

    recipients = sorted({u.email for kind in HANDLING_OFFICES for u in office_members(kind) if u.email})
    if not recipients:
        return
    link = settings.WAGTAILADMIN_BASE_URL.rstrip("/") + reverse("newmedia_fake_reports:detail", args=[report.pk])
    send_mail(
        f"{settings.EMAIL_SUBJECT_PREFIX}{_('假冒政务新媒体账号举报')} {report.receipt_number}",
        _("收到假冒政务新媒体账号举报（%(platform)s：%(account)s），请于%(due)s前核实处置：%(link)s")
        % {
            "platform": report.get_platform_display(),
            "account": report.account,
            "due": f"{report.due_on:%Y-%m-%d}",
            "link": link,
        },
        None,
        recipients,
        fail_silently=True,
    )


def may_handle_reports(user):
    """The cyberspace office and the supervisor (and superusers); no other unit sees a report."""
    if not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser:
        return True
    return Membership.objects.active().filter(user=user, unit__kind__in=HANDLING_OFFICES).exists()


def record_step(report, user, kind, comment):
    if not may_handle_reports(user):
        raise ReportError(_("只有县委网信办和县政府办公室可以办理假冒账号举报。"))
    comment = (comment or "").strip()
    if not comment:
        raise ReportError(_("请填写办理意见。"))
    with transaction.atomic():
        report = FakeAccountReport.objects.select_for_update().get(pk=report.pk)
        expected = report.next_step()
        if expected is None:
            raise ReportError(_("该举报已办结。"))
        if kind != expected:
            raise ReportError(_("请先完成“%(step)s”环节。") % {"step": StepKind(expected).label})
        step = ReportStep.objects.create(report=report, kind=kind, user=user, comment=comment)
        report.status = STEP_ORDER[kind][1]
        report.save(update_fields=["status"])
    return step


class NewMediaDirectoryPage(RoutablePageMixin, PortalPage):
    """政务新媒体矩阵: the county's running accounts by unit and platform, and the fake-account report form."""

    intro = models.TextField(gettext_lazy("页面说明"), blank=True, max_length=1000)

    max_count = 1
    parent_page_types = ["site_pages.HomePage", "site_pages.ColumnPage"]
    subpage_types = []
    template = "newmedia/public/directory_page.html"
    content_panels = Page.content_panels + [FieldPanel("intro")]

    @classmethod
    def can_create_at(cls, parent):
        # The portal's structure, like columns: under the home page or a column of the structure units.
        from site_pages.models.columns import takes_columns

        return super().can_create_at(parent) and takes_columns(parent)

    class Meta:
        verbose_name = gettext_lazy("政务新媒体矩阵")
        verbose_name_plural = gettext_lazy("政务新媒体矩阵")

    def extra_search_texts(self):
        return [self.intro]

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["breadcrumbs"] = self.get_ancestors().filter(depth__gt=1).live()
        context["directory_url"] = self.url
        context["report_url"] = self.url + self.reverse_subpage("report")
        return context

    @path("")
    def directory(self, request):
        return self.render(
            request,
            context_overrides={"groups": directory_groups(public_accounts())},
        )

    @path("qr/<int:account_id>/", name="qr_code")
    def qr_code(self, request, account_id):
        """The proxy serves only /media/images/, so the QR codes come through here, and only a public account's."""
        account = get_object_or_404(public_accounts().exclude(qr_code=""), pk=account_id)
        kind = "image/png" if account.qr_code.name.lower().endswith(".png") else "image/jpeg"
        try:
            handle = account.qr_code.open("rb")
        except FileNotFoundError:
            raise Http404 from None
        response = FileResponse(handle, content_type=kind)
        patch_cache_control(response, public=True, max_age=3600)
        return response

    @path("report/", name="report")
    def report(self, request):
        from .public_views import report_form

        return report_form(request, self)

    @path("report/done/", name="report_done")
    def report_done(self, request):
        from .public_views import report_receipt

        return report_receipt(request, self)
