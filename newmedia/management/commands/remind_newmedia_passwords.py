"""Mails each 责任人 whose new-media account's password is due for a change (article 30); run it daily (cron).

Due: the recorded change is older than ``NEWMEDIA_PASSWORD_MAX_AGE_DAYS`` (90 days unless configured, or
``--days``), or the hand-over marked the account. When the 责任人 has left, the 副责任人 is reminded, failing
that the unit's 主要负责人; accounts with nobody to remind are listed.
"""

from django.conf import settings
from django.core.mail import send_mail
from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from newmedia import passwords


class Command(BaseCommand):
    help = _("提醒政务新媒体账号责任人更换口令（默认超过 90 天未更换）")

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=None, help=_("口令更换周期（天）"))

    def handle(self, *args, days=None, **options):
        mailed = unreachable = 0
        for account in passwords.due_for_change(days=days):
            changed = account.password_changed_at.date().isoformat() if account.password_changed_at else _("未登记")
            text = _(
                "账号“%(account)s”（%(unit)s）须更换口令，上次更换：%(changed)s。更换后请在台账中登记更换日期。"
            ) % {
                "account": account,
                "unit": account.unit,
                "changed": changed,
            }
            if not passwords.reachable(account.responsible):
                text += _("该账号的责任人已调离或未登记，请尽快申请变更责任人。")
            recipients = passwords.reminder_recipients(account)
            if not recipients:
                unreachable += 1
                nobody = _("无法提醒（责任人、副责任人和单位主要负责人均无法联系）：%(text)s")
                self.stdout.write(nobody % {"text": text})
                continue
            send_mail(
                _("%(site)s：政务新媒体账号须更换口令") % {"site": settings.WAGTAIL_SITE_NAME},
                text,
                None,
                [person.email for person in recipients],
            )
            mailed += 1
        self.stdout.write(
            _("已发送 %(mailed)d 封口令更换提醒，%(unreachable)d 个账号无法提醒。")
            % {"mailed": mailed, "unreachable": unreachable}
        )
