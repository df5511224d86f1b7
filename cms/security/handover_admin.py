"""人员调离 in the admin: a listing of hand-overs (read-only) and a form that runs one.

Adding a Handover means running the hand-over, so the viewset's add view uses a plain form whose save
calls ``hand_over``; there is no edit or delete view (the model has only add and view permissions).
"""

from django import forms
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.utils.translation import gettext_lazy as _
from wagtail.admin import messages
from wagtail.admin.ui.tables import Column
from wagtail.admin.views.generic import CreateView
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy

from . import escalation
from .handover import HandoverError, describe, hand_over
from .models import Handover


class HandoverForm(forms.Form):
    user = forms.ModelChoiceField(
        label=_("调离人员"),
        queryset=get_user_model().objects.filter(is_active=True).order_by("username"),
        error_messages={"required": _("请选择调离人员。"), "invalid_choice": _("调离人员不存在或已停用。")},
    )
    successor = forms.ModelChoiceField(
        label=_("接替人员"),
        queryset=get_user_model().objects.filter(is_active=True).order_by("username"),
        error_messages={"required": _("请选择接替人员。"), "invalid_choice": _("接替人员不存在或已停用。")},
    )
    reason = forms.CharField(label=_("调离原因"), widget=forms.Textarea(attrs={"rows": 3}), required=False)

    def __init__(self, *args, instance=None, for_user=None, **kwargs):
        # The generic create view passes a model instance; this form creates the record itself.
        super().__init__(*args, **kwargs)
        self.for_user = for_user
        self.instance = instance

    def clean(self):
        cleaned_data = super().clean()
        if self.for_user is not None:
            message = escalation.handover_refusal(
                self.for_user, cleaned_data.get("user"), cleaned_data.get("successor")
            )
            if message is not None:
                self.add_error(None, ValidationError(message, code="escalation"))
                escalation.refuse(message, obj=cleaned_data.get("user"))
        return cleaned_data

    def save(self, request):
        try:
            return hand_over(
                self.cleaned_data["user"],
                self.cleaned_data["successor"],
                performed_by=request.user,
                reason=self.cleaned_data["reason"],
                request=request,
            )
        except HandoverError as error:
            self.add_error(None, ValidationError(str(error)))
            return None


class HandoverCreateView(CreateView):
    page_title = _("办理人员调离")

    def get_form_class(self):
        return HandoverForm

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["for_user"] = self.request.user
        return kwargs

    def form_valid(self, form):
        handover = form.save(self.request)
        if handover is None:
            # The refusal came after validation, so the view's error banner has to be set here.
            self.produced_error_message = self.get_error_message()
            return self.form_invalid(form)
        messages.success(self.request, _("人员调离交接已办理。%(summary)s") % {"summary": describe(handover)})
        return redirect(self.index_url_name)


class HandoverViewSet(ModelViewSet):
    model = Handover
    icon = "user"
    menu_label = _("人员调离交接")
    add_view_class = HandoverCreateView
    list_display = [
        "user",
        "successor",
        "performed_by",
        "created_at",
        Column("summary", label=_("交接内容"), accessor=describe),
    ]
    list_filter = ["created_at"]
    search_fields = ["user__username", "successor__username", "reason"]
    inspect_view_enabled = True
    inspect_view_fields = ["user", "successor", "performed_by", "created_at", "reason", "summary"]
    copy_view_enabled = False

    def get_form_class(self, for_update=False):
        return HandoverForm


class HandoverPermissionPolicy(ModelPermissionPolicy):
    """Only adding (running a hand-over) and viewing exist, even for superusers: a record is never edited."""

    allowed = ("add", "view")

    def user_has_permission(self, user, action):
        return action in self.allowed and super().user_has_permission(user, action)

    def user_has_any_permission(self, user, actions):
        return super().user_has_any_permission(user, [action for action in actions if action in self.allowed])


register_permission_policy(Handover, HandoverPermissionPolicy(Handover))
