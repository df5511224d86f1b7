from django.core.exceptions import ImproperlyConfigured
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from cms.commands import parse_date
from disclosure.requests import retention


class Command(BaseCommand):
    help = _(
        "清除办结超过保存期限（DISCLOSURE_REQUEST_RETENTION_DAYS）的依申请公开申请中的申请人个人信息，"
        "保留受理编号、日期和答复结果用于统计；未办结的申请不清除"
    )

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help=_("只列出将被清除的申请，不作任何修改"))
        parser.add_argument(
            "--before",
            default=None,
            help=_("清除答复日期在此日期（YYYY-MM-DD，不含当天）之前的申请；默认为今天减去保存天数，不能晚于该日期"),
        )

    def handle(self, *args, dry_run, before, **options):
        try:
            day = parse_date(before) if before else retention.latest_allowed_cutoff()
            retention.check_cutoff(day)
            result = retention.PurgeResult(list(retention.purgeable(day))) if dry_run else retention.purge(day)
        except (ImproperlyConfigured, retention.RetentionError) as error:
            raise CommandError(str(error)) from error
        for item in result.records:
            self.stdout.write(
                _("%(receipt)s（答复日期 %(answered)s）")
                % {"receipt": item.receipt_number, "answered": item.answered_on.isoformat()}
            )
        for path in result.leftovers:
            self.stderr.write(_("答复书文件未能删除，请手工删除：%(path)s") % {"path": path})
        figures = {
            "count": len(result.records),
            "documents": result.files_deleted,
            "leftovers": len(result.leftovers),
            "before": day.isoformat(),
            "days": retention.retention_days(),
        }
        if dry_run:
            self.stdout.write(
                _(
                    "试运行，未作任何修改：%(count)d件申请将被清除个人信息"
                    "（答复日期早于 %(before)s，保存期限%(days)d天）。"
                )
                % figures
            )
        else:
            self.stdout.write(
                _(
                    "已清除%(count)d件申请的个人信息，删除答复书%(documents)d份，未能删除%(leftovers)d份"
                    "（答复日期早于 %(before)s，保存期限%(days)d天）。"
                )
                % figures
            )
