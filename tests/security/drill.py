"""Restore drill helper, run in a subprocess against a throw-away database.

    python -m tests.security.drill history|snapshot|damage

`history` adds workflow history and an uploaded document to the seeded demo site, `snapshot`
prints what a restore must bring back (pages, users, workflow and log tables, the checksum of every
file in every storage root, the HTML of a few public pages) as JSON, `damage` changes and deletes
some of it, `alter-private` changes one 答复书 after a restore to show that the drill would notice.

The storage roots are found here from the settings and models, not from the backup code, so a
root the backup leaves out shows up as a difference.
"""

import hashlib
import json
import os
import sys
from pathlib import Path

import django

# *_ROOT settings that hold no records: collectstatic output, and the test run's parent folder.
NOT_RECORD_ROOTS = {"STATIC_ROOT", "TEST_FILES_ROOT"}


def roots_named_in_settings():
    """Every directory the settings and models point files at: MEDIA_ROOT, each *_ROOT setting,
    each STORAGES entry with a location and the storage of every model file field."""
    from django.apps import apps
    from django.conf import settings
    from django.db.models import FileField

    roots = {Path(settings.MEDIA_ROOT)}
    for name in dir(settings):
        value = getattr(settings, name, None)
        if name.endswith("_ROOT") and name not in NOT_RECORD_ROOTS and isinstance(value, str | Path):
            roots.add(Path(value))
    for alias, config in settings.STORAGES.items():
        location = (config.get("OPTIONS") or {}).get("location")
        if location and alias != "staticfiles":
            roots.add(Path(location))
    for model in apps.get_models():
        for field in model._meta.get_fields():
            if isinstance(field, FileField):
                storage = getattr(field, "_storage_callable", None)
                location = getattr(storage() if callable(storage) else field.storage, "location", None)
                if location:
                    roots.add(Path(location))
    return {root.resolve() for root in roots}


def file_checksums():
    return {
        str(root): {
            path.relative_to(root).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
            for path in sorted(root.rglob("*"))
            if path.is_file()
        }
        for root in sorted(roots_named_in_settings())
    }


def private_replies():
    from django.conf import settings

    return sorted(Path(settings.DISCLOSURE_REQUEST_FILES_ROOT).rglob("*.pdf"))


def setup():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.security.drill_settings")
    django.setup()


def history():
    from django.contrib.auth import get_user_model
    from django.core.files.base import ContentFile
    from django.utils import timezone
    from wagtail.documents import get_document_model
    from wagtail.models import GroupApprovalTask, Workflow, WorkflowTask

    from cms.inspection.annual_models import AccountabilityCase, AccountabilityCategory
    from cms.organisation.models import Unit
    from site_pages.models import ArticlePage, Message, MessageAttachment

    admin = get_user_model().objects.get(username="admin")
    workflow = Workflow.objects.create(name="恢复演练审核流程")
    for order, name in enumerate(["一审", "二审"]):
        WorkflowTask.objects.create(
            workflow=workflow, task=GroupApprovalTask.objects.create(name=name), sort_order=order
        )
    for page in ArticlePage.objects.order_by("path")[:2]:
        page.title = f"{page.title}（修订稿）"
        page.save_revision(user=admin)
        state = workflow.start(page, admin)
        state.current_task_state.approve(user=admin, comment="同意")
    document = get_document_model()(title="演练附件")
    document.file.save("drill-attachment.pdf", ContentFile(b"%PDF-1.4\n%%EOF\n"), save=True)
    letter = Message.objects.order_by("pk").first()
    attachment = MessageAttachment(message=letter, original_name="现场照片.pdf", size=15)
    attachment.file.save("drill-letter.pdf", ContentFile(b"%PDF-1.4\n%%EOF\n"), save=True)
    # Accountability evidence has a root of its own inside the private files.
    today = timezone.localdate()
    case = AccountabilityCase(
        unit=Unit.objects.order_by("pk").first(),
        year=today.year,
        category=AccountabilityCategory.choices[0][0],
        date=today,
        description="恢复演练问责情形",
    )
    case.evidence_file.save("drill-evidence.pdf", ContentFile(b"%PDF-1.4\n%%EOF\n"), save=True)


def snapshot():
    from django.contrib.auth import get_user_model
    from django.test import Client
    from wagtail.models import ModelLogEntry, Page, PageLogEntry, TaskState, WorkflowState

    pages = list(Page.objects.order_by("path").values_list("id", "url_path", "title", "live"))
    users = list(
        get_user_model().objects.order_by("username").values_list("username", "email", "password", "is_superuser")
    )
    workflow_states = list(
        WorkflowState.objects.order_by("pk").values_list("pk", "object_id", "status", "workflow__name")
    )
    task_states = list(TaskState.objects.order_by("pk").values_list("pk", "workflow_state_id", "task__name", "status"))
    page_log = list(PageLogEntry.objects.order_by("pk").values_list("pk", "page_id", "action", "user_id"))
    model_log = list(ModelLogEntry.objects.order_by("pk").values_list("pk", "object_id", "action"))
    live = Page.objects.live().filter(depth__gte=2).order_by("path").specific()
    samples = [live[0], *[p for p in live if p.specific_class.__name__ == "ColumnPage"][:1]]
    samples += [p for p in live if p.specific_class.__name__ == "ArticlePage"][:2]
    client = Client()
    html = {}
    for page in samples:
        response = client.get(page.url)
        html[page.url] = [response.status_code, hashlib.sha256(response.content).hexdigest()]
    json.dump(
        {
            "pages": pages,
            "users": users,
            "workflow_states": workflow_states,
            "task_states": task_states,
            "page_log": page_log,
            "model_log": model_log,
            "files": file_checksums(),
            "html": html,
        },
        sys.stdout,
        ensure_ascii=False,
    )


def damage():
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from wagtail.models import WorkflowState

    from site_pages.models import ArticlePage, ColumnPage

    articles = list(ArticlePage.objects.live().order_by("path"))
    articles[-1].delete()
    column = ColumnPage.objects.order_by("path").first()
    column.title = "被改动的栏目"
    column.save_revision().publish()
    get_user_model().objects.exclude(username="admin").order_by("username").first().delete()
    WorkflowState.objects.all().delete()
    for path in Path(settings.MEDIA_ROOT).rglob("drill-attachment*.pdf"):
        path.unlink()
    (Path(settings.MEDIA_ROOT) / "planted.html").write_text("<script>alert(1)</script>")
    for path in Path(settings.LETTER_FILES_ROOT).rglob("drill-letter*.pdf"):
        path.unlink()
    replies = private_replies()
    replies[0].write_bytes(b"%PDF-1.4 forged reply\n%%EOF\n")
    replies[-1].unlink()


def alter_private():
    private_replies()[0].write_bytes(b"%PDF-1.4 changed after the restore\n%%EOF\n")


if __name__ == "__main__":
    setup()
    {"history": history, "snapshot": snapshot, "damage": damage, "alter-private": alter_private}[sys.argv[1]]()
