"""三员 (等保 separation of administrator roles): system, security and audit administrators.

Each role is a Django group holding exactly the permissions below; the data migration creates them and
``sync_role_groups`` puts them back to this list (a later migration calls it again when the list changes).
Nobody in these groups gets a page permission, so none of them can edit content, and none of them gets
``auth.change_group``, so none can widen their own rights. Changes to the groups' members and permissions are
written to the audit log by ``audit_signals`` like every other permission change.

A superuser passes every permission check, this separation included: keep superuser accounts for
emergencies and give day-to-day administrators one of these groups instead.
"""

from django.apps import apps as global_apps
from django.contrib.auth.management import create_permissions
from django.utils.translation import gettext_lazy as _

SYSTEM_ADMIN = "系统管理员"
SECURITY_ADMIN = "安全管理员"
AUDIT_ADMIN = "审计管理员"

ROLE_LABELS = {
    SYSTEM_ADMIN: _("系统管理员"),
    SECURITY_ADMIN: _("安全管理员"),
    AUDIT_ADMIN: _("审计管理员"),
}

ACCESS_ADMIN = "wagtailadmin.access_admin"


def _crud(app_label, model):
    return [f"{app_label}.{verb}_{model}" for verb in ("add", "change", "delete", "view")]


ROLE_PERMISSIONS = {
    # Units, memberships, user accounts, site settings, workflows, hand-over of departing staff, the
    # new-media registry.
    SYSTEM_ADMIN: [
        ACCESS_ADMIN,
        *_crud("organisation", "unit"),
        *_crud("organisation", "membership"),
        *_crud("auth", "user"),
        "site_pages.change_portalsettings",
        "disclosure.change_disclosuresettings",
        "wagtailcore.add_workflow",
        "wagtailcore.change_workflow",
        "wagtailcore.delete_workflow",
        "wagtailcore.add_task",
        "wagtailcore.change_task",
        "wagtailcore.delete_task",
        "security.add_handover",
        "security.view_handover",
        *_crud("newmedia", "newmediaaccount"),
    ],
    # Security state of the site: tamper findings, the lexicon, the authoritative sources, the public mailbox
    # domains, the working-day calendar, and login protection (unlocking locked accounts and addresses,
    # resetting a lost authenticator).
    SECURITY_ADMIN: [
        ACCESS_ADMIN,
        "axes.view_accessattempt",
        "axes.delete_accessattempt",
        "otp_totp.view_totpdevice",
        "otp_totp.delete_totpdevice",
        "security.view_tamperfinding",
        "security.change_tamperfinding",
        *_crud("lexicon", "lexiconentry"),
        *_crud("workflows", "authoritativesource"),
        *_crud("workflows", "publicmailboxdomain"),
        *_crud("workflows", "urlshortenerhost"),
        *_crud("disclosure", "calendarday"),
    ],
    # Reads: the audit log, the hand-over records and the publication register of every unit.
    AUDIT_ADMIN: [
        ACCESS_ADMIN,
        "security.view_auditentry",
        "security.view_handover",
        "workflows.view_publicationrecord",
    ],
}


def sync_role_groups(apps=global_apps):
    """Create the three groups and give each exactly its listed permissions."""
    group_model = apps.get_model("auth", "Group")
    permission_model = apps.get_model("auth", "Permission")
    for name, perms in ROLE_PERMISSIONS.items():
        wanted = []
        for perm in perms:
            app_label, codename = perm.split(".")
            wanted.append(permission_model.objects.get(content_type__app_label=app_label, codename=codename))
        group, _created = group_model.objects.get_or_create(name=name)
        group.permissions.set(wanted)


def create_role_groups(apps, schema_editor):
    """Data-migration step: ``sync_role_groups`` after creating the permissions it needs.

    Permissions are normally created after all migrations (post_migrate); on a fresh database they do not
    exist yet, so they are created here for the apps the calling migration depends on.
    """
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    sync_role_groups(apps)
