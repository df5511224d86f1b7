"""暗链: links that a visitor cannot see but search engines follow.

Injected spam links hide behind inline styles or a ``<style>`` block in the page: display:none,
visibility:hidden, a zero font size or box, positions far off-screen, or text in the background's colour.
Only the HTML itself is read (no external stylesheets), and only links to other hosts count: the portal's
own visually hidden links (such as 跳到主要内容) point at itself.
"""

import re
from urllib.parse import urljoin, urlsplit

from bs4 import BeautifulSoup
from django.utils.translation import gettext as _

DECLARATION = re.compile(r"([-a-z]+)\s*:\s*([^;]+)", re.IGNORECASE)
RULE = re.compile(r"([^{}]+)\{([^{}]*)\}")
SIMPLE_SELECTOR = re.compile(r"^([a-z][a-z0-9]*)?([.#][-\w]+)?$", re.IGNORECASE)
LENGTH = re.compile(r"^(-?\d*\.?\d+)\s*([a-z%]*)")
# Further off-screen than any layout puts real content (px, or em/rem at 16 px).
OFF_SCREEN_PX = -100
NAMED_COLOURS = {"white": "#ffffff", "black": "#000000", "red": "#ff0000", "transparent": "transparent"}


def _declarations(style):
    found = DECLARATION.findall(style or "")
    return {name.lower(): value.lower().replace("!important", "").strip() for name, value in found}


def _style_rules(soup):
    """(tag, class or id selector, declarations) for the simple selectors of the page's <style> blocks."""
    rules = []
    for style in soup.find_all("style"):
        text = re.sub(r"/\*.*?\*/", "", style.get_text(), flags=re.DOTALL)
        for selectors, body in RULE.findall(text):
            declarations = _declarations(body)
            for selector in selectors.split(","):
                match = SIMPLE_SELECTOR.match(selector.strip())
                if match and any(match.groups()):
                    rules.append((match.group(1), match.group(2), declarations))
    return rules


def _matches(element, tag, qualifier):
    if tag and element.name != tag.lower():
        return False
    if not qualifier:
        return True
    if qualifier[0] == ".":
        return qualifier[1:] in (element.get("class") or [])
    return element.get("id") == qualifier[1:]


def _computed(element, rules, cache):
    """Declarations that apply to the element itself: matching <style> rules, then its inline style."""
    key = id(element)
    if key not in cache:
        declarations = {}
        for tag, qualifier, rule in rules:
            if _matches(element, tag, qualifier):
                declarations.update(rule)
        declarations.update(_declarations(element.get("style")))
        cache[key] = declarations
    return cache[key]


def _pixels(value):
    match = LENGTH.match(value or "")
    if not match:
        return None
    number, unit = float(match.group(1)), match.group(2)
    return number * 16 if unit in ("em", "rem") else number


def _colour(value):
    """A colour in a color or background declaration as #rrggbb (or a name we do not map), or None."""
    rgb = re.search(r"rgba?\(\s*(\d+)\s*,\s*(\d+)\s*,\s*(\d+)", value or "")
    if rgb:
        return "#" + "".join(f"{int(c):02x}" for c in rgb.groups())
    hex_colour = re.search(r"#([0-9a-f]{6}|[0-9a-f]{3})\b", value or "")
    if hex_colour:
        digits = hex_colour.group(1)
        return "#" + (digits if len(digits) == 6 else "".join(c * 2 for c in digits))
    words = re.findall(r"[a-z]+", value or "")
    return next((NAMED_COLOURS[word] for word in words if word in NAMED_COLOURS), words[0] if words else None)


def _own_reason(element, declarations):
    """Why this element hides what it contains, or None."""
    if element.has_attr("hidden"):
        return _("hidden 属性")
    if declarations.get("display") == "none":
        return "display:none"
    if declarations.get("visibility") in ("hidden", "collapse"):
        return "visibility:hidden"
    if _pixels(declarations.get("font-size")) == 0:
        return "font-size:0"
    if declarations.get("overflow") == "hidden" and 0 in (
        _pixels(declarations.get("height")),
        _pixels(declarations.get("width")),
    ):
        return _("尺寸为 0")
    if declarations.get("position") in ("absolute", "fixed"):
        for side in ("left", "top", "right", "bottom"):
            offset = _pixels(declarations.get(side))
            if offset is not None and offset <= OFF_SCREEN_PX:
                return _("移出屏幕（%(side)s:%(value)s）") % {"side": side, "value": declarations[side]}
    indent = _pixels(declarations.get("text-indent"))
    if indent is not None and indent <= OFF_SCREEN_PX:
        return _("移出屏幕（text-indent:%(value)s）") % {"value": declarations["text-indent"]}
    return None


def _same_colour(chain, rules, cache):
    """Text colour equal to the nearest background colour (chain runs from the link outwards)."""
    colour = background = None
    for element in chain:
        declarations = _computed(element, rules, cache)
        if colour is None and declarations.get("color"):
            colour = _colour(declarations["color"])
        if background is None and (declarations.get("background-color") or declarations.get("background")):
            background = _colour(declarations.get("background-color") or declarations.get("background"))
    return colour is not None and colour not in ("transparent", "inherit") and colour == background


# Nothing can hide a link without one of these words in the HTML: pages without them are not parsed again.
CAN_HIDE = re.compile(r"style|hidden", re.IGNORECASE)


def hidden_links(html, base_url="", own_hosts=()):
    """[(absolute href, reason)] of links to other hosts that the HTML hides from visitors."""
    if not html or not CAN_HIDE.search(html):
        return []
    return hidden_in_soup(BeautifulSoup(html, "html.parser"), base_url, own_hosts)


def hidden_in_soup(soup, base_url="", own_hosts=()):
    """hidden_links for an already parsed document."""
    rules = _style_rules(soup)
    cache = {}
    own = {host.lower() for host in own_hosts}
    found = []
    for link in soup.find_all(["a", "area"], href=True):
        href = urljoin(base_url, link["href"].strip())
        parts = urlsplit(href)
        if parts.scheme not in ("http", "https") or not parts.hostname or parts.hostname.lower() in own:
            continue
        chain = [link, *link.parents]
        chain = [element for element in chain if element.name and element.name != "[document]"]
        reason = next(
            (r for r in (_own_reason(e, _computed(e, rules, cache)) for e in chain) if r),
            None,
        )
        if reason is None and _same_colour(chain, rules, cache):
            reason = _("文字颜色与背景相同")
        if reason:
            found.append((href, reason))
    return found
