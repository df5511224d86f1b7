"""For the catalogue's 依申请公开 section page: ``{% load disclosure_requests %}``
``<a href="{% request_form_url %}">`` and ``{% request_status_url %}``."""

from django import template
from django.urls import reverse

register = template.Library()


@register.simple_tag
def request_form_url():
    return reverse("disclosure_requests:form")


@register.simple_tag
def request_status_url():
    return reverse("disclosure_requests:status")
