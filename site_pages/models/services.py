"""政务服务: 办事指南 with the elements national inspections check, and the column that lists them."""

import re

from django import forms
from django.core.exceptions import ValidationError
from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from django.core.validators import URLValidator
from django.db import models
from django.utils.html import strip_tags
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.fields import StreamField
from wagtail.search import index

from cms.organisation.models import Unit
from workflows.panels import ReviewStatusPanel

from ..blocks import BodyBlock
from ..segmentation import query_terms
from .base import ContentPage
from .columns import LISTING_PAGE_SIZE, ColumnPage


class ItemType(models.TextChoices):
    LICENSING = "licensing", _("行政许可")
    CONFIRMATION = "confirmation", _("行政确认")
    PAYMENT = "payment", _("行政给付")
    LEVY = "levy", _("行政征收")
    AWARD = "award", _("行政奖励")
    RULING = "ruling", _("行政裁决")
    OTHER_POWER = "other_power", _("其他行政权力")
    PUBLIC_SERVICE = "public_service", _("公共服务")


class Audience(models.TextChoices):
    PERSON = "person", _("个人办事")
    LEGAL_PERSON = "legal_person", _("法人办事")
    BOTH = "both", _("个人和法人办事")


class MaterialFormat(models.TextChoices):
    PAPER = "paper", _("纸质")
    ELECTRONIC = "electronic", _("电子")
    EITHER = "either", _("纸质或电子")


class MaterialBlock(blocks.StructBlock):
    name = blocks.CharBlock(label=_("材料名称"), max_length=200)
    copies = blocks.CharBlock(label=_("份数"), max_length=100, help_text=_("例如：原件1份，复印件1份"))
    format = blocks.ChoiceBlock(label=_("材料形式"), choices=MaterialFormat.choices)
    source = blocks.CharBlock(label=_("来源渠道"), max_length=100, help_text=_("例如：申请人自备、公安机关核发"))
    note = blocks.CharBlock(label=_("备注"), max_length=200, required=False)

    class Meta:
        icon = "doc-full"
        label = _("申请材料")


class MaterialsBlock(blocks.StreamBlock):
    material = MaterialBlock()


# Guides a listing search considers; a county lists a few hundred items at most.
MAX_SEARCH_RESULTS = 1000
# What each material must state; a guide listing a material without it fails inspection.
MATERIAL_PARTS = ("name", "copies", "format", "source")

# A time limit is stated in working days (or as 即办); "20天" is ambiguous and refused.
_HAS_NUMBER = re.compile(r"[0-9０-９一二三四五六七八九十]")
_PHONE = re.compile(r"^[0-9０-９\s()（）+＋\-－—、,，/转]+$")


def validate_time_limit(value):
    if value and _HAS_NUMBER.search(value) and "工作日" not in value:
        raise ValidationError(_("时限须以工作日表述，例如“20个工作日”；即时办结的填写“即办”。"))


def validate_phone(value):
    if value and (not _PHONE.match(value) or not re.search(r"[0-9０-９]{5,}", value)):
        raise ValidationError(_("请填写电话号码，例如：028-24521234，多个号码用顿号分隔。"))


def stream_is_empty(stream):
    """True when a stream holds no block with content (a new body starts with one empty paragraph)."""
    for block in stream or []:
        if block.block_type == "paragraph":
            if strip_tags(block.value.source).strip():
                return False
        elif block.value:
            return False
    return True


