import datetime
import io

import pytest
from django.core.management import CommandError, call_command
from django.db import transaction
from django.test import override_settings
from django.utils import timezone
from wagtail.models import Page

from cms.organisation.models import Membership, Unit
from site_pages.models import ColumnPage, ContentPage, HomePage, InterpretationPage, PolicyDocumentPage
from site_pages.models.base import update_due
from site_pages.models.columns import content_models


def content_count():
    return sum(model.objects.count() for model in content_models())


def latest_update(column):
    latest = column.listing_queryset().first()
    return latest.first_published_at if latest else None


@pytest.fixture(scope="module")
def seeded_once(django_db_setup, django_db_blocker):
    """Seed once for the module inside a transaction that is rolled back afterwards (seeding takes seconds)."""
    with django_db_blocker.unblock():
        with transaction.atomic():
            call_command("seed_demo", stdout=io.StringIO())
            yield
            transaction.set_rollback(True)


@pytest.fixture
def seeded(seeded_once, db):
    return None


def test_seed_demo_twice_creates_nothing_new(seeded):
    counts = (Unit.objects.count(), Membership.objects.count(), Page.objects.count(), content_count())
    call_command("seed_demo", stdout=io.StringIO())
    assert (Unit.objects.count(), Membership.objects.count(), Page.objects.count(), content_count()) == counts


def test_demo_county_has_the_required_units_users_and_pages(seeded):
    kinds = set(Unit.objects.values_list("kind", flat=True))
    assert {"supervisor", "operator", "cyberspace", "department", "township"} <= kinds
    assert Unit.objects.filter(kind="department").count() >= 4
    assert Unit.objects.filter(kind__in=["township", "subdistrict"]).count() >= 3
    for unit in Unit.objects.all():
        assert set(unit.memberships.values_list("role", flat=True)) == {
            "info_officer",
            "typesetter",
            "section_chief",
            "deputy_head",
            "head",
        }
    assert content_count() >= 40
    assert HomePage.objects.count() == 1


def test_demo_pages_span_eighteen_months_and_include_the_regulation(seeded):
    now = timezone.now()
    dates = [p.first_published_at for m in content_models() for p in m.objects.live()]
    recent = [d for d in dates if d >= now - datetime.timedelta(days=550)]
    assert len(recent) >= 40
    assert max(dates) >= now - datetime.timedelta(days=2)
    regulation = PolicyDocumentPage.objects.get(title="安岳县政府网站和政府系统政务新媒体管理办法")
    assert regulation.important and regulation.live_interpretations().exists()
    assert InterpretationPage.objects.filter(policy_documents=regulation).exists()
    assert any(p.is_repost and p.source_organisation for m in content_models() for p in m.objects.all())


def test_demo_has_a_stale_column_and_an_empty_column(seeded):
    today = timezone.now()
    stale, empty = [], []
    for column in ColumnPage.objects.live():
        if column.get_children().type(ColumnPage).exists():
            continue
        latest = latest_update(column)
        if latest is None:
            empty.append(column.title)
        elif update_due(column.update_class, latest) < today:
            stale.append(column.title)
    assert "在线访谈" in empty
    assert "农业农村动态" in stale


def test_every_column_and_content_page_has_an_owning_unit(seeded):
    assert not ColumnPage.objects.filter(owning_unit__isnull=True).exists()
    for model in content_models():
        assert not model.objects.filter(owning_unit__isnull=True).exists()
    assert issubclass(PolicyDocumentPage, ContentPage)


def test_demo_users_can_log_in_with_the_documented_password(seeded, client):
    from site_pages.demo.structure import DEMO_PASSWORD

    assert client.login(username="sy_info_officer", password=DEMO_PASSWORD)
    assert client.get("/admin/").status_code == 200


def test_demo_units_have_their_own_collections_and_the_emblem_is_shared(seeded):
    from wagtail.images import get_image_model
    from wagtail.models import GroupCollectionPermission

    from cms.organisation.permissions import PUBLIC_COLLECTION_NAME
    from site_pages.management.commands.seed_demo import EMBLEM_TITLE

    for unit in Unit.objects.select_related("collection"):
        assert unit.collection.name == unit.name
        collections = set(
            GroupCollectionPermission.objects.filter(group=unit.editor_group).values_list("collection__name", flat=True)
        )
        assert collections == {unit.name, PUBLIC_COLLECTION_NAME}
    assert get_image_model().objects.get(title=EMBLEM_TITLE).collection.name == PUBLIC_COLLECTION_NAME


@override_settings(DEMO_SEED_ALLOWED=False)
def test_seed_demo_is_refused_where_demo_users_are_not_allowed(db):
    with pytest.raises(CommandError, match="不允许生成演示数据"):
        call_command("seed_demo")
