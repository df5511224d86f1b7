"""The editor's view of the review: stage, check findings with the exact text, and what can be done next."""

from wagtail.admin.panels import Panel

from cms.organisation.models import Membership, Role

from . import api
from .checks.findings import FILE_SOURCE
from .models import CheckRun, Override


class ReviewStatusPanel(Panel):
    class BoundPanel(Panel.BoundPanel):
        template_name = "workflows/panels/review_status.html"

        def is_shown(self):
            return bool(self.instance and self.instance.pk)

        def get_context_data(self, parent_context=None):
            context = super().get_context_data(parent_context)
            obj = self.instance
            user = self.request.user
            run = api.latest_check_run(obj)
            stage = api.current_stage(obj)
            state = api.active_workflow_state(obj)
            blocking = run.blocking() if run else []
            categories = {f.get("category") for f in blocking}
            # Masking edits text only; personal data in an attachment or image must be replaced by hand.
            maskable = any(f.get("category") == "personal_data" and f.get("source") != FILE_SOURCE for f in blocking)
            is_head = (
                Membership.objects.active()
                .filter(user=user, unit_id=getattr(obj, "owning_unit_id", None), role=Role.HEAD)
                .exists()
            )
            context.update(
                {
                    "run": run,
                    "stage": stage,
                    "workflow_state": state,
                    "object_ref": (obj.get_base_content_type().pk, obj.pk),
                    "can_deidentify": maskable and api.can_edit(obj, user),
                    "can_precheck": api.can_edit(obj, user),
                    "can_override": is_head and bool(categories & {Override.Kind.PERSONAL_DATA, "unlisted_source"}),
                    "overrides": Override.for_object(obj).select_related("user"),
                    "is_superuser": user.is_superuser,
                    "stage_refusal": api.refusal(stage.task_state, user) if stage and stage.role else None,
                    "phase_labels": dict(CheckRun.Phase.choices),
                }
            )
            return context
