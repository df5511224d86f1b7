"""Issue 12 §2: context rules, clause punctuation, word boundaries, prohibitions and ad variants."""

import io
import re

import pytest
from django.core.exceptions import ValidationError

from workflows.checks import invalidate_lexicon_cache, scan_text
from workflows.lexicon.context import BLOCK, IGNORE, WARN, decide, parse_rules
from workflows.lexicon.matcher import LexiconMatcher
from workflows.lexicon.models import LexiconEntry
from workflows.lexicon.normalise import NormalisedText, fold_literal
from workflows.lexicon.transfer import export_text, export_xlsx, import_rows, rows_from_text, rows_from_xlsx

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fresh_lexicon():
    invalidate_lexicon_cache()
    yield
    invalidate_lexicon_cache()


def findings(text, category=None):
    found = scan_text(text)
    for finding in found:
        assert text[finding.start : finding.end] == finding.matched
    return [f for f in found if category is None or f.category == category]


def terms(text, category="advertising"):
    return [(f.term, f.severity) for f in findings(text, category)]


# --- the rule language ---------------------------------------------------------------------------


def test_rules_are_tried_in_order_and_the_first_match_decides():
    rules = parse_rules("后：品牌|名 => 提示\n前：禁止 => 阻止\n其他 => 忽略")
    text = fold_literal("禁止第1品牌，第1条")
    assert decide(rules, text, 2, 4) == WARN
    assert decide(rules, fold_literal("禁止第1条"), 2, 4) == BLOCK
    assert decide(rules, fold_literal("第1条"), 0, 2) == IGNORE
    assert decide(parse_rules("后：品牌 => 提示"), fold_literal("第1条"), 0, 2) is None


def test_sequences_tokens_and_folded_words():
    rules = parse_rules("后：高|低 + <数字>|不超过 => 忽略")
    for text in ("最高不超过三年", "最低 5000元", "最高 两千", "最低５０００元"):
        assert decide(rules, fold_literal(text), 0, 1) == IGNORE, text
    assert decide(parse_rules("后：长 + <数字> => 忽略"), fold_literal("最長３０日"), 0, 1) == IGNORE
    assert decide(rules, fold_literal("最高级"), 0, 1) is None
    assert decide(parse_rules("后：<汉字> => 忽略"), fold_literal("第一审"), 0, 2) == IGNORE
    assert decide(parse_rules("后：<汉字> => 忽略"), fold_literal("第一。"), 0, 2) is None


@pytest.mark.parametrize(
    "text, message",
    [
        ("后 高 忽略", "第 1 行格式不正确"),
        ("\n后：高 => 删除", "第 2 行：处理方式只能是"),
        ("后： => 忽略", "第 1 行：缺少前后文词语"),
        ("其他：高 => 忽略", "第 1 行：“其他”规则不带词语"),
        ("后：高||低 => 忽略", "第 1 行：“|”两侧不能为空"),
        ("后：高 + => 忽略", "第 1 行：“+”两侧不能为空"),
        ("\n".join(["后：高 => 忽略"] * 21), "上下文规则最多 20 条"),
    ],
)
def test_bad_rules_are_refused_in_chinese_naming_the_line(text, message):
    with pytest.raises(ValueError, match=re.escape(message)):
        parse_rules(text)
    entry = LexiconEntry(term="某词", category="custom", severity="warn", context_rules=text)
    with pytest.raises(ValidationError) as error:
        entry.full_clean()
    assert "context_rules" in error.value.message_dict


def test_rule_words_are_escaped_not_patterns():
    rules = parse_rules("后：.*|(a)? => 忽略")
    assert decide(rules, "x.*", 0, 1) == IGNORE
    assert decide(rules, "x(a)?", 0, 1) == IGNORE
    assert decide(rules, "xaaa", 0, 1) is None


