"""What a unit should do about each kind of finding, and by when: the advice lines of the daily digest."""

import datetime

from django.utils.translation import gettext_lazy as _

from newmedia import monitoring

from .findings import Kind, Severity

FIXES = {
    Kind.COLUMN_STALE: _("在该栏目发布新的信息；栏目确已不再更新的，报县政府办公室调整或撤并。"),
    Kind.COLUMN_EMPTY: _("在该栏目发布信息，或报县政府办公室撤并空白栏目。"),
    Kind.COLUMN_WARNING: _("在期限前在该栏目发布新的信息。"),
    Kind.HOMEPAGE_STALE: _("在首页各版块所列栏目发布新的信息。"),
    Kind.AVAILABILITY: _("会同承办单位排查服务器和网络，恢复网站正常访问。"),
    Kind.NEWMEDIA_STALE: _("在该政务新媒体账号发布新的信息。"),
    Kind.NEWMEDIA_UNFILED: _("将账号变更报县政府办公室备案，并抄送县委网信办。"),
    Kind.NEWMEDIA_DUPLICATE: _("整合同一平台重复开设的账号，关停多余账号。"),
    Kind.NEWMEDIA_NOTICES: _("按通报要求关停或注销该账号。"),
    Kind.LETTER_OVERDUE: _("尽快办理并答复该留言。"),
    Kind.LETTER_VETO: _("立即办理并答复该留言。"),
    Kind.SERVICE_GUIDE_INCOMPLETE: _("补齐办事指南缺失的要素。"),
    Kind.DISCLOSURE_OVERDUE: _("在期限前公开该信息。"),
    Kind.REQUEST_OVERDUE: _("在法定期限前答复该申请。"),
    Kind.BROKEN_LINK: _("修改或删除失效的链接和附件。"),
    Kind.HIDDEN_LINK: _("立即删除隐藏的链接，并排查网站是否被入侵。"),
    Kind.CONTENT_FLAGGED: _("修改检出的问题表述，重新送审发布。"),
    Kind.TAMPER: _("立即核查并恢复被篡改的页面，报告县委网信办。"),
    Kind.PORTAL_BASICS: _("补齐网站标识码、ICP 备案号、公安机关备案号和党政机关标识，确保站内搜索可用。"),
    Kind.VETO: _("逐项整改触发单项否决的问题。"),
}


def fix_for(kind):
    return str(FIXES.get(kind, _("按检查发现整改。")))


def due_date(finding, as_of):
    """The day the finding must be fixed by, from its rule's data; None when it has no date of its own."""
    data = finding.data or {}
    if data.get("due"):
        return datetime.date.fromisoformat(data["due"][:10])
    if finding.kind == Kind.NEWMEDIA_STALE and finding.severity == Severity.WARNING and data.get("days") is not None:
        # A warning at day 10 of 14: the account must post within the days left.
        return as_of + datetime.timedelta(days=monitoring.stale_days() - data["days"])
    if data.get("notice_end"):
        return datetime.date.fromisoformat(data["notice_end"])
    return None
