"""Patterns over text as written match exactly what the folded patterns match on the folded text."""

import random
import re

import pytest

from workflows.checks import fold, scan_text
from workflows.checks.folded_classes import led, raw_class
from workflows.lexicon.normalise import fold_literal


@pytest.mark.parametrize(
    ("fold_function", "folded_class", "flags", "beyond_bmp"),
    [
        (fold_literal, r"[\s\u200b-\u200d\u2060\ufeff]", 0, False),
        (fold_literal, r"[密机]", 0, False),
        (fold_literal, r"\d", 0, True),
        (fold, r"[A-Za-z0-9\-._~:/?#\[\]@!$&()*+,;=%]", re.IGNORECASE, False),
    ],
)
def test_a_raw_class_holds_every_character_whose_fold_matches(fold_function, folded_class, flags, beyond_bmp):
    raw = re.compile(raw_class(fold_function, folded_class, flags, beyond_bmp))
    folded = re.compile(folded_class, flags)
    samples = [chr(code) for code in range(0x10000)] + ["𝟏", "𝐀", "😀"]
    assert [c for c in samples if raw.fullmatch(c)] == [c for c in samples if folded.fullmatch(fold_function(c))]


def test_a_led_pattern_matches_as_the_plain_alternation():
    def one_of(chars):
        return raw_class(fold_literal, f"[{re.escape(chars)}]")

    words = ["内部资料", "内部文件", "注意保存", "不得外传"]
    raw = re.compile(led([(word[0], "".join(map(one_of, word[1:]))) for word in words], one_of))
    folded = re.compile("|".join(words))
    rng = random.Random(12)
    alphabet = "內内部資资料文件注註意保存不得外傳传，。 "
    for _ in range(2000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 30)))
        assert [m.span() for m in raw.finditer(text)] == [m.span() for m in folded.finditer(fold_literal(text))]


@pytest.mark.django_db
def test_long_text_with_markings_and_links_far_apart():
    filler = "各单位应当依法做好政务公开工作。\n" * 2000
    text = "機密★1年\n" + filler + "详见 ｈｔｔｐ：／／ｔ．ｃｎ／ａｂｃ１ 。" + filler + "本册为內部資料，请妥善保管。"
    found = [
        (f.category, f.severity, text[f.start : f.end])
        for f in scan_text(text)
        if f.category in ("confidential", "short_link")
    ]
    assert found == [
        ("confidential", "block", "機密★1年"),
        ("short_link", "block", "ｈｔｔｐ：／／ｔ．ｃｎ／ａｂｃ１"),
        ("confidential", "warn", "內部資料"),
    ]
