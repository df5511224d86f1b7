"""Builds the demo county's disclosure catalogue: sections, unit catalogues and items with 索引号.

Idempotent: existing pages are kept; only what is missing is created. Like seed_demo, pages are
published directly (revision.publish) rather than through the review workflow, and each item's
first publication time is set before it is published so that its 索引号 carries that year.
Refused unless settings.DEMO_SEED_ALLOWED is true.
"""

import datetime

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone
from wagtail.models import Page

from cms.organisation.models import Membership, Role, Unit
from site_pages.demo import structure
from site_pages.management.commands.seed_demo import body_blocks
from site_pages.models import HomePage

from ... import demo
from ...index_numbers import format_number
from ...models import (
    AnnualReportIndexPage,
    DisclosureCatalogue,
    DisclosureCategory,
    DisclosureItem,
    DisclosureSectionPage,
    DisclosureSettings,
    IndexNumberCounter,
    PolicyCatalogueEntry,
    ProactiveDisclosurePage,
    TopicCategory,
    UnitCataloguePage,
)
from ...models.policy_record import catalogue_policy_document
from ...statutory import DisclosureMode

CATALOGUE_SLUG = "zfxxgk"
# The catalogue sits where the placeholder column was: before 政务服务 in the navigation.
NEXT_COLUMN_SLUG = "zwfw"
PUBLISH_TIME = datetime.time(10, 0)


