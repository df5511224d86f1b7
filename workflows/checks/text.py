"""scan_text: every detector over one piece of plain text."""

from .lexicon import _lexicon_findings
from .links import _link_findings
from .markings import _confidential_findings
from .personal_data import _personal_data_findings


def scan_text(text):
    """Findings in one piece of plain text, sorted by start offset."""
    if not text:
        return []
    findings = _lexicon_findings(text)
    findings += _confidential_findings(text)
    findings += _personal_data_findings(text)
    findings += _link_findings(text)
    if len(findings) > 1:
        findings.sort(key=lambda f: (f.start, f.end, f.category))
    return findings
