"""Draws the demo county's header emblem so that the demo needs no downloaded artwork."""

import io
import math

from PIL import Image, ImageDraw


def _star(cx, cy, outer, inner, rotation=-math.pi / 2):
    points = []
    for i in range(10):
        radius = outer if i % 2 == 0 else inner
        angle = rotation + i * math.pi / 5
        points.append((cx + radius * math.cos(angle), cy + radius * math.sin(angle)))
    return points


def emblem_png(size=256):
    """A red disc in a gold ring with one large and four small gold stars, as PNG bytes."""
    image = Image.new("RGBA", (size, size), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    gold, red = (255, 205, 60, 255), (200, 16, 30, 255)
    draw.ellipse((4, 4, size - 4, size - 4), fill=gold)
    draw.ellipse((size * 0.08, size * 0.08, size * 0.92, size * 0.92), fill=red)
    c = size / 2
    draw.polygon(_star(c, c * 0.92, size * 0.2, size * 0.08), fill=gold)
    for angle in (-2.4, -2.0, -1.15, -0.75):
        x, y = c + math.cos(angle) * size * 0.3, c * 0.92 + math.sin(angle) * size * 0.3 + size * 0.32
        draw.polygon(_star(x, y, size * 0.055, size * 0.022), fill=gold)
    draw.rectangle((size * 0.3, size * 0.72, size * 0.7, size * 0.76), fill=gold)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()
