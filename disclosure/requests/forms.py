"""Forms: the public application form, the status check, and the staff's handling actions."""

import re
import secrets

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import FileExtensionValidator
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cms.organisation.models import Unit
from cms.organisation.validators import normalise_uscc, validate_uscc
from cms.security.uploads import validate_document_upload
from disclosure.statutory import WithholdingReason
from workflows.checks import is_resident_id_number

from .choices import (
    CITIZEN_ID_TYPES,
    OFFERED_DELIVERY_METHODS,
    ORGANISATION_CATEGORIES,
    ApplicantCategory,
    ApplicantType,
    DeliveryMethod,
    IdType,
    Outcome,
    OutcomeReason,
)
from .clock import MAX_EXTENSION_DAYS
from .models import DisclosureRequest, publishing_units

CAPTCHA_SESSION_KEY = "disclosure_request_captcha"
MOBILE = re.compile(r"^1[3-9]\d{9}$")
LANDLINE = re.compile(r"^0\d{2,3}-?\d{7,8}(-\d{1,6})?$")
OTHER_ID = re.compile(r"^[A-Za-z0-9]{5,20}$")
MIN_DESCRIPTION = 10
PLEASE_CHOOSE = _("请选择")
CITIZEN = "citizen"


def applicant_choices():
    """One question for who applies: 公民, or the kind of 法人或其他组织 the annual report counts by."""
    organisations = [
        (c.value, _("其他组织") if c == ApplicantCategory.OTHER else c.label) for c in ORGANISATION_CATEGORIES
    ]
    return [
        ("", PLEASE_CHOOSE),
        (CITIZEN, ApplicantType.CITIZEN.label),
        (ApplicantType.ORGANISATION.label, organisations),
    ]


REPLY_EXTENSIONS = ["pdf", "ofd", "doc", "docx", "jpg", "jpeg", "png"]


def new_captcha(session):
    """An arithmetic question whose answer lives only in the session (no third-party service)."""
    a, b = secrets.randbelow(9) + 1, secrets.randbelow(9) + 1
    session[CAPTCHA_SESSION_KEY] = a + b
    return _("%(a)d 加 %(b)d 等于多少？") % {"a": a, "b": b}


def captcha_field():
    """The answer field of new_captcha's question, for any public form (it never shows a previous answer)."""
    return forms.IntegerField(
        label=_("验证题"),
        help_text=_("请填写计算结果（阿拉伯数字）。"),
        widget=FreshAnswerInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
        error_messages={"required": _("请填写验证题的答案。"), "invalid": _("验证题答案请填写阿拉伯数字。")},
    )


def check_captcha(session, answer):
    """The answer if it solves the session's question; each question is answered once."""
    expected = session.pop(CAPTCHA_SESSION_KEY, None)
    if expected is None or answer != expected:
        raise ValidationError(_("验证题答案不正确，请重新计算新的题目。"))
    return answer


class AccessibleFormMixin:
    """Ties each field's help text and errors to its input (aria-describedby, aria-invalid), so a
    screen reader announces the error with the field; radio groups get it on their fieldset."""

    def mark_errors(self):
        for name, field in self.fields.items():
            bound = self[name]
            described = [f"{bound.auto_id}_help"] if field.help_text else []
            if bound.errors:
                described.append(f"{bound.auto_id}_error")
                field.widget.attrs["aria-invalid"] = "true"
            if described and not isinstance(field.widget, forms.RadioSelect):
                field.widget.attrs["aria-describedby"] = " ".join(described)
        return self


class FreshAnswerInput(forms.TextInput):
    """Never shows the previous answer: each rendering asks a new question."""

    def format_value(self, value):
        return None


