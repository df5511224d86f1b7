"""What the 检查考核 admin views share: the inspector check, breadcrumbs, and labels for stored rows."""

from django.http import Http404
from django.urls import reverse
from django.utils.translation import gettext as _
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from cms.organisation.models import Unit

from .access import is_inspector
from .findings import Severity


class InspectorViewMixin(WagtailAdminTemplateMixin):
    parent_crumbs = ()  # (url name, label) pairs between the dashboard and this page

    def dispatch(self, request, *args, **kwargs):
        if not is_inspector(request.user):
            # Not found rather than refused: the units under inspection need not learn what the area holds.
            raise Http404(_("页面不存在。"))
        self.prepare(**kwargs)
        return super().dispatch(request, *args, **kwargs)

    def prepare(self, **kwargs):
        """Loads the object the URL names, once the user is known to be an inspector (views with one override it)."""

    def get_breadcrumbs_items(self):
        parents = [{"url": reverse(name), "label": label} for name, label in self.parent_crumbs]
        return [*self.breadcrumbs_items, *parents, {"url": "", "label": self.get_page_title()}]


def unit_names(codes):
    return dict(Unit.objects.filter(organisation_code__in=codes).values_list("organisation_code", "name"))


def severity_label(severity):
    return Severity(severity).label if severity in Severity.values else severity


def portal_label(portal):
    """How findings of the portal as a whole are headed: with the unit they count against."""
    if portal is None:
        return _("全站")
    return _("全站（计入%(unit)s）") % {"unit": portal.name}
