"""Demo entries of the new-media registry for the demo county (run by seed_demo; idempotent).

Accounts registered before the system existed are entered as they are (a duplicate pair among them, for the
清理整合 listing); the others go through ``newmedia.lifecycle`` up to the state they should show, so their
records and filings are real: every state, one in its closure notice period, one with three provincial notices,
an application 资阳市政府办公室 refused and one its unit withdrew.
"""

import datetime

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cms.organisation.models import Unit
from newmedia import lifecycle
from newmedia.demo_posts import seed_posts
from newmedia.demo_public import seed_public
from newmedia.models import AccountEvent, AccountStatus, EventKind, NewMediaAccount, PlatformOption

# Registered before the system: (unit short name, demo user key of the unit, platform, account name).
DEMO_ACCOUNTS = [
    ("县政府办", "xzfb", "wechat", "安岳发布"),
    ("县政府办", "xzfb", "weibo", "安岳发布"),
    ("石羊镇", "sy", "wechat", "石羊镇人民政府"),
    ("县卫健局", "wjj", "douyin", "健康安岳"),
    ("龙台镇", "lt", "wechat", "龙台镇人民政府"),
    ("龙台镇", "lt", "wechat", "龙台镇政务"),
]
# Through the lifecycle: (unit short name, user key, platform, name, the state to reach, provincial notices).
LIFECYCLE_ACCOUNTS = [
    ("县教体局", "jyj", "wechat", "安岳教体", AccountStatus.APPLIED, 0),
    ("县农业农村局", "nyj", "toutiao", "安岳农业农村", AccountStatus.APPROVED, 0),
    ("县人社局", "rsj", "app", "安岳人社", AccountStatus.REGISTERED, 0),
    ("县财政局", "czj", "kuaishou", "安岳财政", AccountStatus.ACTIVE, 0),
    ("县发改局", "fgj", "wechat", "安岳发改", AccountStatus.ACTIVE, 3),
    ("周礼镇", "zl", "douyin", "周礼镇人民政府", AccountStatus.CLOSING, 1),
    ("岳阳街道", "yyjd", "weibo", "岳阳街道", AccountStatus.DEREGISTERED, 0),
]
# Applications that ended before the account opened: (unit short name, user key, platform, name, final state).
ENDED_ACCOUNTS = [
    ("县卫健局", "wjj", "wechat", "安岳卫健", AccountStatus.REJECTED),
    ("县教体局", "jyj", "douyin", "安岳教体发布", AccountStatus.WITHDRAWN),
]
# An active account with a rename waiting for the offices' approval.
RENAMES = {"安岳财政": "安岳财政发布"}
PLATFORM_OPTIONS = ["哔哩哔哩", "小红书"]
# The furthest state comes last; each state's step follows the one before.
ORDER = [
    AccountStatus.APPLIED,
    AccountStatus.APPROVED,
    AccountStatus.REGISTERED,
    AccountStatus.ACTIVE,
    AccountStatus.CLOSING,
    AccountStatus.DEREGISTERED,
]