class RequestForm(AccessibleFormMixin, forms.ModelForm):
    applicant = forms.ChoiceField(
        label=_("申请人类型"),
        choices=applicant_choices,
        help_text=_("个人申请请选“公民”；法人或其他组织请选择所属类别。"),
        error_messages={
            "required": _("请选择申请人类型。"),
            "invalid_choice": _("请从列表中选择申请人类型。"),
        },
    )
    captcha = captcha_field()

    class Meta:
        model = DisclosureRequest
        fields = [
            "agency",
            "name",
            "id_type",
            "id_number",
            "contact_person",
            "phone",
            "email",
            "address",
            "description",
            "document_number",
            "purpose",
            "response_form",
            "delivery_method",
        ]
        widgets = {
            "response_form": forms.RadioSelect,
            "delivery_method": forms.RadioSelect,
            "description": forms.Textarea(attrs={"rows": 5}),
            "purpose": forms.Textarea(attrs={"rows": 2}),
            # "street-address" autofill is for multi-line controls only (HTML spec), and an address may need two.
            "address": forms.Textarea(attrs={"rows": 2}),
        }
        labels = {"agency": _("受理机关（发布机构）")}
        help_texts = {
            "agency": _("请选择您要向其申请政府信息的行政机关，申请将直接转交该机关办理。"),
            "id_number": _("居民身份证号码为18位，末位可能是X；组织请填写18位统一社会信用代码。"),
            "contact_person": _("法人或其他组织申请时必填。"),
            "email": _("选择电子邮件获取时必填。"),
            "address": _("选择邮寄获取时必填。"),
            "description": _("请写明所需政府信息的名称、文号或便于查询的其他特征性描述。"),
            "purpose": _("选填。"),
        }
        error_messages = {
            "agency": {
                "required": _("请选择受理申请的行政机关（发布机构）。"),
                "invalid_choice": _("所选行政机关不受理申请，请从列表中重新选择。"),
            },
            "name": {"required": _("请填写姓名或名称。")},
            "id_type": {"required": _("请选择证件类型。"), "invalid_choice": _("请从列表中选择证件类型。")},
            "id_number": {"required": _("请填写证件号码。")},
            "phone": {"required": _("请填写联系电话。")},
            "email": {"invalid": _("请填写有效的电子邮箱地址，如 name@example.com。")},
            "description": {"required": _("请描述所需的政府信息。")},
            "response_form": {
                "required": _("请选择信息提供形式。"),
                "invalid_choice": _("请从所列选项中选择信息提供形式。"),
            },
            "delivery_method": {
                "required": _("请选择获取方式。"),
                "invalid_choice": _("请从所列选项中选择获取方式。"),
            },
        }

    def __init__(self, *args, session, **kwargs):
        super().__init__(*args, **kwargs)
        self.session = session
        self.fields["agency"].queryset = publishing_units().order_by("kind", "name")
        self.fields["agency"].empty_label = PLEASE_CHOOSE
        # Optional in the model only because requests made before the choice existed have none.
        self.fields["agency"].required = True
        self.fields["id_type"].choices = [("", PLEASE_CHOOSE), *IdType.choices]
        self.fields["response_form"].choices = self.fields["response_form"].choices[1:]
        self.fields["delivery_method"].choices = [(m.value, m.label) for m in OFFERED_DELIVERY_METHODS]
        for name in ("name", "id_number", "phone", "email", "address", "contact_person"):
            self.fields[name].widget.attrs["autocomplete"] = {
                "name": "name",
                "phone": "tel",
                "email": "email",
                "address": "street-address",
            }.get(name, "off")

    def clean_id_number(self):
        return self.cleaned_data["id_number"].strip().upper().replace(" ", "")

    def clean_phone(self):
        phone = re.sub(r"[\s()（）]", "", self.cleaned_data["phone"])
        if not (MOBILE.match(phone) or LANDLINE.match(phone)):
            raise ValidationError(_("请填写有效的联系电话：11位手机号码或带区号的固定电话，如 028-24521234。"))
        return phone

    def clean_description(self):
        text = self.cleaned_data["description"].strip()
        if len(text) < MIN_DESCRIPTION:
            raise ValidationError(_("请至少用%(n)d个字描述所需的政府信息，以便查找。") % {"n": MIN_DESCRIPTION})
        return text

    def clean_captcha(self):
        return check_captcha(self.session, self.cleaned_data["captcha"])

    def clean_applicant(self):
        value = self.cleaned_data["applicant"]
        if value == CITIZEN:
            self.applicant_kind = (ApplicantType.CITIZEN, ApplicantCategory.NATURAL_PERSON)
        else:
            self.applicant_kind = (ApplicantType.ORGANISATION, ApplicantCategory(value))
        return value

    def clean(self):
        data = super().clean()
        applicant_type, _category = getattr(self, "applicant_kind", (None, None))
        id_type = data.get("id_type")
        number = data.get("id_number")
        if applicant_type == ApplicantType.CITIZEN:
            data["contact_person"] = ""
            if id_type and id_type not in CITIZEN_ID_TYPES:
                self.add_error("id_type", _("公民申请请选择居民身份证、护照等个人身份证件。"))
        elif applicant_type == ApplicantType.ORGANISATION:
            if id_type and id_type != IdType.USCC:
                self.add_error("id_type", _("法人或其他组织请选择统一社会信用代码。"))
            if not (data.get("contact_person") or "").strip():
                self.add_error("contact_person", _("法人或其他组织申请时请填写联系人。"))
        if id_type and number and "id_number" not in self.errors and "id_type" not in self.errors:
            self._check_id_number(id_type, number, data)
        delivery = data.get("delivery_method")
        if delivery == DeliveryMethod.EMAIL and not data.get("email"):
            self.add_error("email", _("选择电子邮件获取时，请填写电子邮箱。"))
        if delivery == DeliveryMethod.POST and not (data.get("address") or "").strip():
            self.add_error("address", _("选择邮寄获取时，请填写通信地址。"))
        return data

    def _check_id_number(self, id_type, number, data):
        if id_type == IdType.RESIDENT_ID:
            if not is_resident_id_number(number):
                self.add_error("id_number", _("居民身份证号码无效：请核对18位号码中的出生日期和末位校验码。"))
        elif id_type == IdType.USCC:
            try:
                validate_uscc(number)
            except ValidationError as error:
                self.add_error("id_number", error)
            else:
                data["id_number"] = normalise_uscc(number)
        elif not OTHER_ID.match(number):
            self.add_error("id_number", _("证件号码应为5至20位字母或数字。"))

    def save(self, commit=True):
        # clean() may have changed these; ModelForm copied cleaned_data into the instance before it ran.
        for name in ("contact_person", "id_number"):
            setattr(self.instance, name, self.cleaned_data[name])
        self.instance.applicant_type, self.instance.applicant_category = self.applicant_kind
        return super().save(commit=commit)


