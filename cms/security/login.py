"""Signing in to the admin: lockout, two-factor authentication, forced password change, idle timeout.

Every login route of the URLconf is one of the views below (``LoginView`` for the admin, ``FrontendLoginView``
for Wagtail's front-end login of restricted pages), sharing ``SecondFactorLoginMixin``. For a user who needs
two factors (``twofactor.requires_two_factor``) or has enrolled one, a correct password does not log in: the
user is remembered in the session as *pending* for a few minutes and sent to enrol an authenticator or to
enter a code; only a correct code calls ``django.contrib.auth.login``.

``AccountPolicyMiddleware`` then applies to every signed-in request: an idle session ends after
``SECURITY_SESSION_IDLE_TIMEOUT`` seconds; a session that is not OTP-verified while its user needs (or has)
a second factor, however it was opened (another login view, a password reset, a role granted later), is
ended and turned into a pending login at the second-factor step; and an admin page is not shown until an
expired or administrator-set password has been changed.
"""

import time

from axes.backends import AxesStandaloneBackend
from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import BACKEND_SESSION_KEY, get_user_model, logout, update_session_auth_hash
from django.contrib.auth import login as auth_login
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import PasswordChangeForm
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django_otp import login as otp_login
from wagtail.admin.views.account import LoginView as WagtailLoginView

from . import passwords, twofactor
from .audit import record

PENDING_KEY = "security_pending_login"
RECOVERY_CODES_KEY = "security_recovery_codes"
LAST_ACTIVITY_KEY = "security_last_activity"
# Seconds between two refreshes of a session's last activity (the timeout is this much coarser).
ACTIVITY_GRANULARITY = 60
# A pending login (password accepted, second factor not yet given) lasts this long.
PENDING_SECONDS = 300


class LockoutBackend(AxesStandaloneBackend):
    """django-axes' lockout check for logins made through a web request.

    ``authenticate()`` without a request (management commands, ``Client.login`` in tests) is not a login
    attempt from an address, so it is neither counted nor refused here.
    """

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)


def idle_timeout():
    return getattr(settings, "SECURITY_SESSION_IDLE_TIMEOUT", 30 * 60)


def _safe_next(request, candidate):
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return reverse("wagtailadmin_home")


def _pending_user(request):
    pending = request.session.get(PENDING_KEY)
    if not pending or time.time() - pending.get("at", 0) > PENDING_SECONDS:
        request.session.pop(PENDING_KEY, None)
        return None
    return get_user_model().objects.filter(pk=pending["user"], is_active=True).first()


def _finish_login(request, user, device=None):
    """The real login, after every factor was given; returns where to go next."""
    pending = request.session.pop(PENDING_KEY, {})
    user.backend = pending.get("backend") or settings.AUTHENTICATION_BACKENDS[-1]
    if device is not None:
        # django-otp's user_logged_in handler stores the device in the session: the session is verified.
        user.otp_device = device
    auth_login(request, user)
    request.session.set_expiry(settings.SESSION_COOKIE_AGE if pending.get("remember") else 0)
    request.session[LAST_ACTIVITY_KEY] = time.time()
    reminder = passwords.expiry_reminder(user)
    if reminder:
        messages.warning(request, reminder)
    return _safe_next(request, pending.get("next"))


def _remember_pending(request, user, *, backend, next_url, remember=False):
    """The password was accepted: ``user`` is remembered until the second factor (or ``_finish_login``)."""
    request.session[PENDING_KEY] = {
        "user": user.pk,
        "backend": backend,
        "remember": remember,
        "next": next_url,
        "at": time.time(),
    }


def _second_factor_step(user):
    """The URL name of the step that completes ``user``'s login, or None when a password is enough."""
    if twofactor.has_device(user):
        return "security_otp_verify"
    if twofactor.requires_two_factor(user):
        return "security_otp_enrol"
    return None


class SecondFactorLoginMixin:
    """For a Django ``LoginView``: a correct password leads to the second factor for those who need one."""

    def form_valid(self, form):
        user = form.get_user()
        _remember_pending(
            self.request,
            user,
            backend=user.backend,
            next_url=self.get_success_url(),
            remember=bool(form.cleaned_data.get("remember")),
        )
        step = _second_factor_step(user)
        return redirect(step) if step else redirect(_finish_login(self.request, user))


class LoginView(SecondFactorLoginMixin, WagtailLoginView):
    """Wagtail's admin login, with the second factor in between for those who need one."""


