"""The editor guide (docs/editor-guide.md) served inside the admin, where the help menu points.

docs/ is not served by the web server, so the guide and its screenshots are read from the checkout.
"""

import re

from django.conf import settings
from django.http import FileResponse, Http404
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView
from markdown_it import MarkdownIt
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

DOCS_DIR = settings.BASE_DIR / "docs"
GUIDE_PATH = DOCS_DIR / "editor-guide.md"
IMAGES_DIR = DOCS_DIR / "images"
# Screenshots are named by us; nothing else under docs/ is reachable through the image view.
IMAGE_NAME = re.compile(r"^[a-z0-9][a-z0-9-]*\.png$")


def render_guide():
    """The guide as HTML. Raw HTML in the Markdown is not passed through; image paths point at the admin."""
    markdown = MarkdownIt("commonmark", {"html": False}).enable("table")
    tokens = markdown.parse(GUIDE_PATH.read_text(encoding="utf-8"))
    for token in tokens:
        for child in token.children or ():
            if child.type == "image":
                src = str(child.attrGet("src") or "")
                if src.startswith("images/"):
                    child.attrSet("src", reverse("adminui_guide_image", args=[src.removeprefix("images/")]))
    return mark_safe(markdown.renderer.render(tokens, markdown.options, {}))  # noqa: S308 - html disabled above


class EditorGuideView(WagtailAdminTemplateMixin, TemplateView):
    page_title = _("编辑指南")
    header_icon = "help"
    template_name = "adminui/editor_guide.html"

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "guide_html": render_guide()}


def guide_image(request, name):
    path = IMAGES_DIR / name
    if not IMAGE_NAME.match(name) or not path.is_file():
        raise Http404
    return FileResponse(path.open("rb"), content_type="image/png")
