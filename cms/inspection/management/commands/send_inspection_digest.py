"""send_inspection_digest: the daily e-mail to each unit about its new inspection warnings and findings (cron)."""

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from ...digest import send_digest
from .inspect_site import parse_date


class Command(BaseCommand):
    help = _("检查考核：向各单位编辑和审核人员发送每日检查摘要（只列新增的预警和问题，没有新增时不发送）。")

    def add_arguments(self, parser):
        parser.add_argument("--as-of", dest="as_of", help=_("检查日期 YYYY-MM-DD，默认今天"))

    def handle(self, *args, **options):
        run = send_digest(parse_date(options["as_of"]))
        for unit, items in run.mailed:
            self.stdout.write(
                _("%(unit)s：已发送，%(count)s 项新的预警或问题。") % {"unit": unit.name, "count": len(items)}
            )
        for unit in run.unreachable:
            self.stdout.write(
                _("%(unit)s：有新的预警或问题，但没有留有邮箱的信息员、分管负责人或主要负责人，未发送。")
                % {"unit": unit.name}
            )
        self.stdout.write(
            _("每日检查摘要：发送 %(mailed)s 个单位，无新增 %(quiet)s 个单位，无人可收 %(unreachable)s 个单位。")
            % {"mailed": len(run.mailed), "quiet": len(run.quiet), "unreachable": len(run.unreachable)}
        )
