import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from wagtail.test.utils.form_data import nested_form_data, rich_text, streamfield

from site_pages.models import (
    ArticlePage,
    ColumnPage,
    HomePage,
    InterpretationPage,
    NoticePage,
    PolicyDocumentPage,
    SpecialTopicPage,
)
from site_pages.models.base import UpdateClass, update_due
from site_pages.models.content import normalise_document_number
from tests.factories import PASSWORD, UnitFactory, log_in, make_column, make_content, member

pytestmark = pytest.mark.usefixtures("shared_portal")


def test_content_lives_only_under_columns_and_columns_under_home_or_columns(portal, county_office):
    home, towns = portal["home"], portal["towns"]
    column = make_column(towns, "综合", county_office, update_class="unclassified")
    for model in (ArticlePage, NoticePage, PolicyDocumentPage, InterpretationPage):
        assert model.can_create_at(column)
        assert not model.can_create_at(home)
    assert ColumnPage.can_create_at(home)
    assert ColumnPage.can_create_at(column)
    assert SpecialTopicPage.can_create_at(column)
    assert not SpecialTopicPage.can_create_at(home)
    article = make_content(column)
    assert not ArticlePage.can_create_at(article)
    assert not ColumnPage.can_create_at(article)
    assert not HomePage.can_create_at(column)


def test_content_inherits_the_columns_owning_unit(portal, township_a):
    article = make_content(portal["a"])
    assert article.owning_unit == township_a


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"is_repost": True, "source_url": "https://www.sc.gov.cn/a.shtml"}, "source_organisation", "来源单位"),
        ({"is_repost": True, "source_organisation": "四川省人民政府"}, "source_url", "原文链接"),
        ({"source_organisation": "四川省人民政府"}, "is_repost", "勾选“转载”"),
    ],
)
def test_a_repost_must_name_its_source(portal, fields, field, message):
    page = ArticlePage(title="转载测试", slug="repost", **fields)
    with pytest.raises(ValidationError) as excinfo:
        page.clean()
    assert message in " ".join(excinfo.value.message_dict[field])


def test_repost_source_is_shown_as_laiyuan(client, portal):
    page = make_content(
        portal["a"],
        title="省政府常务会议",
        is_repost=True,
        source_organisation="四川省人民政府",
        source_url="https://www.sc.gov.cn/10462/index.shtml",
    )
    html = client.get(page.url).content.decode()
    assert "来源：" in html and "四川省人民政府" in html and "https://www.sc.gov.cn/10462/index.shtml" in html


def test_original_content_shows_its_unit_as_source(client, portal, township_a):
    page = make_content(portal["a"], title="原创信息")
    html = client.get(page.url).content.decode()
    assert f"来源：{township_a.name}" in html


def policy(column, **fields):
    defaults = {
        "title": "安岳县人民政府关于印发测试办法的通知",
        "document_number": "安府发〔2024〕3号",
        "written_date": datetime.date(2024, 3, 1),
        "issuing_authority": "安岳县人民政府",
    }
    defaults.update(fields)
    return make_content(column, model=PolicyDocumentPage, **defaults)


@pytest.mark.parametrize(
    ("validity", "label"), [("valid", "有效"), ("revised", "已修订"), ("repealed", "已废止"), ("expired", "已失效")]
)
def test_policy_validity_is_shown_prominently(client, portal, validity, label):
    page = policy(portal["a"], validity=validity)
    html = client.get(page.url).content.decode()
    assert f'<p class="validity validity-{validity}"><strong>有效性：{label}</strong></p>' in html
    assert "安府发〔2024〕3号" in html and "2024-03-01" in html


def test_interpretation_and_policy_link_to_each_other(client, portal):
    doc = policy(portal["a"])
    interpretation = InterpretationPage(title="《测试办法》政策解读", slug="jd", body=[])
    interpretation.policy_documents = [doc]
    portal["a"].add_child(instance=interpretation)
    interpretation.save_revision().publish()
    doc_html = client.get(doc.url).content.decode()
    interp_html = client.get(interpretation.url).content.decode()
    assert "相关解读" in doc_html and interpretation.url in doc_html
    assert "解读的政策文件" in interp_html and doc.url in interp_html


