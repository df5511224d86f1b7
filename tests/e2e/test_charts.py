"""The server-drawn charts in a real browser: for every chart function and every crowding dataset of
tests/test_chart_layout.py, Chromium's getBBox() of each <text> lies within its <svg> and meets no
other. The page's screenshot is kept in the test's tmp dir for a human to look at."""

import pytest

from tests.test_chart_layout import HOSTILE, LONG, arguments, chart_functions

pytestmark = pytest.mark.e2e

# Every <text>'s box in user units (getBBox ignores the CSS scaling), checked against its <svg>'s viewBox
# and against the other texts of that chart.
COLLISIONS = """() => [...document.querySelectorAll("svg.chart")].map((svg) => {
  const view = svg.viewBox.baseVal;
  const boxes = [...svg.querySelectorAll("text")].map((t) => [t.textContent, t.getBBox()]);
  const found = [];
  boxes.forEach(([label, a], i) => {
    if (a.x < view.x || a.y < view.y || a.x + a.width > view.x + view.width || a.y + a.height > view.y + view.height) {
      found.push(`outside: ${label}`);
    }
    boxes.slice(i + 1).forEach(([other, b]) => {
      if (a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height) {
        found.push(`overlap: ${label} / ${other}`);
      }
    });
  });
  return [svg.querySelector("title").textContent, boxes.length, found];
})"""


def test_chart_labels_do_not_collide_in_the_browser(page, tmp_path):
    sections = [
        f"<section><h2>{function.__name__}: {dataset}</h2>{function(LONG, arguments(function, dataset))}</section>"
        for function in chart_functions()
        for dataset in HOSTILE
    ]
    page.set_content('<!doctype html><html lang="zh-CN"><meta charset="utf-8"><body>' + "".join(sections))
    page.evaluate("document.fonts.ready")
    page.screenshot(path=tmp_path / "charts.png", full_page=True)
    results = page.evaluate(COLLISIONS)
    assert len(results) == len(chart_functions()) * len(HOSTILE)
    assert all(count > 0 for _title, count, _found in results)
    problems = [found for _title, _count, found in results if found]
    assert not problems, problems
