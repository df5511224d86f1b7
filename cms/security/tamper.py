"""Compare what the running site serves with what publishing approved.

Used by `check_tamper`. Findings are stored once (an unresolved finding with the same address,
kind and detail is only touched again), alerts go out for new findings only, and findings no
longer seen are marked resolved, so cron can run the check as often as it likes.
"""

import logging
from dataclasses import dataclass
from urllib.parse import urlsplit

import requests
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.mail import mail_admins, send_mail
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.models import ModelLogEntry, Page, PageLogEntry, ReferenceIndex, Site

from . import integrity
from .fingerprint import analyse_html, own_hosts, page_location, snapshot_page
from .models import PageFingerprint, TamperFinding

logger = logging.getLogger(__name__)

USER_AGENT = "cms-security-check_tamper"
ELEMENT_LABELS = {
    "script-src": gettext_lazy("外部加载的脚本"),
    "inline-script": gettext_lazy("内嵌脚本"),
    "iframe": gettext_lazy("内嵌框架（iframe）"),
    "frame": gettext_lazy("框架（frame）"),
    "object": gettext_lazy("插件对象（object）"),
    "embed": gettext_lazy("插件嵌入（embed）"),
    "applet": gettext_lazy("Java 小程序（applet）"),
    "external": gettext_lazy("外部资源"),
    "external-link": gettext_lazy("指向外部网站的链接（疑似暗链）"),
    "meta-refresh": gettext_lazy("自动跳转（meta refresh）"),
    "base": gettext_lazy("基准地址（base）"),
    "event-handler": gettext_lazy("事件处理脚本属性"),
    "javascript-url": gettext_lazy("javascript: 链接"),
}


@dataclass(frozen=True)
class Observation:
    kind: str
    url: str
    detail: str
    page_id: int | None = None


def describe_element(key):
    prefix, _sep, rest = key.partition(":")
    return _("%(label)s：%(value)s") % {"label": ELEMENT_LABELS.get(prefix, prefix), "value": rest}


def _fetch(url, host_header, timeout):
    headers = {"User-Agent": USER_AGENT}
    if host_header:
        headers["Host"] = host_header
    # Redirects are not followed: a page that suddenly redirects elsewhere is itself a finding.
    return requests.get(url, headers=headers, timeout=timeout, allow_redirects=False)


def _rendered_model_types():
    """Content types of non-page models whose edits show on public pages: settings, snippets, media."""
    from wagtail.contrib.settings.registry import registry as settings_registry
    from wagtail.documents import get_document_model
    from wagtail.images import get_image_model
    from wagtail.snippets.models import get_snippet_models

    models = [*settings_registry, *get_snippet_models(), get_image_model(), get_document_model()]
    return ContentType.objects.get_for_models(*models, for_concrete_models=False).values()


# Log actions after which the live HTML of the page and of pages around it may differ.
PUBLISHING_ACTIONS = [
    "wagtail.publish",
    "wagtail.publish.scheduled",
    "wagtail.rename",
    "wagtail.revert",
    "wagtail.unpublish",
    "wagtail.unpublish.scheduled",
    "wagtail.delete",
    "wagtail.move",
    "wagtail.reorder",
]
# Those that re-fingerprint the page and its ancestors when they happen (see signals.py); they are
# logged just after that fingerprint, so they must not count as explaining a later change.
REFINGERPRINTING_ACTIONS = [
    "wagtail.publish",
    "wagtail.publish.scheduled",
    "wagtail.rename",
    "wagtail.revert",
    "wagtail.unpublish",
    "wagtail.unpublish.scheduled",
]


def _referenced_page_ids(page):
    """Pages this page cites or is cited by (e.g. a policy document and its interpretations)."""
    page_type = ContentType.objects.get_for_model(Page)
    references = ReferenceIndex.objects.filter(base_content_type=page_type, to_content_type=page_type)
    cited = references.filter(object_id=str(page.pk)).values_list("to_object_id", flat=True)
    citing = references.filter(to_object_id=str(page.pk)).values_list("object_id", flat=True)
    return {int(pk) for pk in [*cited, *citing] if pk.isdigit()}


