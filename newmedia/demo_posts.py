"""Demo posts (run by seed_newmedia_demo; idempotent): recent posts for most accounts in operation, one account in
warning (11 days) and one stale (20 days) for the 更新监测 panel, and one post of 石羊镇 waiting in 三审三校."""

import datetime

from django.contrib.auth import get_user_model
from django.utils import timezone
from django.utils.translation import gettext as _

from workflows import api

from . import monitoring
from .models import AccountStatus, NewMediaAccount, NewMediaPost

# Account name -> days since its newest post; accounts not listed post every few days.
QUIET_ACCOUNTS = {"健康安岳": 11, "龙台镇政务": 20}
DEMO_TITLES = ["本周政务服务提示", "惠民政策解读", "重点工作进展"]
REVIEWED_POST_ACCOUNT = "石羊镇人民政府"


def seed_posts(stdout):
    recorded = 0
    for account in NewMediaAccount.objects.filter(status=AccountStatus.ACTIVE).select_related("unit"):
        if account.posts.exists():
            continue
        newest = QUIET_ACCOUNTS.get(account.name, 1)
        for n, title in enumerate(DEMO_TITLES):
            # Mid-morning of a county date, so the day count does not depend on the hour the demo is seeded.
            day = timezone.localdate() - datetime.timedelta(days=newest + 3 * n)
            moment = timezone.make_aware(datetime.datetime.combine(day, datetime.time(10)))
            monitoring.record_outside_post(
                account,
                account.responsible,
                url=f"https://mp.example.cn/{account.platform}/{account.pk}/{n + 1}",
                published_at=moment,
                title=f"{account.unit.short_name or account.unit.name}{title}",
            )
            recorded += 1
        # The registry's 最近发文时间 was entered with the account; the posts now say when it last posted.
        NewMediaAccount.objects.filter(pk=account.pk).update(
            last_updated_at=account.posts.order_by("-published_at").values_list("published_at", flat=True)[0]
        )
    reviewed_post()
    stdout.write(_("政务新媒体演示发文已就绪，登记 %(count)d 条系统外发文。") % {"count": recorded})


def reviewed_post():
    account = NewMediaAccount.objects.filter(name=REVIEWED_POST_ACCOUNT, status=AccountStatus.ACTIVE).first()
    officer = get_user_model().objects.filter(username="sy_info_officer").first()
    if account is None or officer is None or account.posts.filter(recorded_outside=False).exists():
        return
    post = NewMediaPost.objects.create(
        account=account,
        title=_("石羊镇开展冬季森林防火宣传"),
        text=_("石羊镇组织干部群众开展冬季森林防火宣传，提醒进山入林严禁携带火种。"),
        live=False,
    )
    post.save_revision(user=officer)
    api.submit(post, officer)
