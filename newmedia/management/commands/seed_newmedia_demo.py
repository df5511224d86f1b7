"""Demo entries of the new-media registry for the demo county (run by seed_demo; idempotent)."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django.utils.translation import gettext as _

from cms.organisation.models import Unit
from newmedia.models import NewMediaAccount

# (unit short name, demo user key of the unit, platform, account name)
DEMO_ACCOUNTS = [
    ("县政府办", "xzfb", "wechat", "安岳发布"),
    ("县政府办", "xzfb", "weibo", "安岳发布"),
    ("石羊镇", "sy", "wechat", "石羊镇人民政府"),
    ("县卫健局", "wjj", "douyin", "健康安岳"),
]


class Command(BaseCommand):
    help = _("生成演示用的政务新媒体账号台账")

    def handle(self, *args, **options):
        if not getattr(settings, "DEMO_SEED_ALLOWED", False):
            raise CommandError(_("当前环境不允许生成演示数据（DEMO_SEED_ALLOWED 未开启）。"))
        users = get_user_model().objects.in_bulk(field_name="username")
        created = 0
        for short_name, key, platform, name in DEMO_ACCOUNTS:
            unit = Unit.objects.filter(short_name=short_name).first()
            if unit is None:
                continue
            _account, new = NewMediaAccount.objects.get_or_create(
                platform=platform,
                name=name,
                defaults={
                    "unit": unit,
                    "responsible": users.get(f"{key}_info_officer"),
                    "deputy": users.get(f"{key}_deputy_head"),
                    "last_updated_at": timezone.now(),
                },
            )
            created += new
        self.stdout.write(_("政务新媒体演示台账已就绪，新建 %(count)d 个账号。") % {"count": created})
