"""严重表述错误 detector: leaders' names, titles and protocol order against the 领导职务名录.

The rules and the register live in workflows.lexicon.leaders (kept with the lexicon they are administered
beside); this module gives their findings the scanner's Finding form. Unlike the other detectors it needs
the date the content speaks for, so scan_object calls it with the content's date rather than scan_text.
"""

from workflows.lexicon.leaders import leader_findings

from .findings import Finding


def expression_findings(text, on_date=None):
    """Findings about leaders in `text` as of `on_date` (today when None), offsets into `text`."""
    return [Finding.from_dict(finding) for finding in leader_findings(text, on_date)]
