"""The public answer form, built from the survey's questions, with the request form's captcha."""

from django import forms
from django.utils.translation import gettext as _

from disclosure.requests.forms import AccessibleFormMixin, captcha_field, check_captcha


def field_name(block):
    return f"q_{block.id}"


def _messages(number, **extra):
    return {
        "required": _("请回答第%(n)d题。") % {"n": number},
        "invalid_choice": _("第%(n)d题请从给出的选项中选择。") % {"n": number},
        "invalid_list": _("第%(n)d题请从给出的选项中选择。") % {"n": number},
        "null_characters_not_allowed": _("第%(n)d题的回答含有无法识别的字符，请删除后重新提交。") % {"n": number},
        **extra,
    }


def _question_field(number, block):
    value = block.value
    label = f"{number}. {value['question']}"
    required = bool(value.get("required"))
    choices = [(option, option) for option in value.get("options") or []]
    if block.block_type == "single":
        return forms.ChoiceField(
            label=label, required=required, choices=choices, widget=forms.RadioSelect, error_messages=_messages(number)
        )
    if block.block_type == "multiple":
        limit = value.get("max_choices")
        help_text = _("可多选，最多选%(max)d项。") % {"max": limit} if limit else _("可多选。")
        field = forms.MultipleChoiceField(
            label=label,
            required=required,
            choices=choices,
            widget=forms.CheckboxSelectMultiple,
            help_text=help_text,
            error_messages=_messages(number),
        )
        field.max_choices = limit
        return field
    limit = value["max_length"]
    return forms.CharField(
        label=label,
        required=required,
        max_length=limit,
        widget=forms.Textarea(attrs={"rows": 4, "maxlength": limit}),
        help_text=_("%(max)d字以内。") % {"max": limit},
        error_messages=_messages(
            number, max_length=_("第%(n)d题的回答不能超过%(max)d个字。") % {"n": number, "max": limit}
        ),
    )


class SurveyForm(AccessibleFormMixin, forms.Form):
    captcha = captcha_field()

    def __init__(self, *args, survey, session, **kwargs):
        super().__init__(*args, **kwargs)
        self.session = session
        self.blocks = {}
        captcha = self.fields.pop("captcha")
        for number, block in enumerate(survey.questions, start=1):
            name = field_name(block)
            self.fields[name] = _question_field(number, block)
            self.blocks[name] = (number, block)
        self.fields["captcha"] = captcha

    def question_fields(self):
        return [self[name] for name in self.blocks]

    def clean_captcha(self):
        return check_captcha(self.session, self.cleaned_data["captcha"])

    def clean(self):
        data = super().clean()
        for name, (number, _block) in self.blocks.items():
            limit = getattr(self.fields[name], "max_choices", None)
            if limit and len(data.get(name) or []) > limit:
                self.add_error(name, _("第%(n)d题最多选择%(max)d项。") % {"n": number, "max": limit})
        return data

    def answers(self):
        """{question block id: answer}, unanswered questions left out; text is stored as typed (escaped on output)."""
        answers = {}
        for name, (_number, block) in self.blocks.items():
            value = self.cleaned_data.get(name)
            if value:
                answers[block.id] = value
        return answers
