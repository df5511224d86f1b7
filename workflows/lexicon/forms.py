from django import forms
from django.core.validators import FileExtensionValidator
from django.utils.translation import gettext_lazy as _

from .models import Category, Severity


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("词库文件"),
        validators=[FileExtensionValidator(["txt", "tsv", "xlsx"])],
        help_text=_("UTF-8 文本文件（.txt、.tsv）或 Excel 文件（.xlsx），不超过 10 MB。"),
    )
    category = forms.ChoiceField(
        label=_("默认类别"),
        choices=Category.choices,
        initial=Category.SENSITIVE,
        help_text=_("只有词条一列或类别列为空时使用。"),
    )
    severity = forms.ChoiceField(
        label=_("默认处理方式"),
        choices=Severity.choices,
        initial=Severity.WARN,
        help_text=_("只有词条一列或处理方式列为空时使用。"),
    )
