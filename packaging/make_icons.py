"""Draw Greenlight's icon and write every format the installers need.

The icon is simple geometry (a rounded tile, a green light, a white tick), so it is drawn twice
from the same numbers: once as SVG (for Linux desktops and the app's own windows, sharp at any
size) and once with Pillow, supersampled, for the raster formats (.png sizes for hicolor, .ico for
Windows, .icns for macOS). Keeping the numbers in one place keeps the formats from drifting apart.

Run from the repository root: `.venv/bin/python packaging/make_icons.py` (needs the `build` extra).
The outputs are committed, so building the app does not need Pillow.
"""

from __future__ import annotations

from pathlib import Path

OUT = Path(__file__).resolve().parent.parent / "resources" / "icons"

# Geometry on a 256-unit canvas.
CANVAS = 256
TILE_MARGIN = 12
TILE_RADIUS = 52
TILE_COLOUR = "#1d2b36"
LIGHT_CENTRE = (128, 128)
LIGHT_RADIUS = 86
LIGHT_COLOUR = "#27ae60"
HALO_COLOUR = "#7be0a2"
HALO_WIDTH = 8
TICK = [(86, 132), (114, 160), (172, 100)]
TICK_WIDTH = 22
TICK_COLOUR = "#ffffff"

PNG_SIZES = (16, 24, 32, 48, 64, 128, 256, 512)


def svg() -> str:
    """The icon as SVG text."""
    size = CANVAS - 2 * TILE_MARGIN
    cx, cy = LIGHT_CENTRE
    points = " ".join(f"{x},{y}" for x, y in TICK)
    return f"""<svg xmlns="http://www.w3.org/2000/svg" width="{CANVAS}" height="{CANVAS}" \
viewBox="0 0 {CANVAS} {CANVAS}">
  <title>Greenlight</title>
  <rect x="{TILE_MARGIN}" y="{TILE_MARGIN}" width="{size}" height="{size}" rx="{TILE_RADIUS}" \
fill="{TILE_COLOUR}"/>
  <circle cx="{cx}" cy="{cy}" r="{LIGHT_RADIUS + HALO_WIDTH / 2}" fill="none" stroke="{HALO_COLOUR}" \
stroke-width="{HALO_WIDTH}" stroke-opacity="0.55"/>
  <circle cx="{cx}" cy="{cy}" r="{LIGHT_RADIUS}" fill="{LIGHT_COLOUR}"/>
  <polyline points="{points}" fill="none" stroke="{TICK_COLOUR}" stroke-width="{TICK_WIDTH}" \
stroke-linecap="round" stroke-linejoin="round"/>
</svg>
"""


def raster(size: int):
    """The icon drawn with Pillow at `size` pixels (drawn 4x larger, then downsampled)."""
    from PIL import Image, ImageDraw

    scale = 4 * size / CANVAS
    big = round(CANVAS * scale)
    img = Image.new("RGBA", (big, big), (0, 0, 0, 0))
    draw = ImageDraw.Draw(img)

    def s(v: float) -> int:
        return round(v * scale)

    draw.rounded_rectangle(
        (s(TILE_MARGIN), s(TILE_MARGIN), s(CANVAS - TILE_MARGIN), s(CANVAS - TILE_MARGIN)),
        radius=s(TILE_RADIUS),
        fill=TILE_COLOUR,
    )
    cx, cy = LIGHT_CENTRE
    halo = LIGHT_RADIUS + HALO_WIDTH
    halo_layer = Image.new("RGBA", img.size, (0, 0, 0, 0))
    ImageDraw.Draw(halo_layer).ellipse(
        (s(cx - halo), s(cy - halo), s(cx + halo), s(cy + halo)), fill=HALO_COLOUR + "8c"
    )
    img = Image.alpha_composite(img, halo_layer)
    draw = ImageDraw.Draw(img)
    r = LIGHT_RADIUS
    draw.ellipse((s(cx - r), s(cy - r), s(cx + r), s(cy + r)), fill=LIGHT_COLOUR)
    points = [(s(x), s(y)) for x, y in TICK]
    draw.line(points, fill=TICK_COLOUR, width=s(TICK_WIDTH), joint="curve")
    cap = TICK_WIDTH / 2
    for x, y in TICK[::2]:
        draw.ellipse((s(x - cap), s(y - cap), s(x + cap), s(y + cap)), fill=TICK_COLOUR)
    return img.resize((size, size), Image.Resampling.LANCZOS)


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "greenlight.svg").write_text(svg(), encoding="utf-8")
    images = {size: raster(size) for size in PNG_SIZES}
    for size, img in images.items():
        img.save(OUT / f"greenlight-{size}.png", optimize=True)
    images[256].save(OUT / "greenlight.ico", sizes=[(n, n) for n in (16, 24, 32, 48, 64, 128, 256)])
    images[512].save(OUT / "greenlight.icns")
    print(f"wrote icons to {OUT}")


if __name__ == "__main__":
    main()
