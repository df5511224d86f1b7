"""Draws the demo county's news pictures (题图), so that the home page's picture carousel has something
to show without downloaded photographs: a sky, hills and fields in the colours of one season each."""

import io

from PIL import Image, ImageDraw

# (sky top, sky bottom, far hills, near hills, fields)
PALETTES = [
    ((94, 153, 214), (205, 228, 245), (96, 140, 98), (58, 110, 64), (226, 200, 64)),
    ((240, 150, 90), (252, 220, 170), (120, 110, 140), (80, 90, 110), (200, 150, 70)),
    ((70, 120, 190), (180, 215, 240), (70, 130, 120), (40, 100, 80), (120, 180, 80)),
]


def news_picture_png(index, width=960, height=540):
    """Landscape number `index` (wrapping over the palettes) as PNG bytes."""
    sky_top, sky_bottom, far, near, field = PALETTES[index % len(PALETTES)]
    image = Image.new("RGB", (width, height))
    draw = ImageDraw.Draw(image)
    for y in range(height):
        t = y / height
        draw.line(
            [(0, y), (width, y)], fill=tuple(round(a + (b - a) * t) for a, b in zip(sky_top, sky_bottom, strict=True))
        )
    draw.ellipse((width * 0.72, height * 0.12, width * 0.82, height * 0.3), fill=(255, 236, 170))
    shift = index * width // 7
    draw.polygon(
        [
            (0, height * 0.62),
            ((width * 0.25 + shift) % width, height * 0.38),
            (width * 0.6, height * 0.58),
            (width * 0.85, height * 0.42),
            (width, height * 0.55),
            (width, height),
            (0, height),
        ],
        fill=far,
    )
    draw.polygon(
        [
            (0, height * 0.75),
            (width * 0.35, height * 0.6),
            (width * 0.7, height * 0.72),
            (width, height * 0.66),
            (width, height),
            (0, height),
        ],
        fill=near,
    )
    for row in range(4):
        top = height * (0.8 + row * 0.05)
        draw.rectangle((0, top, width, top + height * 0.025), fill=field)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()
