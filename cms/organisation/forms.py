"""Admin forms of 单位 and 人员角色 that keep unit roles out of reach of escalation.

A unit role grants page rights, so giving, changing or withdrawing one follows
``cms.security.escalation.unit_role_refusal``: nobody touches their own roles, and only a superuser touches
those of an administrator's or a superuser's account. Both paths are covered: the 人员角色 screens and the
人员与角色 rows inside a unit's form.
"""

from django.core.exceptions import ValidationError
from wagtail.admin.forms import WagtailAdminModelForm

from cms.security import escalation

from .models import Membership


def _original_user(membership):
    """The user a saved membership belongs to in the database (the form may already have changed it)."""
    if membership.pk is None:
        return None
    return Membership.objects.select_related("user").get(pk=membership.pk).user


def _refusal(actor, original, chosen):
    for target in (original, chosen):
        message = escalation.unit_role_refusal(actor, target) if target is not None else None
        if message is not None:
            return message, target
    return None, None


class RefusingFormMixin:
    def refuse(self, message, target):
        self.add_error(None, ValidationError(message, code="escalation"))
        escalation.refuse(message, obj=target)


class MembershipForm(RefusingFormMixin, WagtailAdminModelForm):
    def clean(self):
        cleaned_data = super().clean()
        if self.for_user is not None:
            message, target = _refusal(self.for_user, _original_user(self.instance), cleaned_data.get("user"))
            if message is not None:
                self.refuse(message, target)
        return cleaned_data


class UnitForm(RefusingFormMixin, WagtailAdminModelForm):
    def is_valid(self):
        valid = super().is_valid()
        formset = self.formsets.get("memberships")
        if not valid or self.for_user is None or formset is None:
            return valid
        deleted = set(formset.deleted_forms)
        for form in formset.forms:
            if form not in deleted and not form.has_changed():
                continue
            message, target = _refusal(self.for_user, _original_user(form.instance), form.cleaned_data.get("user"))
            if message is not None:
                self.refuse(message, target)
                return False
        return valid


def membership_delete_refusal(actor, membership):
    return escalation.unit_role_refusal(actor, membership.user)


def unit_delete_refusal(actor, unit):
    """Deleting a unit withdraws every role in it."""
    for membership in unit.memberships.select_related("user"):
        message = escalation.unit_role_refusal(actor, membership.user)
        if message is not None:
            return message
    return None
