"""Retire Wagtail's own "Moderators approval" workflow and group-approval task.

They let anyone in Wagtail's Moderators group (and every superuser) approve and so publish, around
三审三校; variants are built from this app's task types instead.
"""

from django.db import migrations


def retire(apps, schema_editor):
    Workflow = apps.get_model("wagtailcore", "Workflow")
    GroupApprovalTask = apps.get_model("wagtailcore", "GroupApprovalTask")
    WorkflowState = apps.get_model("wagtailcore", "WorkflowState")
    retired = Workflow.objects.filter(workflow_tasks__task__in=GroupApprovalTask.objects.all()).distinct()
    WorkflowState.objects.filter(workflow__in=retired, status__in=("in_progress", "needs_changes")).update(
        status="cancelled"
    )
    apps.get_model("wagtailcore", "WorkflowPage").objects.filter(workflow__in=retired).delete()
    apps.get_model("wagtailcore", "WorkflowContentType").objects.filter(workflow__in=retired).delete()
    retired.update(active=False)
    GroupApprovalTask.objects.update(active=False)


class Migration(migrations.Migration):
    dependencies = [
        ("workflows", "0002_default_workflow_and_sources"),
        ("wagtailcore", "0098_apitoken"),
    ]

    operations = [migrations.RunPython(retire, migrations.RunPython.noop)]
