"""规范表述 seeded from national guidance (lexicon migration 0004): each entry fires on its wrong form, never on
its right form, and correct official prose about Taiwan, Hong Kong, Macao and the legal titles passes."""

import importlib
import json
from pathlib import Path

import pytest
from django.apps import apps

from workflows import checks
from workflows.checks import scan_text
from workflows.lexicon.models import LexiconEntry

seeding = importlib.import_module("workflows.lexicon.migrations.0004_seed_standard_wording")
SEEDED = list(seeding.seed_rows())
DEMO_PAGES = Path(__file__).resolve().parents[2] / "site_pages" / "demo" / "pages.json"

CORRECT_PROSE = [
    "为深化两岸融合发展，县委台办组织台湾同胞赴安岳参观考察。海峡两岸同胞血脉相连，台湾地区民众与祖国大陆"
    "交流日益密切。会议强调，要坚持一个中国原则和“九二共识”，推动两岸关系和平发展，坚决反对“台独”分裂行径。",
    "香港特别行政区政府、澳门特别行政区政府派员出席推介会。香港、澳门回归祖国以来，“一国两制”实践取得举世公认的"
    "成功。内地与香港、内地与澳门经贸往来日益紧密，欢迎港澳同胞来内地投资兴业，港澳台游客来内地旅游人数持续增长。",
    "我县柠檬已出口至俄罗斯、日本、韩国和中国香港、中国台湾等国家和地区，同香港等国际金融中心的合作不断深化。"
    "县商务局将邀请港澳台地区和其他国家和地区的客商参加博览会，世界贸易组织成员的贸易规则为出口企业所熟悉。",
    "县人大常委会主任、副主任，县人民检察院检察长出席会议。各村（社区）村主任、大学生村官参加培训。该村长期"
    "坚持发展柠檬产业，农村长足发展。公安机关已将犯罪嫌疑人依法刑事拘留。中共安岳县委书记主持会议。",
    "1912年中华民国成立后，安岳隶属川北道；中华民国时期的县署旧址现为文物保护单位。朝鲜族、维吾尔族、蒙古族"
    "群众代表和伊斯兰教界人士应邀参加座谈，放学后学生返回教室参加课后服务。",
]


@pytest.fixture(autouse=True)
def fresh_lexicon(db):
    """Each test sees the lexicon of its own transaction (rollbacks send no signals)."""
    checks.invalidate_lexicon_cache()
    yield
    checks.invalidate_lexicon_cache()


def wording(text):
    return [f for f in scan_text(text) if f.category == "wording"]


def test_the_migration_seeded_every_row_valid():
    for row in SEEDED:
        entry = LexiconEntry.objects.get(term=row["term"], category="wording")
        assert entry.suggestion and entry.suggestion != entry.term
        entry.full_clean()


@pytest.mark.parametrize("paragraph", CORRECT_PROSE)
def test_correct_official_prose_has_no_wording_findings(paragraph):
    assert [(f.matched, f.suggestion) for f in wording(paragraph)] == []


def test_the_demo_content_has_no_findings_from_these_entries():
    seeded_terms = {row["term"] for row in SEEDED}

    def strings(value):
        if isinstance(value, str):
            yield value
        elif isinstance(value, dict):
            for item in value.values():
                yield from strings(item)
        elif isinstance(value, list):
            for item in value:
                yield from strings(item)

    pages = json.loads(DEMO_PAGES.read_text(encoding="utf-8"))
    hits = [f.matched for text in strings(pages) for f in wording(text) if f.term in seeded_terms]
    assert hits == []


@pytest.mark.parametrize("row", SEEDED, ids=[row["term"] for row in SEEDED])
def test_each_seeded_wrong_form_is_found_with_its_right_form(row):
    text = f"稿件中写有 {row['term']} 一词。"
    if not row["active"]:
        # Seeded switched off: silent until an administrator switches it on.
        assert wording(text) == []
        entry = LexiconEntry.objects.get(term=row["term"], category="wording")
        entry.active = True
        entry.save()
    found = [f for f in wording(text) if f.term == row["term"]]
    assert [(f.matched, f.severity, f.suggestion) for f in found] == [(row["term"], row["severity"], row["suggestion"])]
    assert text[found[0].start : found[0].end] == row["term"]


@pytest.mark.parametrize("row", SEEDED, ids=[row["term"] for row in SEEDED])
def test_each_seeded_right_form_and_whitelisted_phrase_passes(row):
    for phrase in [row["suggestion"], *row["whitelist"].splitlines()]:
        assert wording(f"稿件中写有{phrase}一词。") == [], phrase


def test_quoted_names_of_taiwan_institutions_pass_and_full_width_text_keeps_offsets():
    assert wording("台湾“行政院”、台湾“立法院”的所谓“法律”") == []
    text = "据报道，台湾　行政院　与两岸三地"
    found = wording(text)
    assert [(f.matched, f.severity) for f in found] == [("两岸三地", "block")]
    assert text[found[0].start : found[0].end] == "两岸三地"


def test_seeding_again_keeps_administrators_changes_and_restores_deleted_entries():
    LexiconEntry.objects.filter(term="村长", category="wording").update(severity="block", suggestion="村委会主任")
    LexiconEntry.objects.filter(term="前苏联", category="wording").delete()
    seeding.seed(apps, None)
    changed = LexiconEntry.objects.get(term="村长", category="wording")
    assert (changed.severity, changed.suggestion) == ("block", "村委会主任")
    assert LexiconEntry.objects.get(term="前苏联", category="wording").suggestion == "苏联"


def test_reverse_removes_only_untouched_seeded_entries():
    LexiconEntry.objects.filter(term="中港关系", category="wording").update(note="县委宣传部要求保留")
    before_others = LexiconEntry.objects.exclude(term__in=[row["term"] for row in SEEDED]).count()
    seeding.unseed(apps, None)
    assert list(LexiconEntry.objects.filter(term__in=[row["term"] for row in SEEDED]).values_list("term")) == [
        ("中港关系",)
    ]
    assert LexiconEntry.objects.count() == before_others + 1
