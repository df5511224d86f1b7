"""The website's veto lines (单项否决), computed over the full list of one inspection's findings.

Contract for checks (``veto_findings`` reads nothing else):

- Column lines read the findings of ``checks.columns``: kinds ``column_stale`` and ``column_empty`` with
  ``data["first_level"]`` (a direct child of the home page), ``data["leaf"]`` (holds content, no subcolumn),
  ``data["update_class"]`` and ``data["title"]``. ``column_warning`` never counts.

  1. 5 or more first-level 动态/要闻 (update class ``news``, 2 weeks) or 通知公告/政策文件 (``notice_policy``,
     6 months) columns not updated in time; an empty one has not been updated either, so it counts here.
  2. 10 or more columns of any update class stale (``column_stale`` of leaf columns; empty ones are line 3).
  3. 5 or more empty columns (``column_empty`` of leaf columns).

- Any other check raises a veto line by giving its finding ``severity="veto"`` (e.g. ``letter_veto``,
  ``service_guide_incomplete``, ``availability`` beyond 5%): each kind with at least one such finding raises
  one ``veto`` finding naming them. Findings of severity ``finding`` or ``warning`` never raise a veto.

- Findings whose key is in ``excluded`` (marked false positive) count for nothing. Veto findings belong to the
  portal as a whole (unit ""); their object is the home page's URL with the line as fragment, so each line
  keeps one key from run to run and can itself be marked false positive.
"""

from django.utils.translation import gettext as _

from .findings import Finding, Kind, Severity

FIRST_LEVEL_STALE_LIMIT = 5
STALE_LIMIT = 10
EMPTY_LIMIT = 5
FIRST_LEVEL_CLASSES = ("news", "notice_policy")
# Names in a veto's detail; the data holds every object.
NAMED = 10


def portal_url():
    from site_pages.models import HomePage

    home = HomePage.objects.live().first()
    return home.get_full_url() if home else "/"


def is_column(finding, kind):
    return finding.kind == kind and finding.data.get("leaf")


def column_lines():
    """(line, predicate, limit, rule) of the three column lines."""
    return [
        (
            "first-level-columns",
            lambda f: (
                f.kind in (Kind.COLUMN_STALE, Kind.COLUMN_EMPTY)
                and f.data.get("first_level")
                and f.data.get("update_class") in FIRST_LEVEL_CLASSES
            ),
            FIRST_LEVEL_STALE_LIMIT,
            _("单项否决：一级栏目中动态、要闻类 2 周或通知公告、政策文件类 6 个月未更新，累计 5 个及以上"),
        ),
        (
            "stale-columns",
            lambda f: is_column(f, Kind.COLUMN_STALE),
            STALE_LIMIT,
            _("单项否决：应更新而未按时更新的栏目 10 个及以上"),
        ),
        ("empty-columns", lambda f: is_column(f, Kind.COLUMN_EMPTY), EMPTY_LIMIT, _("单项否决：空白栏目 5 个及以上")),
    ]


def veto(url, line, rule, counted):
    names = [f.data.get("title") or f.object for f in counted]
    detail = _("%(rule)s。本次共 %(count)s 项：%(names)s") % {
        "rule": rule,
        "count": len(counted),
        "names": "、".join(names[:NAMED]) + ("等" if len(names) > NAMED else ""),
    }
    data = {"line": line, "count": len(counted), "objects": [f.object for f in counted]}
    return Finding(Kind.VETO, "", f"{url}#veto-{line}", detail, Severity.VETO, rule, data)


def veto_findings(findings, excluded=frozenset(), url=None):
    """The ``veto`` findings the given findings raise; `excluded` holds the keys marked false positive."""
    counted = [f for f in findings if f.kind != Kind.VETO and f.key not in excluded]
    url = portal_url() if url is None else url
    vetoes = []
    for line, applies, limit, rule in column_lines():
        matching = [f for f in counted if applies(f)]
        if len(matching) >= limit:
            vetoes.append(veto(url, line, rule, matching))
    by_kind = {}
    for finding in counted:
        if finding.severity == Severity.VETO:
            by_kind.setdefault(finding.kind, []).append(finding)
    for kind, raised in by_kind.items():
        label = Kind(kind).label if kind in Kind.values else kind
        rule = _("单项否决：%(kind)s（%(rule)s）") % {"kind": label, "rule": raised[0].rule}
        vetoes.append(veto(url, kind, rule, raised))
    return vetoes
