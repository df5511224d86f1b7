"""run_requested_inspections: runs the inspections asked for by 立即检查 in the admin (a timer, every minute).

Each queued request is taken (marked running so no other taker gets it), inspected with ``record_run`` and marked
done with its run, or failed with the error. Requests left running for longer than ``STALE_AFTER`` are marked
failed first. The command fails (non-zero exit, in the journal) when an inspection failed.
"""

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from ...run_requests import State, expire_stale, run_request, take


class Command(BaseCommand):
    help = _("检查考核：运行后台“立即检查”提出的检查请求（由定时任务每分钟运行）。")

    def handle(self, *args, **options):
        expired = expire_stale()
        if expired:
            self.stdout.write(_("%(count)s 个检查请求超时未结束，已标记为失败。") % {"count": expired})
        failed = []
        while (request := take()) is not None:
            request = run_request(request)
            if request.state == State.FAILED:
                failed.append(request)
                self.stderr.write(_("检查请求 %(id)s 失败：%(error)s") % {"id": request.pk, "error": request.error})
            else:
                self.stdout.write(
                    _("检查请求 %(id)s 已完成，保存为 %(quarter)s 季度检查记录（编号 %(run)s）。")
                    % {"id": request.pk, "quarter": request.run.quarter, "run": request.run.pk}
                )
        if failed:
            raise CommandError(_("%(count)s 个检查请求失败，详见上文。") % {"count": len(failed)})
