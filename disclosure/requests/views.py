"""Public views: the application form, the receipt (shown once) and the status check."""

import hmac

from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect

from . import ratelimit, services
from .clock import request_clock
from .forms import RequestForm, StatusForm, new_captcha
from .models import DisclosureRequest, canonical_query_code, hash_secret
from .progress import progress_steps, receipt_context, send_receipt

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
            item = form.save(commit=False)
            secret = services.submit(item)
            ratelimit.record("submit", request)
            emailed = send_receipt(item, _receipt_context(request, item, secret))
            request.session[RECEIPT_SESSION_KEY] = {
                "receipt": item.receipt_number,
                "secret": secret,
                "emailed": emailed,
            }
            return redirect("disclosure_requests:receipt")
    return render(
        request,
        "disclosure_requests/request_form.html",
        {"form": form.mark_errors(), "captcha_question": new_captcha(request.session)},
        status=400 if form.errors else 200,
    )


def _receipt_context(request, item, secret):
    return receipt_context(item, secret, request.build_absolute_uri(reverse("disclosure_requests:status")))


@never_cache
def receipt(request):
    """Shows the receipt number and query code once: the session copy is removed as it is displayed."""
    issued = request.session.pop(RECEIPT_SESSION_KEY, None)
    if issued is None:
        return redirect("disclosure_requests:status")
    item = DisclosureRequest.objects.select_related("agency").get(receipt_number=issued["receipt"])
    context = _receipt_context(request, item, issued["secret"])
    context["emailed_to"] = item.email if issued.get("emailed") else ""
    return render(request, "disclosure_requests/receipt.html", context)


def _secret_matches(stored, typed):
    """Codes issued before the look-alike-free alphabet are case-sensitive and may contain dashes, so the
    code is checked both as typed and in canonical form; both comparisons always run, in constant time."""
    as_typed = hmac.compare_digest(stored, hash_secret(typed))
    canonical = hmac.compare_digest(stored, hash_secret(canonical_query_code(typed)))
    return as_typed | canonical


@never_cache
@csrf_protect
def status(request):
    form = StatusForm(request.POST or None)
    context = {"form": form}
    if request.method == "POST":
        if ratelimit.exceeded("status", request):
            return _limited(request, "status", "disclosure_requests/status.html", context)
        if form.is_valid():
            item = (
                DisclosureRequest.objects.select_related("handling_unit")
                .filter(receipt_number=form.cleaned_data["receipt_number"])
                .first()
            )
            secret = form.cleaned_data["secret"]
            stored = item.secret_hash if item else UNKNOWN_RECEIPT_HASH
            if _secret_matches(stored, secret) and item is not None:
                context["item"] = item
                context["clock"] = request_clock(item)
                context["steps"] = progress_steps(item)
                # 办理中 as a status would contradict the steps while the unit has not started: say which step.
                context["current_step"] = next(step for step in context["steps"] if step.current)
            else:
                ratelimit.record("status", request)
                form.add_error(None, _("受理编号或查询码不正确，请核对后重试。"))
    form.mark_errors()
    return render(request, "disclosure_requests/status.html", context, status=400 if form.errors else 200)
