"""Who may download a document: anyone who may see a live page that uses it, otherwise editors who may use it.

An uploaded file is not public just because it was uploaded: a draft's attachment, or one left over
after its page was unpublished, is served only to editors who may choose or change it in the admin.
Wagtail's reference index records what each saved object links to (document chooser blocks and
rich-text document links alike); a page's database row holds its live content, so a reference from
a live page is a reference its visitors can already see. A live page behind a view restriction
(password, sign-in, groups) lends its documents only to a request that passes that restriction.
"""

from django.contrib.contenttypes.models import ContentType
from django.db.models import CharField
from django.db.models.functions import Cast
from wagtail.documents import get_document_model
from wagtail.models import Page, ReferenceIndex
from wagtail.permissions import policy_registry


def live_pages_using(document):
    live_pages = Page.objects.live().annotate(object_key=Cast("pk", output_field=CharField())).values("object_key")
    keys = ReferenceIndex.get_references_to(document).filter(
        base_content_type=ContentType.objects.get_for_model(Page), object_id__in=live_pages
    )
    return Page.objects.filter(pk__in=[int(key) for key in keys.values_list("object_id", flat=True)])


def seen_by(request, document):
    """True when a live page using the document is public, or its view restrictions accept this request."""
    pages = live_pages_using(document)
    if pages.public().exists():
        return True
    return any(
        all(restriction.accept_request(request) for restriction in page.get_view_restrictions())
        for page in pages.not_public()
    )


def editor_may_use(user, document):
    if not user.is_authenticated:
        return False
    policy = policy_registry.get_by_type(get_document_model())
    return policy.user_has_any_permission_for_instance(user, ["choose", "change"], document)


def may_download(request, document):
    return seen_by(request, document) or editor_may_use(request.user, document)
