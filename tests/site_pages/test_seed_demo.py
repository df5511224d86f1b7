import datetime
import importlib
import io
from unittest import mock

import pytest
from django.apps import apps
from django.core.management import CommandError, call_command
from django.db.models import Q
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone
from wagtail.models import Page, Site, WorkflowPage

from cms.organisation.models import Unit
from disclosure.models import DisclosureItem, PolicyCatalogueEntry
from newmedia import checks, demo_posts, filings, monitoring
from newmedia.models import AccountStatus, ChangeRequest, NewMediaAccount, NewMediaPost
from site_pages.models import ColumnPage, ContentPage, HomePage, InterpretationPage, PolicyDocumentPage
from site_pages.models.base import update_due
from site_pages.models.columns import content_models
from tests.factories import log_in
from tests.newmedia.conftest import TODAY
from workflows import api
from workflows.models import PublicationRecord, UnitTaskState

REGULATION = "安岳县政府网站和政府系统政务新媒体管理办法"
merge_migration = importlib.import_module("disclosure.migrations.0006_merge_policy_duplicates")


def content_count():
    return sum(model.objects.count() for model in content_models())


def latest_update(column):
    latest = column.listing_queryset().first()
    return latest.first_published_at if latest else None


def row_counts():
    return {model._meta.label: model._base_manager.count() for model in apps.get_models()}


def test_seed_demo_twice_creates_nothing_new(demo_county):
    """Every model: a second seed adds no unit, page, account, post, letter or anything else."""
    before = row_counts()
    call_command("seed_demo", stdout=io.StringIO())
    after = row_counts()
    assert {label: (before[label], count) for label, count in after.items() if count != before[label]} == {}


def test_demo_county_has_the_required_units_users_and_pages(demo_county):
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


def test_demo_pages_span_eighteen_months_and_include_the_regulation(demo_county):
    now = timezone.now()
    dates = [p.first_published_at for m in content_models() for p in m.objects.live()]
    recent = [d for d in dates if d >= now - datetime.timedelta(days=550)]
    assert len(recent) >= 40
    assert max(dates) >= now - datetime.timedelta(days=2)
    regulation = PolicyDocumentPage.objects.get(title="安岳县政府网站和政府系统政务新媒体管理办法")
    assert regulation.important and regulation.live_interpretations().exists()
    assert InterpretationPage.objects.filter(policy_documents=regulation).exists()
    assert any(p.is_repost and p.source_organisation for m in content_models() for p in m.objects.all())


def test_demo_has_a_stale_column_and_an_empty_column(demo_county):
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


def test_every_column_and_content_page_has_an_owning_unit(demo_county):
    assert not ColumnPage.objects.filter(owning_unit__isnull=True).exists()
    for model in content_models():
        assert not model.objects.filter(owning_unit__isnull=True).exists()
    assert issubclass(PolicyDocumentPage, ContentPage)


def test_demo_users_can_log_in_with_the_documented_password(demo_county, client):
    from site_pages.demo.structure import DEMO_PASSWORD

    assert client.login(username="sy_info_officer", password=DEMO_PASSWORD)
    assert client.get("/admin/").status_code == 200


def test_demo_units_have_their_own_collections_and_the_emblem_is_shared(demo_county):
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
def test_seed_demo_is_refused_where_demo_users_are_not_allowed(demo_county):
    with pytest.raises(CommandError, match="不允许生成演示数据"):
        call_command("seed_demo")


# ---------------------------------------------------------------- new media


def test_demo_registry_has_every_state_a_duplicate_pair_and_a_stale_account(demo_county):
    accounts = NewMediaAccount.objects.select_related("responsible", "deputy")
    assert accounts.count() == 15
    assert accounts.values("unit").distinct().count() >= 10
    assert accounts.values("platform").distinct().count() >= 6
    assert set(accounts.values_list("status", flat=True)) == set(AccountStatus.values)
    stale = [a.name for a in accounts.filter(status=AccountStatus.ACTIVE) if monitoring.staleness(a) == "stale"]
    assert stale == ["龙台镇政务"]
    wechat = accounts.get(name="石羊镇人民政府")
    assert (wechat.responsible.username, wechat.deputy.username) == ("sy_info_officer", "sy_deputy_head")
    # Only this account has the leaver of the e2e hand-over as responsible or deputy.
    assert accounts.filter(Q(responsible=wechat.responsible) | Q(deputy=wechat.responsible)).count() == 1
    assert checks.registered_problems() == []
    assert [[a.name for a in group] for group in checks.duplicate_accounts()] == [["龙台镇人民政府", "龙台镇政务"]]
    closing = accounts.get(status=AccountStatus.CLOSING)
    assert closing.notice_start <= timezone.localdate() <= closing.notice_end
    assert list(accounts.filter(forced_closure=True).values_list("name", "provincial_notice_count")) == [
        ("安岳发改", 3)
    ]
    assert ChangeRequest.objects.filter(status="pending").count() == 1
    assert filings.filings().count() >= 10
    assert filings.overdue() and len(filings.overdue()) < filings.filings().count()


