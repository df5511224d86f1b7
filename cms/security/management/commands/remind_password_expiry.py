"""Mails every active user whose password expires within the reminder window; run it daily (cron).

Each user is mailed once per password: the reminder is remembered on their PasswordState and cleared when
the password changes. Users without an e-mail address are listed so the operator can tell them.
"""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.core.management.base import BaseCommand
from django.utils import timezone
from django.utils.translation import gettext as _

from cms.security import passwords
from cms.security.models import PasswordState


class Command(BaseCommand):
    help = _("邮件提醒密码即将过期（默认提前 15 天）的用户")

    def handle(self, *args, **options):
        now = timezone.now()
        mailed = unreachable = 0
        for user in get_user_model().objects.filter(is_active=True).order_by("pk"):
            reminder = passwords.expiry_reminder(user, now)
            if reminder is None:
                continue
            state, _created = PasswordState.objects.get_or_create(user=user, defaults={"changed_at": user.date_joined})
            if state.reminded_at is not None:
                continue
            if not user.email:
                unreachable += 1
                self.stdout.write(_("用户 %(user)s 没有登记邮箱：%(reminder)s") % {"user": user, "reminder": reminder})
                continue
            send_mail(
                _("%(site)s：密码即将过期") % {"site": settings.WAGTAIL_SITE_NAME},
                _("%(user)s：\n\n%(reminder)s登录后台后在“账号安全”中修改密码。\n")
                % {"user": user, "reminder": reminder},
                None,
                [user.email],
            )
            state.reminded_at = now
            state.save(update_fields=["reminded_at"])
            mailed += 1
        self.stdout.write(_("已发送 %(mailed)d 封到期提醒，%(unreachable)d 名用户没有邮箱。") % {
            "mailed": mailed, "unreachable": unreachable
        })
