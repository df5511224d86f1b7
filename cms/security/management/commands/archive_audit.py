from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from cms.commands import parse_date
from cms.security.archive import ArchiveError, archive, latest_allowed_cutoff


class Command(BaseCommand):
    help = _("把超过保存期限的审计记录归档到文件（gzip 压缩的 JSON 行，附 sha256 清单），然后从数据库删除")

    def add_arguments(self, parser):
        parser.add_argument(
            "--before",
            default=None,
            help=_("归档此日期（YYYY-MM-DD，不含当天）之前的记录；默认为今天减去保存天数"),
        )
        parser.add_argument(
            "--output", default=None, help=_("输出目录，默认为 SECURITY_AUDIT_ARCHIVE_DIR（var/audit-archive）")
        )

    def handle(self, *args, before, output, **options):
        day = parse_date(before) if before else latest_allowed_cutoff()
        try:
            manifest = archive(day, output or settings.SECURITY_AUDIT_ARCHIVE_DIR)
        except ArchiveError as error:
            raise CommandError(str(error)) from error
        if manifest is None:
            self.stdout.write(_("%(day)s 之前没有需要归档的审计记录。") % {"day": day.isoformat()})
            return
        self.stdout.write(
            _("已归档%(count)d条审计记录：%(path)s（清单 %(manifest)s，sha256 %(sha)s）")
            % {
                "count": manifest["count"],
                "path": manifest["path"],
                "manifest": manifest["manifest_path"],
                "sha": manifest["sha256"],
            }
        )
