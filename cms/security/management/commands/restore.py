import sys

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from cms.security.backup import BackupError, migration_state, restore_archive, verify_archive


class Command(BaseCommand):
    help = _("从备份归档恢复数据库和全部存储目录的文件（会覆盖当前数据）")

    def add_arguments(self, parser):
        parser.add_argument("archive", help=_("backup 命令生成的归档文件"))
        parser.add_argument("--yes", action="store_true", help=_("不再询问确认"))

    def handle(self, *args, archive, yes, **options):
        try:
            manifest = verify_archive(archive)
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            _("校验通过：%(created)s 的备份，%(vendor)s，%(count)s 个文件，Django %(django)s，Wagtail %(wagtail)s")
            % {
                "created": manifest["created_at"],
                "vendor": manifest["database"]["vendor"],
                "django": manifest["django"],
                "wagtail": manifest["wagtail"],
                "count": len(manifest["files"]),
            }
        )
        if not yes:
            if not sys.stdin.isatty():
                raise CommandError(_("恢复会覆盖当前数据库和上传文件；非交互运行时请加 --yes。"))
            answer = input(_("恢复会覆盖当前数据库和上传文件，确定继续吗？输入 yes 继续："))
            if answer.strip().lower() != "yes":
                raise CommandError(_("已取消，没有做任何改动。"))
        try:
            missing = restore_archive(archive, manifest)
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(_("恢复完成。"))
        if missing:
            self.stdout.write(
                _("注意：备份中没有这些存储目录（备份早于它们的配置），其中的文件保持不变：%(roots)s")
                % {"roots": "、".join(missing)}
            )
        if migration_state() != manifest["migrations"]:
            self.stdout.write(_("注意：备份时的数据库迁移状态与当前代码不同，请运行 python manage.py migrate。"))
