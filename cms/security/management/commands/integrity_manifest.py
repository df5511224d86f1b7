from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from cms.security import integrity


class Command(BaseCommand):
    help = _("生成模板与静态文件的完整性清单（部署后运行）")

    def add_arguments(self, parser):
        parser.add_argument("--output", default=None, help=_("清单路径，默认为 SECURITY_INTEGRITY_MANIFEST"))
        parser.add_argument(
            "--include-static-root", action="store_true", help=_("同时记录 collectstatic 输出目录（STATIC_ROOT）")
        )

    def handle(self, *args, output, include_static_root, **options):
        path, manifest = integrity.write_manifest(output, include_static_root=include_static_root)
        self.stdout.write(
            _("已记录 %(count)s 个文件（%(roots)s 个目录）到 %(path)s")
            % {"count": len(manifest["files"]), "roots": len(manifest["roots"]), "path": path}
        )
