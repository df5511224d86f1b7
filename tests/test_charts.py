"""Server-drawn SVG charts: labels inert, values written as text, empty and zero data drawn."""

import re
from xml.etree import ElementTree

from django.utils.safestring import SafeString

from cms.charts import bar_chart, line_chart

PAYLOAD = '<script>alert(1)</script>"><img src=x onerror=alert(2)>'
SVG = "{http://www.w3.org/2000/svg}"


def parse(svg):
    """The chart is well-formed XML; returns the root element."""
    return ElementTree.fromstring(str(svg))


def texts(svg):
    return [element.text for element in parse(svg).iter(f"{SVG}text")]


def test_bar_chart_is_accessible_and_writes_values():
    svg = bar_chart("各单位收到留言", [("石羊镇", 12), ("县教育局", 3.5)], value_label="件")
    assert isinstance(svg, SafeString)
    root = parse(svg)
    assert root.get("role") == "img"
    title_id, desc_id = root.get("aria-labelledby").split()
    assert root.find(f"{SVG}title").get("id") == title_id
    assert root.find(f"{SVG}title").text == "各单位收到留言"
    assert root.find(f"{SVG}desc").get("id") == desc_id
    assert "Noto Sans CJK SC" in root.get("font-family") and "sans-serif" in root.get("font-family")
    assert {"石羊镇", "县教育局", "12", "3.5"} <= set(texts(svg))
    widths = [float(rect.get("width")) for rect in root.iter(f"{SVG}rect")]
    assert widths[0] > widths[1] > 0


def titles(svg):
    return [element.text for element in parse(svg).iter(f"{SVG}title")]


def test_labels_with_xss_payloads_are_escaped():
    bar = bar_chart(PAYLOAD, [(PAYLOAD, 1)], value_label=PAYLOAD)
    line = line_chart(PAYLOAD, {PAYLOAD: [(PAYLOAD, 2)]}, value_label=PAYLOAD)
    for svg in (bar, line):
        assert "<script" not in svg and "<img" not in svg
        assert "&lt;script&gt;" in svg
        parse(svg)
        # Drawn wrapped or shortened, the payload is kept whole in the chart's titles.
        assert PAYLOAD in titles(svg)


def test_zero_and_empty_data_draw_without_division_by_zero():
    empty_bar = bar_chart("空", [])
    assert "暂无数据" in texts(empty_bar)
    zeros = bar_chart("零", [("甲", 0), ("乙", 0)])
    assert all(float(rect.get("width")) == 0 for rect in parse(zeros).iter(f"{SVG}rect"))
    assert texts(zeros).count("0") == 2
    assert "暂无数据" in texts(line_chart("空", {}))
    assert "暂无数据" in texts(line_chart("空", {"甲": []}))
    single = line_chart("单点", {"甲": [("2026-01", 0)]})
    parse(single)
    assert "nan" not in single.lower() and "inf" not in single.lower()


def test_line_chart_writes_each_value_and_legend():
    svg = line_chart(
        "每月留言",
        {"收到": [("2026-01", 4), ("2026-02", 7)], "办结": [("2026-01", 2), ("2026-02", 7)]},
        value_label="件",
    )
    written = texts(svg)
    assert {"收到", "办结", "2026-01", "2026-02", "4", "7", "2"} <= set(written)
    polylines = list(parse(svg).iter(f"{SVG}polyline"))
    assert len(polylines) == 2
    assert all(re.fullmatch(r"[\d. ,]+", line.get("points")) for line in polylines)


def test_chart_ids_are_unique_on_one_page():
    first, second = bar_chart("a", [("x", 1)]), bar_chart("a", [("x", 1)])
    assert parse(first).get("aria-labelledby") != parse(second).get("aria-labelledby")
