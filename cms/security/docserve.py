"""Only a PDF that passed the parse check at upload opens in the browser; every other document downloads.

Wagtail decides inline or attachment by content type alone (`WAGTAILDOCS_INLINE_CONTENT_TYPES`),
so a PDF that reached the media directory some other way (an upload before the check existed, a
file put in place by code or a restore) would still open in the browser's viewer. This middleware
turns such an inline response into an attachment unless the file's hash was recorded as checked.
"""

from django.utils.http import content_disposition_header
from wagtail.documents import get_document_model

from .models import CheckedPdf

SERVE_VIEW = "wagtaildocs_serve"


class CheckedPdfInlineMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        match = request.resolver_match
        if (
            match is None
            or match.url_name != SERVE_VIEW
            or response.status_code != 200
            or response.get("Content-Disposition", "").startswith("attachment")
        ):
            return response
        document = get_document_model().objects.filter(pk=match.args[0]).only("file", "file_hash").first()
        if document is None or not CheckedPdf.objects.filter(sha1=document.file_hash).exists():
            filename = document.filename if document else "document"
            response["Content-Disposition"] = content_disposition_header(True, filename)
        return response
