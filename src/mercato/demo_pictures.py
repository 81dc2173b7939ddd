"""The demo store's product pictures, drawn rather than downloaded: one simple, distinct
picture per product, so the storefront never shows an empty box.

Each is an outline of what the department sells (a tee, a mug, a device, a mountain, a
bottle, a book) in the product's colour, patterned by its material, on a background of its
own, with the product's noun and number written under it. The same product always gets the
same picture.
"""

from __future__ import annotations

import colorsys
import hashlib
from functools import cache
from io import BytesIO

from PIL import Image, ImageDraw, ImageFont

from mercato.demo_data import DemoProduct

SIDE = 600
PALETTE = {
    "black": (46, 46, 52),
    "white": (236, 236, 230),
    "grey": (140, 144, 150),
    "blue": (52, 101, 164),
    "green": (70, 140, 90),
    "red": (190, 60, 55),
    "sand": (214, 190, 140),
    "olive": (128, 128, 60),
}


def draw(product: DemoProduct, number: int) -> bytes:
    """The product's picture as a JPEG."""
    digest = hashlib.sha256(product.name.encode()).digest()
    hue = digest[0] / 255
    background = _hsv(hue, 0.18, 0.96)
    colour = PALETTE.get(product.variants[0].attributes.get("colour", ""), _hsv(hue, 0.55, 0.7))
    image = Image.new("RGB", (SIDE, SIDE), background)
    pen = ImageDraw.Draw(image)
    for ring in range(6):  # soft rings behind the object, placed by the name
        radius = 120 + ring * 55
        x, y = 150 + digest[1] % 300, 140 + digest[2] % 200
        pen.ellipse((x - radius, y - radius, x + radius, y + radius), outline=_hsv(hue, 0.25, 0.9),
                    width=3)  # fmt: skip
    shape = _SHAPES.get(product.category[0], _box)
    mask = Image.new("L", (SIDE, SIDE), 0)
    shape(ImageDraw.Draw(mask))
    fill = Image.new("RGB", (SIDE, SIDE), colour)
    _pattern(ImageDraw.Draw(fill), digest[3] % 4, _shade(colour))
    image.paste(fill, (0, 0), mask)
    noun = _noun(product)
    pen.text((SIDE / 2, 512), noun, fill=(40, 40, 48), font=_font(34), anchor="mm")
    pen.text((SIDE / 2, 556), f"No. {number}", fill=(90, 90, 100), font=_font(24), anchor="mm")
    out = BytesIO()
    image.save(out, "JPEG", quality=88)
    return out.getvalue()


def _noun(product: DemoProduct) -> str:
    """ "Tee" of "Urban Recycled Poly Tee No. 3": the name without adjective, material, number."""
    words = product.name.split(" No. ")[0].split(" ", 1)[-1]
    material = product.attributes.get("material", "")
    if material and words.lower().startswith(material + " "):
        words = words[len(material) + 1 :]
    return words


def _hsv(h: float, s: float, v: float) -> tuple[int, int, int]:
    r, g, b = colorsys.hsv_to_rgb(h, s, v)
    return round(r * 255), round(g * 255), round(b * 255)


def _shade(colour: tuple[int, int, int]) -> tuple[int, int, int]:
    lighter = sum(colour) < 300
    return tuple(min(255, c + 40) if lighter else max(0, c - 40) for c in colour)  # type: ignore[return-value]


@cache
def _font(size: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    return ImageFont.load_default(size=size)


def _pattern(pen: ImageDraw.ImageDraw, kind: int, ink: tuple[int, int, int]) -> None:
    """The material: plain, stripes, dots or a check."""
    if kind == 1:
        for x in range(-SIDE, SIDE, 28):
            pen.line((x, 0, x + SIDE, SIDE), fill=ink, width=8)
    elif kind == 2:
        for x in range(0, SIDE, 30):
            for y in range(0, SIDE, 30):
                pen.ellipse((x, y, x + 9, y + 9), fill=ink)
    elif kind == 3:
        for v in range(0, SIDE, 40):
            pen.line((v, 0, v, SIDE), fill=ink, width=4)
            pen.line((0, v, SIDE, v), fill=ink, width=4)


def _tee(pen: ImageDraw.ImageDraw) -> None:
    pen.polygon(
        [(210, 110), (255, 110), (300, 140), (345, 110), (390, 110), (480, 170), (440, 240),
         (400, 220), (400, 440), (200, 440), (200, 220), (160, 240), (120, 170)],
        fill=255,
    )  # fmt: skip


def _mug(pen: ImageDraw.ImageDraw) -> None:
    pen.rounded_rectangle((170, 150, 390, 440), radius=30, fill=255)
    pen.ellipse((350, 210, 470, 370), outline=255, width=28)


def _device(pen: ImageDraw.ImageDraw) -> None:
    pen.rounded_rectangle((140, 140, 460, 440), radius=40, fill=255)
    pen.ellipse((240, 230, 360, 350), fill=0)
    pen.ellipse((270, 260, 330, 320), fill=255)


def _mountain(pen: ImageDraw.ImageDraw) -> None:
    pen.polygon([(100, 440), (260, 160), (340, 290), (390, 220), (500, 440)], fill=255)


def _bottle(pen: ImageDraw.ImageDraw) -> None:
    pen.rectangle((265, 110, 335, 170), fill=255)
    pen.rounded_rectangle((200, 170, 400, 450), radius=45, fill=255)


def _book(pen: ImageDraw.ImageDraw) -> None:
    pen.rounded_rectangle((170, 120, 430, 450), radius=12, fill=255)
    pen.rectangle((190, 120, 205, 450), fill=0)


def _box(pen: ImageDraw.ImageDraw) -> None:
    pen.rounded_rectangle((170, 150, 430, 440), radius=20, fill=255)


_SHAPES = {
    "Clothing": _tee,
    "Home & Kitchen": _mug,
    "Electronics": _device,
    "Sports & Outdoors": _mountain,
    "Beauty & Care": _bottle,
    "Books & Media": _book,
}
