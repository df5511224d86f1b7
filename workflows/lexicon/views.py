"""Import and export views of the lexicon, added to its ModelViewSet."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from django.views import View
from django.views.generic import FormView
from wagtail.admin.views.generic import IndexView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.views.generic.permissions import PermissionCheckedMixin
from wagtail.admin.widgets.button import Button

from . import transfer
from .forms import ImportForm
from .models import LexiconEntry


class LexiconIndexView(IndexView):
    import_url_name = None
    export_url_name = None

    @cached_property
    def header_more_buttons(self):
        buttons = list(super().header_more_buttons)
        if self.import_url_name and self.user_has_permission("add") and self.user_has_permission("change"):
            buttons.append(Button(_("导入词库"), url=reverse(self.import_url_name), icon_name="upload", priority=30))
        if self.export_url_name and self.user_has_any_permission(["view", "change"]):
            url = reverse(self.export_url_name)
            buttons.append(Button(_("导出为文本"), url=f"{url}?format=txt", icon_name="download", priority=40))
            buttons.append(Button(_("导出为 Excel"), url=f"{url}?format=xlsx", icon_name="download", priority=41))
        return buttons


class ImportView(PermissionCheckedMixin, WagtailAdminTemplateMixin, FormView):
    """Both add and change permission: an import creates new entries and overwrites existing ones.

    All or nothing: with any bad row nothing is imported and every bad row is listed. Subclasses name
    their model, form and transfer module (``read_rows``, ``HEADER``) and how the rows are imported.
    """

    model = LexiconEntry
    form_class = ImportForm
    transfer = transfer
    template_name = "lexicon/import.html"
    page_title = _("导入词库")
    header_icon = "upload"
    index_url_name = None
    import_url_name = None
    failed_message = _("导入失败：以下各行有误，未导入任何词条。请修改后重新导入。")
    done_message = _("导入完成：新增 %(created)d 条，更新 %(updated)d 条，跳过 %(skipped)d 条（无变化或重复）。")

    def dispatch(self, request, *args, **kwargs):
        self.request = request
        if not (self.user_has_permission("add") and self.user_has_permission("change")):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_breadcrumbs_items(self):
        return self.breadcrumbs_items + [
            {"url": reverse(self.index_url_name), "label": self.model._meta.verbose_name_plural},
            {"url": "", "label": self.page_title},
        ]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["action_url"] = reverse(self.import_url_name)
        context["header"] = [str(title) for title in self.transfer.HEADER]
        return context

    def import_rows(self, rows, form):
        return self.transfer.import_rows(rows, form.cleaned_data["category"], form.cleaned_data["severity"])

    def form_valid(self, form):
        upload = form.cleaned_data["file"]
        try:
            rows = self.transfer.read_rows(upload.name, upload.read())
        except transfer.ImportFileError as error:
            form.add_error("file", str(error))
            return self.form_invalid(form)
        result = self.import_rows(rows, form)
        if not result.ok:
            messages.error(self.request, self.failed_message)
            return self.render_to_response(self.get_context_data(form=form, result=result))
        messages.success(
            self.request,
            self.done_message % {"created": result.created, "updated": result.updated, "skipped": result.skipped},
        )
        return redirect(self.index_url_name)


class ExportView(PermissionCheckedMixin, View):
    """Active entries only: the file is what the scanner uses, ready to be imported elsewhere."""

    model = LexiconEntry
    any_permission_required = ["view", "change"]

    def get(self, request):
        queryset = LexiconEntry.objects.filter(active=True).order_by("category", "term")
        stamp = timezone.localtime().strftime("%Y%m%d")
        if request.GET.get("format") == "xlsx":
            content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            response = HttpResponse(transfer.export_xlsx(queryset), content_type=content_type)
            filename = f"lexicon-{stamp}.xlsx"
        else:
            response = HttpResponse(transfer.export_text(queryset), content_type="text/plain; charset=utf-8")
            filename = f"lexicon-{stamp}.txt"
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        return response
