"""The public letter form, the status look-up and the rating; captcha and accessibility from the request form."""

import os
import re

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cms.security.uploads import validate_document_upload, validate_image_upload
from disclosure.requests.forms import MOBILE, AccessibleFormMixin, captcha_field, check_captcha

from ..models.letters import LetterType, Message, Satisfaction

MIN_CONTENT = 10
MAX_CONTENT = 3000
MAX_ATTACHMENTS = 3
ATTACHMENT_MAX_SIZE = 5 * 1024 * 1024
IMAGE_EXTENSIONS = ("jpg", "jpeg", "png")
ATTACHMENT_EXTENSIONS = (*IMAGE_EXTENSIONS, "pdf")
# Characters no letter needs and that hide or reorder text on screen (controls, bidi overrides).
TEXT_FIELDS = ("subject", "content", "name", "mobile", "email")
INVISIBLE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u202a-\u202e\u2066-\u2069]")


def load_test():
    """LETTERS_LOAD_TEST switches the captcha and the rate limits off for the benchmark; production refuses it."""
    return getattr(settings, "LETTERS_LOAD_TEST", False)


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class AttachmentsField(forms.FileField):
    widget = MultipleFileInput

    def clean(self, data, initial=None):
        uploads = [item for item in (data if isinstance(data, (list, tuple)) else [data]) if item]
        if len(uploads) > MAX_ATTACHMENTS:
            raise ValidationError(_("最多上传%(n)d个附件。") % {"n": MAX_ATTACHMENTS})
        return [self.check(super(AttachmentsField, self).clean(upload, initial)) for upload in uploads]

    @staticmethod
    def check(upload):
        extension = os.path.splitext(upload.name)[1].lower().lstrip(".")
        if extension not in ATTACHMENT_EXTENSIONS:
            raise ValidationError(
                _("附件“%(name)s”的类型不允许：只能上传 JPG、PNG 图片或 PDF 文件。") % {"name": upload.name[:50]}
            )
        if upload.size > ATTACHMENT_MAX_SIZE:
            raise ValidationError(
                _("附件“%(name)s”过大（%(size)s），每个附件最大 %(limit)s。")
                % {
                    "name": upload.name[:50],
                    "size": filesizeformat(upload.size),
                    "limit": filesizeformat(ATTACHMENT_MAX_SIZE),
                }
            )
        (validate_image_upload if extension in IMAGE_EXTENSIONS else validate_document_upload)(upload)
        return upload


def clean_text(value):
    return INVISIBLE.sub("", value).strip()


