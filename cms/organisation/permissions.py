"""Unit-based page permissions.

Each unit has one Wagtail group. A membership puts the user in the unit's group; a column
owned by the unit grants that group add/change (never publish) on the column's subtree.
Wagtail's own explorer, menus and choosers therefore work unchanged. Because a grant on a
column also covers sub-columns owned by other units, the page permission tester narrows
the result to pages whose owning unit is one where the user holds a role.

Documents and images follow the same pattern with collections: each unit has its own
collection where its group adds, changes and chooses, and every unit group may choose from
the shared public collection. Nothing is granted on the root collection, so a unit's files
stay out of other units' choosers and edit screens.
"""

from django.contrib.auth.models import Group, Permission
from django.db import IntegrityError, transaction
from wagtail.models import Collection, GroupCollectionPermission, GroupPagePermission, PagePermissionTester

# Editors write and submit; publishing only ever comes from the review workflow.
UNIT_PAGE_PERMISSIONS = ("add_page", "change_page")
UNIT_COLLECTION_PERMISSIONS = (
    ("wagtailimages", "add_image"),
    ("wagtailimages", "change_image"),
    ("wagtailimages", "choose_image"),
    ("wagtaildocs", "add_document"),
    ("wagtaildocs", "change_document"),
    ("wagtaildocs", "choose_document"),
)
PUBLIC_COLLECTION_PERMISSIONS = (
    ("wagtailimages", "choose_image"),
    ("wagtaildocs", "choose_document"),
)
# The shared collection (a child of the root) that every unit may choose from; the data migration uses it too.
PUBLIC_COLLECTION_NAME = "公共资源"
# Actions that depend on owning the page; anything else (e.g. from other groups) is kept.
OWNERSHIP_ACTIONS = {"add", "change", "bulk_delete", "lock", "unlock", "publish"}


def unit_group_name(unit):
    return f"{unit.name}（单位编辑组）"


@transaction.atomic
def ensure_unit_group(unit):
    """Create or rename the unit's group and give it admin access and media permissions."""
    from .models import Unit

    group = unit.editor_group
    name = unit_group_name(unit)
    if group is None:
        group, _ = Group.objects.get_or_create(name=name)
        Unit.objects.filter(pk=unit.pk).update(editor_group=group)
        unit.editor_group = group
    elif group.name != name:
        group.name = name
        group.save(update_fields=["name"])
    group.permissions.add(Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin"))
    if Collection.get_first_root_node() is not None:
        grant_unit_collections(unit, group)
    return group


def public_collection():
    """The shared public collection below the root, created on first use."""
    root = Collection.get_first_root_node()
    collection = root.get_children().filter(name=PUBLIC_COLLECTION_NAME).first()
    return collection or root.add_child(instance=Collection(name=PUBLIC_COLLECTION_NAME))


def ensure_unit_collection(unit):
    """Create the unit's collection below the root, or rename it after the unit."""
    from .models import Unit

    collection = unit.collection
    if collection is None:
        collection = Collection.get_first_root_node().add_child(instance=Collection(name=unit.name))
        Unit.objects.filter(pk=unit.pk).update(collection=collection)
        unit.collection = collection
    elif collection.name != unit.name:
        collection.name = unit.name
        collection.save(update_fields=["name"])
    return collection


def _grant_once(model, **fields):
    """Creates the grant unless a concurrent save created it first (both models are unique on their fields).

    The caller has read the group's grants already, so Django's get_or_create would read again for nothing; the
    objects passed (not their ids) also spare the audit handler a query each (cms/security/audit_signals.py)."""
    try:
        with transaction.atomic():
            model.objects.create(**fields)
    except IntegrityError:
        pass


def grant_unit_collections(unit, group):
    """The group's collection grants become exactly: its unit's collection in full, the public one to choose."""
    wanted = {
        (collection.pk, codename): collection
        for collection, grants in (
            (ensure_unit_collection(unit), UNIT_COLLECTION_PERMISSIONS),
            (public_collection(), PUBLIC_COLLECTION_PERMISSIONS),
        )
        for _app, codename in grants
    }
    kept = set()
    for grant in GroupCollectionPermission.objects.filter(group=group).select_related("permission"):
        key = (grant.collection_id, grant.permission.codename)
        if key in wanted:
            kept.add(key)
        else:
            grant.delete()
    missing = [key for key in wanted if key not in kept]
    if not missing:
        return
    permissions = {
        p.codename: p for p in Permission.objects.filter(content_type__app_label__in=("wagtaildocs", "wagtailimages"))
    }
    for key in missing:
        _grant_once(GroupCollectionPermission, group=group, collection=wanted[key], permission=permissions[key[1]])


def sync_user_groups(user):
    """Make the user's unit groups match their memberships in active units."""
    from .models import Unit

    wanted = set(
        Unit.objects.filter(memberships__user=user, active=True, editor_group__isnull=False).values_list(
            "editor_group_id", flat=True
        )
    )
    current = set(user.groups.filter(unit__isnull=False).values_list("id", flat=True))
    if current - wanted:
        user.groups.remove(*(current - wanted))
    if wanted - current:
        user.groups.add(*(wanted - current))
    for cache in ("_unit_ids_cache", "_page_permission_cache"):
        user.__dict__.pop(cache, None)


@transaction.atomic
def grant_page_to_unit(page, unit):
    """Grant the unit's group add/change on the page's subtree and revoke other units' grants on it."""
    GroupPagePermission.objects.filter(page=page, group__unit__isnull=False).exclude(group__unit=unit).delete()
    if unit is None:
        return
    group = unit.editor_group or ensure_unit_group(unit)
    # Every save of a column comes here: once granted, two queries.
    granted = set(
        GroupPagePermission.objects.filter(group=group, page=page).values_list("permission__codename", flat=True)
    )
    if granted.issuperset(UNIT_PAGE_PERMISSIONS):
        return
    missing = Permission.objects.filter(
        content_type__app_label="wagtailcore", codename__in=set(UNIT_PAGE_PERMISSIONS) - granted
    )
    for permission in missing:
        _grant_once(GroupPagePermission, group=group, page=page, permission=permission)


def user_unit_ids(user):
    """Ids of active units where the user holds any role, cached on the user object."""
    if not user.is_authenticated:
        return frozenset()
    cached = user.__dict__.get("_unit_ids_cache")
    if cached is None:
        from .models import Membership

        cached = frozenset(Membership.objects.active().filter(user=user).values_list("unit_id", flat=True))
        user.__dict__["_unit_ids_cache"] = cached
    return cached


class UnitPagePermissionTester(PagePermissionTester):
    """Wagtail's tester, limited to pages owned by one of the user's units."""

    def __init__(self, user, page):
        super().__init__(user, page)
        if user.is_active and not user.is_superuser:
            unit_id = getattr(page, "owning_unit_id", None)
            if unit_id is not None and unit_id not in user_unit_ids(user):
                self.permissions = self.permissions - OWNERSHIP_ACTIONS
