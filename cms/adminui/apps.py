from django.apps import AppConfig
from django.utils.text import capfirst


class AdminUIConfig(AppConfig):
    """The admin as our staff meet it: the county's name and emblem, Chinese defaults, our editor guide."""

    name = "cms.adminui"
    label = "adminui"
    verbose_name = "后台界面"

    def ready(self):
        from wagtail.models import Site
        from wagtail.sites.views import IndexView

        # Wagtail labels these columns from the attribute name ("Port", "Site name"), a plain string no
        # catalogue can translate; the model fields' verbose names are translated.
        for column in IndexView.columns:
            if column.label == capfirst(column.name.replace("_", " ")):
                column.label = capfirst(Site._meta.get_field(column.name).verbose_name)
