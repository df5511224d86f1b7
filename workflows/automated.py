"""The automated checks of a submission or publication (敏感词、保密、个人信息、转载来源): their findings and runs.

The checks themselves are in workflows.checks; this module applies a head's recorded overrides, checks a repost's
source against the authoritative sources and stores each run (CheckRun) with its findings.
"""

from dataclasses import dataclass
from urllib.parse import urlsplit

from django.utils.translation import gettext as _

from .lookups import newest_revision, specific
from .models import AuthoritativeSource, CheckRun, Override

# Which blocking finding a head's recorded decision lifts.
OVERRIDDEN_CATEGORY = {Override.Kind.REPOST_SOURCE: "unlisted_source", Override.Kind.PERSONAL_DATA: "personal_data"}


def _source_is_authoritative(organisation, url):
    sources = AuthoritativeSource.objects.filter(active=True)
    if organisation and sources.filter(name=organisation.strip()).exists():
        return True
    host = (urlsplit(url).hostname or "").lower() if url else ""
    if host:
        for domain in sources.exclude(domain="").values_list("domain", flat=True):
            if host == domain or host.endswith("." + domain):
                return True
    return False


def _repost_findings(content):
    source = getattr(content, "get_repost_source", lambda: None)()
    if not source:
        return []
    organisation, url = source
    if _source_is_authoritative(organisation, url):
        return []
    return [
        {
            "category": "unlisted_source",
            "term": organisation,
            "matched": organisation,
            "start": 0,
            "end": len(organisation),
            "severity": "block",
            "suggestion": _("转载来源须为权威来源名录中的党政机关或权威媒体；确需转载的，由主要负责人说明理由后放行。"),
            "field": "source_organisation",
            "field_label": _("来源单位"),
        }
    ]


def collect_findings(obj, content, override_kinds=None):
    """The findings of every automated check on `content` (a revision's object), with overrides applied.

    `override_kinds` are the object's recorded Override kinds when the caller loaded them in bulk (the inspection
    re-scans every live page); by default they are read here.
    """
    from .checks import scan_object

    findings = [finding.to_dict() for finding in scan_object(content)]
    findings += _repost_findings(content)
    if override_kinds is None:
        override_kinds = Override.for_object(obj).values_list("kind", flat=True)
    overridden = {OVERRIDDEN_CATEGORY[kind] for kind in override_kinds}
    for finding in findings:
        if finding["category"] in overridden and finding["severity"] == "block":
            finding["overridden"] = True
    return findings


@dataclass(frozen=True)
class Precheck:
    """预检: what the submission's automated check would find now; nothing is stored."""

    findings: list
    requirements: list

    def blocking(self):
        return [f for f in self.findings if f.get("severity") == "block" and not f.get("overridden")]

    def warnings(self):
        return [f for f in self.findings if f.get("severity") == "warn" or f.get("overridden")]


def precheck(obj):
    """Run the submission checks on the newest draft without changing any state."""
    obj = specific(obj)
    revision = newest_revision(obj)
    content = revision.as_object() if revision else obj
    requirements = getattr(content, "publication_requirements", lambda phase: [])(CheckRun.Phase.SUBMIT)
    return Precheck(collect_findings(obj, content), [str(m) for m in requirements])


def run_checks(obj, revision, phase):
    """Scan the revision's content and store the findings; overrides recorded by the head are applied."""
    content = revision.as_object()
    findings = collect_findings(obj, content)
    requirements = [str(m) for m in getattr(content, "publication_requirements", lambda phase: [])(phase)]
    run = CheckRun.objects.create(
        base_content_type=obj.get_base_content_type(),
        object_id=str(obj.pk),
        revision=revision,
        phase=phase,
        findings=findings,
        requirements=requirements,
    )
    previous = (
        CheckRun.for_object(obj).filter(revision=revision, acknowledged_by__isnull=False).exclude(pk=run.pk).first()
    )
    if previous is not None and _warning_keys(run) <= _warning_keys(previous):
        # Warnings already acknowledged for this very revision need not be acknowledged again.
        run.acknowledged_by_id, run.acknowledged_at = previous.acknowledged_by_id, previous.acknowledged_at
        run.save(update_fields=["acknowledged_by", "acknowledged_at"])
    return run


def _warning_keys(run):
    return {(f.get("category"), f.get("field"), f.get("start"), f.get("matched")) for f in run.warnings()}


def summarise(run):
    parts = [
        f"{f.get('field_label') or f.get('field')}：“{f.get('matched') or f.get('term')}”" for f in run.blocking()[:5]
    ]
    message = _("自动检查未通过，请修改后重新提交。")
    if parts:
        message += " " + "；".join(parts)
    if len(run.blocking()) > 5:
        message += _(" 等%(count)s处") % {"count": len(run.blocking())}
    if run.requirements:
        message += " " + "；".join(run.requirements)
    return message