class Command(BaseCommand):
    help = _("生成演示用的政务新媒体账号台账")

    def handle(self, *args, **options):
        if not getattr(settings, "DEMO_SEED_ALLOWED", False):
            raise CommandError(_("当前环境不允许生成演示数据（DEMO_SEED_ALLOWED 未开启）。"))
        self.users = get_user_model().objects.in_bulk(field_name="username")
        self.today = timezone.localdate()
        for name in PLATFORM_OPTIONS:
            PlatformOption.objects.get_or_create(name=name)
        created = 0
        with transaction.atomic():
            for short_name, key, platform, name in DEMO_ACCOUNTS:
                created += self.registered_before(short_name, key, platform, name)
            for short_name, key, platform, name, state, notices in LIFECYCLE_ACCOUNTS:
                created += self.through_lifecycle(short_name, key, platform, name, state, notices)
            for short_name, key, platform, name, state in ENDED_ACCOUNTS:
                created += self.ended_application(short_name, key, platform, name, state)
        self.stdout.write(_("政务新媒体演示台账已就绪，新建 %(count)d 个账号。") % {"count": created})
        seed_posts(self.stdout)
        seed_public(self.stdout)

    def registered_before(self, short_name, key, platform, name):
        unit = Unit.objects.filter(short_name=short_name).first()
        if unit is None:
            return 0
        _account, new = NewMediaAccount.objects.get_or_create(
            platform=platform,
            name=name,
            defaults={
                "unit": unit,
                "status": AccountStatus.ACTIVE,
                "verified_entity": unit.name,
                "responsible": self.users.get(f"{key}_info_officer"),
                "deputy": self.users.get(f"{key}_deputy_head"),
                "last_updated_at": timezone.now(),
                "opened_on": datetime.date(2019, 6, 1),
                "password_changed_at": timezone.now() - datetime.timedelta(days=30),
            },
        )
        return new

    def applied(self, short_name, key, platform, name):
        """The unit's application, 130 days ago; None when the demo lacks the unit or people, or has the account."""
        unit = Unit.objects.filter(short_name=short_name).first()
        officer = self.users.get(f"{key}_info_officer")
        supervisor, operator = self.users.get("xzfb_info_officer"), self.users.get("dzzw_info_officer")
        if (
            unit is None
            or None in (officer, supervisor, operator)
            or NewMediaAccount.objects.filter(name=name).exists()
        ):
            return None
        account = lifecycle.apply_for_opening(
            unit,
            platform,
            name,
            officer,
            _("履行政务公开职责、发布本单位政务信息和办事服务。"),
            verified_entity=unit.name,
            responsible=officer,
            deputy=self.users.get(f"{key}_deputy_head"),
            purpose=_("政务信息发布、政策解读、办事服务"),
        )
        self.dated(account, 130)
        return account

    def through_lifecycle(self, short_name, key, platform, name, state, notices):
        account = self.applied(short_name, key, platform, name)
        if account is None:
            return 0
        officer = self.users[f"{key}_info_officer"]
        supervisor, operator = self.users["xzfb_info_officer"], self.users["dzzw_info_officer"]
        reach = ORDER.index(state)
        today = self.today
        if reach >= 1:
            number = _("资府办函〔%(year)d〕%(n)d号") % {"year": today.year, "n": account.pk}
            lifecycle.review_application(account, operator)
            lifecycle.submit_for_approval(account, supervisor)
            lifecycle.record_approval(account, supervisor, number, self.days_ago(120))
            self.dated(account, 120)
            # The offices signed for the application when they forwarded it for approval.
            account.events.filter(kind=EventKind.APPLIED).update(
                supervisor_ack_by=supervisor,
                supervisor_ack_at=self.moment(125),
                cyberspace_ack_by=self.users.get("wxb_info_officer"),
                cyberspace_ack_at=self.moment(125),
            )
        if reach >= 2:
            lifecycle.record_national_registration(account, operator, self.days_ago(110))
            self.dated(account, 110)
        if reach >= 3:
            lifecycle.activate(account, officer, opened_on=self.days_ago(100))
            self.dated(account, 100)
            account.password_changed_at = self.moment(100)
            account.save(update_fields=["password_changed_at"])
        for n in range(notices):
            lifecycle.record_notice(
                account, operator, self.days_ago(60 - 10 * n), None, f"川办通〔{today.year}〕{n + 1}号"
            )
            self.dated(account, 60 - 10 * n)
        if name in RENAMES:
            lifecycle.request_change(account, officer, comment=_("与其他平台名称统一"), name=RENAMES[name])
        if reach >= 4:
            # One account is in its notice period now; the deregistered one finished it two weeks ago.
            begun, ends = (5, -25) if reach == 4 else (45, 15)
            lifecycle.start_closure(
                account, self.users.get(f"{key}_head"), "low_attention", self.days_ago(begun), self.days_ago(ends)
            )
            self.dated(account, begun)
        if reach >= 5:
            lifecycle.deregister(account, officer, self.days_ago(14))
            self.dated(account, 14)
        return 1

    def ended_application(self, short_name, key, platform, name, state):
        """Reviewed, then refused by 资阳市政府办公室 after submission, or withdrawn by the unit's head."""
        account = self.applied(short_name, key, platform, name)
        if account is None:
            return 0
        lifecycle.review_application(account, self.users["dzzw_info_officer"], _("符合开设条件"))
        self.dated(account, 125)
        if state == AccountStatus.REJECTED:
            supervisor = self.users["xzfb_info_officer"]
            lifecycle.submit_for_approval(account, supervisor)
            self.dated(account, 120)
            lifecycle.reject_application(
                account,
                supervisor,
                _("资府办函〔%(year)d〕%(n)d号") % {"year": self.today.year, "n": account.pk},
                self.days_ago(90),
                _("本单位已有政务新媒体账号，功能定位重复，应整合至已有账号运营。"),
            )
            self.dated(account, 90)
        else:
            head = self.users.get(f"{key}_head") or self.users["xzfb_info_officer"]
            lifecycle.withdraw_application(account, head, _("经研究，信息发布并入本单位已有账号，不再另行开设。"))
            self.dated(account, 95)
        return 1

    def days_ago(self, days):
        return self.today - datetime.timedelta(days=days)

    def moment(self, days):
        return timezone.now() - datetime.timedelta(days=days)

    def dated(self, account, days):
        """The step just taken happened ``days`` ago, so the filing lists show their ages."""
        newest = account.events.order_by("-pk").first()
        AccountEvent.objects.filter(pk=newest.pk).update(created_at=self.moment(days))
