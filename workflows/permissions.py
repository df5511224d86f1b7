"""No bypass: nobody publishes a page from the editor, the page listing, a revision or a copy.

Publishing happens only when the last stage of 三审三校 approves (`workflows.finish`) or through a
superuser's recorded emergency publication. Unpublishing is for the owning unit's head.
"""

from wagtail.permission_policies import ModelPermissionPolicy

from cms.organisation.models import Role, user_has_role
from cms.organisation.permissions import UnitPagePermissionTester


class ReviewedPagePermissionTester(UnitPagePermissionTester):
    def can_publish(self):
        return False

    def can_publish_subpage(self):
        return False

    def can_unpublish(self):
        if not self.user.is_active or not self.page.live or self.page_is_root or self.page_locked():
            return False
        return self.user.is_superuser or user_has_role(self.user, getattr(self.page, "owning_unit_id", None), Role.HEAD)


class ReviewedModelPermissionPolicy(ModelPermissionPolicy):
    """For workflow-enabled snippets: the model's publish permission is never honoured."""

    def user_has_permission(self, user, action):
        if action == "publish":
            return False
        return super().user_has_permission(user, action)
