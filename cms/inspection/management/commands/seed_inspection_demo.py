"""Demo of the quarterly inspection: a recorded run and its published 季度通报 (run by seed_demo; idempotent)."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils.translation import gettext as _

from ...demo import seed_inspection


class Command(BaseCommand):
    help = _("生成演示用的季度检查记录和季度通报（可重复运行）")

    def handle(self, *args, **options):
        if not getattr(settings, "DEMO_SEED_ALLOWED", False):
            raise CommandError(_("当前环境不允许生成演示数据（DEMO_SEED_ALLOWED 未开启）。"))
        with transaction.atomic():
            seed_inspection(self.stdout)
