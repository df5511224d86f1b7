"""Wagtail's "Moderators approval" workflow and task, retired by workflows 0003, are listed in Chinese.

They stay (their history may be referenced); only the English names that 设置 › 工作流 shows change.
"""

from django.db import migrations

RETIRED = "Moderators approval"
WORKFLOW_NAME = "原默认审批流程（已停用）"
TASK_NAME = "原用户组审批环节（已停用）"


def forwards(apps, schema_editor):
    apps.get_model("wagtailcore", "Workflow").objects.filter(name=RETIRED, active=False).update(name=WORKFLOW_NAME)
    apps.get_model("wagtailcore", "Task").objects.filter(name=RETIRED, active=False).update(name=TASK_NAME)


class Migration(migrations.Migration):
    dependencies = [
        ("adminui", "0001_root_title_and_wagtail_groups"),
        ("workflows", "0003_retire_wagtail_default_workflow"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
