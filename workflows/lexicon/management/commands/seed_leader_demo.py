"""Demo 领导职务名录 of 安岳县 with made-up names (run by seed_demo; idempotent)."""

import datetime

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from workflows.lexicon.models import LeaderTitle

# (name, title, unit, rank, valid_from, valid_to): invented people, not the county's real leaders.
DEMO_LEADERS = [
    ("林志远", "县委书记", "中共安岳县委", 1, datetime.date(2024, 3, 1), None),
    ("林志远", "县长", "安岳县人民政府", 2, datetime.date(2021, 6, 1), datetime.date(2024, 2, 29)),
    ("周文博", "县委副书记", "中共安岳县委", 2, datetime.date(2024, 4, 1), None),
    ("周文博", "县长", "安岳县人民政府", 2, datetime.date(2024, 4, 1), None),
    ("陈书涵", "县人大常委会主任", "安岳县人大常委会", 3, datetime.date(2022, 1, 10), None),
    ("赵明轩", "县政协主席", "政协安岳县委员会", 4, datetime.date(2022, 1, 12), None),
    ("吴静怡", "常务副县长", "安岳县人民政府", 5, datetime.date(2023, 2, 1), None),
    ("郑浩然", "副县长", "安岳县人民政府", 6, datetime.date(2023, 2, 1), None),
    ("孙雨桐", "副县长", "安岳县人民政府", 7, datetime.date(2024, 9, 1), None),
]


class Command(BaseCommand):
    help = _("生成演示用的安岳县领导职务名录（虚构姓名）")

    def handle(self, *args, **options):
        if not getattr(settings, "DEMO_SEED_ALLOWED", False):
            raise CommandError(_("当前环境不允许生成演示数据（DEMO_SEED_ALLOWED 未开启）。"))
        created = 0
        for name, title, unit, rank, valid_from, valid_to in DEMO_LEADERS:
            _row, new = LeaderTitle.objects.get_or_create(
                name=name,
                title=title,
                valid_from=valid_from,
                defaults={"unit": unit, "rank": rank, "valid_to": valid_to},
            )
            created += new
        self.stdout.write(_("领导职务名录演示数据已就绪，新建 %(count)d 条。") % {"count": created})