class LetterForm(AccessibleFormMixin, forms.ModelForm):
    attachments = AttachmentsField(
        label=gettext_lazy("附件"),
        required=False,
        help_text=gettext_lazy("选填。最多3个，JPG、PNG 图片或 PDF 文件，每个不超过5MB；附件不公开。"),
        error_messages={
            "empty": gettext_lazy("上传的附件是空文件。"),
            "invalid": gettext_lazy("附件上传失败，请重新选择文件。"),
        },
    )
    captcha = captcha_field()
    token = forms.CharField(
        widget=forms.HiddenInput,
        max_length=64,
        error_messages={
            "required": gettext_lazy("表单已失效，请刷新页面后重新填写。"),
            "max_length": gettext_lazy("表单已失效，请刷新页面后重新填写。"),
        },
    )

    class Meta:
        model = Message
        fields = ["letter_type", "subject", "content", "name", "show_name", "mobile", "email", "consent_to_publish"]
        widgets = {
            "letter_type": forms.RadioSelect,
            "content": forms.Textarea(attrs={"rows": 8, "maxlength": MAX_CONTENT}),
            "name": forms.TextInput(attrs={"autocomplete": "name"}),
            "mobile": forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "numeric"}),
            "email": forms.EmailInput(attrs={"autocomplete": "email"}),
        }
        help_texts = {
            "subject": gettext_lazy("用一句话概括您的问题，100字以内。"),
            "content": gettext_lazy("请写清事情经过、地点和诉求，%(min)d至%(max)d字。")
            % {"min": MIN_CONTENT, "max": MAX_CONTENT},
            "show_name": gettext_lazy("勾选后公开时显示您的姓氏（如“张*”），否则显示为“匿名”。"),
            "mobile": gettext_lazy("用于办理单位联系您，不会公开。"),
            "email": gettext_lazy("选填。"),
            "consent_to_publish": gettext_lazy("同意后，办结的留言和答复可能在本网站公开，个人信息将隐去。"),
        }
        error_messages = {
            "letter_type": {
                "required": gettext_lazy("请选择留言类型。"),
                "invalid_choice": gettext_lazy("请从所列选项中选择留言类型。"),
            },
            "subject": {
                "required": gettext_lazy("请填写标题。"),
                "max_length": gettext_lazy("标题不能超过%(limit_value)d个字（现有%(show_value)d个字）。"),
            },
            "content": {"required": gettext_lazy("请填写留言内容。")},
            "name": {
                "required": gettext_lazy("请填写姓名。"),
                "max_length": gettext_lazy("姓名不能超过%(limit_value)d个字。"),
            },
            "mobile": {
                "required": gettext_lazy("请填写手机号码。"),
                "max_length": gettext_lazy("手机号码应为11位数字。"),
            },
            "email": {
                "invalid": gettext_lazy("请填写有效的电子邮箱地址，如 name@example.com。"),
                "max_length": gettext_lazy("电子邮箱不能超过%(limit_value)d个字符。"),
            },
        }

    def __init__(self, data=None, *args, session, **kwargs):
        if data is not None:
            # A NUL byte would only earn an English validator message; it is dropped like other controls.
            data = data.copy()
            for name in TEXT_FIELDS:
                if name in data:
                    data[name] = data[name].replace("\x00", "")
        super().__init__(data, *args, **kwargs)
        self.session = session
        self.fields["letter_type"].choices = LetterType.choices
        self.fields["subject"].widget.attrs["maxlength"] = Message._meta.get_field("subject").max_length
        if load_test():
            del self.fields["captcha"]

    def clean_subject(self):
        text = clean_text(self.cleaned_data["subject"])
        if not text:
            raise ValidationError(_("请填写标题。"))
        return text

    def clean_content(self):
        text = clean_text(self.cleaned_data["content"])
        if len(text) < MIN_CONTENT:
            raise ValidationError(_("留言内容至少%(min)d个字，请写清您的问题。") % {"min": MIN_CONTENT})
        if len(text) > MAX_CONTENT:
            raise ValidationError(
                _("留言内容不能超过%(max)d个字（现有%(count)d个字）。") % {"max": MAX_CONTENT, "count": len(text)}
            )
        return text

    def clean_name(self):
        text = clean_text(self.cleaned_data["name"])
        if not text:
            raise ValidationError(_("请填写姓名。"))
        return text

    def clean_mobile(self):
        number = re.sub(r"[\s-]", "", self.cleaned_data["mobile"])
        if not MOBILE.match(number):
            raise ValidationError(_("请填写有效的11位手机号码，如 13800001234。"))
        return number

    def clean_captcha(self):
        return check_captcha(self.session, self.cleaned_data["captcha"])

    def letter_data(self):
        return {name: self.cleaned_data[name] for name in self._meta.fields}


class QueryForm(AccessibleFormMixin, forms.Form):
    receipt_number = forms.CharField(
        label=gettext_lazy("留言编号"),
        max_length=20,
        help_text=gettext_lazy("例如 LY2026000042"),
        error_messages={
            "required": gettext_lazy("请填写留言编号。"),
            "max_length": gettext_lazy("留言编号最多20个字符。"),
        },
    )
    code = forms.CharField(
        label=gettext_lazy("查询码"),
        max_length=40,
        widget=forms.PasswordInput,
        help_text=gettext_lazy("提交留言时页面显示的查询码，短横线可不输入。"),
        error_messages={"required": gettext_lazy("请填写查询码。"), "max_length": gettext_lazy("查询码最多40个字符。")},
    )


class RatingForm(AccessibleFormMixin, forms.Form):
    satisfaction = forms.ChoiceField(
        label=gettext_lazy("您对答复的评价"),
        choices=Satisfaction.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": gettext_lazy("请选择评价。"),
            "invalid_choice": gettext_lazy("请从所列选项中选择评价。"),
        },
    )


class SearchForm(forms.Form):
    q = forms.CharField(label=gettext_lazy("查找留言"), required=False, max_length=100)