def test_unpublished_interpretation_is_not_linked_publicly(client, portal):
    doc = policy(portal["a"])
    draft = InterpretationPage(title="未发布的解读", slug="jd-draft", body=[], live=False)
    draft.policy_documents = [doc]
    portal["a"].add_child(instance=draft)
    assert "未发布的解读" not in client.get(doc.url).content.decode()


def test_document_number_brackets_are_normalised():
    assert normalise_document_number("安府发[2024]3号") == "安府发〔2024〕3号"
    assert normalise_document_number("安府办函（2023）8号") == "安府办函〔2023〕8号"
    assert normalise_document_number("安府发【2024】 3号") == "安府发〔2024〕 3号"


def test_written_date_cannot_be_in_the_future(portal):
    page = PolicyDocumentPage(
        title="未来文件",
        slug="f",
        document_number="安府发〔2030〕1号",
        written_date=timezone.localdate() + datetime.timedelta(days=3),
        issuing_authority="安岳县人民政府",
    )
    with pytest.raises(ValidationError) as excinfo:
        page.clean()
    assert "成文日期不能晚于今天" in excinfo.value.message_dict["written_date"][0]


def test_publication_time_is_set_by_the_server_at_first_publication(portal):
    before = timezone.now()
    page = make_content(portal["a"])
    assert before <= page.first_published_at <= timezone.now()
    first = page.first_published_at
    page.title = "修改后的标题"
    page.save_revision().publish()
    page.refresh_from_db()
    assert page.first_published_at == first


def test_editors_cannot_backdate_publication_time_through_the_admin(client, portal, township_a):
    page = make_content(portal["a"], title="原标题")
    original = page.first_published_at
    editor = member(township_a, "info_officer", username="backdater")
    client.login(username=editor.username, password=PASSWORD)
    form = nested_form_data(
        {
            "title": "原标题",
            "slug": page.slug,
            "summary": "",
            "body": streamfield([("paragraph", rich_text("<p>正文</p>"))]),
            "first_published_at": "2020-01-01 08:00",
            "go_live_at": "2020-01-01 08:00",
            "is_repost": "",
            "source_organisation": "",
            "source_url": "",
        }
    )
    response = client.post(reverse("wagtailadmin_pages:edit", args=(page.pk,)), form)
    assert response.status_code == 302
    page.refresh_from_db()
    assert page.first_published_at == original
    # Revisions store the time to the millisecond.
    assert abs(page.get_latest_revision_as_object().first_published_at - original).total_seconds() < 0.001
    edit_html = client.get(reverse("wagtailadmin_pages:edit", args=(page.pk,))).content.decode()
    assert 'name="first_published_at"' not in edit_html
    assert 'name="go_live_at"' not in edit_html


def test_publication_time_is_displayed_to_the_minute(client, portal):
    page = make_content(portal["a"])
    local = timezone.localtime(page.first_published_at)
    assert "发布时间：<time datetime=" in client.get(page.url).content.decode()
    assert local.strftime("%Y-%m-%d %H:%M") in client.get(page.url).content.decode()


def test_update_class_periods():
    last = datetime.date(2026, 1, 31)
    assert update_due(UpdateClass.NEWS, last) == datetime.date(2026, 2, 14)
    assert update_due(UpdateClass.MONTHLY, last) == datetime.date(2026, 2, 28)
    assert update_due(UpdateClass.QUARTERLY, last) == datetime.date(2026, 4, 30)
    assert update_due(UpdateClass.NOTICE_POLICY, last) == datetime.date(2026, 7, 31)
    assert update_due(UpdateClass.ANNUAL, last) == datetime.date(2027, 1, 31)
    assert update_due(UpdateClass.UNCLASSIFIED, datetime.date(2024, 2, 29)) == datetime.date(2025, 2, 28)


