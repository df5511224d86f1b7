"""转载: content that reposts names its source; the workflow checks that the source is authoritative (api.py)."""

from django.utils.translation import gettext_lazy as _


class RepostSourceMixin:
    """For models with ``is_repost``, ``source_organisation`` and ``source_url``: one rule for pages and posts."""

    def repost_source_errors(self):
        """Field errors of a repost without its source, or of a source on original content."""
        errors = {}
        if self.is_repost:
            if not self.source_organisation.strip():
                errors["source_organisation"] = _("转载信息必须填写来源单位。")
            if not self.source_url.strip():
                errors["source_url"] = _("转载信息必须填写原文链接。")
        elif self.source_organisation.strip() or self.source_url.strip():
            errors["is_repost"] = _("填写了来源单位或原文链接，请勾选“转载”；原创信息请清空来源。")
        return errors

    def get_repost_source(self):
        """(来源单位, 原文链接) for the workflow's authoritative-source check, or None for original content."""
        return (self.source_organisation.strip(), self.source_url.strip()) if self.is_repost else None
