from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("site_pages", "0004_home_body_blocks"),
    ]

    operations = [
        migrations.CreateModel(
            name="SearchQueryStat",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("week", models.DateField(verbose_name="周（周一）")),
                ("query", models.CharField(max_length=100, verbose_name="搜索词")),
                ("searches", models.PositiveIntegerField(default=0, verbose_name="搜索次数")),
                ("zero_results", models.PositiveIntegerField(default=0, verbose_name="无结果次数")),
            ],
            options={
                "verbose_name": "搜索统计",
                "verbose_name_plural": "搜索统计",
                "constraints": [models.UniqueConstraint(fields=("week", "query"), name="unique_search_stat_per_week")],
            },
        ),
    ]
