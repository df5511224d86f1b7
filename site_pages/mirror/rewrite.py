"""Links in exported HTML and CSS: found for the crawl, then rewritten to relative links between mirror files.

Both passes walk the same attributes through `map_html_links`, so a link the crawl followed is a link the
rewrite changes. Nothing else in the markup is touched except forms: a mirror has no server to post to, so
every form leads to the page saying the service is unavailable there, and asks for it with GET.
"""

import re

from bs4 import BeautifulSoup

# Attributes holding one URL, by element.
URL_ATTRIBUTES = {
    "a": ("href",),
    "area": ("href",),
    "link": ("href",),
    "img": ("src",),
    "script": ("src",),
    "source": ("src",),
    "track": ("src",),
    "video": ("src", "poster"),
    "audio": ("src",),
    "iframe": ("src",),
    "embed": ("src",),
    "object": ("data",),
    "input": ("src",),
}
SRCSET_ELEMENTS = ("img", "source")
# Open Graph and similar tags name absolute URLs of the site in their content.
META_URL_NAMES = re.compile(r"(^|:)(url|image)$")
CSS_URL = re.compile(r"""url\(\s*(?P<quote>['"]?)(?P<url>[^'")]*)(?P=quote)\s*\)""")
CSRF_FIELD = "csrfmiddlewaretoken"


def parse(html):
    return BeautifulSoup(html, "html.parser")


def map_css_urls(css, replace):
    """CSS text with each url(...) given to replace(url) -> new URL, or None to keep it."""

    def substitute(match):
        new = replace(match["url"])
        return match[0] if new is None else f'url("{new}")'

    return CSS_URL.sub(substitute, css)


def _map_srcset(value, replace):
    candidates = []
    for candidate in value.split(","):
        parts = candidate.strip().split(None, 1)
        if not parts:
            continue
        new = replace(parts[0])
        candidates.append(" ".join([parts[0] if new is None else new, *parts[1:]]))
    return ", ".join(candidates)


def map_html_links(soup, replace):
    """Gives every URL in the document to replace(url) -> new URL or None (kept), and writes back the new ones.

    Forms are left to `neutralise_forms`; their actions are not links a visitor follows.
    """
    for tag in soup.find_all(True):
        for attribute in URL_ATTRIBUTES.get(tag.name, ()):
            value = tag.get(attribute)
            if isinstance(value, str) and value.strip():
                new = replace(value)
                if new is not None:
                    tag[attribute] = new
        if tag.name in SRCSET_ELEMENTS and tag.get("srcset"):
            tag["srcset"] = _map_srcset(tag["srcset"], replace)
        if tag.get("style"):
            tag["style"] = map_css_urls(tag["style"], replace)
        if tag.name == "style" and tag.string:
            tag.string.replace_with(map_css_urls(tag.string, replace))
        if tag.name == "meta" and META_URL_NAMES.search(tag.get("property") or tag.get("name") or ""):
            new = replace(tag.get("content") or "")
            if new is not None:
                tag["content"] = new


def neutralise_forms(soup, unavailable_link):
    """Every form leads to the note page with GET; its CSRF token, meaningless without the server, goes."""
    for form in soup.find_all("form"):
        form["action"] = unavailable_link
        form["method"] = "get"
        for field in form.find_all("input", attrs={"name": CSRF_FIELD}):
            field.decompose()


def has_post_form(soup):
    return any((form.get("method") or "").lower() == "post" for form in soup.find_all("form"))
