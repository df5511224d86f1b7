"""The annual report's rich text uses the body's editor features and is cleaned on every save; what is
stored already is repaired, so the report always opens in the editor."""

import site_pages.fields
from django.db import migrations

from site_pages.sanitize import repair_stored_rich_text


def repair_rich_text(apps, schema_editor):
    repair_stored_rich_text(
        apps, "disclosure_requests", ["annualreportpage"], html_fields=("overview", "problems", "other_matters")
    )


class Migration(migrations.Migration):
    dependencies = [
        ("disclosure_requests", "0005_request_agency_accepted_step"),
    ]

    operations = [
        migrations.RunPython(repair_rich_text, migrations.RunPython.noop, elidable=True),
        migrations.AlterField(
            model_name="annualreportpage",
            name="other_matters",
            field=site_pages.fields.EditorRichTextField(
                blank=True, help_text="含收取信息处理费情况等。", verbose_name="六、其他需要报告的事项"
            ),
        ),
        migrations.AlterField(
            model_name="annualreportpage",
            name="overview",
            field=site_pages.fields.EditorRichTextField(blank=True, verbose_name="一、总体情况"),
        ),
        migrations.AlterField(
            model_name="annualreportpage",
            name="problems",
            field=site_pages.fields.EditorRichTextField(blank=True, verbose_name="五、存在的主要问题及改进情况"),
        ),
    ]