def test_a_saved_entry_keeps_its_rules_tidy_and_they_take_effect():
    entry = LexiconEntry(term="示范词", category="custom", severity="block", context_rules="  后：样本 => 提示 \n\n")
    entry.full_clean()
    entry.save()
    assert entry.context_rules == "后：样本 => 提示"
    assert terms("示范词样本", "custom") == [("示范词", "warn")]
    assert terms("示范词。", "custom") == [("示范词", "block")]


def test_a_whitelist_phrase_with_punctuation_is_matched_on_the_raw_text():
    entry = LexiconEntry(term="示范", category="custom", severity="warn", whitelist="示（范）")
    entry.full_clean()
    entry.save()
    assert terms("见示（范）项", "custom") == []
    assert terms("见示范项", "custom") == [("示范", "warn")]


# --- the seeded rules on real government wording ------------------------------------------------

LOOK_ALIKES = [
    "管制最高不能超过三年，拘役最长不超过一年，最低工资标准",
    "城市道路最高时速为70公里，景区最大承载量",
    "依照第一审程序审理，第一类医疗器械，第一批名单，第一书记",
    "违反本条例第（一）、（二）项规定的；第一、二项产品",
    "档案永久保存，唯一受益人，专供出口的产品",
    "他拒绝，对方也没有再提",
    "保障失独家庭的合法权益",
    "不得使用“国家级”“最高级”“最佳”等用语",
    "坚持安全第一、预防为主，国家级非物质文化遗产",
    "第1条 为了规范管理，制定本办法。",
    "编号NO.12的车辆，TOP10榜单",
]


@pytest.mark.parametrize("text", LOOK_ALIKES)
def test_government_wording_is_not_advertising(text):
    assert terms(text) == []


POSITIVES = [
    ("本店产品全国第一", "第一"),
    ("最好的选择", "最"),
    ("最低价促销", "最"),
    ("这是绝对的好产品", "绝对"),
    ("独家秘方", "独家"),
    ("销量NO.1", "NO.1"),
    ("人气TOP1", "TOP1"),
    ("行业第1品牌", "第1"),
    ("全省销量第１名", "第1"),
    ("效果100%", "100%"),
    ("国家级品质", "国家级"),
    ("永久免费", "永久"),
    ("全国唯一", "唯一"),
    ("国宴专供", "专供"),
]


@pytest.mark.parametrize("text, term", POSITIVES)
def test_advertising_claims_are_still_found(text, term):
    assert (term, "warn") in terms(text)


# --- punctuation, word boundaries, prohibitions ---------------------------------------------------


def test_no_term_runs_across_clause_punctuation_unless_spelled_out():
    assert terms("禁止赌博，网站应当备案", "sensitive") == []
    assert terms("拒绝，对") == []
    assert terms("出售赌，博，网，站账号", "sensitive") == [("赌博网站", "block")]
    assert terms("出售赌“博”网“站”账号", "sensitive") == [("赌博网站", "block")]


def test_jieba_word_boundaries_stop_advertising_words_inside_other_words():
    assert terms("保障失独家庭") == []
    assert terms("拒绝对话") == []
    assert terms("独家新闻") == [("独家", "warn")]


def test_a_blocking_term_in_a_prohibition_is_a_warning_that_says_why():
    for text in ("禁止非法代开发票。", "严厉打击利用赌博网站犯罪", "以营利为目的，建立赌博网站的，依照刑法处罚"):
        found = findings(text, "sensitive")
        assert [f.severity for f in found] == ["warn"], text
        assert "禁止" in found[0].suggestion
    assert terms("本店可代开发票，价格优惠", "sensitive") == [("代开发票", "block")]
    assert terms("纳税人可以向税务机关申请代开发票", "sensitive") == []


def test_a_prohibition_in_another_sentence_does_not_count():
    assert terms("禁止吸烟。本店可代开发票", "sensitive") == [("代开发票", "block")]


