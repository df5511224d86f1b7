from django.core.files.storage import storages
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from cms.mediastorage import is_local
from cms.security.backup import BackupError, create_backup


class Command(BaseCommand):
    help = _("备份数据库和全部存储目录的文件（上传文件、答复书等）到一个归档文件（tar.gz）")

    def add_arguments(self, parser):
        parser.add_argument("--output", default=None, help=_("输出目录，默认为 SECURITY_BACKUP_DIR（var/backups）"))

    def handle(self, *args, output, **options):
        try:
            path = create_backup(output)
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(_("备份完成：%(path)s") % {"path": path})
        if not is_local(storages["default"]):
            # The operator must not take this archive for a copy of the documents and images.
            self.stdout.write(
                _(
                    "上传的文档和图片保存在对象存储（MEDIA_STORAGE=s3）中，不在本备份内；请依靠存储桶的版本控制和跨区域复制保护。"
                )
            )