class ServiceGuidePage(ContentPage):
    """办事指南: one service item with every element the national inspection checks.

    The fields may be left empty while a draft is prepared; submission is refused (publication_requirements)
    until every element in REQUIRED_ELEMENTS is filled. The title is the 事项名称.
    """

    item_type = models.CharField(_("事项类型"), max_length=20, choices=ItemType.choices, blank=True)
    audience = models.CharField(
        _("服务对象"),
        max_length=20,
        choices=Audience.choices,
        default=Audience.PERSON,
        help_text=_("决定本指南列在“个人办事”还是“法人办事”中。"),
    )
    implementing_body = models.CharField(
        _("实施主体"), max_length=200, blank=True, help_text=_("例如：安岳县人力资源和社会保障局")
    )
    legal_basis = models.TextField(_("设定依据"), blank=True, help_text=_("法律、法规、规章名称及条款。"))
    conditions = models.TextField(_("受理条件"), blank=True)
    materials = StreamField(MaterialsBlock(), verbose_name=_("申请材料"), blank=True)
    # The body of a guide is its 办理流程: steps as text, tables, and forms to download as attachments.
    body = StreamField(BodyBlock(), verbose_name=_("办理流程"), blank=True, default=[("paragraph", "")])
    statutory_time_limit = models.CharField(
        _("法定时限"), max_length=100, blank=True, validators=[validate_time_limit], help_text=_("例如：20个工作日")
    )
    promised_time_limit = models.CharField(
        _("承诺时限"),
        max_length=100,
        blank=True,
        validators=[validate_time_limit],
        help_text=_("例如：5个工作日；即办"),
    )
    fees = models.TextField(_("收费标准及依据"), blank=True, help_text=_("不收费的填写“不收费”。"))
    location = models.CharField(_("办理地点"), max_length=300, blank=True)
    office_hours = models.CharField(
        _("办理时间"), max_length=200, blank=True, help_text=_("例如：工作日上午9:00—12:00，下午13:30—17:30")
    )
    consultation_phone = models.CharField(_("咨询电话"), max_length=100, blank=True, validators=[validate_phone])
    complaint_phone = models.CharField(_("监督投诉电话"), max_length=100, blank=True, validators=[validate_phone])
    delivery = models.CharField(_("结果送达方式"), max_length=200, blank=True, help_text=_("例如：窗口领取、邮政寄递"))
    online_url = models.URLField(
        _("在线办理"),
        max_length=500,
        blank=True,
        validators=[URLValidator(schemes=["http", "https"])],
        help_text=_("网上办理地址（http 或 https），没有则留空。"),
    )

    # Elements a guide cannot be submitted without, in the order the page shows them.
    REQUIRED_ELEMENTS = (
        "item_type",
        "implementing_body",
        "legal_basis",
        "conditions",
        "materials",
        "body",
        "statutory_time_limit",
        "promised_time_limit",
        "fees",
        "location",
        "office_hours",
        "consultation_phone",
        "complaint_phone",
        "delivery",
    )
    TEXT_ELEMENTS = ("legal_basis", "conditions", "fees")

    parent_page_types = ["site_pages.ServiceIndexPage"]
    subpage_types = []

    content_panels = [
        ReviewStatusPanel(heading=_("审核与检查")),
        FieldPanel("title", heading=_("事项名称")),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("item_type"), FieldPanel("audience")]),
                FieldPanel("implementing_body"),
                FieldPanel("legal_basis"),
                FieldPanel("conditions"),
            ],
            heading=_("基本信息"),
        ),
        FieldPanel("materials"),
        FieldPanel("body"),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("statutory_time_limit"), FieldPanel("promised_time_limit")]),
                FieldPanel("fees"),
                FieldRowPanel([FieldPanel("location"), FieldPanel("office_hours")]),
                FieldRowPanel([FieldPanel("consultation_phone"), FieldPanel("complaint_phone")]),
                FieldPanel("delivery"),
                FieldPanel("online_url"),
            ],
            heading=_("办理信息"),
        ),
        FieldPanel("summary"),
    ]

    search_fields = ContentPage.search_fields + [index.FilterField("audience")]

    class Meta:
        verbose_name = _("办事指南")
        verbose_name_plural = _("办事指南")

    @classmethod
    def element_label(cls, name):
        return _("事项名称") if name == "title" else cls._meta.get_field(name).verbose_name

    def missing_elements(self):
        """Labels of the required elements left empty, and of each material missing one of its parts."""
        missing = []
        for name in self.REQUIRED_ELEMENTS:
            value = getattr(self, name)
            empty = stream_is_empty(value) if name in ("materials", "body") else not str(value or "").strip()
            if empty:
                missing.append(str(self.element_label(name)))
        parts = MaterialBlock().child_blocks
        for number, block in enumerate(self.materials or [], start=1):
            for part in MATERIAL_PARTS:
                if not str(block.value.get(part) or "").strip():
                    missing.append(
                        _("申请材料第%(number)s项的%(part)s") % {"number": number, "part": parts[part].label}
                    )
        return missing

    def publication_requirements(self, phase):
        missing = self.missing_elements()
        if not missing:
            return []
        return [_("办事指南要素不全，请补充：%(elements)s。") % {"elements": "、".join(missing)}]

    def material_rows(self):
        """Each material's parts, its format as the label the public reads."""
        labels = dict(MaterialFormat.choices)
        return [
            {**block.value, "format_label": labels.get(block.value.get("format"), block.value.get("format") or "")}
            for block in self.materials or []
        ]

    def extra_search_texts(self):
        texts = [self.implementing_body, self.legal_basis, self.conditions, self.fees, self.location]
        texts += [block.value.get("name", "") for block in self.materials or []]
        return texts + super().extra_search_texts()


