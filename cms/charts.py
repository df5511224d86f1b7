"""Server-drawn SVG charts for public pages and admin reports.

No third-party or inline script: the portal's CSP forbids both, and the charts must
print and read the same in a screen reader (each value is written as text, the chart
carries role="img" with a <title>). Every label goes through format_html, so a label
typed by the public (a letter subject, a survey option) is inert.
"""

from decimal import Decimal
from itertools import count

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

FONT = "'Noto Sans CJK SC', 'Noto Sans SC', sans-serif"
# Colour-blind-safe palette (Okabe-Ito), dark enough for text contrast on white.
PALETTE = ("#0b5fa5", "#c75000", "#007a5a", "#a8327d", "#5b4a9e", "#8a6d00", "#3a3a3a")
WIDTH = 640
LABEL_WIDTH = 170
VALUE_WIDTH = 70
BAR_HEIGHT = 22
ROW_GAP = 8
TOP = 36
LABEL_CHARS = 11

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


def _short(label, chars=LABEL_CHARS):
    label = str(label)
    return label if len(label) <= chars else label[: chars - 1] + "…"


def _join(parts):
    return format_html_join("", "{}", ((part,) for part in parts))


def _svg(chart_id, title, value_label, height, body):
    desc = value_label or _("图表")
    return format_html(
        '<svg class="chart" xmlns="http://www.w3.org/2000/svg" role="img" '
        'aria-labelledby="{id}-title {id}-desc" viewBox="0 0 {w} {h}" width="{w}" height="{h}" '
        'preserveAspectRatio="xMinYMin meet" font-family="{font}" font-size="13" fill="#222">'
        '<title id="{id}-title">{title}</title><desc id="{id}-desc">{desc}</desc>'
        '<text x="0" y="18" font-size="15" font-weight="bold">{title}</text>{body}</svg>',
        id=chart_id,
        w=WIDTH,
        h=height,
        font=FONT,
        title=title,
        desc=desc,
        body=body,
    )


def _empty(chart_id, title, value_label):
    body = format_html('<text x="0" y="{}">{}</text>', TOP + 16, _("暂无数据"))
    return _svg(chart_id, title, value_label, TOP + 30, body)


def bar_chart(title, rows, *, value_label="") -> SafeString:
    """Horizontal bars, one per (label, number) row, each value written after its bar."""
    rows = list(rows)
    chart_id = _chart_id()
    if not rows:
        return _empty(chart_id, title, value_label)
    largest = max(_magnitude(value) for _label, value in rows)
    span = WIDTH - LABEL_WIDTH - VALUE_WIDTH
    parts = []
    for index, (label, value) in enumerate(rows):
        y = TOP + index * (BAR_HEIGHT + ROW_GAP)
        length = round(span * _magnitude(value) / largest, 1) if largest else 0
        parts.append(
            format_html(
                "<g><title>{label}: {value}</title>"
                '<text x="{lx}" y="{ty}" text-anchor="end">{short}</text>'
                '<rect x="{bx}" y="{y}" width="{length}" height="{h}" fill="{colour}"/>'
                '<text x="{vx}" y="{ty}">{value}</text></g>',
                label=label,
                value=_number(value),
                short=_short(label),
                lx=LABEL_WIDTH - 8,
                bx=LABEL_WIDTH,
                y=y,
                ty=y + BAR_HEIGHT - 6,
                length=length,
                h=BAR_HEIGHT,
                colour=PALETTE[0],
                vx=LABEL_WIDTH + length + 6,
            )
        )
    height = TOP + len(rows) * (BAR_HEIGHT + ROW_GAP) + 4
    return _svg(chart_id, title, value_label, height, _join(parts))


def line_chart(title, series, *, value_label="") -> SafeString:
    """One line per named series over shared x labels, points labelled with their values."""
    series = {name: list(points) for name, points in series.items()}
    chart_id = _chart_id()
    xs = []
    for points in series.values():
        for x, _value in points:
            if x not in xs:
                xs.append(x)
    if not xs:
        return _empty(chart_id, title, value_label)
    plot_left, plot_top, plot_height = 50, TOP + 10, 200
    plot_width = WIDTH - plot_left - 40  # room for half of the last x label
    largest = max(_magnitude(v) for points in series.values() for _x, v in points)
    step = plot_width / (len(xs) - 1) if len(xs) > 1 else 0

    def position(x, value):
        px = plot_left + (xs.index(x) * step if step else plot_width / 2)
        py = plot_top + plot_height - (plot_height * _magnitude(value) / largest if largest else 0)
        return round(px, 1), round(py, 1)

    baseline = plot_top + plot_height
    parts = [
        format_html(
            '<line x1="{l}" y1="{b}" x2="{r}" y2="{b}" stroke="#888"/>'
            '<text x="{tx}" y="{b}" text-anchor="end">0</text>'
            '<text x="{tx}" y="{t}" text-anchor="end">{top}</text>',
            l=plot_left,
            r=plot_left + plot_width,
            b=baseline,
            t=plot_top + 4,
            tx=plot_left - 6,
            top=_number(largest),
        )
    ]
    for x in xs:
        px, _py = position(x, 0)
        parts.append(format_html('<text x="{}" y="{}" text-anchor="middle">{}</text>', px, baseline + 18, _short(x, 8)))
    for number, (name, points) in enumerate(series.items()):
        colour = PALETTE[number % len(PALETTE)]
        coordinates = [position(x, value) for x, value in points]
        parts.append(
            format_html(
                '<polyline points="{}" fill="none" stroke="{}" stroke-width="2"/>',
                " ".join(f"{px},{py}" for px, py in coordinates),
                colour,
            )
        )
        for (x, value), (px, py) in zip(points, coordinates, strict=True):
            parts.append(
                format_html(
                    "<g><title>{name} {x}: {value}</title>"
                    '<circle cx="{px}" cy="{py}" r="3.5" fill="{colour}"/>'
                    '<text x="{px}" y="{ty}" text-anchor="middle" font-size="11">{value}</text></g>',
                    name=name,
                    x=x,
                    value=_number(value),
                    px=px,
                    py=py,
                    ty=py - 7,
                    colour=colour,
                )
            )
        legend_y = baseline + 40 + number * 20
        parts.append(
            format_html(
                '<rect x="{}" y="{}" width="12" height="12" fill="{}"/><text x="{}" y="{}">{}</text>',
                plot_left,
                legend_y - 11,
                colour,
                plot_left + 18,
                legend_y,
                name,
            )
        )
    height = baseline + 40 + len(series) * 20
    return _svg(chart_id, title, value_label, height, _join(parts))
