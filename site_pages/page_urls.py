"""Page URLs from url_path without reverse() (issue 17 §2).

Wagtail builds every page URL with reverse("wagtail_serve", args=(path,)): on the home page, about forty links
cost a sixth of the rendering. The portal mounts wagtail_serve once and uses no i18n URLs, so a page's URL is
the serve prefix (reversed once per script prefix) followed by its url_path below the site root, quoted as
reverse() quotes it.
"""

from urllib.parse import quote

from django.conf import settings
from django.urls import NoReverseMatch, get_script_prefix, reverse
from wagtail.models import Page

# What reverse() leaves unquoted in a path (django.urls.resolvers: RFC 3986 sub-delimiters and "/~:@").
_SAFE = "!$&'()*+,;=/~:@"
_serve_prefixes = {}


def _serve_prefix():
    script_prefix = get_script_prefix()
    if script_prefix not in _serve_prefixes:
        _serve_prefixes[script_prefix] = reverse("wagtail_serve", args=("",))
    return _serve_prefixes[script_prefix]


class UrlPathMixin:
    """get_url_parts as Wagtail's, with the path built from url_path instead of reversed."""

    def get_url_parts(self, request=None):
        if getattr(settings, "WAGTAIL_I18N_ENABLED", False):
            return Page.get_url_parts(self, request)
        possible_sites = self._get_relevant_site_root_paths(request)
        if not possible_sites:
            return None
        site_id, root_path, root_url, _language = possible_sites[0]
        if len({values[0] for values in possible_sites}) > 1:
            # A page under several sites: Wagtail's own choice by the request's site.
            return Page.get_url_parts(self, request)
        try:
            prefix = _serve_prefix()
        except NoReverseMatch:
            return (site_id, None, None)
        page_path = prefix + quote(self.url_path[len(root_path) :], safe=_SAFE)
        if not getattr(settings, "WAGTAIL_APPEND_SLASH", True) and page_path != "/":
            page_path = page_path.rstrip("/")
        return (site_id, root_url, page_path)
