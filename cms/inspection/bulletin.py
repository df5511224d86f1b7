"""季度通报 (article 35): the quarter's inspection result per unit, a portal page reviewed by 三审三校.

The ranked table is copied from the run's scores when the bulletin is issued and kept on the page (and in its
revisions), so a later run, a changed deduction table or a new false-positive mark never rewrites a bulletin
that was reviewed and published. Editors write the title and the introduction; the table is read only.
The PDF and xlsx exports are routes of the live page, built from the published row.
"""

from django.db import models
from django.http import Http404, HttpResponse
from django.utils.html import strip_tags
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.admin.panels import FieldPanel, Panel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.models import Page

from site_pages.fields import EditorRichTextField
from site_pages.models import PortalPage
from site_pages.models.base import column_takes
from workflows.panels import ReviewStatusPanel

QUARTER_NAMES = {"1": "一", "2": "二", "3": "三", "4": "四"}


def quarter_label(quarter):
    """A quarter as the bulletin names it: 2026Q4 -> 2026年第四季度."""
    year, _sep, number = quarter.partition("Q")
    return _("%(year)s年第%(number)s季度") % {"year": year, "number": QUARTER_NAMES.get(number, number)}


class BulletinTablePanel(Panel):
    """The stored ranking in the editor, read only: it is the run's result, not something to retype."""

    class BoundPanel(Panel.BoundPanel):
        template_name = "inspection/bulletin/table_panel.html"

        def get_context_data(self, parent_context=None):
            context = super().get_context_data(parent_context)
            context["page"] = self.instance
            return context


class Bulletin(RoutablePageMixin, PortalPage):
    """季度通报: issued from an InspectionRun under a 通知公告 column (see bulletin_views)."""

    quarter = models.CharField(gettext_lazy("季度"), max_length=6, editable=False)
    run = models.ForeignKey(
        "inspection.InspectionRun",
        verbose_name=gettext_lazy("检查记录"),
        on_delete=models.PROTECT,
        related_name="bulletins",
        editable=False,
    )
    intro = EditorRichTextField(gettext_lazy("通报正文"), blank=True)
    # One dict per unit, best first: rank, unit_code, unit_name, score (str), findings, deductions
    # [{kind, label, detail, rule, points (str)}], vetoed, praised.
    entries = models.JSONField(gettext_lazy("各单位得分"), default=list, editable=False)

    # Issued from a run only (the table comes from it), never from 添加子页面.
    is_creatable = False
    parent_page_types = ["site_pages.ColumnPage"]
    subpage_types = []
    template = "inspection/bulletin/bulletin_page.html"

    content_panels = [
        ReviewStatusPanel(heading=gettext_lazy("审核与检查")),
        *Page.content_panels,
        FieldPanel("intro"),
        BulletinTablePanel(heading=gettext_lazy("各单位得分和扣分（由检查记录生成，不可修改）")),
    ]
    settings_panels = [FieldPanel("owning_unit", permission="organisation.change_unit")]

    class Meta:
        verbose_name = gettext_lazy("季度通报")
        verbose_name_plural = gettext_lazy("季度通报")

    @classmethod
    def can_exist_under(cls, parent):
        # Like a notice: a 动态 column holds only 动态, so the bulletin goes to 通知公告 or an unclassified column.
        return super().can_exist_under(parent) and column_takes(parent.specific, cls)

    @property
    def quarter_label(self):
        return quarter_label(self.quarter)

    def praised_entries(self):
        return [entry for entry in self.entries if entry["praised"]]

    def source_display(self):
        return self.owning_unit.name if self.owning_unit else ""

    def extra_search_texts(self):
        return [strip_tags(self.intro or ""), *(entry["unit_name"] for entry in self.entries)]

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["print_view"] = request.GET.get("print") == "1"
        context["breadcrumbs"] = self.get_ancestors().filter(depth__gt=1).live()
        # A preview of a draft that was never published links to no export: only the live page has them.
        if self.live and self.url:
            context["downloads"] = {name: self.url + self.reverse_subpage(name) for name in ("pdf", "xlsx")}
        return context

    def export_filename(self, extension):
        return _("季度通报-%(quarter)s.%(extension)s") % {"quarter": self.quarter, "extension": extension}

    def _export(self, render, content_type, extension):
        # Routes are resolved on the live row, so a draft is never exported; this guards a direct call too.
        if not self.live:
            raise Http404
        response = HttpResponse(render(self), content_type=content_type)
        response["Content-Disposition"] = content_disposition_header(True, self.export_filename(extension))
        return response

    @path("pdf/", name="pdf")
    def pdf(self, request):
        from .bulletin_export import bulletin_pdf

        return self._export(bulletin_pdf, "application/pdf", "pdf")

    @path("xlsx/", name="xlsx")
    def xlsx(self, request):
        from .bulletin_export import XLSX_CONTENT_TYPE, bulletin_xlsx

        return self._export(bulletin_xlsx, XLSX_CONTENT_TYPE, "xlsx")