class StatusForm(AccessibleFormMixin, forms.Form):
    receipt_number = forms.CharField(
        label=_("受理编号"),
        max_length=20,
        help_text=_("例如 YSQ2026-00042"),
        error_messages={"required": _("请填写受理编号。"), "max_length": _("受理编号最多20个字符。")},
    )
    secret = forms.CharField(
        label=_("查询码"),
        max_length=64,
        widget=forms.PasswordInput,
        help_text=_("提交申请时页面显示（并发送到您邮箱）的查询码，短横线可不输入。"),
        error_messages={"required": _("请填写查询码。")},
    )

    def clean_receipt_number(self):
        return self.cleaned_data["receipt_number"].strip().upper()

    def clean_secret(self):
        return self.cleaned_data["secret"].strip()


# ----------------------------------------------------------------------------- staff actions


def _past_or_today(value):
    if value and value > timezone.localdate():
        raise ValidationError(_("日期不能晚于今天。"))


class DateField(forms.DateField):
    def __init__(self, label, **kwargs):
        super().__init__(
            label=label,
            initial=timezone.localdate,
            widget=forms.DateInput(attrs={"type": "date"}),
            validators=[_past_or_today],
            error_messages={"invalid": _("请按“年-月-日”格式填写日期。"), "required": _("请填写日期。")},
            **kwargs,
        )


class AssignForm(forms.Form):
    unit = forms.ModelChoiceField(label=_("承办单位"), queryset=Unit.objects.active(), empty_label=_("请选择"))
    note = forms.CharField(label=_("分办意见"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class SupplementRequestForm(forms.Form):
    on = DateField(_("告知补正日期"))
    note = forms.CharField(label=_("补正事项和期限"), widget=forms.Textarea(attrs={"rows": 3}))


class SupplementReceivedForm(forms.Form):
    on = DateField(_("收到补正日期"))
    note = forms.CharField(label=_("说明"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class ConsultationStartForm(forms.Form):
    on = DateField(_("发出征求意见日期"))
    third_party = forms.CharField(label=_("第三方"), max_length=200)


class ConsultationEndForm(forms.Form):
    on = DateField(_("征询结束日期"))
    note = forms.CharField(label=_("第三方意见"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class ExtensionForm(forms.Form):
    on = DateField(_("批准日期"))
    days = forms.IntegerField(label=_("延长工作日数"), min_value=1, max_value=MAX_EXTENSION_DAYS, initial=20)
    reason = forms.CharField(label=_("延期理由"), widget=forms.Textarea(attrs={"rows": 2}))


class AnswerForm(forms.Form):
    on = DateField(_("答复日期"))
    outcome = forms.ChoiceField(label=_("答复类型"), choices=[("", _("请选择")), *Outcome.choices])
    withholding_reason = forms.ChoiceField(
        label=_("不予公开理由"), required=False, choices=[("", "—"), *WithholdingReason.choices]
    )
    outcome_reason = forms.ChoiceField(
        label=_("具体情形"),
        required=False,
        choices=[("", "—"), *OutcomeReason.choices],
        help_text=_("无法提供、不予处理、其他处理须选择具体情形。"),
    )
    document = forms.FileField(
        label=_("答复书"),
        help_text=_("上传已盖章的答复书（PDF、OFD、Word 或图片）。"),
        validators=[FileExtensionValidator(REPLY_EXTENSIONS), validate_document_upload],
    )
    note = forms.CharField(label=_("答复说明"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
