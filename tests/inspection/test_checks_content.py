"""Content re-scan: today's lexicon and personal-data rules over content published before them."""

import datetime

import pytest

from cms.inspection.checks import content
from cms.inspection.findings import InspectionContext
from newmedia.models import NewMediaAccount, NewMediaPost
from tests.factories import make_content, member
from workflows.lexicon.models import LexiconEntry
from workflows.models import Override

AS_OF = datetime.date(2026, 12, 3)
ID_NUMBER = "11010519491231002X"

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("shared_portal")]


def run(function, unit_code=None):
    return list(function(InspectionContext(as_of=AS_OF, unit_code=unit_code)))


def test_a_term_added_today_is_found_in_old_pages(portal, township_a, township_b):
    page = make_content(portal["a"], title="石羊镇招商推介", text="欢迎投资，这里是演示禁用词的所在地。")
    make_content(portal["b"], title="龙台镇动态", text="龙台镇召开工作会议。")
    assert run(content.content_pages) == []
    LexiconEntry.objects.create(term="演示禁用词", category="custom", severity="block")
    LexiconEntry.objects.create(term="所在地", category="wording", severity="warn", suggestion="所在区域")
    found = run(content.content_pages)
    assert [(f.kind, f.severity, f.unit) for f in found] == [
        ("content_flagged", "finding", township_a.organisation_code),
        ("content_flagged", "warning", township_a.organisation_code),
    ]
    assert found[0].object == f"{page.full_url}#custom"
    assert "《石羊镇招商推介》自定义：“演示禁用词”" in found[0].detail and "共 1 处" in found[0].detail
    assert "规范表述" in found[1].detail and found[1].rule == "内容复查（规范表述）"
    assert run(content.content_pages, township_b.organisation_code) == []


def test_personal_data_is_reported_masked(portal, township_a):
    make_content(portal["a"], title="公示名单", text=f"张三，身份证号 {ID_NUMBER}。")
    found = [f for f in run(content.content_pages) if f.data["category"] == "personal_data"]
    assert len(found) == 1 and found[0].severity == "finding"
    assert ID_NUMBER not in found[0].detail and "110***********002X" in found[0].detail


def test_personal_data_published_by_the_heads_decision_is_not_flagged_again(portal, township_a):
    page = make_content(portal["a"], title="失信被执行人公示", text=f"张三，身份证号 {ID_NUMBER}。")
    Override.objects.create(
        base_content_type=page.get_base_content_type(),
        object_id=str(page.pk),
        kind=Override.Kind.PERSONAL_DATA,
        legal_basis=Override.LegalBasis.DISCIPLINARY,
        reason="惩戒公示",
        user=member(township_a, "head"),
    )
    assert [f for f in run(content.content_pages) if f.data["category"] == "personal_data"] == []


def test_drafts_are_not_rescanned(portal, township_a):
    make_content(portal["a"], title="未发布草稿", text=f"身份证号 {ID_NUMBER}", publish=False)
    assert run(content.content_pages) == []


def test_live_posts_are_rescanned_with_their_accounts_unit(township_a, township_b):
    account = NewMediaAccount.objects.create(unit=township_a, platform="wechat", name="石羊镇发布", status="active")
    post = NewMediaPost.objects.create(account=account, title="招商推介", text="演示禁用词就在这里", live=True)
    NewMediaPost.objects.create(account=account, title="草稿", text="演示禁用词", live=False)
    LexiconEntry.objects.create(term="演示禁用词", category="custom", severity="block")
    found = run(content.content_posts)
    assert [(f.unit, f.severity) for f in found] == [(township_a.organisation_code, "finding")]
    assert found[0].object.endswith(f"/{post.pk}/#custom") and "《招商推介》" in found[0].detail
    assert run(content.content_posts, township_b.organisation_code) == []
