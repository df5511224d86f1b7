"""Moderating the questions of an interview: the editors of the page's owning unit screen held questions,
adopt or decline them, and pull adopted ones into the transcript (a new draft revision of the page, which is
published through 三审三校 like any edit)."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cms.organisation.permissions import user_unit_ids
from cms.security.fingerprint import record_fingerprint
from cms.security.models import PageFingerprint

from ..models.interviews import InterviewPage, QuestionStatus, SpeakerKind


class ModerationError(Exception):
    """A refused moderation step; the message is shown to the editor."""


def moderated_interviews(user):
    """Interviews whose questions this user moderates: those owned by one of the user's units."""
    pages = InterviewPage.objects.all()
    if not user.is_superuser:
        pages = pages.filter(owning_unit_id__in=user_unit_ids(user))
    return pages.select_related("owning_unit").order_by("-start_at", "-pk")


def may_moderate(user, page):
    return user.is_active and (user.is_superuser or page.owning_unit_id in user_unit_ids(user))


def _decided(question, user, **changes):
    for name, value in changes.items():
        setattr(question, name, value)
    question.decided_by, question.decided_at = user, timezone.now()
    question.save(update_fields=[*changes, "decided_by", "decided_at"])
    page = question.page
    if page.live and page.transcript:
        # The published page lists the adopted questions: a decision is an edit through the CMS of what it
        # shows, so its tamper-check fingerprint follows (cms.security.tamper would report the change).
        transaction.on_commit(lambda: record_fingerprint(page, PageFingerprint.Reason.REFRESH), robust=True)


def clear_screening(question, user):
    """甄别通过: the automated finding was a false alarm; the question may now be adopted or declined."""
    if not question.held_for_screening:
        raise ModerationError(_("该提问无需甄别。"))
    _decided(question, user, held_for_screening=False)


def adopt(question, user):
    if question.held_for_screening:
        raise ModerationError(_("该提问含有需甄别的内容，请先作出甄别决定（甄别通过或不予采用）。"))
    _decided(question, user, status=QuestionStatus.ADOPTED)


def decline(question, user):
    # A held question stays held: declining it is the screening decision, and it is never shown.
    if question.answered:
        raise ModerationError(_("该提问已加入访谈实录，不能改为不予采用；请先在访谈实录中删除。"))
    _decided(question, user, status=QuestionStatus.DECLINED)


def add_to_transcript(question, user):
    """Appends the question as a 网友提问 turn to the newest draft of the page and marks it answered."""
    if question.status != QuestionStatus.ADOPTED or question.held_for_screening:
        raise ModerationError(_("只有已采用的提问才能加入访谈实录。"))
    if question.answered:
        raise ModerationError(_("该提问已加入访谈实录。"))
    page = question.page
    if not page.permissions_for_user(user).can_edit():
        raise ModerationError(_("您没有编辑该访谈页面的权限，不能修改访谈实录。"))
    draft = page.get_latest_revision_as_object()
    draft.transcript.append(
        ("turn", {"kind": SpeakerKind.QUESTION.value, "speaker": question.nickname, "text": question.text})
    )
    draft.save_revision(user=user, log_action=True)
    _decided(question, user, answered=True)


ACTIONS = {
    "screen": (clear_screening, gettext_lazy("甄别通过")),
    "adopt": (adopt, gettext_lazy("采用")),
    "decline": (decline, gettext_lazy("不予采用")),
    "transcript": (add_to_transcript, gettext_lazy("加入访谈实录")),
}
