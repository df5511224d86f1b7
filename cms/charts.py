"""Server-drawn SVG charts for public pages and admin reports.

No third-party or inline script: the portal's CSP forbids both, and the charts must
print and read the same in a screen reader (each value is written as text, the chart
carries role="img" with a <title>). Every label goes through format_html, so a label
typed by the public (a letter subject, a survey option) is inert.

No two labels overlap and none leaves the viewBox, whatever the data: cms.chart_text
estimates each label's box, and the layout below reserves room for it (headroom above the
top point, a margin as wide as the y-axis labels, bars short enough for their values).
A label too long for its place is wrapped or shortened, its full text kept in a <title>;
x labels too crowded to all be written are thinned; point values that cannot all be
placed beside their points are written in a table under the chart instead.
"""

from decimal import Decimal
from itertools import count
from math import ceil, floor

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from cms import chart_text as text

FONT = "'Noto Sans CJK SC', 'Noto Sans SC', sans-serif"
# Colour-blind-safe palette (Okabe-Ito), dark enough for text contrast on white.
PALETTE = ("#0b5fa5", "#c75000", "#007a5a", "#a8327d", "#5b4a9e", "#8a6d00", "#3a3a3a")
WIDTH = 640
SIZE = 13  # the svg's font-size, used by every label not given its own
LINE = 20  # one line of SIZE text: its box is 1.5 × 13 high
BASELINE = 16  # from the top of a line to its baseline (ascent, rounded up)
TITLE_SIZE = 15
TITLE_LINE = 22
TITLE_LINES = 3
TOP = 36  # where the drawing starts under a one-line title
# Bar charts
LABEL_WIDTH = 170
LABEL_GAP = 8
LABEL_LINES = 2
BAR_HEIGHT = 22
ROW_GAP = 8
VALUE_GAP = 6
MIN_SPAN = 120
# Line charts
VALUE_SIZE = 11
VALUE_OFFSET = 8  # from a point to its value's baseline: the value's descent stays off the dot
PLOT_LEFT = 50
PLOT_HEIGHT = 200
X_LABEL_ROOM = 120
X_LABEL_GAP = 8
LEGEND_ROOM = 200
TABLE_SIZE = 12
TABLE_LINE = 18
COLUMN_GAP = 10
BLOCK_GAP = 24

_ids = count(1)


def _chart_id():
    return f"chart-{next(_ids)}"


def _number(value):
    """Written form of a value: integers as is, other numbers to one decimal."""
    if value is None:
        return "0"
    if isinstance(value, int) or (isinstance(value, (float, Decimal)) and value == int(value)):
        return str(int(value))
    return f"{float(value):.1f}"


def _magnitude(value):
    try:
        return max(float(value or 0), 0.0)
    except (TypeError, ValueError):
        return 0.0


def _join(parts):
    return format_html_join("", "{}", ((part,) for part in parts))


def _text(x, y, content, anchor="start", size=None):
    size_attribute = format_html(' font-size="{}"', size) if size else ""
    return format_html(
        '<text x="{}" y="{}" text-anchor="{}"{}>{}</text>', round(x, 1), round(y, 1), anchor, size_attribute, content
    )


def _heading(title):
    """The title's lines (wrapped, bold is estimated a tenth wider) and the y where the drawing starts."""
    lines = text.wrap(title, WIDTH - 2, TITLE_SIZE * 1.1, TITLE_LINES)
    parts = [
        format_html(
            '<text x="0" y="{}" font-size="{}" font-weight="bold">{}</text>', 18 + i * TITLE_LINE, TITLE_SIZE, line
        )
        for i, line in enumerate(lines)
    ]
    return _join(parts), TOP + (len(lines) - 1) * TITLE_LINE