class ServiceIndexPage(ColumnPage):
    """政务服务 listing: the guides below it, by department (所属单位) and by 个人办事 / 法人办事, searchable.

    A county-wide listing holds one listing per department, owned by it, so that each department edits its
    own guides (permissions follow the column tree); each listing shows every guide below it.
    """

    parent_page_types = ["site_pages.HomePage", "site_pages.ColumnPage", "site_pages.ServiceIndexPage"]
    subpage_types = ["site_pages.ServiceIndexPage", "site_pages.ServiceGuidePage"]
    template = "site_pages/service_index_page.html"

    class Meta:
        verbose_name = _("办事指南栏目")
        verbose_name_plural = _("办事指南栏目")

    def guides(self):
        return ServiceGuidePage.objects.live().public().descendant_of(self)

    def filter_form(self, data):
        units = Unit.objects.filter(pk__in=self.guides().values("owning_unit")).order_by("name")
        return ServiceFilterForm(data, units=units)

    def filtered_guides(self, form):
        guides = self.guides()
        if not form.is_valid():
            return guides.order_by("title", "pk")
        unit, audience, query = (form.cleaned_data.get(name) for name in ("unit", "audience", "q"))
        if unit is not None:
            guides = guides.filter(owning_unit=unit)
        if audience:
            guides = guides.filter(audience__in=[audience, Audience.BOTH])
        if query:
            if all(len(term) == 1 for term in query_terms(query)):
                # Single characters are not indexed alone (see segmentation): match titles.
                guides = guides.filter(title__contains=query)
            else:
                guides = guides.filter(pk__in=[guide.pk for guide in guides.search(query)[:MAX_SEARCH_RESULTS]])
        return guides.select_related("owning_unit").order_by("title", "pk")

    def paginate_listing(self, request):
        """The guides the filters choose, by 事项名称; the form is kept for the template."""
        self.filters = self.filter_form(request.GET)
        paginator = Paginator(self.filtered_guides(self.filters), LISTING_PAGE_SIZE)
        try:
            return paginator.page(request.GET.get("page", 1))
        except PageNotAnInteger:
            return paginator.page(1)
        except EmptyPage:
            return paginator.page(paginator.num_pages)

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        params = request.GET.copy()
        params.pop("page", None)
        context.update(filter_form=self.filters, page_query=params.urlencode())
        return context


class ServiceFilterForm(forms.Form):
    q = forms.CharField(label=_("事项名称或关键词"), required=False, max_length=100, strip=True)
    unit = forms.ModelChoiceField(label=_("实施部门"), queryset=Unit.objects.none(), required=False)
    audience = forms.ChoiceField(
        label=_("服务对象"),
        required=False,
        choices=[("", _("全部"))] + [(v, label) for v, label in Audience.choices if v != Audience.BOTH],
    )

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units
        self.fields["unit"].empty_label = _("全部部门")
