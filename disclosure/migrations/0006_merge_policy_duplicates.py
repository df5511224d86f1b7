"""One record per policy document: catalogue items that duplicate a policy page become its entry.

A 公开信息 item and a 政策文件 page are the same document when they carry the same 文号, or when
they name the same document (a notice 关于印发《X》的通知 names X) and belong to the same unit;
each side must match exactly one of the other, otherwise nothing is merged. The merged item's
索引号, category, topic and publication date move to the page's catalogue entry, its old address
redirects to the page, and the item page is removed. An item is kept (beside the page) whenever
removing it could lose something: it is not live, not proactively disclosed, has attachments,
or has a body that says more than its summary. Live policy pages that are not merged keep their
place in the catalogue by receiving a 索引号 here, under the same rules as at publication.
"""

import json
import re
from collections import defaultdict

from django.db import migrations
from django.utils import timezone

NOTICE_OF_ISSUE = re.compile(r"关于印发《([^《》]+)》的通知$")
DOC_NUMBER_YEAR = re.compile(r"[\[\(（［【〔]\s*(\d{4})\s*[\]\)）］】〕]")
TAGS = re.compile(r"<[^>]+>")
DEFAULT_POLICY_CATEGORY = "行政法规、规章和规范性文件"
DEFAULT_PATTERN = "{code}/{year}-{serial:05d}"


def document_number(value):
    return DOC_NUMBER_YEAR.sub(r"〔\1〕", (value or "").strip())


def document_name(title):
    title = (title or "").strip()
    found = NOTICE_OF_ISSUE.search(title)
    return found.group(1).strip() if found else title


def stream(value):
    if not value:
        return []
    return json.loads(value) if isinstance(value, str) else list(value.raw_data)


def body_repeats_summary(item):
    texts = []
    for block in stream(item.body):
        if block.get("type") != "paragraph":
            return False
        texts.append(TAGS.sub("", block.get("value") or "").strip())
    return "".join(texts) in ("", item.summary.strip())


def removable(item):
    return (
        item.live
        and item.disclosure_mode == "proactive"
        and not stream(item.attachments)
        and body_repeats_summary(item)
    )


def matches(items, pages):
    """{item: page} pairs that match one to one, by 文号 first and then by name within a unit."""
    keys = (
        lambda record: ("number", document_number(record.document_number)) if record.document_number else None,
        lambda record: ("name", record.owning_unit_id, document_name(record.title)),
    )
    pairs = {}
    for key in keys:
        by_item, by_page = defaultdict(list), defaultdict(list)
        for item in items:
            if item.pk not in pairs and key(item):
                by_item[key(item)].append(item)
        taken = {page.pk for page in pairs.values()}
        for page in pages:
            if page.pk not in taken and key(page):
                by_page[key(page)].append(page)
        for value, found in by_item.items():
            candidates = by_page.get(value, [])
            if len(found) == 1 and len(candidates) == 1:
                pairs[found[0].pk] = candidates[0]
    return pairs


def relative_paths(apps, url_path):
    Site = apps.get_model("wagtailcore", "Site")
    for site in Site.objects.select_related("root_page"):
        root = site.root_page.url_path
        if url_path.startswith(root):
            yield site, "/" + url_path[len(root) :].strip("/")


def remove_item(apps, item, page):
    Page = apps.get_model("wagtailcore", "Page")
    Redirect = apps.get_model("wagtailredirects", "Redirect")
    for site, path in relative_paths(apps, item.url_path):
        Redirect.objects.get_or_create(
            old_path=path, site=site, defaults={"redirect_page_id": page.pk, "is_permanent": True}
        )
    # Historical models have no tree API: Wagtail's paths grow by four characters a level.
    parent_path = item.path[:-4]
    Page.objects.filter(pk=item.pk).delete()
    parent = Page.objects.get(path=parent_path)
    parent.numchild = Page.objects.filter(path__startswith=parent_path, depth=parent.depth + 1).count()
    parent.save(update_fields=["numchild"])


def next_number(apps, page, year, pattern, taken):
    Counter = apps.get_model("disclosure", "IndexNumberCounter")
    code = page.owning_unit.organisation_code
    counter, _created = Counter.objects.get_or_create(unit_id=page.owning_unit_id, year=year)
    while True:
        counter.last_serial += 1
        number = pattern.format(code=code, year=year, serial=counter.last_serial)
        if number not in taken:
            counter.save(update_fields=["last_serial"])
            taken.add(number)
            return number


def merge(apps, schema_editor):
    DisclosureItem = apps.get_model("disclosure", "DisclosureItem")
    DisclosureCategory = apps.get_model("disclosure", "DisclosureCategory")
    DisclosureSettings = apps.get_model("disclosure", "DisclosureSettings")
    Entry = apps.get_model("disclosure", "PolicyCatalogueEntry")
    PolicyDocumentPage = apps.get_model("site_pages", "PolicyDocumentPage")

    pages = list(PolicyDocumentPage.objects.filter(catalogue_entry__isnull=True).select_related("owning_unit"))
    items = list(DisclosureItem.objects.exclude(index_number=""))
    for item_pk, page in matches(items, pages).items():
        item = next(i for i in items if i.pk == item_pk)
        if not removable(item):
            continue
        Entry.objects.create(
            page=page,
            index_number=item.index_number,
            published_date=item.published_date,
            category_id=item.category_id,
            topic_id=item.topic_id,
        )
        remove_item(apps, item, page)

    category = DisclosureCategory.objects.filter(name=DEFAULT_POLICY_CATEGORY).order_by("pk").first()
    if category is None:
        return
    settings = DisclosureSettings.objects.order_by("pk").first()
    pattern = settings.index_number_pattern if settings else DEFAULT_PATTERN
    taken = set(DisclosureItem.objects.exclude(index_number="").values_list("index_number", flat=True))
    taken.update(Entry.objects.values_list("index_number", flat=True))
    unnumbered = (
        PolicyDocumentPage.objects.filter(live=True, catalogue_entry__isnull=True, owning_unit__isnull=False)
        .select_related("owning_unit")
        .order_by("first_published_at", "pk")
    )
    for page in unnumbered:
        published = timezone.localdate(page.first_published_at or timezone.now())
        Entry.objects.create(
            page=page,
            index_number=next_number(apps, page, published.year, pattern, taken),
            published_date=published,
            category=category,
        )


class Migration(migrations.Migration):
    dependencies = [
        ("disclosure", "0005_policy_catalogue_entry"),
        ("wagtailredirects", "0008_add_verbose_name_plural"),
    ]

    operations = [migrations.RunPython(merge, migrations.RunPython.noop)]
