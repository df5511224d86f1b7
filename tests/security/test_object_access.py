"""Object access on every admin view of our apps that takes an object id.

The URL resolver is walked, so a view added later is covered by force: a pattern without an entry in
FIXTURES fails here until someone says which object it shows. An info officer of another unit must get
403/404 (or Wagtail's redirect for a refusal) and no text of the object, on GET and on POST.
"""

import datetime
import re
from functools import cached_property

import pytest
from django.contrib import messages
from django.contrib.messages import get_messages
from django.core.files.base import ContentFile
from django.urls import URLResolver, get_resolver, reverse
from django.utils import timezone
from wagtail.admin.viewsets import viewsets
from wagtail.models import Workflow, WorkflowPage, WorkflowTask

from cms.inspection.annual_models import AccountabilityCase
from cms.inspection.runs import InspectionRun
from cms.organisation.models import Membership
from cms.security.models import Handover, TamperFinding
from disclosure.models import CalendarDay, DisclosureCategory, PolicyCatalogueEntry, TopicCategory
from disclosure.statutory import DisclosureMode, WithholdingReason
from newmedia.models import (
    AccountEvent,
    ChangeRequest,
    NewMediaAccount,
    NewMediaPost,
    PlatformException,
    PlatformOption,
)
from newmedia.public import FakeAccountReport
from site_pages.letters import handling
from site_pages.models import ArticlePage, InterviewGuest, InterviewPage, InterviewQuestion, PolicyDocumentPage
from tests.disclosure.test_catalogue import build_catalogue, make_item, unit_catalogue
from tests.disclosure.test_requests_clock import make_request
from tests.factories import log_in, make_column, make_content, member
from tests.site_pages.letters_support import make_board, make_letter
from tests.site_pages.test_surveys import make_survey
from workflows import api
from workflows.lexicon.models import LeaderTitle, LexiconEntry
from workflows.models import (
    AuthoritativeSource,
    PublicationRecord,
    PublicMailboxDomain,
    Stage,
    UnitRoleTask,
    UnitSource,
    UrlShortenerHost,
)

OUR_PACKAGES = {"cms", "workflows", "disclosure", "newmedia", "site_pages"}
# Keyword arguments that name one stored object: pk, id, object_id, task_state_id, page_pk ...
OBJECT_KWARG = re.compile(r"^(pk|id)$|_(id|pk)$")
DENIED_MESSAGES = {"Sorry, you do not have permission to access this area."}

pytestmark = pytest.mark.usefixtures("shared_portal")


# ---------------------------------------------------------------- enumeration


def _ours(module):
    return module.split(".")[0] in OUR_PACKAGES


def _walk(patterns, route="", namespaces=()):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = (*namespaces, pattern.namespace) if pattern.namespace else namespaces
            yield from _walk(pattern.url_patterns, route + str(pattern.pattern), inner)
        else:
            yield route + str(pattern.pattern), namespaces, pattern


def _view_module(callback):
    return (getattr(callback, "view_class", None) or callback).__module__


def _our_viewset_namespaces():
    """Namespaces of the admin viewsets defined in our packages or built for one of our models."""
    names = set()
    for viewset in viewsets.viewsets:
        model = getattr(viewset, "model", None)
        model_is_ours = isinstance(model, type) and _ours(model.__module__)
        if viewset.name and (_ours(type(viewset).__module__) or model_is_ours):
            names.add(viewset.url_namespace)
    return names


def object_patterns():
    """{URL name: (route, kwarg names, innermost namespace)} of our apps' admin patterns taking an object id."""
    patterns = list(_walk(get_resolver().url_patterns))  # loading the URLs registers the viewsets
    our_namespaces = _our_viewset_namespaces()
    found = {}
    for route, namespaces, pattern in patterns:
        kwargs = list(pattern.pattern.regex.groupindex)
        if not route.startswith("admin/") or not any(OBJECT_KWARG.search(k) for k in kwargs):
            continue
        namespace = namespaces[-1] if namespaces else ""
        if _ours(_view_module(pattern.callback)) or namespace in our_namespaces:
            found[":".join((*namespaces, pattern.name or route))] = (route, kwargs, namespace)
    return found


OBJECT_PATTERNS = object_patterns()


# ---------------------------------------------------------------- the objects, one factory per kind


