"""Security response headers: two Content-Security-Policies (public site, admin) and Permissions-Policy.

django-csp builds and sends the policy (and the nonce, should a template ever need one); this subclass
only chooses which policy a response gets. The public site has no inline script or style, so its policy
(``CONTENT_SECURITY_POLICY``) forbids them. Wagtail's admin still renders inline scripts (date pickers,
inline panels, chooser modals), so paths under ``SECURITY_ADMIN_PATH_PREFIXES`` get
``SECURITY_ADMIN_CSP_DIRECTIVES`` instead.

Previews (the editor's preview panel, the 排版出样 proof frame) are rendered by Wagtail through a
simulated request to the page's public URL, which passes this middleware first: they get the public
policy, so an editor sees exactly what the public browser will allow.
"""

from csp.middleware import CSPMiddleware, PolicyParts
from django.conf import settings


def is_admin_path(path):
    return path.startswith(tuple(settings.SECURITY_ADMIN_PATH_PREFIXES))


class SecurityHeadersMiddleware(CSPMiddleware):
    def get_policy_parts(self, request, response, report_only=False) -> PolicyParts:
        parts = super().get_policy_parts(request, response, report_only=report_only)
        # A view's own @csp_override (parts.config) still wins; only the default policy is swapped.
        if not report_only and parts.config is None and is_admin_path(request.path_info):
            parts.config = settings.SECURITY_ADMIN_CSP_DIRECTIVES
        return parts

    def process_response(self, request, response):
        response = super().process_response(request, response)
        if settings.SECURITY_PERMISSIONS_POLICY and "Permissions-Policy" not in response:
            response["Permissions-Policy"] = settings.SECURITY_PERMISSIONS_POLICY
        return response
