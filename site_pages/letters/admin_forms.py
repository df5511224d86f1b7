"""The forms of the handling steps on a letter's admin page (one per step; see admin_views.ACTIONS)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from cms.organisation.models import Unit
from workflows.models import ACKNOWLEDGE_KEY, ACKNOWLEDGE_LABEL, CHECKLISTS, RejectionReason, Stage

from ..models.letters import RefusalReason

TEXTAREA = forms.Textarea(attrs={"rows": 4})


class CommentForm(forms.Form):
    comment = forms.CharField(label=_("说明"), required=False, max_length=2000, widget=TEXTAREA)


class RefuseForm(forms.Form):
    reason = forms.ChoiceField(
        label=_("不予受理理由（写信人可见）"),
        choices=RefusalReason.choices,
        error_messages={"required": _("请选择理由。")},
    )
    note = forms.CharField(label=_("补充说明（写信人可见）"), required=False, max_length=2000, widget=TEXTAREA)


class TransferForm(forms.Form):
    unit = forms.ModelChoiceField(
        label=_("办理单位"),
        queryset=Unit.objects.active(),
        error_messages={"required": _("请选择办理单位。"), "invalid_choice": _("请选择一个启用中的办理单位。")},
    )
    comment = forms.CharField(
        label=_("转办说明（改派时必填改派理由）"), required=False, max_length=2000, widget=TEXTAREA
    )


class TextForm(forms.Form):
    text = forms.CharField(
        label=_("内容"), max_length=5000, widget=TEXTAREA, error_messages={"required": _("请填写内容。")}
    )


class ReplyForm(forms.Form):
    text = forms.CharField(
        label=_("答复内容"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 8}),
        error_messages={"required": _("请填写答复内容。")},
    )


class ApproveForm(forms.Form):
    checked = forms.MultipleChoiceField(
        label=_("审核要点（逐项确认）"),
        choices=[*CHECKLISTS[Stage.REVIEW_3], (ACKNOWLEDGE_KEY, ACKNOWLEDGE_LABEL)],
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    comment = forms.CharField(label=_("审核意见"), required=False, max_length=2000, widget=TEXTAREA)


class SendBackForm(forms.Form):
    reasons = forms.MultipleChoiceField(
        label=_("退回理由"),
        choices=RejectionReason.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("请至少选择一项退回理由。")},
    )
    comment = forms.CharField(
        label=_("退回意见"), max_length=2000, widget=TEXTAREA, error_messages={"required": _("请填写退回意见。")}
    )
