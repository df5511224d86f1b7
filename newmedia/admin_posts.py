"""Posts (发文) in the admin: reviewed posts as a workflow snippet, outside posts recorded or imported, and the
update-monitoring panel on the admin home.

A unit sees and edits the posts of its own accounts only (``newmedia.access``); every view taking a post's id
answers 404 for any other post. Publishing is never a permission: only the last stage of 三审三校 publishes.
"""

from functools import wraps

from django import forms
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.db.models import F
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import URLPattern, path, reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import FormView
from wagtail.admin import messages
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel, ObjectList
from wagtail.admin.ui.components import Component
from wagtail.admin.ui.tables import BooleanColumn, Column, TitleColumn
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.widgets.button import Button
from wagtail.permissions import register_permission_policy
from wagtail.snippets.views.snippets import IndexView, SnippetViewSet

from workflows.permissions import ReviewedModelPermissionPolicy

from . import access, monitoring
from .models import AccountStatus, NewMediaPost

OUTSIDE_STATUSES = (AccountStatus.ACTIVE, AccountStatus.CLOSING)


def visible_posts(user):
    return NewMediaPost.objects.filter(account__in=access.visible_accounts(user))


def editable_posts(user):
    return NewMediaPost.objects.filter(account__in=access.editable_accounts(user))


class PostPermissionPolicy(ReviewedModelPermissionPolicy):
    """Memberships give the rights, as for the accounts; publishing stays with the workflow."""

    def user_has_permission(self, user, action):
        if action == "publish":
            return False
        if super().user_has_permission(user, action):
            return True
        if action == "view":
            return access.reads_all(user) or access.is_member(user)
        if action in ("add", "change", "lock", "unlock"):
            return access.keeps_all(user) or access.keeps_own(user)
        return False

    def user_has_permission_for_instance(self, user, action, instance):
        if action == "publish":
            return False
        if action == "view":
            return visible_posts(user).filter(pk=instance.pk).exists()
        if action in ("change", "lock", "unlock"):
            return editable_posts(user).filter(pk=instance.pk).exists()
        return super().user_has_permission_for_instance(user, action, instance)

    def instances_user_has_any_permission_for(self, user, actions):
        if "view" in actions:
            return visible_posts(user)
        return editable_posts(user)


register_permission_policy(NewMediaPost, PostPermissionPolicy(NewMediaPost))


class PostForm(WagtailAdminModelForm):
    def __init__(self, *args, for_user=None, **kwargs):
        super().__init__(*args, for_user=for_user, **kwargs)
        if for_user is not None and "account" in self.fields:
            self.fields["account"].queryset = access.editable_accounts(for_user).filter(status=AccountStatus.ACTIVE)


def only_visible(view):
    """404 for a post the user may not see, before any of Wagtail's snippet views runs."""

    @wraps(view)
    def guarded(request, *args, **kwargs):
        pk = kwargs.get("pk")
        if pk is not None:
            pk = unquote(str(pk))
            if not pk.isdigit() or not visible_posts(request.user).filter(pk=int(pk)).exists():
                raise Http404
        return view(request, *args, **kwargs)

    return guarded


class PostFormView(WagtailAdminTemplateMixin, FormView):
    template_name = "newmedia/admin/post_form.html"
    header_icon = "globe"

    def dispatch(self, request, *args, **kwargs):
        if not (access.keeps_all(request.user) or access.keeps_own(request.user)):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_breadcrumbs_items(self):
        return [
            {"url": reverse("wagtailadmin_home"), "label": _("首页")},
            {"url": reverse("newmedia_posts:list"), "label": _("政务新媒体发文")},
            {"url": "", "label": self.get_page_title()},
        ]


class OutsidePostForm(forms.Form):
    account = forms.ModelChoiceField(label=gettext_lazy("发布账号"), queryset=None)
    title = forms.CharField(label=gettext_lazy("标题"), max_length=200)
    url = forms.URLField(
        label=gettext_lazy("平台发布链接"), max_length=500, assume_scheme="https", validators=[monitoring.validate_url]
    )
    published_at = forms.DateTimeField(
        label=gettext_lazy("发布时间"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["account"].queryset = access.editable_accounts(user).filter(status__in=OUTSIDE_STATUSES)

    def clean(self):
        cleaned = super().clean()
        if (
            cleaned.get("account")
            and cleaned.get("url")
            and monitoring.already_recorded(cleaned["account"], cleaned["url"])
        ):
            self.add_error("url", _("该链接已登记过。"))
        return cleaned

    def clean_published_at(self):
        value = self.cleaned_data["published_at"]
        if value > timezone.now():
            raise forms.ValidationError(_("发布时间不能晚于当前时间。"))
        return value


class OutsidePostView(PostFormView):
    """登记系统外发文: a post the unit published on the platform directly."""

    form_class = OutsidePostForm
    page_title = gettext_lazy("登记系统外发文")

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user}

    def form_valid(self, form):
        data = form.cleaned_data
        monitoring.record_outside_post(
            data["account"], self.request.user, url=data["url"], published_at=data["published_at"], title=data["title"]
        )
        messages.success(self.request, _("已登记“%(title)s”。") % {"title": data["title"]})
        return redirect(reverse("newmedia_posts:list"))


class ImportForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("CSV 文件"),
        help_text=gettext_lazy("UTF-8 编码，表头为：账号、标题、链接、发布时间；账号重名时写成“平台：名称”。"),
    )


