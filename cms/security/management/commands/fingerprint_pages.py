from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from cms.security.fingerprint import record_fingerprint
from cms.security.models import PageFingerprint
from cms.security.tamper import live_pages


class Command(BaseCommand):
    help = _("为所有已发布页面重新建立指纹基线（安装本模块后、部署新模板后或核实告警后运行）")

    def handle(self, *args, **options):
        done = failed = 0
        for page in live_pages():
            if record_fingerprint(page, PageFingerprint.Reason.BASELINE) is None:
                failed += 1
            else:
                done += 1
        self.stdout.write(_("已为 %(count)s 个页面建立指纹。") % {"count": done})
        if failed:
            raise CommandError(_("%(count)s 个页面无法渲染，未建立指纹，详见日志。") % {"count": failed})
