"""Builds the demo county (安岳县): units, one user per role per unit, the column tree and content.

Idempotent: existing units, users, columns and pages are kept as they are; only what is
missing is created. Refused unless settings.DEMO_SEED_ALLOWED is true (never in production).
"""

import datetime
import json
import uuid
from io import BytesIO
from pathlib import Path
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.core.files.images import ImageFile
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone
from django.utils.html import escape
from wagtail.images import get_image_model
from wagtail.models import Page, Site
from wagtail.rich_text import RichText

from cms.organisation.models import Membership, Unit
from cms.organisation.permissions import public_collection
from cms.organisation.validators import uscc_check_character
from site_pages.demo import services, structure
from site_pages.demo.emblem import emblem_png
from site_pages.demo.interviews import seed_interviews
from site_pages.demo.letters import seed_letter_boards
from site_pages.demo.mail import held_mail
from site_pages.demo.pictures import news_picture_png
from site_pages.demo.surveys import seed_surveys
from site_pages.models import (
    ArticlePage,
    ColumnPage,
    HomePage,
    InterpretationPage,
    NoticePage,
    PolicyDocumentPage,
    PortalSettings,
    ServiceGuidePage,
    ServiceIndexPage,
    SpecialTopicPage,
)

PAGES_FILE = Path(__file__).resolve().parents[2] / "demo" / "pages.json"
PAGE_TYPES = {
    "article": ArticlePage,
    "notice": NoticePage,
    "policy": PolicyDocumentPage,
    "interpretation": InterpretationPage,
}
EMBLEM_TITLE = "安岳县人民政府网站标志"


def body_blocks(blocks):
    """JSON blocks -> StreamField value; consecutive text blocks become one rich-text block."""
    stream, html = [], []
    for block in blocks:
        ((kind, value),) = block.items()
        if kind in ("p", "h2", "h3"):
            html.append(f"<{kind}>{escape(value)}</{kind}>")
            continue
        if html:
            stream.append(("paragraph", RichText("".join(html))))
            html = []
        if kind == "table":
            stream.append(
                (
                    "table",
                    {
                        "data": value["rows"],
                        "first_row_is_table_header": True,
                        "first_col_is_header": False,
                        "table_caption": value.get("caption", ""),
                    },
                )
            )
        else:
            raise CommandError(f"Unknown block type {kind!r} in {PAGES_FILE.name}")
    if html:
        stream.append(("paragraph", RichText("".join(html))))
    return stream


def home_link(label, target, columns):
    """A LinkBlock's raw value: a target starting with "/" or "http" is a URL, anything else a column path."""
    if target.startswith(("/", "http")):
        return {"label": label, "page": None, "url": target}
    return {"label": label, "page": columns[target].pk, "url": ""}


def home_block(kind, value, columns):
    """One raw home block (see structure.HOME_BLOCKS) with column paths turned into page ids."""
    value = dict(value)
    if "column" in value:
        value["column"] = columns[value["column"]].pk
    if "link" in value:
        value["link"] = home_link(*value["link"], columns)
    if "links" in value:
        # A list item without an id is read as a bare value (Wagtail's ListBlock format), and every field is None.
        value["links"] = [
            {"type": "item", "value": home_link(*link, columns), "id": str(uuid.uuid4())} for link in value["links"]
        ]
    return {"type": kind, "value": value}


