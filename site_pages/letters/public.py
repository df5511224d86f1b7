"""The public views of a message board: published letters, the letter form with its receipt, the status look-up
and the writer's rating. Routed by MessageBoardPage; every POST keeps Django's CSRF check."""

from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from django.http import Http404
from django.shortcuts import redirect
from django.utils.cache import add_never_cache_headers
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_protect

from disclosure.requests import ratelimit
from disclosure.requests.forms import new_captcha
from disclosure.requests.models import format_query_code, hash_secret

from ..models.letters import LetterStatus, Message
from . import intake
from .forms import LetterForm, QueryForm, RatingForm, SearchForm, load_test

PAGE_SIZE = 15
RECEIPTS_SESSION_KEY = "letter_receipts"
VERIFIED_SESSION_KEY = "letter_verified"
# A session remembers this many receipts and looked-up letters, the newest kept.
SESSION_MEMORY = 5
TEMPLATES = "site_pages/letters/"


def _render(page, request, template, context, status=200, private=False):
    context = {"breadcrumbs": page.get_ancestors().filter(depth__gt=1).live(), **context}
    response = page.render(request, template=TEMPLATES + template, context_overrides=context)
    response.status_code = status
    if private:
        add_never_cache_headers(response)
    return response


def _url(page, route, **params):
    url = page.url + page.reverse_subpage(route)
    return f"{url}?{urlencode(params)}" if params else url


def _remember(session, key, name, value):
    items = dict(session.get(key, {}))
    items[name] = value
    session[key] = dict(list(items.items())[-SESSION_MEMORY:])


def board(page, request):
    form = SearchForm(request.GET)
    query = form.cleaned_data["q"] if form.is_valid() else ""
    paginator = Paginator(intake.published_letters(page, query), PAGE_SIZE)
    try:
        page_obj = paginator.page(request.GET.get("page") or 1)
    except (EmptyPage, PageNotAnInteger):
        page_obj = paginator.page(1)
    letters = [intake.MaskedLetter(message) for message in page_obj.object_list]
    return _render(
        page,
        request,
        "board.html",
        {"search_form": form, "query": query, "page_obj": page_obj, "letters": letters},
    )


def letter(page, request, letter_id):
    message = intake.published_letters(page).filter(pk=letter_id).first()
    if message is None:
        raise Http404(_("没有这条公开的留言。"))
    return _render(page, request, "letter.html", {"letter": intake.MaskedLetter(message)})


def _rate_limited(scope):
    return _("提交过于频繁，请在%(minutes)d分钟后再试。") % {"minutes": ratelimit.window_minutes(scope)}


def _write_form(page, request, form, status=200, rate_limited=None):
    context = {"form": form.mark_errors(), "rate_limited": rate_limited, "query_url": _url(page, "query")}
    if "captcha" in form.fields:
        context["captcha_question"] = new_captcha(request.session)
    return _render(page, request, "write.html", context, status=status, private=True)


def write(page, request):
    return _write(request, page)


@csrf_protect
def _write(request, page):
    if "done" in request.GET:
        return _receipt(page, request, request.GET["done"])
    if request.method != "POST":
        form = LetterForm(initial={"token": intake.new_submission_token()}, session=request.session)
        return _write_form(page, request, form)
    token = request.POST.get("token", "")
    if token and Message.objects.filter(board=page, submission_token=token).exists():
        # The same form posted again (a double click, a reload): the first letter's receipt, nothing new.
        return redirect(_url(page, "write", done=token))
    form = LetterForm(request.POST, request.FILES, session=request.session)
    limits = not load_test()
    if limits and ratelimit.exceeded("letter", request):
        return _write_form(page, request, form, status=429, rate_limited=_rate_limited("letter"))
    if not form.is_valid():
        return _write_form(page, request, form, status=400)
    mobile = hash_secret(form.cleaned_data["mobile"])[:32]
    if limits and ratelimit.exceeded("letter_mobile", request, identity=mobile):
        return _write_form(page, request, form, status=429, rate_limited=_rate_limited("letter_mobile"))
    message, code, created = intake.receive(
        page, form.letter_data(), form.cleaned_data["attachments"], form.cleaned_data["token"]
    )
    if created:
        if limits:
            ratelimit.record("letter", request)
            ratelimit.record("letter_mobile", request, identity=mobile)
        _remember(
            request.session,
            RECEIPTS_SESSION_KEY,
            form.cleaned_data["token"],
            {"number": message.receipt_number, "code": format_query_code(code)},
        )
    return redirect(_url(page, "write", done=form.cleaned_data["token"]))


def _receipt(page, request, token):
    receipt = request.session.get(RECEIPTS_SESSION_KEY, {}).get(token)
    if receipt is None:
        return redirect(_url(page, "write"))
    return _render(page, request, "receipt.html", {"receipt": receipt, "query_url": _url(page, "query")}, private=True)


def _verified(request, letter_id):
    return str(letter_id) in request.session.get(VERIFIED_SESSION_KEY, {})


def _result(page, request, message, rating_form=None, status=200, notice=None):
    context = {
        "letter": message,
        "masked": intake.MaskedLetter(message),
        "can_rate": intake.can_rate(message),
        "rating_deadline": intake.rating_deadline(message),
        "rating_form": (rating_form or RatingForm()).mark_errors(),
        "notice": notice,
        "answered": message.status == LetterStatus.CLOSED,
    }
    return _render(page, request, "status.html", context, status=status, private=True)


def query(page, request):
    return _query(request, page)


@csrf_protect
def _query(request, page):
    letter_id = request.POST.get("letter") or request.GET.get("letter")
    if letter_id and _verified(request, letter_id):
        message = Message.objects.filter(board=page, pk=letter_id).select_related("reply_unit").first()
        if message is not None:
            return _rating(page, request, message) if request.method == "POST" else _result(page, request, message)
    form = QueryForm(request.POST if request.method == "POST" else None)
    context = {"form": form, "write_url": _url(page, "write")}
    if request.method == "POST":
        if ratelimit.exceeded("letter_query", request):
            context["rate_limited"] = _rate_limited("letter_query")
            return _render(page, request, "query.html", {**context, "form": form.mark_errors()}, 429, private=True)
        if form.is_valid():
            message = intake.find_by_code(page, form.cleaned_data["receipt_number"], form.cleaned_data["code"])
            if message is not None:
                _remember(request.session, VERIFIED_SESSION_KEY, str(message.pk), True)
                return redirect(_url(page, "query", letter=message.pk))
            ratelimit.record("letter_query", request)
            form.add_error(None, _("留言编号或查询码不正确，请核对后重新输入。"))
        return _render(page, request, "query.html", {**context, "form": form.mark_errors()}, 400, private=True)
    return _render(page, request, "query.html", {**context, "form": form.mark_errors()}, private=True)


def _rating(page, request, message):
    form = RatingForm(request.POST)
    if not form.is_valid():
        return _result(page, request, message, rating_form=form, status=400)
    try:
        intake.rate(message, form.cleaned_data["satisfaction"])
    except intake.RatingError as error:
        form.add_error(None, str(error))
        return _result(page, request, message, rating_form=form, status=400)
    return redirect(_url(page, "query", letter=message.pk))
