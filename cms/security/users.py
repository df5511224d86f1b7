"""Wagtail's user and group admin with the 三员 separation and the escalation rules enforced on the server.

Wagtail lets anyone holding ``auth.change_user`` tick any group, or the superuser flag, for any user. Here
nobody holds more than one of the three administrator roles, and every change goes through
``escalation`` (who may change whose account, groups and group permissions): a refusal is shown in the
form in Chinese and audited. The superuser flag is not even shown to anyone but a superuser. Copying a
user is switched off: it would carry the original's groups and flags past the add form's checks.
"""

from django import forms
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.utils.translation import gettext_lazy as _
from wagtail.admin import messages
from wagtail.users.forms import GroupForm, UserCreationForm, UserEditForm
from wagtail.users.views import groups as group_views
from wagtail.users.views import users as user_views

from . import escalation
from .roles import ROLE_PERMISSIONS


def _role_names(groups):
    return {group.name for group in groups} & set(ROLE_PERMISSIONS)


class RefusalMixin:
    """A form that knows who submits it (``for_user``) and records every refusal it shows."""

    def __init__(self, *args, for_user=None, **kwargs):
        self.for_user = for_user
        super().__init__(*args, **kwargs)

    def refuse(self, message, field=None):
        self.add_error(field, ValidationError(message, code="escalation"))
        escalation.refuse(message, obj=self.instance if self.instance.pk else None)


class RoleSeparationMixin(RefusalMixin):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.for_user is not None and not self.for_user.is_superuser:
            self.fields.pop("is_superuser", None)

    def clean(self):
        cleaned_data = super().clean()
        groups = cleaned_data.get("groups")
        if groups is not None and len(_role_names(groups)) > 1:
            message = _("系统管理员、安全管理员、审计管理员三种角色不得由同一人兼任。")
            self.add_error("groups", ValidationError(message, code="roles"))
        actor = self.for_user
        if actor is None:
            return cleaned_data
        requested = forms.BooleanField(required=False).to_python(self.data.get(self.add_prefix("is_superuser")))
        message = escalation.account_refusal(actor, self.instance) or escalation.superuser_flag_refusal(
            actor, requested or (self.instance.pk is None and self.instance.is_superuser)
        )
        if message is not None:
            self.refuse(message)
        elif groups is not None:
            message = escalation.groups_refusal(actor, self.instance, groups)
            if message is not None:
                self.refuse(message, "groups")
        return cleaned_data


class SeparatedUserCreationForm(RoleSeparationMixin, UserCreationForm):
    pass


class SeparatedUserEditForm(RoleSeparationMixin, UserEditForm):
    pass


class SeparatedGroupForm(RefusalMixin, GroupForm):
    def clean(self):
        cleaned_data = super().clean()
        if self.for_user is not None:
            message = escalation.group_refusal(self.for_user, self.instance, cleaned_data.get("permissions") or ())
            if message is not None:
                self.refuse(message)
        return cleaned_data


class ActorFormMixin:
    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "for_user": self.request.user}


class RefusedDeleteMixin:
    """A delete view that refuses, with the reason as a message, what ``refusal(actor, object)`` forbids."""

    def dispatch(self, request, *args, **kwargs):
        target = self.get_object()
        message = self.refusal(request.user, target)
        if message is not None:
            escalation.refuse(message, obj=target, request=request)
            messages.error(request, message)
            return redirect(self.index_url_name)
        return super().dispatch(request, *args, **kwargs)


class UserCreateView(ActorFormMixin, user_views.CreateView):
    pass


class UserEditView(ActorFormMixin, user_views.EditView):
    pass


class UserDeleteView(RefusedDeleteMixin, user_views.DeleteView):
    refusal = staticmethod(escalation.account_refusal)


class UserViewSet(user_views.UserViewSet):
    add_view_class = UserCreateView
    edit_view_class = UserEditView
    delete_view_class = UserDeleteView
    copy_view_enabled = False

    def get_form_class(self, for_update=False):
        return SeparatedUserEditForm if for_update else SeparatedUserCreationForm


class GroupCreateView(ActorFormMixin, group_views.CreateView):
    pass


class GroupEditView(ActorFormMixin, group_views.EditView):
    pass


class GroupDeleteView(RefusedDeleteMixin, group_views.DeleteView):
    refusal = staticmethod(escalation.group_refusal)


class GroupViewSet(group_views.GroupViewSet):
    add_view_class = GroupCreateView
    edit_view_class = GroupEditView
    delete_view_class = GroupDeleteView

    def get_form_class(self, for_update=False):
        return SeparatedGroupForm
