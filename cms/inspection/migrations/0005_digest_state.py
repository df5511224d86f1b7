import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("inspection", "0004_bulletin"),
        ("organisation", "0003_unit_collections"),
    ]

    operations = [
        migrations.CreateModel(
            name="DigestState",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                (
                    "identities",
                    models.JSONField(blank=True, default=list, verbose_name="上次摘要时的检查发现"),
                ),
                ("as_of", models.DateField(verbose_name="上次摘要的检查日期")),
                ("sent_at", models.DateTimeField(blank=True, null=True, verbose_name="上次发送时间")),
                (
                    "unit",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="inspection_digest",
                        to="organisation.unit",
                        verbose_name="单位",
                    ),
                ),
            ],
            options={
                "verbose_name": "每日检查摘要记录",
                "verbose_name_plural": "每日检查摘要记录",
            },
        ),
    ]
