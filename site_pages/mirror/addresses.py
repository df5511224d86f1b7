"""The site's own URLs, the file each one becomes in the mirror, and relative links between those files.

A mirror is opened from any directory or from a file:// URL, where a link to a directory shows a listing
and a query string is ignored: every link therefore names a file (`.../index.html`), and a URL with a
query (a listing's next page, a catalogue filter) becomes a file of its own beside the page's index.html.
"""

import hashlib
import posixpath
import re
from typing import NamedTuple
from urllib.parse import quote, unquote, unquote_plus, urljoin, urlsplit, urlunsplit

# Where links to services the mirror cannot offer (forms, search, log-in) lead: a page saying so.
UNAVAILABLE_FILE = "_mirror/unavailable.html"
# What an export wrote, so that the next one removes files that are gone and knows the directory is its own.
MANIFEST_FILE = ".export-static.json"

_QUERY_NAME = re.compile(r"[^0-9A-Za-z_-]+")


class Address(NamedTuple):
    """A URL of the site itself: its unquoted path (always starting with "/") and its query string."""

    path: str
    query: str = ""

    @property
    def url(self):
        """The URL to request, quoted as a browser sends it."""
        quoted = quote(self.path, safe="/-._~!$&'()*+,;=:@%")
        return f"{quoted}?{self.query}" if self.query else quoted


def local_address(url, base_path, own_hosts):
    """(Address, fragment) when `url`, found on the page at `base_path`, points into the site; else None.

    Links elsewhere (another host, mailto:, data:, a bare fragment) stay as written.
    """
    parts = urlsplit(url.strip())
    if parts.scheme not in ("", "http", "https") or (parts.scheme and not parts.netloc):
        return None
    if parts.netloc and parts.netloc.lower() not in own_hosts:
        return None
    if not (parts.netloc or parts.path or parts.query):
        return None
    joined = urlsplit(urljoin(f"http://site{base_path}", urlunsplit(("", "", parts.path or "/", parts.query, ""))))
    path = unquote(joined.path)
    if not path_is_safe(path):
        return None
    return Address(path, joined.query), parts.fragment


def path_is_safe(path):
    """Whether a path can be written under the mirror's directory as it is (no climbing out, no odd bytes)."""
    segments = path.split("/")
    return path.startswith("/") and not any(
        segment in (".", "..") or "\\" in segment or "\x00" in segment for segment in segments
    )


def _query_suffix(query):
    name = _QUERY_NAME.sub("_", unquote_plus(query)).strip("_")[:60]
    digest = hashlib.sha1(query.encode(), usedforsecurity=False).hexdigest()[:8]
    return f"{name}-{digest}" if name else digest


def html_file(address):
    """The mirror file of an HTML page: <path>/index.html, or <path>/index-<query>.html for a query."""
    directory = address.path.strip("/")
    name = f"index-{_query_suffix(address.query)}.html" if address.query else "index.html"
    return posixpath.join(directory, name) if directory else name


def download_file(address, filename=""):
    """The mirror file of anything else: its own path, or <path>/<filename> for a URL ending in "/"."""
    path = address.path.lstrip("/")
    if not path or path.endswith("/"):
        path += posixpath.basename(filename) or "index"
    if address.query:
        stem, extension = posixpath.splitext(path)
        path = f"{stem}-{_query_suffix(address.query)}{extension}"
    return path


def relative_link(from_file, to_file, fragment=""):
    """The quoted link from one mirror file to another, working from any directory and over file://."""
    link = quote(posixpath.relpath(to_file, posixpath.dirname(from_file) or "."), safe="/-._~")
    return f"{link}#{fragment}" if fragment else link