class World:
    """Units A and B, the county office and their portal (made once for the module: tests/conftest.py's
    shared_portal); people are made on first use, so each case pays only for what it needs."""

    def __init__(self, a, b, office, portal):
        self.a, self.b, self.office, self.portal = a, b, office, portal

    @cached_property
    def info_officer(self):
        return member(self.a, "info_officer", username="sy_xxy")

    @cached_property
    def deputy_head(self):
        return member(self.a, "deputy_head", username="sy_fg")

    @cached_property
    def head(self):
        return member(self.a, "head", username="sy_zy")

    @cached_property
    def office_head(self):
        return member(self.office, "head", username="xzfb_zy")

    @cached_property
    def b_head(self):
        return member(self.b, "head", username="lt_zy")

    @cached_property
    def outsider(self):
        """An info officer of unit B: the one the refusals are for."""
        return member(self.b, "info_officer", username="lt_xxy")


@pytest.fixture
def world(township_a, township_b, county_office, portal):
    return World(township_a, township_b, county_office, portal)


def joint_draft(world):
    """An article of unit A in review, co-issued with unit B; its newest revision only exists as a draft."""
    page = make_content(world.portal["a"], title="石羊镇联合发文草稿甲", text="草稿正文：内部安排乙。", publish=False)
    page.co_issuing_units.add(world.b)
    page.save_revision(user=world.info_officer)
    api.submit(page, world.info_officer)
    return page


def content_cases(world):
    page = joint_draft(world)
    # The outsider is in unit B, but is not its head: co-issuing lets only the head read the draft.
    article = {"content_type_id": page.get_base_content_type().pk, "object_id": page.pk}
    catalogue, proactive = build_catalogue(world.portal["home"], world.office)
    item = make_item(
        unit_catalogue(proactive, world.a, "sy"), title="不予公开事项丙", text="内部研究记录丁。", publish=False
    )
    item.record_withholding(world.head, WithholdingReason.PROCESS_INFORMATION, "内部研究过程")
    item.save_revision(user=world.info_officer)
    withheld = {"content_type_id": item.get_base_content_type().pk, "object_id": item.pk}
    return [(article, ["石羊镇联合发文草稿甲", "内部安排乙"]), (withheld, ["不予公开事项丙", "内部研究记录丁"])]


def task_state_cases(world):
    page = joint_draft(world)
    return [({"task_state_id": api.current_stage(page).task_state.pk}, ["石羊镇联合发文草稿甲", "内部安排乙"])]


def publication_record_cases(world):
    column = world.portal["a"]
    record = PublicationRecord.objects.create(
        base_content_type=column.get_base_content_type(),
        object_id=str(column.pk),
        title="石羊镇登记事项戊",
        content_kind="文章",
        unit=world.a,
        unit_name=world.a.name,
        published_at=timezone.now(),
        stages=[{"stage": Stage.REVIEW_1, "user": "审核人己", "comment": "审核意见庚"}],
    )
    return [({"pk": record.pk}, ["石羊镇登记事项戊", "审核意见庚"])]


def disclosure_request_cases(world):
    item = make_request(datetime.date(2026, 11, 2), world.a, name="申请人辛", description="申请公开壬的材料")
    item.reply_document.save("reply.txt", ContentFile("答复书：申请人辛".encode()))
    return [({"pk": item.pk, "action": "archive"}, ["申请人辛", "申请公开壬的材料"])]


def letter_cases(world):
    """A letter of unit A's board with an attachment: unit B's info officer sees neither it nor its writer."""
    letter = make_letter(make_board(world.a, world.portal["a"]), name="写信人丑", content="留言内容寅")
    attachment = letter.attachments.create(file=ContentFile(b"%PDF-1.4", name="a.pdf"), original_name="a.pdf", size=8)
    secrets = ["写信人丑", "留言内容寅", letter.mobile]
    return [({"pk": letter.pk, "action": "accept", "attachment_id": attachment.pk}, secrets)]


def letter_reply_cases(world):
    """A reply of unit A in review (「留言答复审核」): Wagtail's snippet screens for it refuse unit B."""
    letter = make_letter(make_board(world.a, world.portal["a"]), name="写信人卯")
    handling.accept(letter, world.info_officer)
    handling.start(letter, world.info_officer)
    handling.draft_reply(letter, world.info_officer, "答复正文辰")
    reply = letter.reply
    state = api.active_workflow_state(reply)
    revision = api.newest_revision(reply)
    values = {
        "pk": reply.pk,
        "revision_id": revision.pk,
        "revision_id_a": revision.pk,
        "revision_id_b": revision.pk,
        "workflow_state_id": state.pk,
        "task_state_id": state.current_task_state.pk,
        "action_name": "approve",
    }
    return [(values, ["答复正文辰", "写信人卯"])]


