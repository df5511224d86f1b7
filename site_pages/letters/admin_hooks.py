"""The 留言办理 admin URLs and its item in the 互动交流 menu group (imported by site_pages.wagtail_hooks)."""

from functools import wraps

from django.contrib import messages
from django.contrib.admin.utils import unquote
from django.contrib.auth import get_user_model
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import URLPattern, include, path, reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from ..models.letter_replies import MessageReply
from . import access, admin_views
from .statistics_hooks import INTERACTION_MENU_HOOK

admin_urls = (
    [
        path("", admin_views.LetterIndexView.as_view(), name="index"),
        path("<int:pk>/", admin_views.LetterDetailView.as_view(), name="detail"),
        path("<int:pk>/contact/", admin_views.ContactView.as_view(), name="contact"),
        path("<int:pk>/attachments/<int:attachment_id>/", admin_views.AttachmentView.as_view(), name="attachment"),
        path("<int:pk>/<str:action>/", admin_views.LetterActionView.as_view(), name="action"),
    ],
    "letters_admin",
)


@hooks.register("register_admin_urls")
def register_letter_urls():
    return [path("letters/", include(admin_urls))]


class LetterMenuItem(MenuItem):
    def is_shown(self, request):
        return access.has_any_access(request.user)


@hooks.register(INTERACTION_MENU_HOOK)
def register_letter_menu_item():
    return LetterMenuItem(_("留言办理"), reverse("letters_admin:index"), name="letters", icon_name="mail", order=100)


# A reply is created only by handling.draft_reply and published only by the head's final approval, which is what
# records the approver and closes the letter: through these screens nobody, superusers included, writes one.
REFUSED_ACTIONS = frozenset({"add", "change", "delete", "publish", "unpublish"})


class ReplyPermissionPolicy(ModelPermissionPolicy):
    def user_has_permission(self, user, action):
        return action not in REFUSED_ACTIONS and super().user_has_permission(user, action)

    def users_with_any_permission(self, actions):
        allowed = [action for action in actions if action not in REFUSED_ACTIONS]
        return super().users_with_any_permission(allowed) if allowed else get_user_model().objects.none()


register_permission_policy(MessageReply, ReplyPermissionPolicy(MessageReply))


def reply_on_letter_page(request, pk=None, **kwargs):
    """Stands in for the snippet screens that would create, edit, revert, unpublish or delete a reply: whatever
    the method, nothing changes and the user is sent to the letter's page, where replies are handled."""
    messages.info(request, gettext("留言答复只能在留言页面起草，经办理单位主要负责人审核通过后发布。"))
    if pk is None:
        return redirect("letters_admin:index")
    reply = get_object_or_404(MessageReply, pk=unquote(str(pk)))
    return redirect("letters_admin:detail", pk=reply.message_id)


class ReplyURLFinder:
    """A reply's admin address is its letter's page, where it is drafted and signed off: the dashboard's 待您审核
    links the head there (Wagtail would link the snippet editor, and only for users holding "change")."""

    def __init__(self, user=None):
        self.user = user

    def get_edit_url(self, instance):
        if self.user is not None and not access.letters_for(self.user).filter(pk=instance.message_id).exists():
            return None
        return reverse("letters_admin:detail", args=[instance.message_id])


class ReplyViewSet(SnippetViewSet):
    """Wagtail's workflow screens (the dashboard's 待我审核, the review dialog) address a reviewed snippet through
    its viewset, so it exists; its listing, history and review actions stay, its writing screens do not."""

    model = MessageReply
    icon = "mail"
    menu_label = _("留言答复")
    add_to_admin_menu = False
    url_prefix = "letters/replies"
    admin_url_namespace = "letter_replies"
    copy_view_enabled = False
    list_display = ["message", "live"]
    url_finder_class = ReplyURLFinder

    add_view = edit_view = delete_view = revisions_revert_view = revisions_unschedule_view = unpublish_view = property(
        lambda self: reply_on_letter_page
    )

    def register_chooser_viewset(self):
        """No chooser: nothing links to a reply."""

    def get_queryset(self, request):
        return MessageReply.objects.filter(message__in=access.letters_for(request.user))

    def get_urlpatterns(self):
        return [
            URLPattern(pattern.pattern, only_visible(pattern.callback), pattern.default_args, pattern.name)
            for pattern in super().get_urlpatterns()
        ]


def only_visible(view):
    """404 for a reply whose letter the user may not see, before any of Wagtail's snippet views runs."""

    @wraps(view)
    def guarded(request, *args, **kwargs):
        pk = kwargs.get("pk")
        if pk is not None:
            pk = unquote(str(pk))
            letters = access.letters_for(request.user)
            if not pk.isdigit() or not MessageReply.objects.filter(pk=int(pk), message__in=letters).exists():
                raise Http404
        return view(request, *args, **kwargs)

    return guarded


register_snippet(ReplyViewSet)
