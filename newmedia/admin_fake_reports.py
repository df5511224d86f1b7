"""假冒账号举报 in the admin: the list and the handling (核实 → 处置 → 结果) for the cyberspace office and the
supervisor only; every other unit is refused, including by a report's id."""

from django import forms
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.admin import messages
from wagtail.admin.viewsets.base import ViewSet

from .admin_reports import ReportView, shown_to
from .public import FakeAccountReport, ReportError, StepKind, may_handle_reports, record_step


class StepForm(forms.Form):
    comment = forms.CharField(
        label=gettext_lazy("办理意见"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=2000,
        error_messages={"required": gettext_lazy("请填写办理意见。")},
    )


class FakeReportIndexView(ReportView):
    template_name = "newmedia/admin/fake_reports.html"
    page_title = gettext_lazy("假冒账号举报")

    def allowed(self, user):
        return may_handle_reports(user)

    def get_context_data(self, **kwargs):
        return super().get_context_data(reports=FakeAccountReport.objects.all()[:200], **kwargs)


class FakeReportDetailView(ReportView):
    template_name = "newmedia/admin/fake_report.html"
    page_title = gettext_lazy("办理假冒账号举报")

    def allowed(self, user):
        return may_handle_reports(user)

    def get_breadcrumbs_items(self):
        return [
            *self.breadcrumbs_items,
            {"url": reverse("newmedia_fake_reports:index"), "label": _("假冒账号举报")},
            {"url": "", "label": self.report.receipt_number},
        ]

    def dispatch(self, request, *args, **kwargs):
        if not self.allowed(request.user):
            raise PermissionDenied
        self.report = get_object_or_404(FakeAccountReport, pk=kwargs["report_pk"])
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        step = self.report.next_step()
        kwargs.setdefault("form", StepForm())
        return super().get_context_data(
            report=self.report,
            steps=self.report.steps.select_related("user"),
            next_step=StepKind(step).label if step else None,
            **kwargs,
        )

    def post(self, request, report_pk):
        form = StepForm(request.POST)
        step = self.report.next_step()
        if form.is_valid() and step is not None:
            try:
                record_step(self.report, request.user, step, form.cleaned_data["comment"])
            except ReportError as error:
                form.add_error(None, str(error))
            else:
                messages.success(request, _("已记录“%(step)s”。") % {"step": StepKind(step).label})
                return redirect(reverse("newmedia_fake_reports:detail", args=[self.report.pk]))
        elif step is None:
            form.add_error(None, _("该举报已办结。"))
        response = self.render_to_response(self.get_context_data(form=form))
        response.status_code = 400
        return response


class FakeReportViewSet(ViewSet):
    icon = "warning"
    menu_item_class = shown_to(may_handle_reports)
    menu_label = gettext_lazy("假冒账号举报")
    url_prefix = "newmedia/fake-reports"

    def get_urlpatterns(self):
        return [
            path("", FakeReportIndexView.as_view(), name="index"),
            path("<int:report_pk>/", FakeReportDetailView.as_view(), name="detail"),
        ]