def unit_cases(world):
    return [({"pk": world.a.pk}, [world.a.name])]


def membership_cases(world):
    membership = Membership.objects.get(user=world.info_officer)
    return [({"pk": membership.pk}, ["sy_xxy"])]


def tamper_finding_cases(world):
    finding = TamperFinding.objects.create(url="/sy/secret-page/", kind="content", detail="篡改详情癸")
    return [({"pk": finding.pk}, ["篡改详情癸"])]


def handover_cases(world):
    handover = Handover.objects.create(user=world.deputy_head, successor=world.head, reason="调离原因子")
    return [({"pk": handover.pk}, ["调离原因子"])]


def authoritative_source_cases(world):
    return [({"pk": AuthoritativeSource.objects.create(name="来源丑", level="county").pk}, ["来源丑"])]


def public_mailbox_domain_cases(world):
    domain = PublicMailboxDomain.objects.create(domain="youxiang-shen.cn", owner="单位戌")
    return [({"pk": domain.pk}, ["youxiang-shen.cn", "单位戌"])]


def url_shortener_host_cases(world):
    host = UrlShortenerHost.objects.create(domain="duanlian-hai.cn", note="说明亥")
    return [({"pk": host.pk}, ["duanlian-hai.cn", "说明亥"])]


def leader_title_cases(world):
    leader = LeaderTitle.objects.create(name="姓名子丑", title="职务寅卯", rank=1, valid_from=datetime.date(2024, 1, 1))
    return [({"pk": leader.pk}, ["姓名子丑", "职务寅卯"])]


def lexicon_cases(world):
    return [({"pk": LexiconEntry.objects.create(term="词条寅", suggestion="建议卯").pk}, ["词条寅", "建议卯"])]


def calendar_day_cases(world):
    day = CalendarDay.objects.create(date=datetime.date(2031, 1, 1), kind="holiday", name="节日辰")
    return [({"pk": day.pk}, ["节日辰"])]


def disclosure_category_cases(world):
    category = DisclosureCategory.objects.create(name="类别巳", category_list="proactive")
    return [({"pk": category.pk}, ["类别巳"])]


def topic_cases(world):
    return [({"pk": TopicCategory.objects.create(name="主题午").pk}, ["主题午"])]


def policy_entry_cases(world):
    build_catalogue(world.portal["home"], world.office)
    column = make_column(world.portal["home"], "政策文件", world.a, update_class="notice_policy", slug="zcwj")
    page = make_content(
        column,
        model=PolicyDocumentPage,
        title="石羊镇规范性文件酉",
        document_number="石府发〔2026〕9号",
        written_date=timezone.localdate() - datetime.timedelta(days=3),
        issuing_authority="石羊镇人民政府",
    )
    return [({"pk": PolicyCatalogueEntry.objects.get(page=page).pk}, ["石羊镇规范性文件酉"])]


def inspection_run_cases(world):
    code = world.a.organisation_code
    row = {"kind": "tamper", "unit": code, "object": "/sy/", "detail": "检查证据子", "severity": "finding"}
    row.update(rule="规则丑", false_positive=False, key=f"tamper|{code}|/sy/")
    run = InspectionRun.objects.create(quarter="2026Q4", as_of=datetime.date(2026, 12, 1), findings=[row])
    return [({"run_id": run.pk}, ["检查证据子", "规则丑"])]


def accountability_case_cases(world):
    case = AccountabilityCase.objects.create(
        unit=world.a,
        year=2026,
        category="higher_criticism",
        date=datetime.date(2026, 5, 1),
        description="问责说明寅",
        evidence_text="证据说明卯",
    )
    case.evidence_file.save("evidence.txt", ContentFile("证据文件辰".encode()))
    return [({"case_id": case.pk}, ["证据文件辰", "问责说明寅"])]


def newmedia_account_cases(world):
    account = NewMediaAccount.objects.create(platform="wechat", name="石羊镇账号未", unit=world.a)
    return [({"pk": account.pk}, ["石羊镇账号未"])]


