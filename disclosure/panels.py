"""Editor panel of a disclosure item: when it must be published and whether that date may still move."""

from wagtail.admin.panels import Panel


class DueStatusPanel(Panel):
    class BoundPanel(Panel.BoundPanel):
        template_name = "disclosure/admin/panels/due_status.html"

        def is_shown(self):
            return bool(getattr(self.instance, "written_date", None))

        def get_context_data(self, parent_context=None):
            from .models import DisclosureSettings

            context = super().get_context_data(parent_context)
            settings = DisclosureSettings.for_request(self.request)
            context["status"] = self.instance.due_status(warning_days=settings.warning_working_days)
            context["item"] = self.instance
            return context