class ImportPostsView(PostFormView):
    """导入系统外发文 from CSV: all rows or none; errors by line number."""

    form_class = ImportForm
    page_title = gettext_lazy("导入系统外发文")

    def form_valid(self, form):
        result = monitoring.import_posts(form.cleaned_data["file"].read(), self.request.user)
        if not result.ok:
            return self.render_to_response(self.get_context_data(form=form, errors=result.errors))
        messages.success(self.request, _("已导入 %(count)s 条发文。") % {"count": result.created})
        return redirect(reverse("newmedia_posts:list"))


class PlatformUrlForm(forms.ModelForm):
    class Meta:
        model = NewMediaPost
        fields = ["platform_url"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["platform_url"].required = True
        self.fields["platform_url"].validators.append(monitoring.validate_url)


class PlatformUrlView(PostFormView):
    """登记平台链接: where a published post went out; the post's reviewed content is untouched."""

    form_class = PlatformUrlForm
    page_title = gettext_lazy("登记平台发布链接")

    def dispatch(self, request, *args, pk, **kwargs):
        self.post_object = get_object_or_404(editable_posts(request.user).filter(live=True), pk=pk)
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "instance": self.post_object}

    def get_context_data(self, **kwargs):
        return super().get_context_data(post=self.post_object, **kwargs)

    def form_valid(self, form):
        NewMediaPost.objects.filter(pk=self.post_object.pk).update(platform_url=form.cleaned_data["platform_url"])
        messages.success(self.request, _("已登记平台发布链接。"))
        return redirect(reverse("newmedia_posts:list"))


class PostIndexView(IndexView):
    @cached_property
    def header_more_buttons(self):
        buttons = list(super().header_more_buttons)
        if access.keeps_all(self.request.user) or access.keeps_own(self.request.user):
            buttons.append(
                Button(_("登记系统外发文"), url=reverse("newmedia_posts:outside"), icon_name="plus", priority=40)
            )
            buttons.append(
                Button(_("导入系统外发文"), url=reverse("newmedia_posts:import"), icon_name="upload", priority=50)
            )
        return buttons


def platform_link(post):
    """The platform address, or for a published post still without one, where to record it."""
    if post.platform_url:
        return post.platform_url
    return _("待登记") if post.live else "-"


def platform_url_form(post):
    return reverse("newmedia_posts:platform_url", args=[post.pk]) if post.live else None


class PostViewSet(SnippetViewSet):
    model = NewMediaPost
    icon = "doc-full"
    menu_label = gettext_lazy("发文")
    url_prefix = "newmedia/posts"
    admin_url_namespace = "newmedia_posts"
    index_view_class = PostIndexView
    copy_view_enabled = False
    list_display = [
        "title",
        Column("account", label=gettext_lazy("发布账号")),
        Column("published_at", label=gettext_lazy("发布时间")),
        TitleColumn(
            "platform_url", label=gettext_lazy("平台发布链接"), accessor=platform_link, get_url=platform_url_form
        ),
        BooleanColumn("recorded_outside", label=gettext_lazy("系统外发布")),
    ]
    list_filter = ["account", "recorded_outside"]
    search_fields = ["title"]
    edit_handler = ObjectList(
        [
            FieldPanel("account"),
            FieldPanel("title"),
            FieldPanel("text"),
            FieldPanel("images"),
            MultiFieldPanel(
                [
                    FieldPanel("is_repost"),
                    FieldRowPanel([FieldPanel("source_organisation"), FieldPanel("source_url")]),
                ],
                heading=gettext_lazy("来源"),
            ),
        ],
        base_form_class=PostForm,
    )

    def register_chooser_viewset(self):
        """No chooser: nothing links to a post, and a chooser would list every unit's posts by id."""

    def get_queryset(self, request):
        # Drafts and posts in review (not yet published) first, then the newest publications.
        return (
            visible_posts(request.user)
            .select_related("account", "account__unit")
            .order_by(F("published_at").desc(nulls_first=True), "-pk")
        )

    def get_urlpatterns(self):
        patterns = [
            URLPattern(pattern.pattern, only_visible(pattern.callback), pattern.default_args, pattern.name)
            for pattern in super().get_urlpatterns()
        ]
        return patterns + [
            path("outside/", OutsidePostView.as_view(), name="outside"),
            path("import/", ImportPostsView.as_view(), name="import"),
            path("platform-url/<int:pk>/", PlatformUrlView.as_view(), name="platform_url"),
        ]


class StalenessPanel(Component):
    """更新监测: the user's accounts in warning or stale, on the admin home."""

    name = "newmedia_staleness"
    template_name = "newmedia/admin/staleness_panel.html"
    order = 95

    def __init__(self, rows):
        self.rows = rows

    def get_context_data(self, parent_context):
        return {"rows": self.rows, "warning_days": monitoring.warning_days(), "stale_days": monitoring.stale_days()}


def staleness_panel(user):
    """The panel for a member of a unit (its own accounts) or of the offices (all); None when all is well."""
    if not (access.reads_all(user) or access.is_member(user)):
        return None
    rows = monitoring.attention(access.visible_accounts(user))
    return StalenessPanel(rows) if rows else None
