"""Admin report exports that Chinese Excel users can open safely (shared by the register and the audit log)."""

from collections import OrderedDict

from django.utils import timezone
from wagtail.admin.views.reports import ReportView

# A cell starting with one of these is run as a formula by spreadsheet programs (CSV injection).
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def neutralise_formula(value):
    return f"'{value}" if value.startswith(FORMULA_PREFIXES) else value


class ExportReportView(ReportView):
    """ReportView whose CSV opens as UTF-8 in Excel, with formula cells neutralised and dated file names."""

    export_values = {}  # key -> function of one listed object, in list_export order
    custom_value_preprocess = {
        **ReportView.custom_value_preprocess,
        str: {ReportView.FORMAT_CSV: neutralise_formula},
    }

    def get_filename(self):
        return f"{self.export_filename}-{timezone.localdate():%Y%m%d}"

    def stream_csv(self, queryset):
        # Excel reads a CSV as UTF-8 only when it starts with a byte-order mark; otherwise Chinese is garbled.
        yield "\ufeff"
        yield from super().stream_csv(queryset)

    def write_csv_response(self, queryset):
        response = super().write_csv_response(queryset)
        response["Content-Type"] = "text/csv; charset=utf-8"
        return response

    def to_row_dict(self, item):
        return OrderedDict((key, self.export_values[key](item)) for key in self.list_export)
