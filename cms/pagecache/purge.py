"""When the page cache is purged: every saved or deleted object, unless its model never shows on a public page.

Purging is the default, so a model added later purges by itself; ``NO_PURGE`` names the models that never appear
on a public page, each with the reason. It must hold every model written while public pages are served (search
statistics, audit entries, renditions, sessions): a write there would empty the cache on every request.

Wagtail's page signals (published, unpublished, moved) purge too, and, when ``wagtail.contrib.frontend_cache`` is
installed, send the front-end cache the page's URLs (old and new after a move), its ancestors, the home page and
the disclosure catalogue.
"""

from django.apps import apps
from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from wagtail.models import COMMENTS_RELATION_NAME, Page
from wagtail.signals import page_published, page_unpublished, post_page_move

from .frontend import purge_frontend
from .keys import bump_generation

NO_PURGE = {
    # Accounts, sign-in and lockout: never rendered on the public site.
    "sessions.Session": "sessions; written on requests",
    "axes.AccessAttempt": "login lockout bookkeeping; written on logins",
    "axes.AccessAttemptExpiration": "login lockout bookkeeping",
    "axes.AccessFailureLog": "login lockout bookkeeping; written on logins",
    "axes.AccessLog": "login lockout bookkeeping; written on logins",
    "otp_totp.TOTPDevice": "second factor devices; their counters change on each sign-in",
    "otp_static.StaticDevice": "second factor devices",
    "otp_static.StaticToken": "second factor backup codes",
    "security.PasswordState": "password age of admin accounts",
    "security.PasswordHistory": "password history of admin accounts",
    "security.Handover": "account handovers in the admin",
    "wagtailusers.UserProfile": "admin preferences",
    "auth.Permission": "admin permissions",
    "auth.Group": "admin roles",
    "wagtailcore.GroupPagePermission": "admin permissions",
    "wagtailcore.GroupCollectionPermission": "admin permissions",
    "wagtailcore.GroupSitePermission": "admin permissions",
    "wagtailcore.APIToken": "admin API credentials",
    # Logs, statistics and monitoring: written while the public site is served.
    "security.AuditEntry": "audit log; written on requests",
    "site_pages.SearchQueryStat": "search statistics; written on every search",
    "security.PageFingerprint": "tamper monitoring fetches pages; its own records show nowhere public",
    "security.TamperFinding": "tamper monitoring results, admin only",
    "security.CheckedPdf": "upload check results; documents are served uncached",
    "inspection.InspectionRun": "inspection runs, admin only",
    "inspection.InspectionRequest": "立即检查 requests, admin only",
    "inspection.ProbeResult": "availability and link probes, admin only",
    "inspection.DigestState": "digest e-mail bookkeeping",
    "wagtailcore.ModelLogEntry": "admin history",
    "wagtailcore.PageLogEntry": "admin history",
    "disclosure_requests.RateLimitWindow": "rate limit counters; written on public submissions",
    "disclosure_requests.ReceiptCounter": "receipt numbering; the request it numbers is saved too",
    "disclosure.IndexNumberCounter": "索引号 numbering; the item it numbers is saved too",
    "site_pages.LetterReminder": "deadline reminder bookkeeping, admin only",
    # Editing and review: the public site shows only published pages, whose publication purges.
    "wagtailcore.Revision": "drafts and review copies; publishing saves the page, which purges",
    "wagtailcore.WorkflowState": "review progress, admin only",
    "wagtailcore.TaskState": "review progress, admin only",
    "wagtailcore.Workflow": "review configuration, admin only",
    "wagtailcore.WorkflowTask": "review configuration, admin only",
    "wagtailcore.WorkflowPage": "review configuration, admin only",
    "wagtailcore.WorkflowContentType": "review configuration, admin only",
    "wagtailcore.Task": "review configuration, admin only",
    "wagtailcore.GroupApprovalTask": "review configuration, admin only",
    "workflows.AutomatedCheckTask": "review configuration, admin only",
    "workflows.UnitRoleTask": "review configuration, admin only",
    "workflows.AutomatedCheckTaskState": "review progress, admin only",
    "workflows.UnitTaskState": "review progress, admin only",
    "workflows.CheckRun": "automated check results, admin only",
    "workflows.Consent": "review consents, admin only",
    "workflows.Override": "reviewers' overrides of check findings, admin only",
    "workflows.PublicationRecord": "信息发布登记, admin only",
    "wagtailcore.Comment": "editors' comments on drafts",
    "wagtailcore.CommentReply": "editors' comments on drafts",
    "wagtailcore.PageSubscription": "editors' notification choices",
    "wagtailadmin.EditingSession": "the editor pings it every few seconds",
    "wagtailadmin.FormState": "autosaved admin form state",
    "wagtailadmin.Admin": "holds the admin's permissions only",
    "wagtailcore.UploadedFile": "uploads before their document or image is saved",
    # Derived data: written after the object it derives from, which purges.
    "wagtailimages.Rendition": "created on first use while a public page renders",
    "wagtailcore.ReferenceIndex": "rebuilt on every save, which purges by itself",
}