def _svg(chart_id, title, value_label, size, heading, body):
    width, height = size
    return format_html(
        '<svg class="chart" xmlns="http://www.w3.org/2000/svg" role="img" '
        'aria-labelledby="{id}-title {id}-desc" viewBox="0 0 {w} {h}" width="{w}" height="{h}" '
        'preserveAspectRatio="xMinYMin meet" font-family="{font}" font-size="{size}" fill="#222">'
        '<title id="{id}-title">{title}</title><desc id="{id}-desc">{desc}</desc>{heading}{body}</svg>',
        id=chart_id,
        w=ceil(width),
        h=ceil(height),
        font=FONT,
        size=SIZE,
        title=title,
        desc=value_label or _("图表"),
        heading=heading,
        body=body,
    )


def _empty(chart_id, title, value_label, heading, top):
    return _svg(chart_id, title, value_label, (WIDTH, top + 30), heading, _text(0, top + BASELINE, _("暂无数据")))


def bar_chart(title, rows, *, value_label="") -> SafeString:
    """Horizontal bars, one per (label, number) row, each value written after its bar.

    A label is wrapped onto two lines and then shortened; bars are scaled so that the widest value
    still fits after the longest bar (the chart widens only for a value wider than the bars' room)."""
    rows = list(rows)
    chart_id = _chart_id()
    heading, top = _heading(title)
    if not rows:
        return _empty(chart_id, title, value_label, heading, top)
    written = [_number(value) for _label, value in rows]
    widest = max(text.width(value, SIZE) for value in written)
    width = max(WIDTH, ceil(LABEL_WIDTH + MIN_SPAN + VALUE_GAP + widest + 2))
    span = width - LABEL_WIDTH - VALUE_GAP - widest - 2
    largest = max(_magnitude(value) for _label, value in rows)
    parts = []
    y = top
    for (label, value), value_text in zip(rows, written, strict=True):
        lines = text.wrap(label, LABEL_WIDTH - LABEL_GAP - 2, SIZE, LABEL_LINES)
        block = max(BAR_HEIGHT, len(lines) * LINE)
        bar_y = y + (block - BAR_HEIGHT) / 2
        line_top = y + (block - len(lines) * LINE) / 2
        length = round(span * _magnitude(value) / largest, 1) if largest else 0
        parts.append(
            format_html(
                '<g><title>{label}: {value}</title>{lines}<rect x="{bx}" y="{by}" width="{length}" height="{h}" '
                'fill="{colour}"/>{value_text}</g>',
                label=label,
                value=value_text,
                lines=_join(
                    _text(LABEL_WIDTH - LABEL_GAP, line_top + BASELINE + i * LINE, line, "end")
                    for i, line in enumerate(lines)
                ),
                bx=LABEL_WIDTH,
                by=round(bar_y, 1),
                length=length,
                h=BAR_HEIGHT,
                colour=PALETTE[0],
                value_text=_text(LABEL_WIDTH + length + VALUE_GAP, bar_y + BASELINE, value_text),
            )
        )
        y += block + ROW_GAP
    return _svg(chart_id, title, value_label, (width, y - ROW_GAP + 4), heading, _join(parts))


def _place(candidates, region, taken):
    """The first candidate (x, y, text, anchor) whose box lies in `region` and meets no box in `taken`."""
    for x, y, label, anchor in candidates:
        placed = text.box(x, y, label, VALUE_SIZE, anchor)
        if text.inside(placed, region) and not any(text.overlaps(placed, other) for other in taken):
            taken.append(placed)
            return round(x, 1), round(y, 1), anchor
    return None


def _value_labels(points, region, taken):
    """(x, y, anchor) for each point's value beside it (above, below, right, left), or None if one has no room."""
    placements = []
    for px, py, value in points:
        candidates = [
            (px, py - VALUE_OFFSET, value, "middle"),
            (px, py + VALUE_OFFSET + text.ASCENT * VALUE_SIZE, value, "middle"),
            (px + 6, py + 4, value, "start"),
            (px - 6, py + 4, value, "end"),
        ]
        placement = _place(candidates, region, taken)
        if placement is None:
            return None
        placements.append(placement)
    return placements


