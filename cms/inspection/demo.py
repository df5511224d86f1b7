"""Demo of the quarterly inspection (run by seed_inspection_demo; idempotent): a recorded run of the demo county
as of today, and its 季度通报 published under 新闻动态 › 通知公告, so the portal shows a real bulletin."""

from django.contrib.auth import get_user_model
from django.utils import timezone
from django.utils.translation import gettext as _

from site_pages.models import ColumnPage

from .bulletin_issue import existing_bulletin, issue_bulletin
from .runs import InspectionRun, record_run

# The demo's 通知公告 column (site_pages.demo.structure) and the supervisor's demo user who issues the bulletin.
NOTICE_COLUMN_PATH = ("xwdt", "tzgg")
ISSUER_USERNAME = "xzfb_info_officer"


def notice_column():
    news = ColumnPage.objects.filter(slug=NOTICE_COLUMN_PATH[0], depth=3).first()
    return ColumnPage.objects.child_of(news).filter(slug=NOTICE_COLUMN_PATH[1]).first() if news else None


def seed_inspection(stdout):
    column = notice_column()
    if column is None:
        return
    issuer = get_user_model().objects.filter(username=ISSUER_USERNAME).first()
    run = InspectionRun.objects.order_by("-created_at", "-pk").first() or record_run(timezone.localdate(), issuer)
    bulletin = existing_bulletin(run)
    if bulletin is None:
        bulletin = issue_bulletin(run, column, issuer)
        # Like the rest of the demo, published directly; real bulletins go through 三审三校.
        bulletin.get_latest_revision().publish()
        bulletin.refresh_from_db()
    stdout.write(
        _("季度检查演示数据已就绪：%(quarter)s 检查记录，季度通报 %(url)s")
        % {"quarter": run.quarter, "url": bulletin.url}
    )
