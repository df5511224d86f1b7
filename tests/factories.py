"""Factories shared by the suites: units, users with roles, and a small portal tree."""

import factory
from django.contrib.auth import get_user_model
from django.utils.html import escape
from wagtail.models import Page, Site
from wagtail.rich_text import RichText

from cms.organisation.models import Membership, Unit
from cms.organisation.validators import uscc_check_character
from site_pages.models import ArticlePage, ColumnPage, HomePage

PASSWORD = "Test-passw0rd!"  # noqa: S105


def uscc(n):
    body = f"11512021MB{n:07d}"
    return body + uscc_check_character(body)


class UnitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Unit

    name = factory.Sequence(lambda n: f"测试{n}镇人民政府")
    short_name = factory.Sequence(lambda n: f"测试{n}镇")
    kind = "township"
    organisation_code = factory.Sequence(uscc)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.invalid")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def save_password(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    unit = factory.SubFactory(UnitFactory)
    role = "info_officer"


def member(unit, role="info_officer", **user_fields):
    """A user holding `role` in `unit`."""
    return MembershipFactory(unit=unit, role=role, user=UserFactory(**user_fields)).user


def make_home():
    """The portal's home page as the default site's root, like seed_demo does."""
    root = Page.get_first_root_node()
    home = HomePage(title="首页", slug="home-test")
    root.add_child(instance=home)
    home.save_revision().publish()
    site = Site.objects.get(is_default_site=True)
    site.root_page = home
    site.save()
    return home


def make_column(parent, title, unit, update_class="news", slug=None):
    column = ColumnPage(
        title=title,
        slug=slug or f"col-{Page.objects.count()}",
        owning_unit=unit,
        update_class=update_class,
        show_in_menus=True,
    )
    parent.add_child(instance=column)
    column.save_revision().publish()
    return column


def paragraph(text):
    return [("paragraph", RichText(f"<p>{escape(text)}</p>"))]


def make_content(column, model=ArticlePage, title="测试信息", text="正文", publish=True, **fields):
    page = model(
        title=title, slug=fields.pop("slug", f"page-{Page.objects.count()}"), body=paragraph(text), live=False, **fields
    )
    column.add_child(instance=page)
    revision = page.save_revision()
    if publish:
        revision.publish()
        page.refresh_from_db()
    return page


def log_in(client, user):
    """Signs ``user`` in as the real login would: with a verified second factor when they must use one.

    The session holds the device the way ``django_otp.login`` stores it after a correct code, so the
    admin's two-factor middleware is exercised rather than bypassed. (django-otp's ``user_logged_in``
    handler cannot do it here: ``force_login``'s stand-in request has no ``user``.)
    """
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from cms.security import twofactor

    device = None
    if twofactor.requires_two_factor(user) or twofactor.has_device(user):
        device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
        if device is None:
            device = TOTPDevice.objects.create(user=user, name=twofactor.TOTP_DEVICE_NAME, confirmed=True)
    client.force_login(user)
    if device is not None:
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()
    return client
