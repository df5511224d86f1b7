"""Admin and serving hooks of the portal's pages: documents are public only through a live page."""

from django.http import Http404
from wagtail import hooks

from .document_access import may_download


@hooks.register("before_serve_document")
def refuse_documents_no_live_page_uses(document, request):
    if not may_download(request, document):
        raise Http404