def _legend(series_names, top):
    """Legend entries flowing left to right, wrapping; returns the parts and the y under them."""
    parts = []
    x, y = 0, top + BASELINE
    for number, name in enumerate(series_names):
        shown = text.fit(name, LEGEND_ROOM, SIZE)
        entry = 18 + text.width(shown, SIZE)
        if x and x + entry > WIDTH - 2:
            x, y = 0, y + LINE
        parts.append(
            format_html(
                '<g><title>{}</title><rect x="{}" y="{}" width="12" height="12" fill="{}"/>{}</g>',
                name,
                round(x, 1),
                y - 11,
                PALETTE[number % len(PALETTE)],
                _text(x + 18, y, shown),
            )
        )
        x += entry + 16
    return parts, y + LINE - BASELINE


def _value_table(xs, series, written, top):
    """Every value in a table (x, then one column per series), split into side-by-side blocks.

    Returns the parts, the y under the table and the width it needs."""
    x_labels = [text.fit(x, X_LABEL_ROOM, TABLE_SIZE) for x in xs]
    columns = [max(text.width(label, TABLE_SIZE) for label in x_labels)]
    headers = []
    for name in series:
        widest = max((text.width(value, TABLE_SIZE) for value in written[name].values()), default=0)
        room = max(widest, min(text.width(name, TABLE_SIZE), 80))
        headers.append(text.fit(name, room, TABLE_SIZE))
        columns.append(max(room, text.width(headers[-1], TABLE_SIZE)))
    block_width = sum(columns) + COLUMN_GAP * (len(columns) - 1)
    blocks = max(1, floor((WIDTH + BLOCK_GAP) / (block_width + BLOCK_GAP)))
    per_block = ceil(len(xs) / blocks)
    parts = []
    for block in range(blocks):
        left = block * (block_width + BLOCK_GAP)
        rights = [left + sum(columns[: i + 1]) + COLUMN_GAP * i for i in range(len(columns))]
        baseline = top + BASELINE
        parts.extend(
            _text(right, baseline, header, "end", TABLE_SIZE) for right, header in zip(rights[1:], headers, strict=True)
        )
        for row, index in enumerate(range(block * per_block, min(len(xs), (block + 1) * per_block)), start=1):
            y = baseline + row * TABLE_LINE
            parts.append(_text(left, y, x_labels[index], "start", TABLE_SIZE))
            parts.extend(
                _text(right, y, written[name].get(xs[index], "–"), "end", TABLE_SIZE)
                for right, name in zip(rights[1:], series, strict=True)
            )
    return parts, top + (per_block + 1) * TABLE_LINE, block_width + 2


class _Plot:
    """Where the points of a line chart go: x positions inset by `pad` so that a label centred on the
    first or last point stays inside the plot, y from the baseline up to the largest value."""

    def __init__(self, xs, largest, left, top, pad):
        self.xs, self.largest, self.left, self.top = xs, largest, left, top
        self.right = WIDTH - 2
        self.pad = min(pad, (self.right - left) / 4)
        self.baseline = top + PLOT_HEIGHT
        self.step = (self.right - left - 2 * self.pad) / (len(xs) - 1) if len(xs) > 1 else 0

    def position(self, x, value):
        index = self.xs.index(x)
        px = self.left + self.pad + index * self.step if self.step else (self.left + self.right) / 2
        py = self.baseline - (PLOT_HEIGHT * _magnitude(value) / self.largest if self.largest else 0)
        return round(px, 1), round(py, 1)


