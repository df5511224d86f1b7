import secrets

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminPageForm


class PortalPageForm(WagtailAdminPageForm):
    """Chinese titles give no ASCII slug, so a blank slug becomes a dated identifier (t20261126_3fa9c2)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "slug" in self.fields:
            self.fields["slug"].required = False
            self.fields["slug"].help_text = _("网址中的页面标识，留空则自动生成。")

    def clean_slug(self):
        slug = (self.cleaned_data.get("slug") or "").strip()
        if slug:
            return slug
        if self.instance.slug:
            return self.instance.slug
        return f"t{timezone.localdate():%Y%m%d}_{secrets.token_hex(3)}"


class ColumnPageForm(PortalPageForm):
    def clean(self):
        cleaned = super().clean()
        if "owning_unit" in self.fields and not cleaned.get("owning_unit"):
            parent = self.parent_page.specific if self.parent_page else None
            if getattr(parent, "owning_unit_id", None) is None:
                self.add_error("owning_unit", _("一级栏目必须指定所属单位。"))
        return cleaned


class InterpretationPageForm(PortalPageForm):
    def clean(self):
        cleaned = super().clean()
        if "policy_documents" in self.fields and not cleaned.get("policy_documents"):
            self.add_error("policy_documents", _("政策解读必须关联至少一份被解读的政策文件。"))
        return cleaned
