"""Forms for the approve/reject modal of a review stage (Wagtail's workflow action view)."""

from django import forms
from django.utils.translation import gettext_lazy as _
from wagtail.models import TaskState

from .models import RejectionReason, checklist_labels


class ReviewActionForm(forms.Form):
    # Not named task_state: Wagtail passes the cleaned data to on_action() beside its own task_state argument.
    reviewed_state = forms.IntegerField(widget=forms.HiddenInput)
    comment = forms.CharField(label=_("审核意见"), required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def state_and_object(self):
        from .api import specific

        state = TaskState.objects.filter(pk=self.cleaned_data.get("reviewed_state")).first()
        if state is None:
            return None, None
        state = state.specific
        return state, specific(state.workflow_state.content_object)

    def clean_reviewed_state(self):
        value = self.cleaned_data["reviewed_state"]
        if not TaskState.objects.filter(pk=value, status=TaskState.STATUS_IN_PROGRESS).exists():
            raise forms.ValidationError(_("该环节已办理完毕或已撤回，请刷新页面。"))
        return value


class ApproveForm(ReviewActionForm):
    checked = forms.MultipleChoiceField(
        label=_("审核要点"), required=False, widget=forms.CheckboxSelectMultiple, choices=()
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["checked"].choices = list(checklist_labels().items())

    def clean(self):
        from .api import approval_problems

        cleaned = super().clean()
        if self.errors:
            return cleaned
        state, obj = self.state_and_object()
        for problem in approval_problems(state, obj, cleaned.get("checked", [])):
            self.add_error(None, problem)
        return cleaned


class RejectForm(ReviewActionForm):
    reasons = forms.MultipleChoiceField(
        label=_("退回理由"),
        choices=RejectionReason.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("退回须至少选择一项退回理由。")},
    )
    comment = forms.CharField(
        label=_("修改意见"),
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("退回须填写具体修改意见。")},
    )

    def clean_comment(self):
        comment = self.cleaned_data["comment"].strip()
        if not comment:
            raise forms.ValidationError(_("退回须填写具体修改意见。"))
        return comment
