"""Public views: the application form, the receipt (shown once) and the status check."""

import hmac

from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect

from . import ratelimit, services
from .clock import request_clock
from .forms import RequestForm, StatusForm, new_captcha
from .models import DisclosureRequest, hash_secret

RECEIPT_SESSION_KEY = "disclosure_request_receipt"
# Compared against when the receipt number is unknown, so a miss costs the same as a wrong secret.
UNKNOWN_RECEIPT_HASH = hash_secret("unknown-receipt")


def _limited(request, scope, template, context):
    context["rate_limited"] = _("提交过于频繁，请在%(minutes)d分钟后再试。") % {
        "minutes": ratelimit.window_minutes(scope)
    }
    return render(request, template, context, status=429)


@never_cache
@csrf_protect
def request_form(request):
    form = RequestForm(request.POST or None, session=request.session)
    if request.method == "POST":
        if ratelimit.exceeded("submit", request):
            return _limited(
                request,
                "submit",
                "disclosure_requests/request_form.html",
                {"form": form.mark_errors(), "captcha_question": new_captcha(request.session)},
            )
        if form.is_valid():
            secret = services.submit(form.save(commit=False))
            ratelimit.record("submit", request)
            request.session[RECEIPT_SESSION_KEY] = {"receipt": form.instance.receipt_number, "secret": secret}
            return redirect("disclosure_requests:receipt")
    return render(
        request,
        "disclosure_requests/request_form.html",
        {"form": form.mark_errors(), "captcha_question": new_captcha(request.session)},
        status=400 if form.errors else 200,
    )


@never_cache
def receipt(request):
    """Shows the receipt number and secret once: the session copy is removed as it is displayed."""
    issued = request.session.pop(RECEIPT_SESSION_KEY, None)
    if issued is None:
        return redirect("disclosure_requests:status")
    item = DisclosureRequest.objects.get(receipt_number=issued["receipt"])
    return render(
        request,
        "disclosure_requests/receipt.html",
        {"receipt_number": item.receipt_number, "secret": issued["secret"], "received_on": item.received_on},
    )


@never_cache
@csrf_protect
def status(request):
    form = StatusForm(request.POST or None)
    context = {"form": form}
    if request.method == "POST":
        if ratelimit.exceeded("status", request):
            return _limited(request, "status", "disclosure_requests/status.html", context)
        if form.is_valid():
            item = DisclosureRequest.objects.filter(receipt_number=form.cleaned_data["receipt_number"]).first()
            secret = form.cleaned_data["secret"]
            stored = item.secret_hash if item else UNKNOWN_RECEIPT_HASH
            if hmac.compare_digest(stored, hash_secret(secret)) and item is not None:
                context["item"] = item
                context["clock"] = request_clock(item)
            else:
                ratelimit.record("status", request)
                form.add_error(None, _("受理编号或查询码不正确，请核对后重试。"))
    form.mark_errors()
    return render(request, "disclosure_requests/status.html", context, status=400 if form.errors else 200)