def _navigation_pages(page):
    """What the site header shows: the site root and its children (the main navigation), and, since
    a column is shown only while live content lies below it (空白栏目 are hidden), everything below them."""
    site = page.get_site()
    return Q(page__path__startswith=site.root_page.path) if site else Q(pk__in=[])


def _explained_by_publishing(page, since, content_changed, chrome_changed):
    """Whether logged CMS activity since `since` can account for the changed regions of this page.

    Only activity that can reach the region counts (the page's subtree, its ancestors and the pages
    it cites for the content region, the navigation for the chrome), so that publishing somewhere
    unrelated does not cover up a page changed behind the CMS's back.
    """
    if ModelLogEntry.objects.filter(timestamp__gt=since, content_type__in=_rendered_model_types()).exists():
        return True
    subtree = set(Page.objects.descendant_of(page, inclusive=True).values_list("pk", flat=True))

    def logged(reach):
        entries = PageLogEntry.objects.filter(reach, timestamp__gt=since, action__in=PUBLISHING_ACTIONS)
        return entries.exclude(page_id__in=subtree, action__in=REFINGERPRINTING_ACTIONS).exists()

    # Each changed region needs activity that reaches it: publishing that can change the header does
    # not account for a changed article body.
    if content_changed:
        # Ancestors too: their titles are in the breadcrumbs.
        ancestors = set(Page.objects.ancestor_of(page).values_list("pk", flat=True))
        if not logged(Q(page_id__in=subtree | ancestors | _referenced_page_ids(page))):
            return False
    return not chrome_changed or logged(_navigation_pages(page))


def check_page(page, base_url, timeout):
    location = page_location(page)
    if location is None:
        return []
    site, _canonical_url, path = location
    url = base_url.rstrip("/") + path
    host_header = None if site.is_default_site else site.hostname + ("" if site.port in (80, 443) else f":{site.port}")

    def found(kind, detail):
        return Observation(kind, url, detail, page.pk)

    try:
        response = _fetch(url, host_header, timeout)
    except requests.RequestException as error:
        return [found(TamperFinding.Kind.UNREACHABLE, _("无法访问：%(error)s") % {"error": error.__class__.__name__})]
    if response.status_code != 200:
        detail = _("返回状态码 %(status)s") % {"status": response.status_code}
        if response.headers.get("Location"):
            detail += _("，跳转到 %(location)s") % {"location": response.headers["Location"]}
        return [found(TamperFinding.Kind.UNREACHABLE, detail)]

    served = analyse_html(response.text, url, own_hosts(urlsplit(base_url).hostname))
    fingerprint = PageFingerprint.objects.filter(page=page).first()
    if fingerprint is None:
        return [
            found(TamperFinding.Kind.UNFINGERPRINTED, _("页面已发布但没有发布指纹，请核实后运行 fingerprint_pages"))
        ]

    approved = set(fingerprint.active_elements)
    observations = [
        found(TamperFinding.Kind.INJECTED, describe_element(key))
        for key in served.active_elements
        if key not in approved
    ]
    same_content = served.content_sha256 == fingerprint.content_sha256
    same_chrome = served.chrome_sha256 == fingerprint.chrome_sha256
    if same_content and same_chrome:
        if not observations:
            fingerprint.verified_at = timezone.now()
            fingerprint.save(update_fields=["verified_at"])
        return observations

    # Publishing elsewhere legitimately changes listings, cross-references and navigation. Such a
    # change is accepted when the CMS renders the same HTML now and logged activity that can reach
    # the changed region; the fingerprint then follows it (its approved active elements stay).
    current = snapshot_page(page)
    rendered_now = current is not None and (
        current[1].content_sha256 == served.content_sha256 and current[1].chrome_sha256 == served.chrome_sha256
    )
    since = max(filter(None, [fingerprint.created_at, fingerprint.verified_at]))
    if rendered_now and _explained_by_publishing(page, since, not same_content, not same_chrome):
        if not observations:
            fingerprint.content_sha256 = served.content_sha256
            fingerprint.chrome_sha256 = served.chrome_sha256
            fingerprint.reason = PageFingerprint.Reason.REFRESH
            fingerprint.created_at = timezone.now()
            fingerprint.save(update_fields=["content_sha256", "chrome_sha256", "reason", "created_at"])
        return observations

    region = _("正文区域") if not same_content else _("页面框架（页头、导航、页脚）")
    if rendered_now:
        cause = _("与系统当前渲染一致，但没有经过发布（数据库或模板可能被篡改）")
    else:
        cause = _("与系统渲染结果不一致（服务器文件或中间环节可能被篡改）")
    observations.append(
        found(TamperFinding.Kind.CONTENT, _("%(region)s与发布时不一致，%(cause)s") % {"region": region, "cause": cause})
    )
    return observations


