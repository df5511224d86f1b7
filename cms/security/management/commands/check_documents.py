from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _
from wagtail.documents import get_document_model

from cms.security.pdfcheck import inspect_pdf
from cms.security.uploads import record_checked_pdf


class Command(BaseCommand):
    help = _(
        "用解析检查重新检查已有的 PDF 文档：通过的可在浏览器中直接打开，未通过的列出来，只能下载。"
        "升级后或从旧备份恢复后运行一次。"
    )

    def handle(self, *args, **options):
        passed, refused = 0, []
        documents = get_document_model().objects.filter(file__iendswith=".pdf").order_by("pk")
        for document in documents.iterator():
            try:
                with document.open_file() as handle:
                    inspect_pdf(handle)
                    record_checked_pdf(handle)
                # Documents saved by code rather than the upload form have no hash yet; serving compares it.
                document.get_file_hash()
            except ValidationError as error:
                refused.append((document, " ".join(error.messages)))
            except OSError as error:
                refused.append((document, _("文件无法读取：%(error)s") % {"error": error}))
            else:
                passed += 1
        for document, reason in refused:
            self.stdout.write(
                _("未通过（只能下载）：#%(pk)s %(title)s —— %(reason)s")
                % {"pk": document.pk, "title": document.title, "reason": reason}
            )
        self.stdout.write(
            _("检查完成：%(passed)s 个 PDF 通过，%(refused)s 个未通过。") % {"passed": passed, "refused": len(refused)}
        )
