"""A merchant's uploaded picture made fit to serve: its type read from its bytes (never from
the file name or the client's word), its size and dimensions checked, turned upright (EXIF
orientation), stripped of its metadata (a phone's photo carries where it was taken), and
re-encoded in two sizes: `large` for the product page and `thumb` for tiles and lists.

Pure and blocking (Pillow): the routes run it in a thread.
"""

from __future__ import annotations

import hashlib
import warnings
from dataclasses import dataclass
from io import BytesIO

from PIL import Image, ImageOps, UnidentifiedImageError

from mercato.agents.catalog.problems import (
    PictureDimensions,
    PictureTooLarge,
    UnsupportedPicture,
)

ACCEPTED = {"JPEG": "JPEG", "PNG": "PNG", "WEBP": "WebP", "GIF": "GIF"}
"""The formats a picture may be uploaded in (Pillow's names → what a person calls them)."""
SIZES = {"large": 1200, "thumb": 400}
"""Each rendition's longest side at most (a smaller picture is never enlarged)."""
MAX_PIXELS = 50_000_000
"""Width times height at most: larger is a mistake or a decompression bomb."""
MIN_SIDE = 32
"""Pixels on the shorter side at least: smaller shows nothing of a product."""


@dataclass(frozen=True)
class Rendition:
    name: str
    data: bytes
    width: int
    height: int
    content_type: str
    extension: str


@dataclass(frozen=True)
class PreparedPicture:
    digest: str
    """SHA-256 of the uploaded bytes: the same file uploaded twice is recognised."""
    renditions: tuple[Rendition, ...]

    def rendition(self, name: str) -> Rendition:
        return next(r for r in self.renditions if r.name == name)


def prepare(data: bytes, *, max_bytes: int) -> PreparedPicture:
    """The picture's renditions, or the problem with it (nothing is kept of a refused one)."""
    if len(data) > max_bytes:
        raise PictureTooLarge(f"the picture is {len(data)} bytes; at most {max_bytes} are taken")
    image = _opened(data)
    try:
        image = ImageOps.exif_transpose(image) or image
        opaque = not _has_alpha(image)
        image = image.convert("RGB" if opaque else "RGBA")
        renditions = tuple(_rendition(image, name, side, opaque) for name, side in SIZES.items())
    finally:
        image.close()
    return PreparedPicture(hashlib.sha256(data).hexdigest(), renditions)


def _opened(data: bytes) -> Image.Image:
    """The decoded image, after its header was checked: type, then dimensions (before any
    pixel is decoded), then the whole file."""
    named = ", ".join(ACCEPTED.values())
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(BytesIO(data))
            if image.format not in ACCEPTED:
                raise UnsupportedPicture(f"a picture is {named}; this file is {image.format}")
            width, height = image.size
            if width * height > MAX_PIXELS:
                raise PictureDimensions(
                    f"the picture is {width}x{height}; at most {MAX_PIXELS:,} pixels are taken"
                )
            if min(width, height) < MIN_SIDE:
                raise PictureDimensions(
                    f"the picture is {width}x{height}; each side needs {MIN_SIDE} pixels at least"
                )
            image.seek(0)  # an animated GIF or WebP: its first frame
            image.load()
    except (UnidentifiedImageError, Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise UnsupportedPicture(f"the file is not a picture Mercato takes ({named})") from None
    except (OSError, SyntaxError, ValueError, EOFError) as exc:
        raise UnsupportedPicture(f"the picture cannot be read: {exc}") from None
    return image


def _has_alpha(image: Image.Image) -> bool:
    if image.mode in {"RGBA", "LA", "PA"}:
        return image.getextrema()[-1][0] < 255  # type: ignore[index]  # a see-through pixel
    return image.mode == "P" and "transparency" in image.info


def _rendition(image: Image.Image, name: str, side: int, opaque: bool) -> Rendition:
    """Opaque pictures as progressive JPEG, see-through ones as PNG: what every browser, mail
    client and marketplace feed shows."""
    copy = image.copy()
    copy.thumbnail((side, side), Image.Resampling.LANCZOS)
    out = BytesIO()
    if opaque:
        copy.save(out, "JPEG", quality=85, optimize=True, progressive=True)
        kind, extension = "image/jpeg", "jpg"
    else:
        copy.save(out, "PNG", optimize=True)
        kind, extension = "image/png", "png"
    return Rendition(name, out.getvalue(), copy.width, copy.height, kind, extension)
