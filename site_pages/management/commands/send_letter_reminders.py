from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from cms.commands import parse_date
from site_pages.letters import reminders


class Command(BaseCommand):
    help = _("每日邮件提醒办理单位：留言已进入预警、黄牌、红牌或严重超期（每个单位每天一封，可重复运行）")

    def add_arguments(self, parser):
        parser.add_argument("--date", default=None, help=_("按此日期（YYYY-MM-DD）计算期限，默认今天"))

    def handle(self, *args, date, **options):
        run = reminders.send(parse_date(date) if date else None)
        for unit, rows in run.mailed:
            self.stdout.write(_("已提醒%(unit)s：%(count)d件留言") % {"unit": unit.name, "count": len(rows)})
        for unit in run.unreachable:
            self.stderr.write(_("%(unit)s没有登记邮箱的人员，未能提醒，请电话通知。") % {"unit": unit.name})
        if run.mailed or run.already or run.unreachable:
            self.stdout.write(
                _("提醒%(mailed)d个单位，今天已提醒过%(already)d个，%(unreachable)d个单位无人可提醒。")
                % {"mailed": len(run.mailed), "already": len(run.already), "unreachable": len(run.unreachable)}
            )
