"""Another unit's drafts stay out of the admin: their titles, revisions, workflow history and comments.

Who may see a page's unpublished state: superusers, members of the page's owning unit, and whoever
the page's workflow is waiting on (a reviewer of the current stage, a co-issuing unit's head whose
consent is missing). Everyone else sees another unit's page only once it is live, and then only its
live title. Pages without an owning unit (the home page) are portal structure and keep Wagtail's rules.

Three pieces enforce it, each covering a family of Wagtail's views:
- `DraftPrivacyPagePermissionPolicy` (registered for pages) narrows what the explorer, page search,
  admin API, site history and workflow reports list;
- `DraftPrivacyMiddleware` refuses every admin URL that names such a page (edit, history, revisions,
  workflow actions, move, copy, chooser ...), so a view Wagtail adds later is covered too;
- `display_title` gives live pages of other units their live title wherever the admin shows one.
"""

from functools import cache

from django.apps import apps
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404
from django.urls import reverse
from wagtail.models import Page
from wagtail.permission_policies.pages import PagePermissionPolicy

from cms.organisation.permissions import user_unit_ids
from cms.security.audit import current_request

# URL keyword arguments that name a page, and namespaces where a bare `pk` does.
PAGE_KWARGS = frozenset({"page_id", "parent_page_id", "page_to_move_id", "destination_id"})
PAGE_PK_NAMESPACES = frozenset({"wagtailadmin_pages", "wagtailadmin_api:pages"})
# Views that take page ids in the query string.
PAGE_ID_QUERY_VIEWS = {"wagtailadmin_choose_page_chosen_multiple": "id"}
# Admin views that only list or choose pages: a live page of another unit may appear there (live title).
LISTING_NAMESPACES = frozenset({"", "wagtailadmin_api:pages"})


@cache
def unit_page_models():
    """Concrete page models that carry an owning unit."""
    return [
        model
        for model in apps.get_models()
        if issubclass(model, Page) and any(field.name == "owning_unit" for field in model._meta.concrete_fields)
    ]


def _awaited_page_ids(user):
    """Pages whose workflow waits on this user: a stage they may act on, or their unit's consent."""
    from workflows.api import awaiting
    from workflows.wagtail_hooks import consents_awaiting

    object_ids = awaiting(user).values_list("workflow_state__object_id", flat=True)
    ids = {int(object_id) for object_id in object_ids if object_id.isdigit()}
    ids.update(obj.pk for obj, _units, _ct in consents_awaiting(user) if isinstance(obj, Page))
    return frozenset(ids)


def awaited_page_ids(user):
    cached = user.__dict__.get("_awaited_page_ids_cache")
    if cached is None:
        cached = user.__dict__["_awaited_page_ids_cache"] = _awaited_page_ids(user)
    return cached


def sees_everything(user):
    return user.is_active and user.is_superuser


def other_units_pages(user):
    """Q for pages owned by a unit where the user holds no role, except those awaiting the user."""
    units = user_unit_ids(user)
    owned_elsewhere = Q(pk__in=[])
    for model in unit_page_models():
        owned_elsewhere |= Q(
            pk__in=model.objects.filter(owning_unit__isnull=False).exclude(owning_unit__in=units).values("pk")
        )
    return owned_elsewhere & ~Q(pk__in=awaited_page_ids(user))


def may_see_draft(user, page):
    """True if the user may see the page's unpublished revisions, workflow and comments."""
    if sees_everything(user):
        return True
    if not user.is_authenticated:
        return False
    unit_id = getattr(page.specific_deferred, "owning_unit_id", None)
    return unit_id is None or unit_id in user_unit_ids(user) or page.pk in awaited_page_ids(user)


def visible_pages(pages, user):
    """`pages` without other units' pages that are not live."""
    if sees_everything(user):
        return pages
    return pages.exclude(Q(live=False) & other_units_pages(user))


def display_title(page, default):
    """The title the admin shows: the live one where the current user may not see the draft."""
    request = current_request()
    user = getattr(request, "user", None)
    if user is None or not page.live or not page.pk or may_see_draft(user, page):
        return default
    return page.title


class DraftPrivacyPagePermissionPolicy(PagePermissionPolicy):
    """Wagtail's page policy with other units' pages taken out of the user's listings.

    Explorable pages keep the ancestors that lead to the user's own columns (shown with their live
    title); pages "with a permission" (workflow reports, locked pages) are the user's units' own, as
    the page permission tester already decides for actions.
    """

    def explorable_instances(self, user):
        explorable = super().explorable_instances(user)
        if sees_everything(user):
            return explorable
        ancestors = Q(pk__in=[])
        for perm in self.get_cached_permissions_for_user(user):
            ancestors |= Q(pk__in=Page.objects.ancestor_of(perm.page).values("pk"))
        return explorable.exclude(other_units_pages(user) & ~ancestors)

    def instances_user_has_permission_for(self, user, action):
        instances = super().instances_user_has_permission_for(user, action)
        if sees_everything(user):
            return instances
        return instances.exclude(other_units_pages(user))


class DraftPrivacyMiddleware:
    """Refuses admin URLs naming a page whose drafts the user may not see.

    Such a page is not found when it was never published; when it is live, only the explorer,
    the chooser and the admin API may show it (with its live title), every page action is refused.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        user = getattr(request, "user", None)
        match = request.resolver_match
        if user is None or not user.is_authenticated or sees_everything(user) or match is None:
            return None
        if not request.path.startswith(reverse("wagtailadmin_home")):
            return None
        page_ids = self.page_ids(request, match, view_kwargs)
        if not page_ids:
            return None
        for page in Page.objects.filter(pk__in=page_ids):
            if may_see_draft(user, page):
                continue
            if not page.live:
                raise Http404
            if match.namespace not in LISTING_NAMESPACES:
                raise PermissionDenied
        return None

    @staticmethod
    def page_ids(request, match, view_kwargs):
        ids = [
            value
            for name, value in view_kwargs.items()
            if name in PAGE_KWARGS or (name == "pk" and match.namespace in PAGE_PK_NAMESPACES)
        ]
        if parameter := PAGE_ID_QUERY_VIEWS.get(match.view_name):
            ids.extend(request.GET.getlist(parameter))
        return {int(value) for value in ids if str(value).isdigit()}
