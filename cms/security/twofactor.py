"""Two-factor authentication (两步验证): who needs it, and the devices behind it (django-otp).

A reviewer or an administrator signs in with a password and then a six-digit code from an authenticator
app (TOTP, RFC 6238), or one of ten single-use recovery codes when the phone is lost. The login views in
``cms.security.login`` enforce it: for these users a correct password alone never creates a session.
"""

from base64 import b32encode

from django.conf import settings
from django.db import transaction
from django_otp import devices_for_user
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from cms.organisation.models import Membership, Role

from .roles import ROLE_PERMISSIONS

TOTP_DEVICE_NAME = "身份验证器"
RECOVERY_DEVICE_NAME = "恢复码"
RECOVERY_CODE_COUNT = 10

DEFAULT_REVIEW_ROLES = [Role.SECTION_CHIEF, Role.DEPUTY_HEAD, Role.HEAD]
# Holding any of these means administering users, groups or the site itself.
ADMIN_PERMISSIONS = ("auth.change_user", "auth.add_user", "auth.change_group", "wagtailcore.change_site")


def requires_two_factor(user):
    """Reviewers (a review role in any unit) and administrators (superusers, the 三员, user managers)."""
    if not user.is_authenticated or not user.is_active:
        return False
    if not getattr(settings, "SECURITY_TWO_FACTOR_REQUIRED", True):
        return False
    if user.is_superuser:
        return True
    if user.groups.filter(name__in=list(ROLE_PERMISSIONS)).exists():
        return True
    if any(user.has_perm(perm) for perm in ADMIN_PERMISSIONS):
        return True
    roles = getattr(settings, "SECURITY_TWO_FACTOR_ROLES", DEFAULT_REVIEW_ROLES)
    return Membership.objects.active().filter(user=user, role__in=roles).exists()


def has_device(user):
    return any(True for _device in devices_for_user(user, confirmed=True))


def pending_totp_device(user):
    """The user's unconfirmed authenticator, created on first use so that reloading shows the same key."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=TOTP_DEVICE_NAME, confirmed=False)
    return device


def secret_key(device):
    """The key in the grouped base32 form authenticator apps accept for manual entry."""
    key = b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(key[i : i + 4] for i in range(0, len(key), 4))


def qr_code_svg(device):
    """The otpauth:// URL as an SVG data URI; drawn here, never by an outside service."""
    import segno  # only enrolment draws one: not at start-up (docs/deployment.md, cold start)

    return segno.make(device.config_url, error="m").svg_data_uri(scale=5, border=2)


@transaction.atomic
def confirm_totp(device):
    """Makes the authenticator the user's only one and issues fresh recovery codes; returns the codes."""
    TOTPDevice.objects.filter(user=device.user).exclude(pk=device.pk).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    return new_recovery_codes(device.user)


@transaction.atomic
def new_recovery_codes(user):
    """Replaces the user's recovery codes with ``RECOVERY_CODE_COUNT`` new ones and returns them."""
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name=RECOVERY_DEVICE_NAME, confirmed=True)
    codes = [StaticToken.random_token() for _index in range(RECOVERY_CODE_COUNT)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


def remaining_recovery_codes(user):
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


def verify(user, token):
    """The device that accepts ``token`` (an authenticator code or a recovery code), or None.

    Each device's own throttling applies: after a wrong code, the next attempt must wait longer.
    """
    token = "".join((token or "").split()).lower()
    if not token:
        return None
    # Six digits are an authenticator code, anything else a recovery code: trying a code only on the kind
    # of device it can belong to keeps a recovery code from counting as a wrong authenticator code.
    kind = TOTPDevice if (len(token) == 6 and token.isdigit()) else StaticDevice
    for device in devices_for_user(user, confirmed=True):
        if not isinstance(device, kind):
            continue
        allowed, _details = device.verify_is_allowed()
        if allowed and device.verify_token(token):
            return device
    return None


def is_recovery_device(device):
    return isinstance(device, StaticDevice)


@transaction.atomic
def reset(user):
    """Removes every device of the user (lost phone): they enrol again at their next login."""
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()
