"""Service-guide check: every live 办事指南 with an element the national indicators require left empty.

The elements are the page's own (``ServiceGuidePage.missing_elements``, the list that refuses submission);
guides published before a requirement was added, or edited outside the workflow, are found here. The issue
counts 办事指南要素缺失 among the website veto lines, so each incomplete guide is a veto finding.
"""

from django.utils.translation import gettext as _

from site_pages.models import ServiceGuidePage

from ..findings import Finding, Kind, Severity, check
from .scope import admin_url, code_of, unit_filter


@check
def service_guide_incomplete(context):
    guides = ServiceGuidePage.objects.live().filter(**unit_filter(context, "owning_unit"))
    for guide in guides.select_related("owning_unit").order_by("path"):
        missing = guide.missing_elements()
        if not missing:
            continue
        yield Finding(
            kind=Kind.SERVICE_GUIDE_INCOMPLETE,
            unit=code_of(guide.owning_unit),
            object=guide.full_url or admin_url("wagtailadmin_pages:edit", guide.pk),
            detail=_("办事指南《%(title)s》缺少 %(count)s 项要素：%(elements)s。")
            % {"title": guide.title, "count": len(missing), "elements": "、".join(missing)},
            severity=Severity.VETO,
            rule=_("办事指南要素齐全"),
            data={"missing": missing, "page": guide.pk},
        )