# Saves that change only these fields change nothing a visitor sees: a draft saved on a page (its revision
# holds the content), a lock, a sign-in. Editors save drafts all day; each would otherwise empty the cache.
UNSEEN_PAGE_FIELDS = frozenset(
    {
        COMMENTS_RELATION_NAME,
        "latest_revision",
        "latest_revision_created_at",
        "draft_title",
        "has_unpublished_changes",
        "locked",
        "locked_at",
        "locked_by",
    }
)
UNSEEN_USER_FIELDS = frozenset({"last_login"})


def unseen_save(sender, instance, created=False, update_fields=None, **kwargs):
    """True for a save that no public page shows: draft-only page fields, a new page not yet live, a sign-in."""
    if isinstance(instance, Page):
        if created:
            return not instance.live
        return update_fields is not None and UNSEEN_PAGE_FIELDS.issuperset(update_fields)
    if sender is get_user_model():
        return update_fields is not None and UNSEEN_USER_FIELDS.issuperset(update_fields)
    return False


def label_of(model):
    """The label a model is declared under: the concrete model of a proxy, the owner of an m2m table."""
    meta = model._meta
    if meta.auto_created:
        meta = meta.auto_created._meta
    return meta.concrete_model._meta.label


def purges(model):
    return label_of(model) not in NO_PURGE


def request_purge(using=None):
    """Purge now and again when the transaction commits.

    Now: the next request in this transaction (a test, a view that publishes then redirects) sees the change.
    On commit: a request that read the old rows while the transaction was open may have stored them under the
    generation of the first purge.
    """
    bump_generation()
    connection = transaction.get_connection(using)
    if connection.in_atomic_block and not any(entry[1] is bump_generation for entry in connection.run_on_commit):
        transaction.on_commit(bump_generation, using=using)


def on_model_change(sender, using=None, **kwargs):
    if purges(sender):
        request_purge(using)


def on_model_save(sender, instance, using=None, **kwargs):
    if purges(sender) and not unseen_save(sender, instance, **kwargs):
        request_purge(using)


def on_m2m_change(sender, action, using=None, **kwargs):
    if action.startswith("post_") and purges(sender):
        request_purge(using)


def frontend_cache_installed():
    return apps.is_installed("wagtail.contrib.frontend_cache")


def on_page_change(sender, instance, **kwargs):
    request_purge()
    if frontend_cache_installed():
        purge_frontend(instance, old_url_path=kwargs.get("url_path_before"))


def on_page_deleted(sender, instance, **kwargs):
    if isinstance(instance, Page) and frontend_cache_installed():
        purge_frontend(instance)


def connect():
    post_save.connect(on_model_save, dispatch_uid="pagecache_post_save")
    post_delete.connect(on_model_change, dispatch_uid="pagecache_post_delete")
    m2m_changed.connect(on_m2m_change, dispatch_uid="pagecache_m2m_changed")
    page_published.connect(on_page_change, dispatch_uid="pagecache_page_published")
    page_unpublished.connect(on_page_change, dispatch_uid="pagecache_page_unpublished")
    post_page_move.connect(on_page_change, dispatch_uid="pagecache_post_page_move")
    post_delete.connect(on_page_deleted, dispatch_uid="pagecache_page_deleted")
