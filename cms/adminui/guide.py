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
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

DOCS_DIR = settings.BASE_DIR / "docs"
GUIDE_PATH = DOCS_DIR / "editor-guide.md"
IMAGES_DIR = DOCS_DIR / "images"
# Screenshots are named by us; nothing else under docs/ is reachable through the image view.
IMAGE_NAME = re.compile(r"^[a-z0-9][a-z0-9-]*\.png$")


# A line break inside a Chinese paragraph joins the lines without a space; between Latin words it stays one.
CJK = re.compile(r"[\u2e80-\u9fff\uf900-\ufaff\u3000-\u303f\uff00-\uffef]")


def render_markdown(text):
    """Markdown as HTML. Raw HTML in it is not passed through; image paths under images/ point at the admin."""
    from markdown_it import MarkdownIt  # only the guide needs it: not at start-up (docs/deployment.md, cold start)

    markdown = MarkdownIt("commonmark", {"html": False}).enable("table")
    tokens = markdown.parse(text)
    for token in tokens:
        children = token.children or []
        for index, child in enumerate(children):
            if child.type == "image":
                src = str(child.attrGet("src") or "")
                if src.startswith("images/"):
                    child.attrSet("src", reverse("adminui_guide_image", args=[src.removeprefix("images/")]))
            elif child.type == "softbreak" and 0 < index < len(children) - 1:
                before, after = children[index - 1].content[-1:], children[index + 1].content[:1]
                if CJK.match(before) or CJK.match(after):
                    child.type, child.content = "text", ""
    return mark_safe(markdown.renderer.render(tokens, markdown.options, {}))  # noqa: S308 - html disabled above


class EditorGuideView(WagtailAdminTemplateMixin, TemplateView):
    page_title = _("编辑指南")
    header_icon = "help"
    template_name = "adminui/editor_guide.html"

    def get_breadcrumbs_items(self):
        return [*self.breadcrumbs_items, {"url": "", "label": self.page_title}]

    def get_context_data(self, **kwargs):
        guide = render_markdown(GUIDE_PATH.read_text(encoding="utf-8"))
        return {**super().get_context_data(**kwargs), "guide_html": guide}


def guide_image(request, name):
    path = IMAGES_DIR / name
    if not IMAGE_NAME.match(name) or not path.is_file():
        raise Http404
    return FileResponse(path.open("rb"), content_type="image/png")