def newmedia_action_cases(world):
    account = NewMediaAccount.objects.create(platform="wechat", name="石羊镇账号未", unit=world.a, status="active")
    return [({"pk": account.pk, "action": name}, ["石羊镇账号未"]) for name in ("change", "notice", "closure")]


def newmedia_change_cases(world):
    account = NewMediaAccount.objects.create(platform="weibo", name="石羊镇账号申", unit=world.a, status="active")
    change = ChangeRequest.objects.create(account=account, changes={"name": "石羊镇新名酉"})
    return [({"change_pk": change.pk}, ["石羊镇账号申", "石羊镇新名酉"])]


def newmedia_filing_cases(world):
    account = NewMediaAccount.objects.create(platform="douyin", name="石羊镇账号戌", unit=world.a, status="active")
    event = AccountEvent.objects.create(account=account, kind="activated", filed=True, comment="开通说明亥")
    return [({"event_pk": event.pk}, ["石羊镇账号戌", "开通说明亥"])]


def newmedia_platform_cases(world):
    return [({"pk": PlatformOption.objects.create(name="平台子丑").pk}, ["平台子丑"])]


def newmedia_exception_cases(world):
    exception = PlatformException.objects.create(
        unit=world.a, platform="wechat", document_number="例外文号寅", approved_on=datetime.date(2026, 1, 1)
    )
    return [({"pk": exception.pk}, ["例外文号寅"])]


def newmedia_fake_report_cases(world):
    report = FakeAccountReport.objects.create(
        receipt_number="JB-OBJECT-ACCESS",
        platform="douyin",
        account="假冒账号卯",
        description="举报内容辰",
        contact="举报人电话巳",
        due_on=datetime.date(2026, 12, 10),
    )
    return [({"report_pk": report.pk}, ["假冒账号卯", "举报人电话巳"])]


def newmedia_post_cases(world):
    account = NewMediaAccount.objects.create(platform="toutiao", name="石羊镇账号午", unit=world.a, status="active")
    post = NewMediaPost.objects.create(account=account, title="石羊镇发文辰", text="发文正文巳", live=False)
    revision = post.save_revision(user=world.info_officer)
    state = api.submit(post, world.info_officer)
    values = {
        "pk": post.pk,
        "revision_id": revision.pk,
        "revision_id_a": revision.pk,
        "revision_id_b": revision.pk,
        "workflow_state_id": state.pk,
        "task_state_id": state.current_task_state.pk,
        "action_name": "approve",
    }
    return [(values, ["石羊镇发文辰", "发文正文巳"])]


def survey_cases(world):
    """A survey of unit A with one answer whose text may hold personal data."""
    survey = make_survey(world.portal["a"], title="石羊镇调查卯")
    survey.responses.create(answers={"q-single": "满意", "q-text": "回答人电话辰"}, visitor_key="0" * 64)
    return [({"page_id": survey.pk, "fmt": fmt}, ["石羊镇调查卯", "回答人电话辰"]) for fmt in ("xlsx", "csv")]


def interview_question_cases(world):
    start = timezone.now() + datetime.timedelta(days=2)
    page = InterviewPage(
        title="石羊镇访谈主题寅",
        slug="ft-object-access",
        intro="访谈简介",
        start_at=start,
        end_at=start + datetime.timedelta(hours=1),
        questions_close_at=start - datetime.timedelta(hours=1),
        guests=[InterviewGuest(name="嘉宾辰", position="镇长", unit="石羊镇")],
    )
    world.portal["a"].add_child(instance=page)
    page.save_revision().publish()
    question = InterviewQuestion.objects.create(page=page, nickname="网友巳", text="网友提问卯", mobile="13800000000")
    return [({"page_id": page.pk, "question_pk": question.pk, "action": "adopt"}, ["网友提问卯", "13800000000"])]


def user_cases(world):
    user = world.info_officer
    user.first_name, user.last_name = "申", "酉"
    user.save()
    return [({"pk": user.pk}, ["sy_xxy"])]


def group_cases(world):
    group = world.a.editor_group
    return [({"pk": group.pk}, [group.name])]


