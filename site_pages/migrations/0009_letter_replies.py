"""Replies to letters and their review: the workflow 「留言答复审核」 (automated checks, then the handling
unit's 主要负责人 signs off), which the final approval publishes and so closes the letter."""

import django.db.models.deletion
from django.db import migrations, models

WORKFLOW = "留言答复审核"
CHECK_TASK = "留言答复自动检查"
SIGN_OFF_TASK = "留言答复签发（主要负责人）"


def create_reply_workflow(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Workflow = apps.get_model("wagtailcore", "Workflow")
    WorkflowTask = apps.get_model("wagtailcore", "WorkflowTask")
    WorkflowContentType = apps.get_model("wagtailcore", "WorkflowContentType")
    AutomatedCheckTask = apps.get_model("workflows", "AutomatedCheckTask")
    UnitRoleTask = apps.get_model("workflows", "UnitRoleTask")

    def content_type(app_label, model):
        return ContentType.objects.get_or_create(app_label=app_label, model=model)[0]

    workflow, created = Workflow.objects.get_or_create(name=WORKFLOW, defaults={"active": True})
    if created:
        check, _new = AutomatedCheckTask.objects.get_or_create(
            name=CHECK_TASK, defaults={"content_type": content_type("workflows", "automatedchecktask")}
        )
        sign_off, _new = UnitRoleTask.objects.get_or_create(
            name=SIGN_OFF_TASK,
            defaults={
                "stage": "review_3",
                "role": "head",
                "unit_source": "owning",
                "content_type": content_type("workflows", "unitroletask"),
            },
        )
        for order, task in enumerate((check, sign_off)):
            WorkflowTask.objects.create(workflow=workflow, task=task, sort_order=order)
    WorkflowContentType.objects.update_or_create(
        content_type=content_type("site_pages", "messagereply"), defaults={"workflow": workflow}
    )


class Migration(migrations.Migration):
    dependencies = [
        ("site_pages", "0008_letters"),
        ("wagtailcore", "0098_apitoken"),
        ("workflows", "0005_url_shortener_host"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.CreateModel(
            name="MessageReply",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("live", models.BooleanField(default=True, editable=False, verbose_name="live")),
                (
                    "has_unpublished_changes",
                    models.BooleanField(default=False, editable=False, verbose_name="has unpublished changes"),
                ),
                (
                    "first_published_at",
                    models.DateTimeField(blank=True, db_index=True, null=True, verbose_name="first published at"),
                ),
                (
                    "last_published_at",
                    models.DateTimeField(editable=False, null=True, verbose_name="last published at"),
                ),
                ("go_live_at", models.DateTimeField(blank=True, null=True, verbose_name="go live date/time")),
                ("expire_at", models.DateTimeField(blank=True, null=True, verbose_name="expiry date/time")),
                ("expired", models.BooleanField(default=False, editable=False, verbose_name="expired")),
                ("text", models.TextField(verbose_name="答复内容")),
                (
                    "latest_revision",
                    models.ForeignKey(
                        blank=True,
                        editable=False,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to="wagtailcore.revision",
                        verbose_name="latest revision",
                    ),
                ),
                (
                    "live_revision",
                    models.ForeignKey(
                        blank=True,
                        editable=False,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to="wagtailcore.revision",
                        verbose_name="live revision",
                    ),
                ),
                (
                    "message",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="reply",
                        to="site_pages.message",
                        verbose_name="留言",
                    ),
                ),
            ],
            options={
                "verbose_name": "留言答复",
                "verbose_name_plural": "留言答复",
            },
        ),
        migrations.RunPython(create_reply_workflow, migrations.RunPython.noop),
    ]