def test_top_level_column_requires_an_owning_unit_in_the_admin(client, portal, django_user_model):
    admin = django_user_model.objects.create_superuser("root", "r@example.invalid", PASSWORD)
    log_in(client, admin)
    url = reverse("wagtailadmin_pages:add", args=("site_pages", "columnpage", portal["home"].pk))
    response = client.post(url, nested_form_data({"title": "新栏目", "slug": "", "intro": "", "update_class": "news"}))
    assert response.status_code == 200
    assert "一级栏目必须指定所属单位" in response.content.decode()


def test_subcolumn_inherits_owner(portal, township_a):
    sub = make_column(portal["a"], "子栏目", None, slug="sub")
    assert sub.owning_unit == township_a


def test_township_editor_is_offered_only_what_its_column_takes(client, portal, township_a):
    editor = member(township_a, "info_officer", username="sy_types")
    log_in(client, editor)
    # 石羊镇 is a news column of the township: 动态 is the one type, so Wagtail opens its form directly.
    response = client.get(reverse("wagtailadmin_pages:add_subpage", args=(portal["a"].pk,)))
    assert response.status_code == 302
    assert response.url == reverse("wagtailadmin_pages:add", args=("site_pages", "articlepage", portal["a"].pk))
    form = client.get(response.url)
    assert form.status_code == 200
    # The new page's body opens with a paragraph block ready to type in.
    assert "&quot;type&quot;: &quot;paragraph&quot;" in form.content.decode()
    for model in (PolicyDocumentPage, ColumnPage, SpecialTopicPage):
        url = reverse("wagtailadmin_pages:add", args=("site_pages", model._meta.model_name, portal["a"].pk))
        assert client.get(url).status_code in (302, 403)


def test_department_editor_is_offered_only_what_its_columns_take(client, portal, county_office):
    bureau = UnitFactory(name="安岳县农业农村局测试", short_name="农业农村局", kind="department")
    home, news = portal["home"], portal["news"]
    own_news = make_column(make_column(news, "部门动态", county_office, slug="bmdt"), "农业农村局", bureau, slug="nyj")
    policies = make_column(home, "政策文件", county_office, update_class="notice_policy", slug="zcwj")
    own_policies = make_column(policies, "农业农村局文件", bureau, update_class="notice_policy", slug="nyjwj")
    log_in(client, member(bureau, "info_officer", username="nyj_types"))

    def add_url(model, parent):
        return reverse("wagtailadmin_pages:add", args=("site_pages", model._meta.model_name, parent.pk))

    response = client.get(reverse("wagtailadmin_pages:add_subpage", args=(own_news.pk,)))
    assert response.status_code == 302 and response.url == add_url(ArticlePage, own_news)
    html = client.get(reverse("wagtailadmin_pages:add_subpage", args=(own_policies.pk,))).content.decode()
    for model in (NoticePage, PolicyDocumentPage, InterpretationPage):
        assert add_url(model, own_policies) in html
    for model in (ArticlePage, ColumnPage, SpecialTopicPage):
        assert add_url(model, own_policies) not in html
        assert client.get(add_url(model, own_policies)).status_code in (302, 403)


def test_column_types_follow_update_class_and_owner(portal, township_a, county_office):
    towns = portal["towns"]  # 乡镇动态: the county office's news column
    assert ColumnPage.can_create_at(towns) and ArticlePage.can_create_at(towns)
    assert not PolicyDocumentPage.can_create_at(towns) and not NoticePage.can_create_at(towns)
    policies = make_column(portal["home"], "政策文件", county_office, update_class="notice_policy")
    for model in (NoticePage, PolicyDocumentPage, InterpretationPage):
        assert model.can_create_at(policies)
    assert not ArticlePage.can_create_at(policies)
    township_notices = make_column(policies, "石羊镇通知", township_a, update_class="notice_policy")
    assert not ColumnPage.can_create_at(township_notices)
    assert not SpecialTopicPage.can_create_at(township_notices)
    assert NoticePage.can_create_at(township_notices)