# By URL name, or by viewset namespace: every view of one viewset shows the same model.
FIXTURES = {
    "workflows:deidentify": content_cases,
    "workflows:override": content_cases,
    "workflows:consent": content_cases,
    "workflows:emergency_publish": content_cases,
    "workflows:proof_preview": task_state_cases,
    "workflows:precheck": content_cases,
    "workflows:approved": task_state_cases,
    "workflows_register:form": publication_record_cases,
    "workflows_register:form_pdf": publication_record_cases,
    "disclosure_requests_admin:detail": disclosure_request_cases,
    "disclosure_requests_admin:reply_document": disclosure_request_cases,
    "disclosure_requests_admin:action": disclosure_request_cases,
    "site_pages_survey_results": survey_cases,
    "site_pages_survey_export": survey_cases,
    "letters_admin:detail": letter_cases,
    "letters_admin:contact": letter_cases,
    "letters_admin:attachment": letter_cases,
    "letters_admin:action": letter_cases,
    "letter_replies": letter_reply_cases,
    "units": unit_cases,
    "memberships": membership_cases,
    "tamper_findings": tamper_finding_cases,
    "inspection_run": inspection_run_cases,
    "inspection_bulletin_create": inspection_run_cases,
    "inspection_case_evidence": accountability_case_cases,
    "handovers": handover_cases,
    "authoritative-sources": authoritative_source_cases,
    "public-mailbox-domains": public_mailbox_domain_cases,
    "url-shortener-hosts": url_shortener_host_cases,
    "lexicon": lexicon_cases,
    "leader_titles": leader_title_cases,
    "calendar_days": calendar_day_cases,
    "disclosure_categories": disclosure_category_cases,
    "disclosure_topics": topic_cases,
    "disclosure_policy_entries": policy_entry_cases,
    "newmedia_accounts": newmedia_account_cases,
    "newmedia_accounts:action": newmedia_action_cases,
    "newmedia_accounts:approve_change": newmedia_change_cases,
    "newmedia_filings:acknowledge": newmedia_filing_cases,
    "newmedia_platforms": newmedia_platform_cases,
    "newmedia_exceptions": newmedia_exception_cases,
    "newmedia_posts": newmedia_post_cases,
    "newmedia_fake_reports:detail": newmedia_fake_report_cases,
    "site_pages_interviews": interview_question_cases,
    "wagtailusers_users": user_cases,
    "wagtailusers_groups": group_cases,
}


def refused(response):
    """403/404, a redirect to the login, or Wagtail's redirect to the dashboard with its refusal message."""
    if response.status_code in (403, 404):
        return True
    if response.status_code != 302:
        return False
    location = response["Location"]
    if location.startswith(reverse("wagtailadmin_login")):
        return True
    errors = {str(m) for m in get_messages(response.wsgi_request) if m.level == messages.ERROR}
    return location == reverse("wagtailadmin_home") and bool(errors)


def test_every_object_pattern_has_a_fixture():
    assert OBJECT_PATTERNS, "the walk found no admin pattern taking an object id"
    known = set(OBJECT_PATTERNS) | {namespace for _route, _kwargs, namespace in OBJECT_PATTERNS.values()}
    assert set(FIXTURES) <= known, f"fixtures for URLs that no longer exist: {set(FIXTURES) - known}"


@pytest.mark.parametrize("name", sorted(OBJECT_PATTERNS))
def test_editor_of_another_unit_gets_nothing(client, world, name):
    route, kwarg_names, namespace = OBJECT_PATTERNS[name]
    factory = FIXTURES.get(name) or FIXTURES.get(namespace)
    assert factory, f"{name} ({route}) takes an object id but has no fixture here: add one to FIXTURES"
    log_in(client, world.outsider)
    for values, secrets in factory(world):
        missing = [k for k in kwarg_names if k not in values]
        assert not missing, f"the fixture of {name} gives no value for {missing}"
        url = reverse(name, kwargs={k: values[k] for k in kwarg_names})
        answers = {"GET": client.get(url), "POST": client.post(url)}
        for method, response in answers.items():
            # 405: the view does not take this method at all, so it neither shows nor does anything.
            assert refused(response) or response.status_code == 405, f"{method} {url}: {response.status_code}"
            body = b"".join(response) if response.streaming else response.content
            for secret in secrets:
                assert secret.encode() not in body, f"{method} {url} shows {secret}"
        assert any(refused(response) for response in answers.values()), f"{url} takes neither GET nor POST"


# ---------------------------------------------------------------- the legitimate readers still get in


