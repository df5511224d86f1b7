"""Admin screens for units and memberships.

Both use Wagtail's ModelViewSet rather than wagtail-modeladmin: ModelViewSet is Wagtail 8's
maintained path, shares the admin's universal listings (filters, search, sorting, history,
usage) and uses Django model permissions, so the security administrator can grant
"manage units" without superuser rights.
"""

from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.panels import FieldPanel, ObjectList
from wagtail.admin.views.generic import DeleteView
from wagtail.admin.viewsets.model import ModelViewSet, ModelViewSetGroup

from cms.security.users import RefusedDeleteMixin

from .forms import MembershipForm, UnitForm, membership_delete_refusal, unit_delete_refusal
from .models import Membership, Unit


class UnitDeleteView(RefusedDeleteMixin, DeleteView):
    refusal = staticmethod(unit_delete_refusal)


class MembershipDeleteView(RefusedDeleteMixin, DeleteView):
    refusal = staticmethod(membership_delete_refusal)


class UnitViewSet(ModelViewSet):
    model = Unit
    icon = "group"
    menu_label = _("单位")
    add_to_admin_menu = False
    list_display = ["name", "short_name", "kind", "organisation_code", "parent", "active"]
    list_filter = ["kind", "active"]
    search_fields = ["name", "short_name", "organisation_code"]
    inspect_view_enabled = True
    copy_view_enabled = False
    edit_handler = ObjectList(Unit.panels, base_form_class=UnitForm)
    delete_view_class = UnitDeleteView


class MembershipViewSet(ModelViewSet):
    model = Membership
    icon = "user"
    menu_label = _("人员角色")
    list_display = ["user", "unit", "role", "created_at"]
    list_filter = ["role", "unit"]
    search_fields = ["user__username", "user__first_name", "user__last_name", "unit__name"]
    edit_handler = ObjectList(
        [FieldPanel("user"), FieldPanel("unit"), FieldPanel("role")], base_form_class=MembershipForm
    )
    delete_view_class = MembershipDeleteView
    copy_view_enabled = False


class OrganisationViewSetGroup(ModelViewSetGroup):
    menu_label = _("单位与人员")
    menu_icon = "group"
    menu_order = 250
    items = (UnitViewSet("units"), MembershipViewSet("memberships"))


@hooks.register("register_admin_viewset")
def register_organisation_viewsets():
    return OrganisationViewSetGroup()
