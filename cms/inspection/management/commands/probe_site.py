from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from cms.inspection import probe


class Command(BaseCommand):
    help = _("访问首页和抽样页面，记录状态码和耗时（网站可用性监测，供检查考核统计）")

    def add_arguments(self, parser):
        parser.add_argument(
            "--base-url",
            default=getattr(settings, "INSPECTION_PROBE_BASE_URL", None),
            help=_("从此地址访问网站（默认按站点的公开地址访问）"),
        )
        parser.add_argument("--sample", type=int, default=10, help=_("除首页外抽样访问的页面数"))
        parser.add_argument("--timeout", type=float, default=None, help=_("每次访问的总超时时间（秒）"))

    def handle(self, *args, base_url, sample, timeout, **options):
        if sample < 0:
            raise CommandError(_("抽样页面数不能为负数：%(sample)s") % {"sample": sample})
        if timeout is not None and timeout <= 0:
            raise CommandError(_("超时时间须大于 0 秒：%(timeout)s") % {"timeout": timeout})
        if base_url and not base_url.startswith(("http://", "https://")):
            raise CommandError(_("网站地址须以 http:// 或 https:// 开头：%(url)s") % {"url": base_url})
        results = probe.probe_site(sample, base_url, timeout)
        for result in results:
            outcome = result.error or str(result.status)
            self.stdout.write(f"{outcome}\t{result.elapsed:.2f}s\t{result.url}")
        failed = sum(result.failed for result in results)
        self.stdout.write(
            _("访问了 %(count)s 个页面，%(failed)s 个打不开或超过 15 秒。") % {"count": len(results), "failed": failed}
        )