class FrontendLoginView(SecondFactorLoginMixin, auth_views.LoginView):
    """Wagtail's front-end login (pages restricted to signed-in users), with the same steps."""

    template_name = getattr(settings, "WAGTAIL_FRONTEND_LOGIN_TEMPLATE", "wagtailcore/login.html")
    next_page = "/"


class TokenForm(forms.Form):
    token = forms.CharField(
        label=gettext_lazy("验证码"),
        max_length=32,
        help_text=gettext_lazy("身份验证器上显示的 6 位数字；手机丢失时可输入一个恢复码。"),
        error_messages={"required": gettext_lazy("请输入验证码。")},
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "text", "autofocus": True}),
    )


class TokenStepView(View):
    """A page asking for one code: ``accept`` returns the device that takes it, ``succeeded`` what follows."""

    def render(self, form):
        return TemplateResponse(self.request, self.template_name, {"form": form, **self.extra_context()})

    def extra_context(self):
        return {}

    def get(self, request):
        return self.render(TokenForm())

    def post(self, request):
        form = TokenForm(request.POST)
        if not form.is_valid():
            return self.render(form)
        device = self.accept(form.cleaned_data["token"])
        if device is None:
            record("otp.failed", user=self.user, result="failure", detail=_("验证码错误或尝试过于频繁"))
            form.add_error("token", _("验证码不正确，或尝试过于频繁，请稍后再试。"))
            return self.render(form)
        return self.succeeded(device)


class VerifyView(TokenStepView):
    """Second step of the login: a code from the authenticator, or a recovery code."""

    template_name = "security/otp_verify.html"

    def dispatch(self, request, *args, **kwargs):
        self.user = _pending_user(request)
        if self.user is None:
            messages.error(request, _("登录已超时，请重新输入用户名和密码。"))
            return redirect("wagtailadmin_login")
        if not twofactor.has_device(self.user):
            return redirect("security_otp_enrol")
        return super().dispatch(request, *args, **kwargs)

    def extra_context(self):
        return {"pending_user": self.user}

    def accept(self, token):
        return twofactor.verify(self.user, token)

    def succeeded(self, device):
        target = _finish_login(self.request, self.user, device)
        if twofactor.is_recovery_device(device):
            left = twofactor.remaining_recovery_codes(self.user)
            record("otp.recovery_code", detail=_("剩余恢复码 %(count)d 个") % {"count": left})
            messages.warning(
                self.request,
                _("您使用了一个恢复码登录，还剩 %(count)d 个。如手机已丢失，请在“账号安全”中重新绑定身份验证器。")
                % {"count": left},
            )
        return redirect(target)


class EnrolView(TokenStepView):
    """Binding an authenticator: scan the QR code (or type the key), then prove it with one code.

    Serves both a pending login (a reviewer's first sign-in) and a signed-in user who enrols or replaces
    their authenticator from 账号安全.
    """

    template_name = "security/otp_enrol.html"

    def dispatch(self, request, *args, **kwargs):
        self.signed_in = request.user.is_authenticated
        self.user = request.user if self.signed_in else _pending_user(request)
        if self.user is None:
            messages.error(request, _("登录已超时，请重新输入用户名和密码。"))
            return redirect("wagtailadmin_login")
        # A pending login may only enrol the first device: replacing one needs the old factor first.
        if not self.signed_in and twofactor.has_device(self.user):
            return redirect("security_otp_verify")
        self.device = twofactor.pending_totp_device(self.user)
        return super().dispatch(request, *args, **kwargs)

    def extra_context(self):
        return {
            "qr_code": twofactor.qr_code_svg(self.device),
            "secret_key": twofactor.secret_key(self.device),
            "signed_in": self.signed_in,
            "required": twofactor.requires_two_factor(self.user),
        }

    def accept(self, token):
        allowed, _details = self.device.verify_is_allowed()
        return self.device if allowed and self.device.verify_token("".join(token.split())) else None

    def succeeded(self, device):
        request = self.request
        codes = twofactor.confirm_totp(device)
        if self.signed_in:
            target = _safe_next(request, request.GET.get("next") or reverse("security_account"))
            # The new device verifies this session too.
            otp_login(request, device)
        else:
            target = _finish_login(request, self.user, device)
        record("otp.enrol", obj=self.user)
        request.session[RECOVERY_CODES_KEY] = {"codes": codes, "next": target}
        return redirect("security_recovery_codes")


