"""词库: the terms the pre-publication scanner looks for, with whitelists that make them legitimate."""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from .context import parse_rules
from .matcher import whitelist_phrases
from .normalise import NOISE, normalise, strict_fold


class Category(models.TextChoices):
    SENSITIVE = "sensitive", _("敏感词")
    ADVERTISING = "advertising", _("广告用语")
    WORDING = "wording", _("规范表述")
    CUSTOM = "custom", _("自定义")


class Severity(models.TextChoices):
    BLOCK = "block", _("阻止发布")
    WARN = "warn", _("提示")


class LexiconEntry(models.Model):
    term = models.CharField(
        _("词条"),
        max_length=100,
        help_text=_("匹配时忽略全角半角、大小写、繁简体、夹杂的空格符号和重复字。"),
    )
    category = models.CharField(_("类别"), max_length=20, choices=Category.choices, default=Category.SENSITIVE)
    severity = models.CharField(_("处理方式"), max_length=10, choices=Severity.choices, default=Severity.WARN)
    suggestion = models.CharField(
        _("正确表述"),
        max_length=200,
        blank=True,
        help_text=_("规范表述类必填：应当使用的正确写法；其他类别可填写修改建议。"),
    )
    whitelist = models.TextField(
        _("白名单"),
        blank=True,
        help_text=_("每行一个包含该词条的合法短语，例如词条“第一”的“第一条”“第一季度”。出现在这些短语中时不提示。"),
    )
    context_rules = models.TextField(
        _("上下文规则"),
        blank=True,
        help_text=_(
            "每行一条，按顺序判断，第一条符合的规则决定处理方式。格式："
            "“后：高|低|长 + <数字>|不超过 => 忽略”（词条后紧接这些词时忽略）、"
            "“前：禁止|严禁 => 提示”（词条前紧接这些词时改为提示）、“其他 => 忽略”（其余情况）。"
            "“|”分隔可选词，“+”连接先后出现的词，<数字> 表示任意数字，<汉字> 表示任意一个汉字；"
            "处理方式为忽略、提示或阻止。"
        ),
    )
    active = models.BooleanField(_("启用"), default=True)
    note = models.TextField(_("备注"), blank=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("修改时间"), auto_now=True, db_index=True)

    class Meta:
        verbose_name = _("词条")
        verbose_name_plural = _("词库")
        ordering = ["category", "term"]
        constraints = [models.UniqueConstraint(fields=["term", "category"], name="lexicon_unique_term_category")]
        indexes = [models.Index(fields=["active", "category"])]

    def __str__(self):
        return self.term

    @property
    def whitelist_phrases(self):
        return whitelist_phrases(self.whitelist)

    def clean(self):
        super().clean()
        self.term = (self.term or "").strip()
        self.suggestion = (self.suggestion or "").strip()
        errors = {}
        term_norm = normalise(self.term)
        if not self.term:
            errors["term"] = _("词条不能为空。")
        elif not term_norm:
            errors["term"] = _("词条只含空格或标点符号，无法用于匹配。")
        if "|" in self.term or "\t" in self.term:
            errors["term"] = _("词条不能包含“|”或制表符。")
        if self.category == Category.WORDING and not self.suggestion:
            errors["suggestion"] = _("规范表述类词条必须填写正确表述。")
        if self.category == Category.WORDING and self.suggestion and self.suggestion == self.term:
            errors["suggestion"] = _("正确表述与词条相同。")
        if term_norm and not errors.get("term"):
            problems = []
            for phrase in self.whitelist_phrases:
                phrase_norm = normalise(phrase)
                if term_norm not in phrase_norm:
                    message = _("白名单短语“%(phrase)s”不包含词条“%(term)s”。")
                    problems.append(message % {"phrase": phrase, "term": self.term})
                elif phrase_norm == term_norm and NOISE not in strict_fold(phrase):
                    problems.append(_("白名单短语“%(phrase)s”与词条本身相同，会使词条失效。") % {"phrase": phrase})
            if problems:
                errors["whitelist"] = problems
        try:
            parse_rules(self.context_rules)
        except ValueError as error:
            errors["context_rules"] = str(error)
        if errors:
            raise ValidationError(errors)
        self.whitelist = "\n".join(self.whitelist_phrases)
        self.context_rules = "\n".join(line.strip() for line in self.context_rules.splitlines() if line.strip())


class LeaderTitle(models.Model):
    """领导职务名录: who holds which title when, kept by the 县政府办; one person may have several rows."""

    name = models.CharField(_("姓名"), max_length=20)
    title = models.CharField(
        _("职务"), max_length=50, help_text=_("文稿中使用的规范职务称谓，例如“县委书记”“副县长”。")
    )
    unit = models.CharField(_("单位"), max_length=100, blank=True)
    rank = models.PositiveIntegerField(_("排序"), help_text=_("排名顺序，数字越小越靠前。"))
    valid_from = models.DateField(_("任职起始日期"))
    valid_to = models.DateField(_("任职终止日期"), null=True, blank=True, help_text=_("留空表示现任。"))
    updated_at = models.DateTimeField(_("修改时间"), auto_now=True, db_index=True)

    class Meta:
        verbose_name = _("领导职务")
        verbose_name_plural = _("领导职务名录")
        ordering = ["rank", "name", "valid_from"]
        constraints = [
            models.UniqueConstraint(fields=["name", "title", "valid_from"], name="lexicon_unique_leader_title_from")
        ]

    def __str__(self):
        return f"{self.title}{self.name}"

    def holds_on(self, day):
        return self.valid_from <= day and (self.valid_to is None or day <= self.valid_to)

    def clean(self):
        super().clean()
        self.name = "".join((self.name or "").split())
        self.title = "".join((self.title or "").split())
        self.unit = (self.unit or "").strip()
        errors = {}
        if len(self.name) < 2:
            errors["name"] = _("姓名至少两个字。")
        elif any(char in "，。、；：,.;:|" for char in self.name):
            errors["name"] = _("姓名不能包含标点符号。")
        if len(self.title) < 2:
            errors["title"] = _("职务至少两个字。")
        if self.valid_from and self.valid_to and self.valid_to < self.valid_from:
            errors["valid_to"] = _("任职终止日期早于起始日期。")
        if errors:
            raise ValidationError(errors)