def test_demo_has_a_stale_account_one_in_warning_and_a_post_in_review(demo_county):
    levels = {
        account.name: monitoring.staleness(account) for account in NewMediaAccount.objects.filter(status="active")
    }
    assert levels["龙台镇政务"] == "stale" and levels["健康安岳"] == "warning"
    assert levels["石羊镇人民政府"] == "ok"
    post = NewMediaPost.objects.get(recorded_outside=False)
    assert api.current_stage(post).stage == "review_1"
    assert NewMediaPost.objects.filter(recorded_outside=True, account__name="健康安岳").count() == 3


def test_demo_day_counts_do_not_depend_on_the_hour_of_seeding(demo_county):
    """The e2e panel reads '20 天未更新'; seeding at 00:30 county time once gave 21."""
    for hour in (0, 1, 12, 23):
        NewMediaPost.objects.all().delete()
        moment = timezone.make_aware(datetime.datetime.combine(TODAY, datetime.time(hour, 30)))
        with mock.patch("django.utils.timezone.now", return_value=moment):
            demo_posts.seed_posts(io.StringIO())
            counts = {
                account.name: monitoring.days_since_post(account)
                for account in NewMediaAccount.objects.filter(name__in=demo_posts.QUIET_ACCOUNTS)
            }
        assert counts == demo_posts.QUIET_ACCOUNTS, hour


# ---------------------------------------------------------------- one record per document


def test_demo_keeps_one_record_per_document(demo_county, client):
    item_titles = set(DisclosureItem.objects.values_list("title", flat=True))
    policy_titles = set(PolicyDocumentPage.objects.values_list("title", flat=True))
    assert item_titles and policy_titles
    named = {merge_migration.document_name(title) for title in policy_titles}
    assert not item_titles & policy_titles
    assert not {merge_migration.document_name(title) for title in item_titles} & named

    live_policies = PolicyDocumentPage.objects.live()
    entries = PolicyCatalogueEntry.objects.filter(page__in=live_policies)
    assert entries.count() == live_policies.count()
    assert not entries.filter(topic__isnull=True).exists()
    regulation = PolicyDocumentPage.objects.get(title=REGULATION)
    assert regulation.catalogue_entry.published_date.year == 2023
    assert regulation.catalogue_entry.index_number.split("/")[1].startswith("2023-")
    assert REGULATION in client.get(regulation.url).content.decode()


# ---------------------------------------------------------------- the review demo


def test_review_demo_shows_each_state_and_is_idempotent(demo_county):
    call_command("seed_review_demo", verbosity=0)
    call_command("seed_review_demo", verbosity=0)

    published = Page.objects.get(slug="review-demo-published")
    assert published.live
    record = PublicationRecord.objects.get(object_id=str(published.pk))
    assert [s["user"] for s in record.stages if s["stage"]] == [
        "石羊镇信息员",
        "石羊镇分管负责人",
        "石羊镇主要负责人",
        "石羊镇排版员",
        "石羊镇股室负责人",
        "石羊镇分管负责人",
    ]
    waiting = Page.objects.get(slug="review-demo-second")
    assert api.current_stage(waiting).stage == "review_2"
    rejected = UnitTaskState.objects.get(status="rejected")
    assert rejected.reasons == ["inaccurate"] and rejected.stage == "review_2"
    graded = WorkflowPage.objects.get(page__url_path__endswith="/zcwj/xzfwj/").workflow
    stages = [t.specific.stage for t in graded.tasks if hasattr(t.specific, "stage")]
    assert stages.index("graded") == stages.index("review_3") + 1
    assert PublicationRecord.objects.count() == 1


# ---------------------------------------------------------------- pages that must never fail


# Whether stored rich text converts for the editor does not depend on the database (133 editor pages).
@pytest.mark.one_database
def test_every_demo_page_opens_in_the_editor(demo_county, client, admin_user, settings, mailoutbox):
    output = io.StringIO()
    call_command("seed_review_demo", stdout=output)
    # The review demo e-mails approvers: the output sums them up, nothing is sent or printed.
    assert "审核通知邮件" in output.getvalue() and "Subject:" not in output.getvalue()
    assert mailoutbox == []
    # E-mailed links and the 审核单 are built from these two, so they name the same host.
    assert Site.objects.get(is_default_site=True).root_url == settings.WAGTAILADMIN_BASE_URL
    log_in(client, admin_user)
    pages = list(Page.objects.filter(depth__gt=1).specific())
    assert any(isinstance(page, ContentPage) for page in pages)
    for page in pages:
        response = client.get(reverse("wagtailadmin_pages:edit", args=(page.pk,)))
        assert response.status_code == 200, page.url_path
