"""Each unit's documents and images live in its own collection; a file no live page uses is not public."""

import io

import pytest
from django.apps import apps
from django.contrib.auth.models import Permission
from django.core.files.base import ContentFile
from django.core.files.images import ImageFile
from django.urls import reverse
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Collection, GroupCollectionPermission, ReferenceIndex
from wagtail.rich_text import RichText

from cms.organisation.permissions import PUBLIC_COLLECTION_NAME, public_collection
from tests.factories import UnitFactory, log_in, make_content
from tests.security.test_uploads import PDF, png_bytes

pytestmark = pytest.mark.usefixtures("shared_portal")

Document = get_document_model()
Image = get_image_model()


def document(collection, title):
    doc = Document(title=title, collection=collection)
    doc.file.save(f"{title}.pdf", ContentFile(PDF), save=False)
    doc.save()
    return doc


def image(collection, title):
    img = Image(title=title, collection=collection)
    img.file = ImageFile(io.BytesIO(png_bytes()), name=f"{title}.png")
    img.save()
    return img


def serve_url(doc):
    return reverse("wagtaildocs_serve", args=(doc.pk, doc.filename))


def attachment_body(doc):
    return [("attachment", {"document": doc, "title": ""})]


def rich_text_link_body(doc):
    return [("paragraph", RichText(f'<p>见<a linktype="document" id="{doc.pk}">附件</a></p>'))]


@pytest.fixture
def files(township_a, township_b):
    township_a.refresh_from_db()
    township_b.refresh_from_db()
    return {
        "doc_a": document(township_a.collection, "石羊镇附件"),
        "image_a": image(township_a.collection, "石羊镇图片"),
        "doc_public": document(public_collection(), "公共附件"),
        "image_public": image(public_collection(), "公共图片"),
    }


def test_a_new_unit_gets_its_own_collection_and_the_public_one(db):
    unit = UnitFactory(name="安岳县测试局")
    unit.refresh_from_db()
    assert unit.collection.name == "安岳县测试局"
    assert unit.collection.get_parent().depth == 1
    grants = GroupCollectionPermission.objects.filter(group=unit.editor_group)
    own = set(grants.filter(collection=unit.collection).values_list("permission__codename", flat=True))
    assert own == {"add_document", "change_document", "choose_document", "add_image", "change_image", "choose_image"}
    public = set(grants.filter(collection__name=PUBLIC_COLLECTION_NAME).values_list("permission__codename", flat=True))
    assert public == {"choose_document", "choose_image"}
    assert not grants.exclude(collection__in=[unit.collection, public_collection()]).exists()


def test_renaming_a_unit_renames_its_collection(township_a):
    township_a.name = "安岳县石羊镇人民政府（更名）"
    township_a.save()
    township_a.refresh_from_db()
    assert township_a.collection.name == "安岳县石羊镇人民政府（更名）"


def test_data_migration_gives_existing_units_collections_and_takes_back_root_grants(township_a):
    from importlib import import_module

    migration = import_module("cms.organisation.migrations.0003_unit_collections")
    old = township_a.collection
    type(township_a).objects.filter(pk=township_a.pk).update(collection=None)
    old.delete()
    root = Collection.get_first_root_node()
    GroupCollectionPermission.objects.create(
        group=township_a.editor_group, collection=root, permission=Permission.objects.get(codename="choose_document")
    )
    migration.forwards(apps, None)
    township_a.refresh_from_db()
    assert township_a.collection.name == township_a.name
    assert township_a.collection.get_parent() == root
    assert not GroupCollectionPermission.objects.filter(group=township_a.editor_group, collection=root).exists()
    assert GroupCollectionPermission.objects.filter(
        group=township_a.editor_group, collection=township_a.collection, permission__codename="add_document"
    ).exists()
    assert all(not problem for problem in Collection.find_problems())


@pytest.mark.parametrize("chooser", ["wagtaildocs_chooser:choose", "wagtailimages_chooser:choose"])
def test_choosers_offer_only_own_and_public_files(client, files, editor_a, editor_b, chooser):
    log_in(client, editor_b)
    body = client.get(reverse(chooser)).json()["html"]
    assert "石羊镇" not in body
    assert "公共" in body
    log_in(client, editor_a)
    body = client.get(reverse(chooser)).json()["html"]
    assert "石羊镇" in body and "公共" in body


@pytest.mark.parametrize(("key", "edit"), [("doc_a", "wagtaildocs:edit"), ("image_a", "wagtailimages:edit")])
def test_other_units_cannot_open_the_edit_screen(client, files, editor_a, editor_b, key, edit):
    url = reverse(edit, args=(files[key].pk,))
    log_in(client, editor_b)
    assert client.get(url).status_code in (302, 403)
    log_in(client, editor_a)
    assert client.get(url).status_code == 200


@pytest.mark.parametrize(
    ("index", "title"), [("wagtaildocs:index", "石羊镇附件"), ("wagtailimages:index", "石羊镇图片")]
)
def test_other_units_do_not_see_the_files_in_the_library(client, files, editor_b, index, title):
    log_in(client, editor_b)
    assert title not in client.get(reverse(index)).content.decode()


def test_an_upload_lands_in_the_units_collection(client, files, township_a, editor_a):
    log_in(client, editor_a)
    assert "安岳县龙台镇人民政府测试" not in client.get(reverse("wagtaildocs:add")).content.decode()
    upload = ContentFile(PDF, name="tongzhi.pdf")
    response = client.post(reverse("wagtaildocs:add"), {"title": "上传的通知", "file": upload})
    assert response.status_code == 302
    assert Document.objects.get(title="上传的通知").collection == township_a.collection


def test_document_no_live_page_uses_is_not_public(client, files):
    response = client.get(serve_url(files["doc_a"]))
    assert response.status_code == 404


@pytest.mark.parametrize("body", [attachment_body, rich_text_link_body], ids=["attachment_block", "rich_text_link"])
def test_document_linked_from_a_live_page_is_public(client, portal, files, body):
    doc = files["doc_a"]
    page = make_content(portal["a"], title="附件测试")
    page.body = body(doc)
    page.save_revision().publish()
    assert ReferenceIndex.get_references_to(doc).exists()
    assert client.get(serve_url(doc)).status_code == 200


def test_document_used_only_by_a_draft_is_not_public(client, portal, files):
    doc = files["doc_a"]
    page = make_content(portal["a"], title="草稿附件", publish=False)
    page.body = attachment_body(doc)
    page.save()
    page.save_revision()
    assert client.get(serve_url(doc)).status_code == 404


def test_document_of_an_unpublished_page_stops_being_served(client, portal, files):
    doc = files["doc_a"]
    page = make_content(portal["a"], title="撤稿附件")
    page.body = attachment_body(doc)
    page.save_revision().publish()
    assert client.get(serve_url(doc)).status_code == 200
    page.unpublish()
    assert client.get(serve_url(doc)).status_code == 404


def test_the_units_editors_may_open_an_unused_document(client, files, editor_a, editor_b):
    log_in(client, editor_a)
    assert client.get(serve_url(files["doc_a"])).status_code == 200
    log_in(client, editor_b)
    assert client.get(serve_url(files["doc_a"])).status_code == 404