@pytest.fixture
def graded_column(world):
    """Unit A's column reviewed by the county office's head only: a reviewer who is no member of unit A."""
    task = UnitRoleTask.objects.create(
        name="分级审核（测试）", stage=Stage.GRADED, role="head", unit_source=UnitSource.SUPERVISOR
    )
    workflow = Workflow.objects.create(name="分级审核测试流程")
    WorkflowTask.objects.create(workflow=workflow, task=task, sort_order=0)
    WorkflowPage.objects.update_or_create(page=world.portal["a"], defaults={"workflow": workflow})
    return world.portal["a"]


def _url(name, page):
    return reverse(name, args=[page.get_base_content_type().pk, page.pk])


@pytest.mark.parametrize("who", ["info_officer", "office_head", "b_head"])
@pytest.mark.parametrize("name", ["workflows:consent", "workflows:override"])
def test_editor_reviewer_and_co_issuing_head_read_the_draft(client, world, graded_column, who, name):
    page = joint_draft(world)
    assert api.current_stage(page).unit == world.office
    log_in(client, getattr(world, who))
    response = client.get(_url(name, page))
    assert response.status_code == 200
    assert "石羊镇联合发文草稿甲" in response.content.decode()


@pytest.mark.parametrize("who", ["info_officer", "office_head"])
def test_editor_and_reviewer_open_deidentify(client, world, graded_column, who):
    page = joint_draft(world)
    log_in(client, getattr(world, who))
    assert client.get(_url("workflows:deidentify", page)).status_code == 200


def test_co_issuing_head_may_not_deidentify(client, world):
    """De-identifying saves a new revision: reading the draft for 会签 is not editing it."""
    page = joint_draft(world)
    log_in(client, world.b_head)
    assert refused(client.get(_url("workflows:deidentify", page)))


def test_proof_preview_for_the_stage_reviewer(client, world, graded_column):
    page = joint_draft(world)
    state = api.current_stage(page).task_state
    log_in(client, world.office_head)
    response = client.get(reverse("workflows:proof_preview", args=[state.pk]))
    assert response.status_code == 200
    assert "石羊镇联合发文草稿甲" in response.content.decode()


def test_head_of_a_unit_that_no_longer_co_issues_is_refused(client, world):
    """The co-issuing units are read from the newest revision, not from the page's row."""
    page = joint_draft(world)
    draft = api.newest_revision(page).as_object()
    draft.co_issuing_units = []
    draft.save_revision(user=world.info_officer)
    log_in(client, world.b_head)
    assert client.get(_url("workflows:consent", page)).status_code == 404


def test_withheld_draft_only_for_those_who_may_edit(world, monkeypatch):
    """不予公开: even the head of a co-issuing unit does not read it."""
    from workflows import access

    page = joint_draft(world)
    assert access.can_view_draft(page, world.b_head)
    monkeypatch.setattr(ArticlePage, "is_withheld", True, raising=False)
    assert not access.can_view_draft(page, world.b_head)
    assert access.can_view_draft(page, world.info_officer)


def test_unknown_or_malformed_ids_are_404(client, world):
    log_in(client, world.info_officer)
    page = joint_draft(world)
    ct = page.get_base_content_type().pk
    for args in ((ct, "not-a-number"), (ct, 999999), (999999, page.pk)):
        assert client.get(reverse("workflows:consent", args=args)).status_code == 404


def test_withheld_item_mode_is_read_from_the_model(world):
    catalogue, proactive = build_catalogue(world.portal["home"], world.office)
    item = make_item(unit_catalogue(proactive, world.a, "sy"), publish=False)
    assert not item.is_withheld
    item.disclosure_mode = DisclosureMode.WITHHELD
    assert item.is_withheld


def test_register_record_closes_with_the_unit(client, world):
    """A deactivated unit's staff lose its pages (their unit group goes); its 审核单 must go with them."""
    record = publication_record_cases(world)[0][0]["pk"]
    url = reverse("workflows_register:form", args=[record])
    Membership.objects.create(user=world.info_officer, unit=world.b, role="info_officer")  # still staff elsewhere
    log_in(client, world.info_officer)
    assert client.get(url).status_code == 200
    world.a.active = False
    world.a.save()
    for name in ("workflows_register:form", "workflows_register:form_pdf"):
        assert refused(client.get(reverse(name, args=[record])))
