"""Admin forms of the catalogue: the item editor (withholding is the head's decision) and categories."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm

from cms.organisation.models import Role, UnitKind, user_has_role
from site_pages.forms import PortalPageForm

from .models.taxonomy import DisclosureCategory, TopicCategory
from .statutory import DisclosureMode


class DisclosureItemForm(PortalPageForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Retired categories stay selectable only on the items that already use them.
        for name, model in (("category", DisclosureCategory), ("topic", TopicCategory)):
            if name in self.fields:
                current = getattr(self.instance, f"{name}_id", None)
                self.fields[name].queryset = model.objects.filter(active=True) | model.objects.filter(pk=current)

    def owning_unit_id(self):
        if self.instance.owning_unit_id:
            return self.instance.owning_unit_id
        parent = self.parent_page.specific if getattr(self, "parent_page", None) else None
        return getattr(parent, "owning_unit_id", None)

    def clean(self):
        cleaned = super().clean()
        mode = cleaned.get("disclosure_mode")
        reason = cleaned.get("withholding_reason") or ""
        explanation = cleaned.get("withholding_explanation") or ""
        item = self.instance
        if mode != DisclosureMode.WITHHELD:
            if reason:
                self.add_error("withholding_reason", _("公开方式不是“不予公开”时不填写不予公开理由，请清空。"))
            item.withholding_recorded_by = None
            item.withholding_recorded_at = None
            return cleaned
        if not reason:
            self.add_error("withholding_reason", _("不予公开须选择《政府信息公开条例》规定的理由。"))
            return cleaned
        decided = (item.disclosure_mode, item.withholding_reason, item.withholding_explanation)
        if item.withholding_recorded_by_id and decided == (mode, reason, explanation):
            return cleaned  # the head's recorded decision is unchanged
        if not user_has_role(self.for_user, self.owning_unit_id(), Role.HEAD):
            self.add_error(
                "disclosure_mode",
                _("只有本单位主要负责人可以决定不予公开或修改不予公开理由；请改为其他公开方式，或请主要负责人办理。"),
            )
            return cleaned
        # Set before model validation (which runs after clean) so that it sees the head's decision.
        item.withholding_recorded_by = self.for_user
        item.withholding_recorded_at = timezone.now()
        return cleaned


class DisclosureCategoryForm(WagtailAdminModelForm):
    required_unit_kinds = forms.MultipleChoiceField(
        label=_("须公开的单位类型"),
        choices=UnitKind.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("哪些类型的单位必须在本类别下主动公开信息。"),
    )
