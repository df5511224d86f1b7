from django import template
from django.conf import settings
from wagtail.models import Site

from site_pages.models import PortalSettings

register = template.Library()


@register.simple_tag(takes_context=True)
def admin_brand(context):
    """The portal's name and emblem from 门户网站设置, so the admin wears what the public site wears."""
    request = context.get("request")
    if request is not None:
        portal = PortalSettings.for_request(request)  # cached on the request: title, favicon and logo share it
    else:
        site = Site.objects.filter(is_default_site=True).first()
        portal = PortalSettings.for_site(site) if site is not None else None
    return {
        "name": (portal and portal.site_name) or settings.WAGTAIL_SITE_NAME,
        "emblem": portal and portal.emblem,
    }