class RecoveryCodesView(View):
    """Shows newly issued recovery codes, once; they are stored only as single-use tokens."""

    def get(self, request):
        issued = request.session.pop(RECOVERY_CODES_KEY, None)
        if not issued:
            return redirect("security_account")
        return TemplateResponse(
            request, "security/recovery_codes.html", {"codes": issued["codes"], "next": issued["next"]}
        )

    def post(self, request):
        codes = twofactor.new_recovery_codes(request.user)
        record("otp.enrol", obj=request.user, detail=_("重新生成恢复码"))
        request.session[RECOVERY_CODES_KEY] = {"codes": codes, "next": reverse("security_account")}
        return redirect("security_recovery_codes")


class ChangePasswordView(View):
    """The user's own password change; also where an expired or administrator-set password sends them."""

    template_name = "security/password_change.html"

    def render(self, form):
        return TemplateResponse(
            self.request,
            self.template_name,
            {
                "form": form,
                "reason": passwords.must_change(self.request.user),
                "next": self.request.GET.get("next", ""),
            },
        )

    def get(self, request):
        return self.render(PasswordChangeForm(request.user))

    def post(self, request):
        form = PasswordChangeForm(request.user, request.POST)
        if not form.is_valid():
            return self.render(form)
        form.save()
        update_session_auth_hash(request, form.user)
        messages.success(request, _("密码已修改。"))
        return redirect(_safe_next(request, request.GET.get("next")))


class AccountSecurityView(View):
    """账号安全: the signed-in user's password age, two-factor status and recovery codes."""

    def get(self, request):
        user = request.user
        return TemplateResponse(
            request,
            "security/account_security.html",
            {
                "changed_at": passwords.changed_at(user),
                "expires_at": passwords.expires_at(user),
                "reminder": passwords.expiry_reminder(user),
                "has_device": twofactor.has_device(user),
                "required": twofactor.requires_two_factor(user),
                "recovery_left": twofactor.remaining_recovery_codes(user),
            },
        )


def _login_redirect(request):
    return redirect(f"{reverse('wagtailadmin_login')}?{urlencode({'next': request.get_full_path()})}")


class AccountPolicyMiddleware:
    """Idle timeout, the second factor on every path, forced password change (see the module docstring).

    Placed after django-otp's OTPMiddleware and the message middleware.
    """

    # Requests the admin makes by itself while a page stays open; they are not activity.
    BACKGROUND_PATHS = ("/admin/editing-sessions/",)
    # Reachable while a password change is required.
    PASSWORD_CHANGE_EXEMPT = ("/admin/logout/", "/admin/jsi18n/", "/admin/security/password/")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self._check(request)
        return response if response is not None else self.get_response(request)

    @staticmethod
    def _to_second_factor(request, user, step):
        """A session without the second factor its user needs (opened by any login path, or before a role
        that needs one was granted) is ended and continues as a pending login at ``step``."""
        backend = request.session.get(BACKEND_SESSION_KEY)
        logout(request)
        _remember_pending(
            request, user, backend=backend, next_url=request.get_full_path() if request.method == "GET" else None
        )
        messages.warning(request, _("您的账号需要两步验证，请完成验证后继续。"))
        return redirect(step)

    def _check(self, request):
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return None
        now = time.time()
        last = request.session.get(LAST_ACTIVITY_KEY)
        admin = request.path.startswith("/admin/")
        if last is not None and now - last > idle_timeout():
            record("session.timeout", user=user, request=request)
            logout(request)
            messages.info(
                request,
                _("您已超过 %(minutes)d 分钟未操作，已自动退出，请重新登录。") % {"minutes": idle_timeout() // 60},
            )
            return _login_redirect(request) if admin else None
        # Refreshed at most once a minute: every refresh rewrites the session row and its cookie.
        if not request.path.startswith(self.BACKGROUND_PATHS) and (last is None or now - last >= ACTIVITY_GRANULARITY):
            request.session[LAST_ACTIVITY_KEY] = now
        if not user.is_verified():
            step = _second_factor_step(user)
            if step is not None:
                return self._to_second_factor(request, user, step)
        if not admin:
            return None
        if not request.path.startswith(self.PASSWORD_CHANGE_EXEMPT) and passwords.must_change(user):
            return redirect(f"{reverse('security_password_change')}?{urlencode({'next': request.get_full_path()})}")
        return None
