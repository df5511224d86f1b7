"""The editor guide's sections are numbered 一、二、… without gaps, so a clerk told "see section 十" finds it."""

import re
from pathlib import Path

GUIDE = Path(__file__).resolve().parent.parent / "docs" / "editor-guide.md"
NUMERALS = "一二三四五六七八九"


def chinese_number(n):
    """1 → 一, 10 → 十, 16 → 十六, 20 → 二十 (enough for a guide's sections)."""
    tens, ones = divmod(n, 10)
    prefix = "" if tens == 0 else ("十" if tens == 1 else NUMERALS[tens - 1] + "十")
    return prefix + (NUMERALS[ones - 1] if ones else "")


def test_sections_are_numbered_consecutively():
    headings = re.findall(r"^## (.+)$", GUIDE.read_text(encoding="utf-8"), re.M)
    numbers = [heading.split("、", 1)[0] for heading in headings]
    assert all("、" in heading for heading in headings), headings
    assert numbers == [chinese_number(n) for n in range(1, len(headings) + 1)]
