"""词库管理 in the admin menu: a Wagtail ModelViewSet with import and export views.

ModelViewSet (as for units in cms.organisation) gives the universal listing with filters and
search, history, and Django model permissions: view/add/change/delete of 词条 are granted to
groups like any other model permission.
"""

from django.urls import path
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.viewsets.model import ModelViewSet

from .leaders_admin import LeaderTitleViewSet
from .models import LexiconEntry
from .views import ExportView, ImportView, LexiconIndexView


class LexiconEntryViewSet(ModelViewSet):
    model = LexiconEntry
    icon = "glasses"
    menu_label = _("词库管理")
    menu_name = "lexicon"
    menu_order = 260
    add_to_admin_menu = True
    index_view_class = LexiconIndexView
    list_display = ["term", "category", "severity", "suggestion", "active", "updated_at"]
    list_filter = ["category", "severity", "active"]
    search_fields = ["term", "suggestion", "whitelist", "note"]
    form_fields = ["term", "category", "severity", "suggestion", "whitelist", "context_rules", "active", "note"]
    copy_view_enabled = False

    def get_index_view_kwargs(self, **kwargs):
        return super().get_index_view_kwargs(
            import_url_name=self.get_url_name("import"), export_url_name=self.get_url_name("export"), **kwargs
        )

    @property
    def import_view(self):
        return self.construct_view(ImportView, import_url_name=self.get_url_name("import"))

    @property
    def export_view(self):
        return self.construct_view(ExportView)

    def get_urlpatterns(self):
        return super().get_urlpatterns() + [
            path("import/", self.import_view, name="import"),
            path("export/", self.export_view, name="export"),
        ]


@hooks.register("register_admin_viewset")
def register_lexicon_viewset():
    return LexiconEntryViewSet("lexicon")


@hooks.register("register_admin_viewset")
def register_leader_title_viewset():
    return LeaderTitleViewSet("leader_titles")
