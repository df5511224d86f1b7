"""Password policy (口令策略): strength, history, expiry and forced change.

The strength and history rules are Django password validators (``AUTH_PASSWORD_VALIDATORS``), so every
form and command that sets a password through Django's ``validate_password`` applies them: Wagtail's user
create and edit forms, the account and forced password change, password reset, ``createsuperuser`` and
``changepassword``. ``PasswordHistoryValidator.password_changed`` runs whenever a password is saved (Django
calls it from ``User.save``), so the history and the expiry clock follow every way a password is set,
validated or not.
"""

from datetime import timedelta

from django.conf import settings
from django.contrib.auth.hashers import check_password
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from .audit import current_request, record
from .models import PasswordHistory, PasswordState

CHARACTER_CLASSES = (
    ("lower", str.islower),
    ("upper", str.isupper),
    ("digit", str.isdigit),
)


def _classes(password):
    found = set()
    for char in password:
        for name, test in CHARACTER_CLASSES:
            if char.isascii() and test(char):
                found.add(name)
                break
        else:
            found.add("symbol")
    return found


class CharacterClassesValidator:
    """At least ``min_classes`` of: lower-case letters, upper-case letters, digits, other characters."""

    def __init__(self, min_classes=3):
        self.min_classes = min_classes

    def validate(self, password, user=None):
        if len(_classes(password)) < self.min_classes:
            raise ValidationError(self.get_help_text(), code="password_too_few_classes")

    def get_help_text(self):
        return _("密码须包含大写字母、小写字母、数字、其他符号四类中的至少 %(count)d 类。") % {
            "count": self.min_classes
        }


class UsernameValidator:
    """The password must not contain the username (ignoring case)."""

    def validate(self, password, user=None):
        username = user.get_username() if user is not None else ""
        if username and username.lower() in password.lower():
            raise ValidationError(_("密码不能包含用户名。"), code="password_contains_username")

    def get_help_text(self):
        return _("密码不能包含用户名。")


def _acting_user():
    request = current_request()
    user = getattr(request, "user", None)
    return user if user is not None and user.is_authenticated else None


class PasswordHistoryValidator:
    """None of the user's last ``count`` passwords may be chosen again; records each new one."""

    def __init__(self, count=5):
        self.count = count

    def _recent_hashes(self, user):
        hashes = list(PasswordHistory.objects.filter(user=user).values_list("password", flat=True)[: self.count])
        # Accounts older than the history table have only their current password to compare with.
        if not hashes and user.password:
            hashes.append(user.password)
        return hashes

    def validate(self, password, user=None):
        if user is None or user.pk is None:
            return
        if any(check_password(password, encoded) for encoded in self._recent_hashes(user)):
            raise ValidationError(
                ngettext(
                    "新密码不能与最近 %(count)d 次使用过的密码相同。",
                    "新密码不能与最近 %(count)d 次使用过的密码相同。",
                    self.count,
                )
                % {"count": self.count},
                code="password_reused",
            )

    def password_changed(self, password, user=None):
        if user is None or user.pk is None:
            return
        PasswordHistory.objects.create(user=user, password=user.password)
        stale = PasswordHistory.objects.filter(user=user).values_list("pk", flat=True)[self.count :]
        PasswordHistory.objects.filter(pk__in=list(stale)).delete()

        actor = _acting_user()
        # Set by somebody else through the admin: its owner must replace it at the next login.
        set_by_other = actor is not None and actor.pk != user.pk
        PasswordState.objects.update_or_create(
            user=user, defaults={"changed_at": timezone.now(), "must_change": set_by_other, "reminded_at": None}
        )
        # Passwords set outside a request (commands, the shell) are not events of the web application.
        if current_request() is not None:
            if set_by_other:
                record(
                    "password.admin_reset",
                    obj=user,
                    detail=_("为 %(user)s 设置了新密码，须在下次登录时修改") % {"user": user.get_username()},
                )
            else:
                record("password.change", user=user, obj=user)

    def get_help_text(self):
        return _("新密码不能与最近 %(count)d 次使用过的密码相同。") % {"count": self.count}


def max_age():
    return timedelta(days=getattr(settings, "SECURITY_PASSWORD_MAX_AGE_DAYS", 90))


def _state(user):
    return PasswordState.objects.filter(user=user).first()


def changed_at(user, state=None):
    state = state if state is not None else _state(user)
    return state.changed_at if state is not None else user.date_joined


def expires_at(user, state=None):
    return changed_at(user, state) + max_age()


def days_left(user, now=None):
    """Whole days until the password expires (0 or less: expired)."""
    remaining = expires_at(user) - (now or timezone.now())
    return remaining.days if remaining > timedelta(0) else 0


def is_expired(user, now=None):
    return expires_at(user) <= (now or timezone.now())


def must_change(user, now=None):
    """Why the user must change their password before working (a Chinese sentence), or None."""
    if not user.has_usable_password():
        return None
    state = _state(user)
    if state is not None and state.must_change:
        return _("您的密码由管理员设置，请先修改为只有您自己知道的密码。")
    if expires_at(user, state) <= (now or timezone.now()):
        return _("您的密码已超过 %(days)d 天未修改，请先修改密码。") % {"days": max_age().days}
    return None


def reminder_days():
    return getattr(settings, "SECURITY_PASSWORD_REMINDER_DAYS", 15)


def expiry_reminder(user, now=None):
    """A reminder sentence when the password expires within the reminder window, else None."""
    if not user.has_usable_password() or is_expired(user, now):
        return None
    left = days_left(user, now)
    if left > reminder_days():
        return None
    return _("您的密码将于 %(date)s 过期（还剩 %(days)d 天），请及时修改。") % {
        "date": timezone.localtime(expires_at(user)).strftime("%Y-%m-%d"),
        "days": left,
    }