class Command(BaseCommand):
    help = "创建演示数据：政府信息公开目录、各单位目录和公开信息（可重复运行）。"

    def handle(self, *args, **options):
        if not getattr(settings, "DEMO_SEED_ALLOWED", False):
            raise CommandError("当前环境不允许生成演示数据（DEMO_SEED_ALLOWED 未开启）。")
        home = HomePage.objects.first()
        if home is None:
            raise CommandError("请先运行 seed_demo 创建首页和单位。")
        self.today = timezone.localdate()
        units = {key: Unit.objects.filter(name=name).first() for key, name, *_rest in structure.UNITS}
        missing = [key for key, unit in units.items() if unit is None]
        if missing:
            raise CommandError(f"缺少演示单位：{'、'.join(missing)}，请先运行 seed_demo。")
        with transaction.atomic():
            catalogue = self.seed_catalogue(home, units[structure.SUPERVISED_UNITS_PARENT])
            sections = self.seed_sections(catalogue)
            unit_pages = self.seed_unit_catalogues(sections["fdzdgknr"], units)
            # Before the items, so that the policies' serials can still be given back (see below).
            self.classify_policy_documents()
            created = self.seed_items(unit_pages, units)
        self.stdout.write(self.style.SUCCESS(f"信息公开目录已就绪：新建 {created} 条公开信息。"))

    def publish(self, page):
        page.save_revision().publish()

    def seed_catalogue(self, home, owner):
        catalogue = DisclosureCatalogue.objects.first()
        if catalogue is not None:
            return catalogue
        catalogue = DisclosureCatalogue(
            title="政府信息公开",
            slug=CATALOGUE_SLUG,
            owning_unit=owner,
            update_class="notice_policy",
            show_in_menus=True,
            intro="安岳县人民政府及其部门、乡镇（街道）依法主动公开的政府信息。",
            guide_note="政府信息公开工作机构：安岳县人民政府办公室政务公开股，联系电话：028-24521001。",
        )
        following = Page.objects.child_of(home).filter(slug=NEXT_COLUMN_SLUG).first()
        if following is not None:
            following.add_sibling(pos="left", instance=catalogue)
        else:
            home.add_child(instance=catalogue)
        self.publish(catalogue)
        return catalogue

    def seed_sections(self, catalogue):
        pages = {}
        bodies = {"gkzn": demo.GUIDE_BODY, "gkzd": demo.RULES_BODY, "ysqgk": demo.ON_REQUEST_BODY}
        models = {
            "section": DisclosureSectionPage,
            "proactive": ProactiveDisclosurePage,
            "annual": AnnualReportIndexPage,
        }
        for slug, title, kind, intro in demo.SECTIONS:
            page = Page.objects.child_of(catalogue).filter(slug=slug).specific().first()
            if page is None:
                page = models[kind](title=title, slug=slug, intro=intro, show_in_menus=True)
                if kind == "section":
                    page.body = body_blocks(bodies[slug])
                    page.show_request_links = slug == "ysqgk"
                catalogue.add_child(instance=page)
                self.publish(page)
            pages[slug] = page
        return pages

    def seed_unit_catalogues(self, proactive, units):
        pages = {}
        for key, unit in units.items():
            if unit.kind not in demo.CATALOGUE_UNIT_KINDS:
                continue
            page = UnitCataloguePage.objects.child_of(proactive).filter(owning_unit=unit).first()
            if page is None:
                page = UnitCataloguePage(title=unit.name, slug=key, owning_unit=unit, show_in_menus=True)
                proactive.add_child(instance=page)
                self.publish(page)
            pages[key] = page
        return pages

    def seed_items(self, unit_pages, units):
        categories = {c.name: c for c in DisclosureCategory.objects.all()}
        topics = {t.name: t for t in TopicCategory.objects.all()}
        created = 0
        # Oldest first, so serials follow publication order within each unit and year.
        entries = sorted(demo.ITEMS, key=lambda e: -(e[6] - e[7]))
        for key, slug, title, summary, category, topic, written_ago, delay, number, mode, validity in entries:
            parent = unit_pages[key]
            if Page.objects.child_of(parent).filter(slug=slug).exists():
                continue
            item = self.build(slug, title, summary, categories[category], written_ago)
            item.topic = topics.get(topic)
            item.document_number = number
            item.disclosure_mode = mode
            item.validity = validity
            published = item.written_date + datetime.timedelta(days=delay)
            item.first_published_at = timezone.make_aware(datetime.datetime.combine(published, PUBLISH_TIME))
            parent.add_child(instance=item)
            self.publish(item)
            created += 1
        for key, slug, title, summary, category, written_ago, reason, explanation in demo.WITHHELD:
            parent = unit_pages[key]
            if Page.objects.child_of(parent).filter(slug=slug).exists():
                continue
            item = self.build(slug, title, summary, categories[category], written_ago)
            head = Membership.objects.filter(unit=units[key], role=Role.HEAD).select_related("user").first()
            item.owning_unit = units[key]
            item.record_withholding(head.user, reason, explanation)
            parent.add_child(instance=item)
            self.publish(item)
            created += 1
        for key, slug, title, summary, category, written_ago in demo.DRAFTS:
            parent = unit_pages[key]
            if Page.objects.child_of(parent).filter(slug=slug).exists():
                continue
            item = self.build(slug, title, summary, categories[category], written_ago)
            item.live = False
            parent.add_child(instance=item)
            item.save_revision()
            created += 1
        return created

    def classify_policy_documents(self):
        """Policy pages were catalogued when seed_demo published them; give them their 主题分类."""
        self.renumber_backdated_policies()
        topics = {t.name: t for t in TopicCategory.objects.all()}
        entries = PolicyCatalogueEntry.objects.filter(page__slug__in=demo.POLICY_TOPICS, topic__isnull=True)
        for entry in entries.select_related("page"):
            entry.topic = topics.get(demo.POLICY_TOPICS[entry.page.slug])
            entry.save(update_fields=["topic"])

    def renumber_backdated_policies(self):
        """seed_demo backdates its pages after publishing them, so their 索引号 carry this year.

        Each such number is given back while it is still its counter's last serial (nothing was
        numbered after it), and the page is catalogued again under its backdated first publication.
        """
        entries = PolicyCatalogueEntry.objects.filter(page__slug__in=demo.POLICY_TOPICS).select_related("page")
        backdated = [
            e for e in entries.order_by("-pk") if e.published_date != timezone.localdate(e.page.first_published_at)
        ]
        for entry in backdated:
            page = entry.page
            counter = IndexNumberCounter.objects.get(unit_id=page.owning_unit_id, year=entry.published_date.year)
            pattern = DisclosureSettings.for_page(page).index_number_pattern
            code = page.owning_unit.organisation_code
            if entry.index_number != format_number(pattern, code=code, year=counter.year, serial=counter.last_serial):
                continue
            entry.delete()
            counter.last_serial -= 1
            counter.save(update_fields=["last_serial"])
        for entry in sorted(backdated, key=lambda e: e.page.first_published_at):
            if entry.pk is None:
                catalogue_policy_document(entry.page)

    def build(self, slug, title, summary, category, written_ago):
        return DisclosureItem(
            title=title,
            slug=slug,
            summary=summary,
            category=category,
            written_date=self.today - datetime.timedelta(days=written_ago),
            disclosure_mode=DisclosureMode.PROACTIVE,
            body=body_blocks([{"p": summary}]),
        )
