"""Finding: one hit of a detector, with its category, severity, matched text, offsets and field."""

from dataclasses import asdict, dataclass, fields

from django.utils.translation import gettext_lazy as _

BLOCK, WARN = "block", "warn"

CATEGORY_LABELS = {
    "sensitive": _("敏感词"),
    "advertising": _("广告用语"),
    "wording": _("规范表述"),
    "confidential": _("涉密标识"),
    "personal_data": _("个人信息"),
    "commercial_link": _("商业链接"),
    "short_link": _("短链接"),
    "attachment": _("附件检查"),
    "expression": _("严重表述错误"),
}
SEVERITY_LABELS = {BLOCK: _("阻止发布"), WARN: _("提示")}
PERSONAL_DATA_KINDS = {
    "id_number": _("身份证号码"),
    "mobile": _("手机号码"),
    "bank_card": _("银行卡号"),
    "email": _("电子邮箱"),
}

# Hosts of party and government organs and authoritative media: links elsewhere are flagged as

CONTEXT_WIDTH = 20
FILE_SOURCE = "file"


@dataclass(frozen=True)
class Finding:
    category: str
    term: str
    start: int
    end: int
    severity: str
    suggestion: str = ""
    field: str = ""
    field_label: str = ""
    matched: str = ""
    kind: str = ""
    context_before: str = ""
    context_after: str = ""
    # "file" when found in an attachment or an image: one-click masking cannot edit it.
    source: str = ""

    def to_dict(self):
        return asdict(self)

    @classmethod
    def from_dict(cls, data):
        """Rebuild from stored JSON; keys added by callers (e.g. ``overridden``) are ignored."""
        values = {}
        for field in fields(cls):
            if field.name in data:
                value = data[field.name]
                values[field.name] = int(value) if field.type is int else str(value if value is not None else "")
        return cls(**values)

    @property
    def category_label(self):
        return str(CATEGORY_LABELS.get(self.category, self.category))

    @property
    def severity_label(self):
        return str(SEVERITY_LABELS.get(self.severity, self.severity))

    @property
    def kind_label(self):
        return str(PERSONAL_DATA_KINDS.get(self.kind, ""))

    @property
    def blocks_publication(self):
        return self.severity == BLOCK

    @property
    def in_file(self):
        return self.source == FILE_SOURCE

    @property
    def excerpt(self):
        return f"{self.context_before}{self.matched}{self.context_after}"


def excerpt(text, start, end, width=CONTEXT_WIDTH):
    """(before, hit, after): up to `width` characters each side, … where cut, lines joined."""
    before = text[max(0, start - width) : start].replace("\n", " ")
    after = text[end : end + width].replace("\n", " ")
    if start > width:
        before = "…" + before
    if end + width < len(text):
        after += "…"
    return before, text[start:end], after


def _finding(text, category, term, start, end, severity, suggestion="", kind=""):
    before, matched, after = excerpt(text, start, end)
    return Finding(
        category=category,
        term=term,
        start=start,
        end=end,
        severity=severity,
        suggestion=str(suggestion),
        matched=matched,
        kind=kind,
        context_before=before,
        context_after=after,
    )
