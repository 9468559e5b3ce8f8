#!/usr/bin/env python3
"""Draws the app icons (a gauge on a blue tile) into this folder, standard library only.

    python3 web/icons/make_icons.py

Writes favicon.svg, icon-192.png, icon-512.png (rounded tile, transparent corners) and
icon-maskable-512.png (full-bleed tile, the gauge inside the 80 % safe zone so launchers may crop
it to any shape). The outputs are checked in; run this again only after changing the drawing.
Shapes are drawn from signed distances, one sample per pixel, so edges are anti-aliased without
supersampling.
"""

import math
import struct
import zlib
from pathlib import Path

HERE = Path(__file__).resolve().parent

# The drawing, in a 24 x 24 box (the SVG's viewBox).
BLUE = (0x25, 0x63, 0xEB)
WHITE = (0xFF, 0xFF, 0xFF)
TILE_RADIUS = 6.0
RING_CENTER = (12.0, 13.0)
RING_RADIUS = 7.0
STROKE = 2.0
NEEDLE_END = (15.5, 9.5)

SVG = f"""<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24">\
<rect width="24" height="24" rx="{TILE_RADIUS:g}" fill="#2563eb"/>\
<circle cx="{RING_CENTER[0]:g}" cy="{RING_CENTER[1]:g}" r="{RING_RADIUS:g}" fill="none" \
stroke="white" stroke-width="{STROKE:g}"/>\
<path d="M{RING_CENTER[0]:g} {RING_CENTER[1]:g}L{NEEDLE_END[0]:g} {NEEDLE_END[1]:g}" \
stroke="white" stroke-width="{STROKE:g}" stroke-linecap="round"/></svg>
"""


def rounded_box(x, y, half, radius):
    """Signed distance to a square of half-size `half` centred on the origin, corners rounded."""
    qx = abs(x) - half + radius
    qy = abs(y) - half + radius
    outside = math.hypot(max(qx, 0.0), max(qy, 0.0))
    return outside + min(max(qx, qy), 0.0) - radius


def segment(x, y, a, b):
    """Distance to the segment a-b."""
    abx, aby = b[0] - a[0], b[1] - a[1]
    t = ((x - a[0]) * abx + (y - a[1]) * aby) / (abx * abx + aby * aby)
    t = min(max(t, 0.0), 1.0)
    return math.hypot(x - a[0] - t * abx, y - a[1] - t * aby)


def coverage(distance, pixel):
    """Share of a pixel covered by a shape, from the signed distance (in drawing units)."""
    return min(max(0.5 - distance / pixel, 0.0), 1.0)


def draw(size, maskable):
    """RGBA rows of the icon at `size` pixels."""
    # Maskable: the tile fills the square and the gauge shrinks toward the centre so its outer
    # edge (9 units from the centre, 7.2 scaled) stays inside the safe circle (9.6 units).
    scale = 0.8 if maskable else 1.0
    pixel = 24.0 / size
    rows = []
    for py in range(size):
        row = bytearray()
        for px in range(size):
            x = (px + 0.5) * pixel
            y = (py + 0.5) * pixel
            tile = 1.0 if maskable else coverage(rounded_box(x - 12, y - 12, 12, TILE_RADIUS), pixel)
            # The gauge in unscaled drawing units; its distances scale back by `scale`.
            gx = 12 + (x - 12) / scale
            gy = 12 + (y - 12) / scale
            ring = abs(math.hypot(gx - RING_CENTER[0], gy - RING_CENTER[1]) - RING_RADIUS) - STROKE / 2
            needle = segment(gx, gy, RING_CENTER, NEEDLE_END) - STROKE / 2
            white = coverage(min(ring, needle) * scale, pixel)
            if tile == 0.0:
                row += b"\0\0\0\0"
                continue
            # White strokes lie inside the tile: blend them over blue, then apply the tile's edge.
            rgb = (round(b + (w - b) * white) for b, w in zip(BLUE, WHITE))
            row += bytes(rgb) + bytes([round(255 * tile)])
        rows.append(bytes(row))
    return rows


def png(size, rows):
    def chunk(kind, data):
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", size, size, 8, 6, 0, 0, 0)  # 8-bit RGBA
    raw = b"".join(b"\0" + row for row in rows)  # filter type 0 on every row
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(raw, 9))
        + chunk(b"IEND", b"")
    )


def main():
    (HERE / "favicon.svg").write_text(SVG)
    for name, size, maskable in [
        ("icon-192.png", 192, False),
        ("icon-512.png", 512, False),
        ("icon-maskable-512.png", 512, True),
    ]:
        (HERE / name).write_bytes(png(size, draw(size, maskable)))
        print(f"wrote {name}")


if __name__ == "__main__":
    main()