def test_a_hit_is_judged_alike_alone_and_among_many_hits():
    # 刑法 lies beyond the reach of the sentence read around the first hit (no sentence end between).
    sentence = "出售枪支" + "，有关事项" * 50 + "，依照刑法处理。"
    assert terms(sentence, "sensitive")[0] == ("出售枪支", "block")
    # Many hits make the matcher fold the whole text once instead of a window a hit: same judgement.
    crowded = sentence + "出售枪支。" * 10
    assert terms(crowded, "sensitive")[0] == ("出售枪支", "block")


# --- import and export carry the rules ---------------------------------------------------------


def test_rules_survive_a_text_and_a_spreadsheet_round_trip():
    LexiconEntry.objects.create(
        term="往返示例", category="custom", severity="warn", context_rules="后：品牌 => 提示\n其他 => 忽略"
    )
    queryset = LexiconEntry.objects.filter(term="往返示例")
    for rows in (rows_from_text(export_text(queryset)), rows_from_xlsx(export_xlsx(queryset))):
        LexiconEntry.objects.filter(term="往返示例").update(context_rules="")
        result = import_rows(rows, "custom", "warn")
        assert result.ok, result.errors
        assert LexiconEntry.objects.get(term="往返示例").context_rules == "后：品牌 => 提示\n其他 => 忽略"


def test_a_five_column_line_keeps_the_rules_and_a_bad_rule_names_its_line():
    LexiconEntry.objects.create(term="保留示例", category="custom", severity="warn", context_rules="其他 => 忽略")
    result = import_rows(rows_from_text("保留示例\tcustom\tblock\t\t".encode()), "custom", "warn")
    assert result.ok
    entry = LexiconEntry.objects.get(term="保留示例")
    assert (entry.severity, entry.context_rules) == ("block", "其他 => 忽略")
    result = import_rows(rows_from_text("坏规则\tcustom\twarn\t\t\t后 高 忽略".encode()), "custom", "warn")
    assert not result.ok
    assert result.errors[0][0] == 1 and "格式不正确" in result.errors[0][1]


def test_the_admin_form_offers_the_rules(admin_client):
    response = admin_client.get("/admin/lexicon/new/")
    assert response.status_code == 200
    assert 'name="context_rules"' in response.content.decode()


# --- the vectorised stream ---------------------------------------------------------------------


def test_the_stream_maps_every_span_back_through_noise_runs_and_astral_characters():
    text = "赌😀博 博𠀀网 站"
    stream = NormalisedText(text)
    assert stream.text == "赌博\ue000网站"
    assert stream.original_span(0, 2) == (0, 5)
    assert stream.original_span(3, 5) == (6, 9)
    matcher = LexiconMatcher([("赌博网站", "sensitive", "block", "", "", ""), ("赌博", "custom", "warn", "", "", "")])
    assert [(hit.entry.term, text[hit.start : hit.end]) for hit in matcher.find(text)] == [("赌博", "赌😀博 博")]


def test_a_long_text_folds_as_its_short_pieces_do():
    piece = "機密★１年，Ｈｅｌｌｏ😀鄭浩然縣長𠀀\n"
    assert len(piece) < 128 <= len(piece * 20)  # the short pieces by str.translate, the whole by numpy
    assert fold_literal(piece * 20) == fold_literal(piece) * 20
    assert fold_literal(piece) == "机密★1年,hello😀郑浩然县长𠀀\n"
    lone_surrogate = piece * 20 + "\ud800"
    assert fold_literal(lone_surrogate) == fold_literal(piece) * 20 + "\ud800"


def test_the_automaton_never_matches_across_half_characters():
    # UTF-16-LE: 一 is 00 4E and 低 is 4E 4F, so their bytes hold 4E 4E, which is 乎, at an odd offset.
    matcher = LexiconMatcher([("乎", "custom", "warn", "", "", "")])
    assert matcher.find("一低") == []
    assert [hit.start for hit in matcher.find("一乎")] == [1]


def test_export_text_is_utf8_with_six_columns():
    data = export_text(LexiconEntry.objects.filter(term="最"))
    header = io.StringIO(data.decode()).readlines()[1]
    assert header.count("\t") == 5
