"""Helpers the area checks share: the unit filter of an inspection and a unit's code. Holds no checks."""

from django.urls import reverse


def unit_filter(context, field):
    """Queryset filter keeping the context's unit only (all units when it names none)."""
    return {f"{field}__organisation_code": context.unit_code} if context.unit_code else {}


def code_of(unit):
    return unit.organisation_code if unit is not None else ""


def in_scope(context, code):
    return context.unit_code is None or context.unit_code == code


def admin_url(name, *args):
    return reverse(name, args=args)