def check_files(manifest=None):
    difference = integrity.compare_manifest(manifest)
    path = str(manifest or integrity.manifest_path())
    if difference is None:
        return [Observation(TamperFinding.Kind.MANIFEST_MISSING, path, _("请在部署后运行 integrity_manifest"))]
    observations = []
    for kind, names in (
        (TamperFinding.Kind.FILE_ADDED, difference.added),
        (TamperFinding.Kind.FILE_CHANGED, difference.changed),
        (TamperFinding.Kind.FILE_REMOVED, difference.removed),
    ):
        observations.extend(Observation(kind, name, _("与完整性清单不一致")) for name in names)
    return observations


def live_pages():
    """Live public pages that some site serves (pages outside every site root have no public URL)."""
    in_a_site = Q()
    for root_path in Site.objects.values_list("root_page__path", flat=True):
        in_a_site |= Q(path__startswith=root_path)
    if not in_a_site:
        return Page.objects.none()
    return Page.objects.live().public().filter(in_a_site).specific().order_by("path")


def record(observations):
    """Store observations as findings; return (all current findings, the new ones)."""
    now = timezone.now()
    current, new = [], []
    for observation in observations:
        finding = TamperFinding.objects.filter(
            url=observation.url[:500], kind=observation.kind, detail=observation.detail, resolved=False
        ).first()
        if finding is None:
            finding = TamperFinding.objects.create(
                page_id=observation.page_id,
                url=observation.url[:500],
                kind=observation.kind,
                detail=observation.detail,
                detected_at=now,
                last_seen_at=now,
            )
            new.append(finding)
        else:
            finding.last_seen_at = now
            finding.save(update_fields=["last_seen_at"])
        current.append(finding)
    return current, new


def resolve_unseen(seen, kinds):
    """Findings of the checked kinds that this run no longer sees have been dealt with."""
    stale = TamperFinding.objects.filter(resolved=False, kind__in=kinds).exclude(pk__in=[f.pk for f in seen])
    return stale.update(resolved=True, resolved_at=timezone.now())


def format_finding(finding):
    return _("【%(kind)s】%(url)s：%(detail)s") % {
        "kind": finding.get_kind_display(),
        "url": finding.url,
        "detail": finding.detail,
    }


def alert(new_findings):
    if not new_findings:
        return
    lines = [format_finding(f) for f in new_findings]
    for line in lines:
        logger.warning("Tamper finding: %s", line)
    subject = _("网站篡改监测发现 %(count)s 项新问题") % {"count": len(new_findings)}
    body = "\n".join([_("请立即核查并处置："), "", *lines])
    recipients = list(getattr(settings, "SECURITY_ALERT_EMAILS", []) or [])
    if recipients:
        send_mail(f"{settings.EMAIL_SUBJECT_PREFIX}{subject}", body, None, recipients, fail_silently=True)
    else:
        mail_admins(subject, body, fail_silently=True)


PAGE_KINDS = [
    TamperFinding.Kind.CONTENT,
    TamperFinding.Kind.INJECTED,
    TamperFinding.Kind.UNREACHABLE,
    TamperFinding.Kind.UNFINGERPRINTED,
]
FILE_KINDS = [
    TamperFinding.Kind.FILE_ADDED,
    TamperFinding.Kind.FILE_CHANGED,
    TamperFinding.Kind.FILE_REMOVED,
    TamperFinding.Kind.MANIFEST_MISSING,
]
