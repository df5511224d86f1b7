from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from site_pages.mirror.export import export_static


class Command(BaseCommand):
    help = "导出门户网站公开部分的静态镜像（灾备用）：页面、公开文件、静态资源，链接均为相对链接。"

    def add_arguments(self, parser):
        parser.add_argument("directory", help=_("镜像目录；再次导出到同一目录时会删除上次导出、本次已不存在的文件"))
        parser.add_argument("--force", action="store_true", help=_("允许写入一个不是 export_static 生成的非空目录"))

    def handle(self, *args, **options):
        summary = export_static(options["directory"], force=options["force"])
        for url, status in summary.missing:
            self.stderr.write(
                _("页面链接的 %(url)s 在网站上也无法访问（HTTP %(status)s），镜像中链向说明页")
                % {"url": url, "status": status}
            )
        for path, status in summary.failures:
            self.stderr.write(_("未能导出公开页面 %(path)s（HTTP %(status)s）") % {"path": path, "status": status})
        self.stdout.write(
            _("静态镜像已导出：页面 %(pages)d 个，文件 %(files)d 个，共 %(bytes)d 字节，用时 %(seconds).1f 秒。")
            % {"pages": summary.pages, "files": summary.files, "bytes": summary.bytes, "seconds": summary.seconds}
        )
        if summary.failures:
            raise CommandError(_("有 %(count)d 个公开页面未能导出。") % {"count": len(summary.failures)})
