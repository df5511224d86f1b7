"""设置 › 工作流: Wagtail's workflow editor, refusing a workflow without an independent sign-off stage.

Wagtail offers no hook for the workflow form, so cms/urls.py routes the create and edit addresses here
ahead of Wagtail's own; the views are Wagtail's, with a task formset that validates the task list.
"""

from django import forms
from wagtail.admin.forms.workflows import get_workflow_edit_handler
from wagtail.admin.views import workflows

from .independence import workflow_tasks_refusal

TASKS_RELATION = "workflow_tasks"


def workflow_form_class():
    """Wagtail's workflow form, whose task formset refuses a task list without a sign-off stage."""
    base = get_workflow_edit_handler().get_form_class()
    base_formset = base.formsets[TASKS_RELATION]

    class SignOffTasksFormSet(base_formset):
        def clean(self):
            super().clean()
            if any(self.errors):
                return
            tasks = [
                form.cleaned_data["task"]
                for form in self.forms
                if form.cleaned_data.get("task") is not None and not self._should_delete_form(form)
            ]
            refusal = workflow_tasks_refusal(tasks)
            if refusal:
                raise forms.ValidationError(refusal, code="no_sign_off")

    form_class = type("SignOffWorkflowForm", (base,), {})
    # ClusterForm's metaclass rebuilds `formsets` for each class, so the formset is swapped in afterwards.
    form_class.formsets = {**form_class.formsets, TASKS_RELATION: SignOffTasksFormSet}
    return form_class


class SignOffFormMixin:
    def get_form_class(self):
        self.get_edit_handler()
        return workflow_form_class()


class Create(SignOffFormMixin, workflows.Create):
    pass


class Edit(SignOffFormMixin, workflows.Edit):
    pass
