"""The new-media registry (政务新媒体台账) in the admin."""

from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.ui.tables import BooleanColumn, Column
from wagtail.admin.viewsets.model import ModelViewSet

from .models import NewMediaAccount


def person(user):
    """The name staff know a colleague by, with the login for telling namesakes apart."""
    if user is None:
        return "-"
    full_name = user.get_full_name()
    return f"{full_name}（{user.get_username()}）" if full_name else user.get_username()


class NewMediaAccountViewSet(ModelViewSet):
    model = NewMediaAccount
    icon = "globe"
    menu_label = _("政务新媒体")
    menu_order = 250
    add_to_admin_menu = True
    list_display = [
        "name",
        "platform",
        "unit",
        "status",
        Column("responsible", label=_("责任人"), accessor=lambda account: person(account.responsible)),
        Column("deputy", label=_("副责任人"), accessor=lambda account: person(account.deputy)),
        BooleanColumn("password_change_required", label=_("须更换口令")),
    ]
    list_filter = ["platform", "status", "password_change_required", "unit"]
    search_fields = ["name", "account_id"]
    form_fields = [
        "platform",
        "name",
        "account_id",
        "unit",
        "status",
        "responsible",
        "deputy",
        "last_updated_at",
        "password_change_required",
    ]
    inspect_view_enabled = True


@hooks.register("register_admin_viewset")
def register_newmedia_viewset():
    return NewMediaAccountViewSet("newmedia_accounts")
