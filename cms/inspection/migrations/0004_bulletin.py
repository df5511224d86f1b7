import django.db.models.deletion
import wagtail.contrib.routable_page.models
from django.conf import settings
from django.db import migrations, models

import site_pages.fields


class Migration(migrations.Migration):
    dependencies = [
        ("inspection", "0003_runs_scoring_annual"),
        ("organisation", "0003_unit_collections"),
        ("wagtailcore", "0098_apitoken"),
    ]

    operations = [
        migrations.CreateModel(
            name="Bulletin",
            fields=[
                (
                    "page_ptr",
                    models.OneToOneField(
                        auto_created=True,
                        on_delete=django.db.models.deletion.CASCADE,
                        parent_link=True,
                        primary_key=True,
                        serialize=False,
                        to=settings.WAGTAIL_PAGE_MODEL,
                    ),
                ),
                ("quarter", models.CharField(editable=False, max_length=6, verbose_name="季度")),
                ("intro", site_pages.fields.EditorRichTextField(blank=True, verbose_name="通报正文")),
                ("entries", models.JSONField(default=list, editable=False, verbose_name="各单位得分")),
                (
                    "owning_unit",
                    models.ForeignKey(
                        blank=True,
                        help_text="留空则继承上级栏目的所属单位。",
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="organisation.unit",
                        verbose_name="所属单位",
                    ),
                ),
                (
                    "run",
                    models.ForeignKey(
                        editable=False,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="bulletins",
                        to="inspection.inspectionrun",
                        verbose_name="检查记录",
                    ),
                ),
            ],
            options={
                "verbose_name": "季度通报",
                "verbose_name_plural": "季度通报",
            },
            bases=(wagtail.contrib.routable_page.models.RoutablePageMixin, "wagtailcore.page"),
        ),
    ]
