"""Tamper check: the findings of the latest ``check_tamper`` runs that nobody has resolved yet.

``check_tamper`` keeps one unresolved row per address, kind and detail and resolves what it no longer sees,
so the unresolved rows are exactly what its latest run found. A page's finding belongs to the page's unit;
a file's to the portal.
"""

from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.models import Page

from cms.organisation.models import Unit
from cms.security.models import TamperFinding

from ..findings import Finding, Kind, Severity, check
from .scope import admin_url, in_scope


@check
def tamper(context):
    findings = list(TamperFinding.objects.filter(resolved=False).order_by("detected_at", "pk"))
    page_ids = {f.page_id for f in findings if f.page_id}
    unit_ids = {
        page.pk: getattr(page, "owning_unit_id", None) for page in Page.objects.filter(pk__in=page_ids).specific()
    }
    codes = dict(Unit.objects.filter(pk__in=set(unit_ids.values())).values_list("pk", "organisation_code"))
    units = {page_id: codes.get(unit_id) for page_id, unit_id in unit_ids.items()}
    for found in findings:
        code = units.get(found.page_id) or ""
        if not in_scope(context, code) or (context.unit_code and not code):
            continue
        yield Finding(
            kind=Kind.TAMPER,
            unit=code,
            object=admin_url("tamper_findings:inspect", found.pk),
            detail=_("%(kind)s：%(url)s，%(detail)s（%(detected)s 发现，最近一次 %(seen)s）。")
            % {
                "kind": found.get_kind_display(),
                "url": found.url,
                "detail": found.detail,
                "detected": timezone.localdate(found.detected_at).isoformat(),
                "seen": timezone.localdate(found.last_seen_at).isoformat(),
            },
            severity=Severity.FINDING,
            rule=_("网页防篡改监测"),
            data={"url": found.url, "tamper_kind": found.kind},
        )
