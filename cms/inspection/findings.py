"""What every inspection check returns: findings with a unit, an object, evidence, a severity and a rule.

Checks live in ``cms.inspection.checks``: every module there is imported and each function decorated with
``@check`` runs once per inspection with an ``InspectionContext``. A check yields ``Finding``s and never writes.
"""

import datetime
from dataclasses import asdict, dataclass, field

from django.db.models import TextChoices
from django.utils.translation import gettext_lazy as _


class Severity(TextChoices):
    VETO = "veto", _("单项否决")
    FINDING = "finding", _("问题")
    WARNING = "warning", _("预警")


class Kind(TextChoices):
    COLUMN_STALE = "column_stale", _("栏目未按时更新")
    COLUMN_EMPTY = "column_empty", _("空白栏目")
    COLUMN_WARNING = "column_warning", _("栏目即将超期")
    HOMEPAGE_STALE = "homepage_stale", _("首页未按时更新")
    AVAILABILITY = "availability", _("网站可用性")
    NEWMEDIA_STALE = "newmedia_stale", _("政务新媒体未按时更新")
    NEWMEDIA_UNFILED = "newmedia_unfiled", _("政务新媒体变更未备案")
    NEWMEDIA_DUPLICATE = "newmedia_duplicate", _("政务新媒体重复建设")
    NEWMEDIA_NOTICES = "newmedia_notices", _("政务新媒体多次通报")
    LETTER_OVERDUE = "letter_overdue", _("留言超期未答复")
    LETTER_VETO = "letter_veto", _("留言超过三个月未答复")
    SERVICE_GUIDE_INCOMPLETE = "service_guide_incomplete", _("办事指南要素缺失")
    DISCLOSURE_OVERDUE = "disclosure_overdue", _("主动公开超期")
    REQUEST_OVERDUE = "request_overdue", _("依申请公开超期")
    BROKEN_LINK = "broken_link", _("错链断链")
    HIDDEN_LINK = "hidden_link", _("暗链")
    CONTENT_FLAGGED = "content_flagged", _("内容问题")
    TAMPER = "tamper", _("网页篡改")
    PORTAL_BASICS = "portal_basics", _("网站基本信息")
    VETO = "veto", _("触发单项否决")


@dataclass(frozen=True)
class InspectionContext:
    as_of: datetime.date
    # Restrict to one unit (organisation code), or None for every unit.
    unit_code: str | None = None
    # Check links to other websites over HTTP; None follows INSPECTION_CHECK_EXTERNAL_LINKS.
    check_external_links: bool | None = None


@dataclass(frozen=True)
class Finding:
    kind: str
    unit: str  # the unit's organisation code, "" for the portal as a whole
    object: str  # a public URL or an admin URL
    detail: str  # evidence, in Chinese
    severity: str
    rule: str  # the rule applied, e.g. "动态类栏目 14 天"
    data: dict = field(default_factory=dict, compare=False)

    @property
    def key(self):
        """Identifies the same finding across runs (false-positive marks are kept by it)."""
        return f"{self.kind}|{self.unit}|{self.object}"

    def as_dict(self):
        return asdict(self)


CHECKS = []


def check(function):
    CHECKS.append(function)
    return function


def run_checks(context):
    from . import checks

    checks.load()
    findings = []
    for function in CHECKS:
        findings.extend(function(context))
    return findings
