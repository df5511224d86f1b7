"""The two ways of building the lexicon's matching stream (str.translate for paragraphs, numpy for
long texts) must give the same stream and map every span back to the same original characters."""

import random

import pytest

from workflows.lexicon.normalise import NormalisedText

SAMPLES = [
    "毒毒品",
    "赌  博博博网站，代開發票",
    "a😀b𠀀c毒🔥毒品",
    "，，。",
    "Ａ１！毒毒　品ＡＢ",
    "拒绝，对\n失独家庭\u200b最佳",
    "常常人人天天",
]


def _random_texts(count):
    rng = random.Random(12)
    alphabet = "毒品赌博网站 ，。😀𠀀Ａa1\u200b博博\n機密"
    return ["".join(rng.choice(alphabet) for _ in range(rng.randint(1, 300))) for _ in range(count)]


def _both(text):
    short, long = NormalisedText.__new__(NormalisedText), NormalisedText.__new__(NormalisedText)
    short._folded = long._folded = None
    short._fold_short(text)
    long._fold_long(text)
    return short, long


@pytest.mark.parametrize("text", SAMPLES + _random_texts(60))
def test_short_and_long_streams_agree(text):
    short, long = _both(text)
    assert short.utf16 == long.utf16
    length = len(long.utf16) // 2
    for start in range(length):
        for end in range(start + 1, min(length, start + 6) + 1):
            assert short.original_span(start, end) == long.original_span(start, end)


def test_paragraphs_take_the_short_way_and_long_texts_numpy():
    assert NormalisedText("毒毒品")._folded is not None
    assert NormalisedText("毒毒品" * 100)._folded is None
    assert NormalisedText("赌  博博网站").text == "赌博网站"
    assert NormalisedText("赌  博博网站").original_span(0, 4) == (0, 7)