class Command(BaseCommand):
    help = "创建演示数据：安岳县的单位、演示用户、栏目和信息（可重复运行）。"

    def handle(self, *args, **options):
        if not getattr(settings, "DEMO_SEED_ALLOWED", False):
            raise CommandError("当前环境不允许生成演示数据（DEMO_SEED_ALLOWED 未开启），生产环境不得创建演示用户。")
        self.now = timezone.now()
        with held_mail() as held:
            with transaction.atomic():
                units = self.seed_units()
                self.seed_users(units)
                home = self.seed_home()
                columns = self.seed_columns(home, units)
                created = self.seed_pages(columns, units)
                created += self.seed_service_guides(columns, units)
                created += seed_surveys(columns, units, self.now)
                created += seed_interviews(columns, units, self.now)
                created += seed_letter_boards(columns, units, self.now)
                self.seed_settings(home, columns)
            self.stdout.write(
                self.style.SUCCESS(
                    f"演示数据已就绪：{len(units)} 个单位，{len(columns)} 个栏目，新建 {created} 条信息；"
                    f"站点地址 {settings.WAGTAILADMIN_BASE_URL}。"
                )
            )
            # The disclosure catalogue, the new-media registry and the inspection are their own apps' demo data
            # (site_pages never imports them).
            call_command("seed_disclosure_demo", stdout=self.stdout)
            call_command("seed_request_demo", stdout=self.stdout)
            call_command("seed_newmedia_demo", stdout=self.stdout)
            call_command("seed_leader_demo", stdout=self.stdout)
            # Last: the inspection run inspects everything seeded above, and its bulletin goes under 通知公告.
            call_command("seed_inspection_demo", stdout=self.stdout)
        if held:
            self.stdout.write(f"生成演示数据产生的通知邮件 {len(held)} 封未实际发送。")

    def seed_units(self):
        units = {}
        for key, name, short, kind, code_body in structure.UNITS:
            code = code_body + uscc_check_character(code_body)
            unit, _ = Unit.objects.get_or_create(
                name=name, defaults={"short_name": short, "kind": kind, "organisation_code": code}
            )
            units[key] = unit
        parent = units[structure.SUPERVISED_UNITS_PARENT]
        Unit.objects.filter(pk__in=[u.pk for k, u in units.items() if k != structure.SUPERVISED_UNITS_PARENT]).filter(
            parent__isnull=True
        ).update(parent=parent)
        return units

    def seed_users(self, units):
        User = get_user_model()
        # Hashing is deliberately slow; the demo users share one password, so hash it once.
        password = make_password(structure.DEMO_PASSWORD)
        if not User.objects.filter(username="admin").exists():
            User.objects.create(
                username="admin",
                email="admin@example.invalid",
                password=password,
                first_name="系统管理员",
                is_staff=True,
                is_superuser=True,
            )
        for key, unit in units.items():
            for role in structure.ROLES:
                username = f"{key}_{role}"
                user, _ = User.objects.get_or_create(
                    username=username,
                    defaults={
                        "email": f"{username}@example.invalid",
                        "password": password,
                        "first_name": f"{unit.short_name}{structure.ROLE_NAMES[role]}",
                    },
                )
                Membership.objects.get_or_create(user=user, unit=unit, role=role)

    def seed_home(self):
        site = Site.objects.filter(is_default_site=True).first()
        home = HomePage.objects.first()
        if home is None:
            root = Page.get_first_root_node()
            # Wagtail's placeholder welcome page is not part of the portal (and holds the slug "home").
            Page.objects.child_of(root).filter(
                content_type__app_label="wagtailcore", content_type__model="page", numchild=0
            ).delete()
            home = HomePage(title="首页", slug="home", seo_title=structure.PORTAL_SETTINGS["site_name"])
            root.add_child(instance=home)
            home.save_revision().publish()
        if site is None:
            site = Site(is_default_site=True)
        # Links in notification e-mails and the 审核单 are built from these two: they must name the same host.
        base = urlsplit(settings.WAGTAILADMIN_BASE_URL)
        host, port = base.hostname, base.port or (443 if base.scheme == "https" else 80)
        if (site.root_page_id, site.hostname, site.port) != (home.pk, host, port):
            site.root_page = home
            site.hostname, site.port = host, port
            site.site_name = structure.PORTAL_SETTINGS["site_name"]
            site.save()
        return home

    def seed_columns(self, home, units):
        columns = {}
        for path, title, update_class, owner, lead, in_menu in structure.COLUMNS:
            parent_path, _, slug = path.rpartition("/")
            parent = columns[parent_path] if parent_path else home
            column = ColumnPage.objects.child_of(parent).filter(slug=slug).first()
            if column is None:
                column = ColumnPage(
                    title=title,
                    slug=slug,
                    owning_unit=units[owner],
                    lead_unit=units[lead] if lead else None,
                    update_class=update_class,
                    show_in_menus=in_menu,
                )
                parent.add_child(instance=column)
                column.save_revision().publish()
            columns[path] = column
        for parent_path, slug, title, intro in structure.TOPICS:
            parent = columns[parent_path]
            topic = SpecialTopicPage.objects.child_of(parent).filter(slug=slug).first()
            if topic is None:
                topic = SpecialTopicPage(title=title, slug=slug, intro=intro, show_in_menus=True)
                parent.add_child(instance=topic)
                topic.save_revision().publish()
            columns[f"{parent_path}/{slug}"] = topic
        return columns

    def seed_pages(self, columns, units):
        entries = json.loads(PAGES_FILE.read_text(encoding="utf-8"))
        # Policies first: interpretations link to them.
        entries.sort(key=lambda e: e["type"] == "interpretation")
        created = 0
        for entry in entries:
            column = columns[entry["column"]]
            if Page.objects.child_of(column).filter(slug=entry["slug"]).exists():
                continue
            page = self.build_page(entry, units)
            column.add_child(instance=page)
            revision = page.save_revision()
            revision.publish()
            published = self.entry_time(entry)
            type(page).objects.filter(pk=page.pk).update(
                first_published_at=published, last_published_at=published, latest_revision_created_at=published
            )
            revision.__class__.objects.filter(pk=revision.pk).update(created_at=published)
            created += 1
        return created

    def seed_service_guides(self, columns, units):
        """The 办事指南 column below 政务服务 and its guides; returns how many guides were created."""
        parent = columns[services.INDEX["parent"]]
        index = ServiceIndexPage.objects.child_of(parent).filter(slug=services.INDEX["slug"]).first()
        if index is None:
            index = ServiceIndexPage(
                title=services.INDEX["title"],
                slug=services.INDEX["slug"],
                intro=services.INDEX["intro"],
                owning_unit=parent.owning_unit,
                update_class=parent.update_class,
                show_in_menus=True,
            )
            parent.add_child(instance=index)
            index.save_revision().publish()
        columns[f"{services.INDEX['parent']}/{services.INDEX['slug']}"] = index
        created = 0
        for entry in services.GUIDES:
            department = self.service_listing(index, units[entry["unit"]], entry["unit"])
            if Page.objects.child_of(department).filter(slug=entry["slug"]).exists():
                continue
            fields = {**services.COMMON, **entry}
            unit = units[fields.pop("unit")]
            steps = fields.pop("steps")
            materials = [
                ("material", dict(zip(("name", "copies", "format", "source", "note"), item, strict=True)))
                for item in fields.pop("materials")
            ]
            guide = ServiceGuidePage(
                **fields,
                owning_unit=unit,
                materials=materials,
                body=[("paragraph", RichText("<ol>" + "".join(f"<li>{escape(s)}</li>" for s in steps) + "</ol>"))],
            )
            department.add_child(instance=guide)
            guide.save_revision().publish()
            created += 1
        return created

    def service_listing(self, index, unit, slug):
        """A department's own listing below the county's, so that its editors may edit its guides."""
        listing = ServiceIndexPage.objects.child_of(index).filter(slug=slug).first()
        if listing is None:
            listing = ServiceIndexPage(
                title=unit.name, slug=slug, owning_unit=unit, update_class=index.update_class, show_in_menus=True
            )
            index.add_child(instance=listing)
            listing.save_revision().publish()
        return listing

    def entry_time(self, entry):
        if "published" in entry:
            naive = datetime.datetime.strptime(entry["published"], "%Y-%m-%d %H:%M")
            return timezone.make_aware(naive)
        hour, minute = (int(x) for x in entry.get("time", "09:00").split(":"))
        day = timezone.localdate(self.now) - datetime.timedelta(days=entry["days_ago"])
        return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))

    def build_page(self, entry, units):
        model = PAGE_TYPES[entry["type"]]
        fields = {
            "title": entry["title"],
            "slug": entry["slug"],
            "summary": entry.get("summary", ""),
            "body": body_blocks(entry.get("body", [])),
        }
        if entry.get("repost"):
            fields.update(
                is_repost=True,
                source_organisation=entry["repost"]["organisation"],
                source_url=entry["repost"]["url"],
            )
        if model is PolicyDocumentPage:
            if "written_date" in entry:
                written = datetime.date.fromisoformat(entry["written_date"])
            else:
                written = timezone.localdate(self.now) - datetime.timedelta(days=entry["written_days_ago"])
            fields.update(
                document_number=entry["doc_number"],
                written_date=written,
                issuing_authority=entry["issuer"],
                validity=entry.get("validity", "valid"),
                important=entry.get("important", False),
            )
        if entry.get("owning_unit"):
            fields["owning_unit"] = units[entry["owning_unit"]]
        page = model(**fields)
        if model is InterpretationPage:
            page.policy_documents = list(PolicyDocumentPage.objects.filter(slug__in=entry.get("interprets", [])))
        return page

    def seed_settings(self, home, columns):
        site = Site.objects.get(root_page=home)
        portal = PortalSettings.for_site(site)
        if not portal.site_name:
            for field, value in structure.PORTAL_SETTINGS.items():
                setattr(portal, field, value)
        if portal.emblem_id is None:
            portal.emblem = self.emblem_image()
        portal.save()
        self.seed_news_pictures(columns[structure.NEWS_PICTURES_COLUMN])
        if not home.body:
            home.body = json.dumps([home_block(kind, value, columns) for kind, value in structure.HOME_BLOCKS])
            home.save_revision().publish()

    def seed_news_pictures(self, column):
        """Gives the column's newest articles a picture each, unless one of them has a picture already.

        The cover goes into the row and the live revision directly: publishing again would move the
        articles' publication dates, which the demo sets in the past on purpose."""
        articles = list(ArticlePage.objects.child_of(column).order_by("-first_published_at")[: structure.NEWS_PICTURES])
        if any(article.cover_id for article in articles):
            return
        Image = get_image_model()
        for index, article in enumerate(articles):
            image = Image(title=f"演示新闻图片{index + 1}", collection=public_collection())
            image.file = ImageFile(BytesIO(news_picture_png(index)), name=f"demo-news-{index + 1}.png")
            image.save()
            ArticlePage.objects.filter(pk=article.pk).update(cover=image)
            revision = article.live_revision
            revision.content["cover"] = image.pk
            revision.save(update_fields=["content"])

    def emblem_image(self):
        Image = get_image_model()
        image = Image.objects.filter(title=EMBLEM_TITLE).first()
        if image is None:
            # Every unit's editors may choose it: the portal's emblem belongs to no single unit.
            image = Image(title=EMBLEM_TITLE, collection=public_collection())
            image.file = ImageFile(BytesIO(emblem_png()), name="anyue-emblem.png")
            image.save()
        return image
