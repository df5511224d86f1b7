"""No two labels of a chart overlap and none leaves its viewBox, for every public chart function of
cms.charts (found by walking the module) and data chosen to crowd it: none, one point, all zeros, tiny
fractions, one huge value among tiny ones, 36 categories, 60-character Chinese labels, the largest value
first or last, ten series. Every value must still be written as text, and a shortened label kept whole
in a <title>.

Boxes are estimated independently of cms.chart_text: a CJK character is one em wide, any other
character 0.6 em, the box from 0.9 em above the baseline to 0.25 em below. The browser's own boxes
are checked in tests/e2e/test_charts.py."""

import inspect
import unicodedata
from itertools import combinations
from xml.etree import ElementTree

import pytest

from cms import charts

SVG = "{http://www.w3.org/2000/svg}"
LONG = "关于县城老旧小区改造过程中道路破损路灯不亮排水不畅以及停车位严重不足等问题的反映和建议请尽快研究处理"[:60]
MONTHS = [f"{2024 + i // 12}-{i % 12 + 1:02d}" for i in range(36)]


def chart_functions():
    return [
        function
        for name, function in inspect.getmembers(charts, inspect.isfunction)
        if function.__module__ == charts.__name__ and not name.startswith("_")
    ]


# name -> (labels, values): the labels are the categories or x positions.
HOSTILE = {
    "no data": ([], []),
    "single point": (["2026-01"], [5]),
    "tiny fractions": (MONTHS[:5], [0.04, 0.3, 0.001, 0.25, 0.06]),
    "all zeros": (MONTHS[:6], [0] * 6),
    "one huge, many tiny": (MONTHS[:12], [9_876_543] + [1, 2, 0] * 3 + [1, 1]),
    "36 categories": ([f"第{i}个镇街道办事处" for i in range(36)], [(i * 37) % 130 for i in range(36)]),
    "60-character Chinese labels": ([LONG, LONG[::-1], LONG[:30]], [3, 12, 7]),
    "largest first": (MONTHS[:12], [120 - i * 9 for i in range(12)]),
    "largest last": (MONTHS[:12], [i * 9 + 1 for i in range(12)]),
    "many series": (MONTHS[:4], [40, 10, 30, 20]),
}
SERIES = ["收到留言", "已答复", LONG]
MANY_SERIES = SERIES + [f"{LONG[:k]}{k}" for k in range(4, 40, 5)]


def arguments(function, dataset):
    """The data argument for `function`, by the name of its parameter; a new kind of chart must be added here."""
    labels, values = HOSTILE[dataset]
    parameter = list(inspect.signature(function).parameters)[1]
    if parameter == "rows":
        return list(zip(labels, values, strict=True))
    if parameter == "series":
        # Series close to each other, some with long names: values meet, labels and legend entries crowd.
        names = MANY_SERIES if dataset == "many series" else SERIES
        return {name: [(x, max(v - k, 0)) for x, v in zip(labels, values, strict=True)] for k, name in enumerate(names)}
    pytest.fail(f"{function.__name__}: no hostile data for a chart taking {parameter!r}")


def cases():
    return [
        pytest.param(function, dataset, id=f"{function.__name__}-{dataset}")
        for function in chart_functions()
        for dataset in HOSTILE
    ]


def estimated_width(content, size):
    return sum(size if unicodedata.east_asian_width(char) in "WFA" else 0.6 * size for char in content)


def text_boxes(root):
    """(text, (left, top, right, bottom)) of every <text>, font size inherited from the <svg>."""
    inherited = float(root.get("font-size"))
    boxes = []
    for element in root.iter(f"{SVG}text"):
        size = float(element.get("font-size", inherited))
        x, y = float(element.get("x")), float(element.get("y"))
        drawn = estimated_width(element.text or "", size)
        left = x - {"start": 0, "middle": drawn / 2, "end": drawn}[element.get("text-anchor", "start")]
        boxes.append((element.text, (left, y - 0.9 * size, left + drawn, y + 0.25 * size)))
    return boxes


def intersect(a, b):
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


@pytest.mark.parametrize(("function", "dataset"), cases())
def test_labels_neither_overlap_nor_leave_the_chart(function, dataset):
    data = arguments(function, dataset)
    root = ElementTree.fromstring(str(function(LONG, data, value_label="件")))
    _x, _y, width, height = (float(part) for part in root.get("viewBox").split())
    boxes = text_boxes(root)
    outside = [content for content, box in boxes if box[0] < 0 or box[1] < 0 or box[2] > width or box[3] > height]
    assert not outside, outside
    overlapping = [(a, b) for (a, box_a), (b, box_b) in combinations(boxes, 2) if intersect(box_a, box_b)]
    assert not overlapping, overlapping
    written = [content for content, _box in boxes]
    drawn = [value for _label, value in data] if isinstance(data, list) else [v for p in data.values() for _x, v in p]
    missing = {str(v) if isinstance(v, int) else f"{v:.1f}" for v in drawn} - set(written)
    assert not missing, "every value is written as text"
    assert any(LONG in (title.text or "") for title in root.iter(f"{SVG}title")), "long text kept whole in a title"


def test_every_chart_function_is_covered():
    assert {function.__name__ for function in chart_functions()} >= {"bar_chart", "line_chart"}