def _axes(plot, x_labels):
    """The baseline, the y-axis labels (0 and the largest value) and the x labels, thinned to every
    n-th when they would touch; returns the parts and the labels' boxes."""
    axis = [(plot.left - 6, plot.baseline + 4, "0")]
    if plot.largest:
        axis.append((plot.left - 6, plot.top + 4, _number(plot.largest)))
    parts = [
        format_html(
            '<line x1="{}" y1="{b}" x2="{}" y2="{b}" stroke="#888"/>', plot.left, plot.right, b=round(plot.baseline, 1)
        )
    ]
    parts.extend(_text(x, y, label, "end") for x, y, label in axis)
    boxes = [text.box(x, y, label, SIZE, "end") for x, y, label in axis]
    widest = max(text.width(label, SIZE) for label in x_labels)
    every = ceil((widest + X_LABEL_GAP) / plot.step) if plot.step else 1
    for index in range(0, len(plot.xs), every):
        px, _py = plot.position(plot.xs[index], 0)
        parts.append(_text(px, plot.baseline + 20, x_labels[index], "middle"))
        boxes.append(text.box(px, plot.baseline + 20, x_labels[index], SIZE, "middle"))
    return parts, boxes


def line_chart(title, series, *, value_label="") -> SafeString:
    """One line per named series over shared x labels, points labelled with their values.

    The plot leaves headroom for the labels above its top point and a margin for the y-axis labels;
    points sit inset by half the widest label so that no label leaves the plot sideways."""
    series = {name: list(points) for name, points in series.items()}
    chart_id = _chart_id()
    heading, top = _heading(title)
    xs = []
    for points in series.values():
        for x, _value in points:
            if x not in xs:
                xs.append(x)
    if not xs:
        return _empty(chart_id, title, value_label, heading, top)
    written = {name: {x: _number(value) for x, value in points} for name, points in series.items()}
    largest = max(_magnitude(v) for points in series.values() for _x, v in points)
    x_labels = [text.fit(x, X_LABEL_ROOM, SIZE) for x in xs]
    widest_value = max(text.width(value, VALUE_SIZE) for values in written.values() for value in values.values())
    plot = _Plot(
        xs,
        largest,
        left=max(PLOT_LEFT, text.width(_number(largest), SIZE) + 10),
        top=top + VALUE_OFFSET + text.ASCENT * VALUE_SIZE + 2,
        pad=max(max(text.width(label, SIZE) for label in x_labels), widest_value) / 2 + 2,
    )
    parts, taken = _axes(plot, x_labels)
    colours = {name: PALETTE[number % len(PALETTE)] for number, name in enumerate(series)}
    points = [(name, x, *plot.position(x, value)) for name, values in series.items() for x, value in values]
    # Series meeting at a point with the same value share it, written once; a value must not hide another point either:
    # crowded points send the values to the table.
    spots = list(dict.fromkeys((px, py, written[name][x]) for name, x, px, py in points))
    taken.extend({(px - 4, py - 4, px + 4, py + 4) for px, py, _value in spots})
    region = (plot.left, top - 10, plot.right, plot.baseline + 2)
    placements = _value_labels(spots, region, taken)
    labelled = placements is not None
    placements = dict(zip(spots, placements, strict=True)) if labelled else {}
    parts.extend(
        format_html(
            '<polyline points="{}" fill="none" stroke="{}" stroke-width="2"/>',
            " ".join(f"{px},{py}" for px, py in (plot.position(x, value) for x, value in values)),
            colours[name],
        )
        for name, values in series.items()
    )
    for name, x, px, py in points:
        placement = placements.pop((px, py, written[name][x]), None)
        label = _text(*placement[:2], written[name][x], placement[2], VALUE_SIZE) if placement else ""
        parts.append(
            format_html(
                '<g><title>{name} {x}: {value}</title><circle cx="{px}" cy="{py}" r="3.5" fill="{colour}"/>{label}</g>',
                name=name,
                x=x,
                value=written[name][x],
                px=px,
                py=py,
                colour=colours[name],
                label=label,
            )
        )
    legend, bottom = _legend(series, plot.baseline + 30)
    parts.extend(legend)
    width = WIDTH
    if not labelled:
        table, bottom, table_width = _value_table(xs, series, written, bottom + 8)
        parts.extend(table)
        width = max(WIDTH, table_width)
    return _svg(chart_id, title, value_label, (width, bottom + 8), heading, _join(parts))
