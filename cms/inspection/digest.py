"""The daily inspection digest (send_inspection_digest, run by cron): warnings reach people while there is time.

Each active unit whose editors or reviewers have an address gets one e-mail naming what crossed a warning line
or became a finding for the unit since its last digest: what, where, what to fix and by when. A finding is new
when its key and severity were not open at the unit's last digest, so a warning that becomes a finding, or a
fixed problem that comes back, is named again. Nothing new, no e-mail. Findings of the portal as a whole go to
the unit answerable for the portal, as in scoring. Findings marked false positive are left out.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from urllib.parse import urljoin

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from cms.organisation.models import Membership, Role, Unit

from .digest_advice import due_date, fix_for
from .digest_models import DigestState
from .findings import InspectionContext, Kind, Severity
from .report import SEVERITY_ORDER, inspect
from .scoring import portal_unit

# Editors write and fix; the 二审/三审 reviewers answer for what the unit publishes.
DIGEST_ROLES = (Role.INFO_OFFICER, Role.DEPUTY_HEAD, Role.HEAD)


def identity(finding):
    """A finding as the digest remembers it: a warning that becomes a finding is new again."""
    return f"{finding.key}|{finding.severity}"


@dataclass(frozen=True)
class Item:
    """One line of a digest: the finding, where it is, what to fix and by when."""

    finding: object
    url: str
    fix: str
    due_on: object  # the date to fix it by, or None
    due: str
    urgent: bool  # past its date or already a finding: to fix now

    @property
    def severity_label(self):
        return Severity(self.finding.severity).label

    @property
    def kind_label(self):
        return Kind(self.finding.kind).label if self.finding.kind in Kind.values else self.finding.kind


@dataclass
class DigestRun:
    mailed: list = field(default_factory=list)  # (unit, items)
    quiet: list = field(default_factory=list)
    unreachable: list = field(default_factory=list)  # units with something new and nobody to tell


def open_findings(as_of):
    """{unit code: [Finding, ...]} of the day's inspection, portal findings on the unit answerable for the portal."""
    portal = portal_unit()
    portal_code = portal.organisation_code if portal else ""
    by_unit = defaultdict(list)
    for row in inspect(InspectionContext(as_of=as_of)):
        if row.false_positive is None:
            by_unit[row.finding.unit or portal_code].append(row.finding)
    return by_unit


def recipients_by_unit():
    """{unit id: [address, ...]} of active editors and reviewers in active units."""
    found = defaultdict(set)
    memberships = Membership.objects.active().filter(role__in=DIGEST_ROLES).exclude(user__email="")
    for unit_id, email in memberships.values_list("unit_id", "user__email"):
        found[unit_id].add(email)
    return {unit_id: sorted(emails) for unit_id, emails in found.items()}


def absolute(url):
    """Admin objects are paths; an e-mail needs the admin's address in front."""
    return urljoin(settings.WAGTAILADMIN_BASE_URL, url)


def item_for(finding, as_of):
    due = due_date(finding, as_of)
    urgent = finding.severity != Severity.WARNING or (due is not None and due < as_of)
    if due is None:
        when = _("请立即整改")
    elif urgent:
        when = _("已于 %(due)s 到期，请立即整改") % {"due": due.isoformat()}
    else:
        when = _("最迟 %(due)s") % {"due": due.isoformat()}
    return Item(finding, absolute(finding.object), fix_for(finding.kind), due, when, urgent)


def item_order(item):
    due = item.due_on or datetime.date.max
    return (SEVERITY_ORDER.get(item.finding.severity, 9), due, item.finding.kind, item.finding.object)


def compose(unit, items, still_open, as_of):
    """(subject, text, html) of one unit's digest."""
    context = {
        "unit": unit,
        "items": items,
        "still_open": still_open,
        "as_of": as_of,
        "site_name": settings.WAGTAIL_SITE_NAME,
        "dashboard_url": absolute(reverse("wagtailadmin_home")),
    }
    subject = _("%(site)s网站检查：%(unit)s有 %(count)s 项新的预警或问题") % {
        "site": settings.WAGTAIL_SITE_NAME,
        "unit": unit.display_name,
        "count": len(items),
    }
    text = render_to_string("inspection/digest_email.txt", context)
    html = render_to_string("inspection/digest_email.html", context)
    return subject, text, html


def send_digest(as_of=None):
    """Sends the day's digests and remembers what each unit was told; returns what happened per unit."""
    as_of = as_of or timezone.localdate()
    findings = open_findings(as_of)
    recipients = recipients_by_unit()
    states = {state.unit_id: state for state in DigestState.objects.all()}
    run = DigestRun()
    for unit in Unit.objects.active().order_by("pk"):
        current = findings.get(unit.organisation_code, [])
        state = states.get(unit.pk)
        known = set(state.identities) if state else set()
        new = [finding for finding in current if identity(finding) not in known]
        if new and not recipients.get(unit.pk):
            # Kept unsent: a colleague given a role later still hears of it.
            run.unreachable.append(unit)
            continue
        if new:
            items = sorted((item_for(finding, as_of) for finding in new), key=item_order)
            subject, text, html = compose(unit, items, len(current) - len(new), as_of)
            message = EmailMultiAlternatives(subject, text, None, recipients[unit.pk])
            message.attach_alternative(html, "text/html")
            message.send()
            run.mailed.append((unit, items))
        elif current or state is not None:
            run.quiet.append(unit)
        if current or state is not None:
            remember(unit, state, current, as_of, sent=bool(new))
    return run


def remember(unit, state, current, as_of, sent):
    """Stores what is open now (after the mail went out, so a failed send is tried again the next run)."""
    state = state or DigestState(unit=unit)
    state.identities = sorted(identity(finding) for finding in current)
    state.as_of = as_of
    if sent:
        state.sent_at = timezone.now()
    state.save()
