"""Wagtail's user admin with the 三员 separation enforced in its forms.

Wagtail lets anyone holding ``auth.change_user`` tick any group for any user. Two rules are added on the
server: nobody holds more than one of the three administrator roles, and nobody changes their own
administrator roles (a system administrator cannot make themselves the auditor of their own actions).
"""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from wagtail.users.forms import UserCreationForm, UserEditForm
from wagtail.users.views.users import UserViewSet as WagtailUserViewSet

from .roles import ROLE_PERMISSIONS


def _role_names(groups):
    return {group.name for group in groups} & set(ROLE_PERMISSIONS)


class RoleSeparationMixin:
    editing_self = False

    def clean(self):
        cleaned_data = super().clean()
        groups = cleaned_data.get("groups")
        if groups is None:
            return cleaned_data
        chosen = _role_names(groups)
        if len(chosen) > 1:
            message = _("系统管理员、安全管理员、审计管理员三种角色不得由同一人兼任。")
            self.add_error("groups", ValidationError(message, code="roles"))
        if self.editing_self and self.instance.pk and chosen != _role_names(self.instance.groups.all()):
            message = _("不能修改自己的管理员角色，请由其他管理员办理。")
            self.add_error("groups", ValidationError(message, code="own_role"))
        return cleaned_data


class SeparatedUserCreationForm(RoleSeparationMixin, UserCreationForm):
    pass


class SeparatedUserEditForm(RoleSeparationMixin, UserEditForm):
    def __init__(self, *args, **kwargs):
        self.editing_self = kwargs.get("editing_self", False)
        super().__init__(*args, **kwargs)


class UserViewSet(WagtailUserViewSet):
    def get_form_class(self, for_update=False):
        return SeparatedUserEditForm if for_update else SeparatedUserCreationForm
