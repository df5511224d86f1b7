"""Prints a demo user's current authenticator code, for trying the demo without a phone (demo only).

Refuses unless DEMO_SEED_ALLOWED (off in production): reading a code from the database defeats the second
factor, which is acceptable only for the published demo accounts.
"""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice


class Command(BaseCommand):
    help = _("演示环境：显示演示用户身份验证器当前的 6 位验证码")

    def add_arguments(self, parser):
        parser.add_argument("username")

    def handle(self, *args, username, **options):
        if not getattr(settings, "DEMO_SEED_ALLOWED", False):
            raise CommandError(_("只能在演示环境（DEMO_SEED_ALLOWED）中使用。"))
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError(_("用户 %(username)s 不存在。") % {"username": username})
        # The confirmed authenticator, else the one the enrolment page is showing.
        device = TOTPDevice.objects.filter(user=user).order_by("-confirmed", "pk").first()
        if device is None:
            raise CommandError(
                _("用户 %(username)s 还没有身份验证器：请先用密码登录，打开绑定页面。") % {"username": username}
            )
        self.stdout.write(f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}")
