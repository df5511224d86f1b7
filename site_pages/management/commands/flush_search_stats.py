from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from site_pages import search_counts


class Command(BaseCommand):
    help = "把 Redis 中待计入的搜索次数计入搜索统计（每分钟运行；默认缓存不是 Redis 时无事可做）。"

    def handle(self, *args, **options):
        moved = search_counts.flush()
        self.stdout.write(_("已计入搜索统计：%(count)d 次搜索。") % {"count": moved})
