from django.core.exceptions import ImproperlyConfigured
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from cms.commands import parse_date
from site_pages.letters import retention


class Command(BaseCommand):
    help = _(
        "清除办结超过保存期限（LETTER_RETENTION_DAYS）的留言中写信人的姓名、手机号码、邮箱和附件，"
        "保留留言编号、内容、答复和办理记录用于统计；未办结的留言不清除"
    )

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help=_("只列出将被清除的留言，不作任何修改"))
        parser.add_argument(
            "--before",
            default=None,
            help=_("清除办结日期在此日期（YYYY-MM-DD，不含当天）之前的留言；默认为今天减去保存天数，不能晚于该日期"),
        )

    def handle(self, *args, dry_run, before, **options):
        try:
            day = parse_date(before) if before else retention.latest_allowed_cutoff()
            retention.check_cutoff(day)
            result = retention.PurgeResult(list(retention.purgeable(day))) if dry_run else retention.purge(day)
        except (ImproperlyConfigured, retention.RetentionError) as error:
            raise CommandError(str(error)) from error
        for letter in result.records:
            self.stdout.write(letter.receipt_number)
        for path in result.leftovers:
            self.stderr.write(_("附件文件未能删除，请手工删除：%(path)s") % {"path": path})
        figures = {
            "count": len(result.records),
            "files": result.files_deleted,
            "before": day.isoformat(),
            "days": retention.retention_days(),
        }
        if dry_run:
            message = _(
                "试运行，未作任何修改：%(count)d件留言将被清除个人信息（办结日期早于 %(before)s，保存期限%(days)d天）。"
            )
        else:
            message = _(
                "已清除%(count)d件留言的个人信息，删除附件%(files)d个（办结日期早于 %(before)s，保存期限%(days)d天）。"
            )
        self.stdout.write(message % figures)
