from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from cms.security import tamper


class Command(BaseCommand):
    help = _("检查网站页面是否被篡改或挂马，并核对模板与静态文件的完整性清单")

    def add_arguments(self, parser):
        parser.add_argument(
            "--base-url",
            default=getattr(settings, "SECURITY_TAMPER_BASE_URL", "http://127.0.0.1:8000"),
            help=_("正在运行的网站地址"),
        )
        parser.add_argument("--timeout", type=float, default=15.0, help=_("每个页面的超时时间（秒）"))
        parser.add_argument("--manifest", default=None, help=_("完整性清单路径"))

    def handle(self, *args, base_url, timeout, manifest, **options):
        observations = []
        checked = 0
        for page in tamper.live_pages():
            observations.extend(tamper.check_page(page, base_url, timeout))
            checked += 1
        observations.extend(tamper.check_files(manifest))

        current, new = tamper.record(observations)
        tamper.resolve_unseen(current, tamper.PAGE_KINDS + tamper.FILE_KINDS)
        tamper.alert(new)

        for finding in current:
            self.stdout.write(tamper.format_finding(finding))
        if current:
            raise CommandError(
                _("检查了 %(pages)s 个页面，发现 %(count)s 项问题（其中新发现 %(new)s 项）。")
                % {"pages": checked, "count": len(current), "new": len(new)}
            )
        self.stdout.write(_("检查了 %(pages)s 个页面，未发现篡改。") % {"pages": checked})
