"""Give existing units their own collection and the shared public one, and take back the root grants.

Until now every unit group could add and choose documents and images in the root collection, so
every editor saw every unit's files. Historical models have no tree methods, so children of the
root are appended by hand the way django-treebeard's materialised path numbers them.
"""

from django.db import migrations

ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
STEPLEN = 4
PUBLIC_COLLECTION_NAME = "公共资源"
UNIT_GRANTS = ("add_image", "change_image", "choose_image", "add_document", "change_document", "choose_document")
PUBLIC_GRANTS = ("choose_image", "choose_document")


def step(number):
    digits = ""
    while number:
        number, rest = divmod(number, len(ALPHABET))
        digits = ALPHABET[rest] + digits
    return digits.rjust(STEPLEN, "0")


def add_child(Collection, root, name):
    children = Collection.objects.filter(path__startswith=root.path, depth=root.depth + 1)
    last = children.order_by("-path").values_list("path", flat=True).first()
    position = int(last[-STEPLEN:], len(ALPHABET)) + 1 if last else 1
    child = Collection.objects.create(name=name, path=root.path + step(position), depth=root.depth + 1, numchild=0)
    Collection.objects.filter(pk=root.pk).update(numchild=children.count())
    return child


def forwards(apps, schema_editor):
    Unit = apps.get_model("organisation", "Unit")
    Collection = apps.get_model("wagtailcore", "Collection")
    GroupCollectionPermission = apps.get_model("wagtailcore", "GroupCollectionPermission")
    Permission = apps.get_model("auth", "Permission")
    units = list(Unit.objects.order_by("pk"))
    root = Collection.objects.filter(depth=1).order_by("path").first()
    if not units or root is None:
        return
    public = Collection.objects.filter(path__startswith=root.path, depth=2, name=PUBLIC_COLLECTION_NAME).first()
    public = public or add_child(Collection, root, PUBLIC_COLLECTION_NAME)
    permissions = {
        p.codename: p for p in Permission.objects.filter(content_type__app_label__in=("wagtaildocs", "wagtailimages"))
    }
    for unit in units:
        if unit.collection_id is None:
            unit.collection = add_child(Collection, root, unit.name)
            unit.save(update_fields=["collection"])
        if unit.editor_group_id is None:
            continue
        GroupCollectionPermission.objects.filter(group_id=unit.editor_group_id).exclude(
            collection_id__in=(unit.collection_id, public.pk)
        ).delete()
        for collection_id, codenames in ((unit.collection_id, UNIT_GRANTS), (public.pk, PUBLIC_GRANTS)):
            for codename in codenames:
                if codename in permissions:
                    GroupCollectionPermission.objects.get_or_create(
                        group_id=unit.editor_group_id, collection_id=collection_id, permission=permissions[codename]
                    )


class Migration(migrations.Migration):
    dependencies = [
        ("organisation", "0002_unit_collection"),
        ("wagtaildocs", "0014_alter_document_file_size"),
        ("wagtailimages", "0027_image_description"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
