"""An uploaded picture is judged by its bytes and made fit to serve: upright, without its
metadata, in two sizes, never enlarged; what is not a picture Mercato takes is refused."""

from __future__ import annotations

from io import BytesIO

import pytest
from PIL import Image

from mercato.agents.catalog.pictures import prepare
from mercato.agents.catalog.problems import (
    PictureDimensions,
    PictureTooLarge,
    UnsupportedPicture,
)

MB = 1_048_576


def photo(width: int, height: int, *, orientation: int | None = None) -> bytes:
    """A JPEG like a phone's: a gradient, GPS-bearing EXIF, perhaps an orientation tag."""
    image = Image.linear_gradient("L").resize((width, height)).convert("RGB")
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # Make
    exif[0x8825] = {1: "N", 2: (51.0, 30.0, 0.0)}  # GPS
    if orientation is not None:
        exif[0x0112] = orientation
    out = BytesIO()
    image.save(out, "JPEG", exif=exif)
    return out.getvalue()


def encoded(image: Image.Image, kind: str, **options: object) -> bytes:
    out = BytesIO()
    image.save(out, kind, **options)
    return out.getvalue()


def opened(data: bytes) -> Image.Image:
    return Image.open(BytesIO(data))


def test_a_photo_is_kept_in_two_sizes_upright_and_without_its_metadata() -> None:
    # given a 3000 by 2000 photo the phone took sideways (orientation 6: turn it 90°)
    picture = prepare(photo(3000, 2000, orientation=6), max_bytes=10 * MB)
    # then the large one is 1200 px on its longest side and the thumbnail 400, both upright
    large, thumb = picture.rendition("large"), picture.rendition("thumb")
    assert (large.width, large.height) == (800, 1200)
    assert (thumb.width, thumb.height) == (267, 400)
    for rendition in (large, thumb):
        image = opened(rendition.data)
        assert (image.format, rendition.content_type, rendition.extension) == (
            "JPEG",
            "image/jpeg",
            "jpg",
        )
        assert image.size == (rendition.width, rendition.height)
        assert dict(image.getexif()) == {}  # no maker, no GPS, no orientation left


def test_a_small_picture_is_not_enlarged() -> None:
    picture = prepare(photo(300, 200), max_bytes=MB)
    assert [(r.width, r.height) for r in picture.renditions] == [(300, 200), (300, 200)]


def test_a_see_through_picture_stays_see_through() -> None:
    # given a PNG with a transparent background
    image = Image.new("RGBA", (500, 500), (0, 0, 0, 0))
    image.paste((200, 30, 30, 255), (100, 100, 400, 400))
    picture = prepare(encoded(image, "PNG"), max_bytes=MB)
    # then its renditions are PNGs that keep the transparency
    thumb = picture.rendition("thumb")
    assert thumb.content_type == "image/png"
    assert opened(thumb.data).convert("RGBA").getpixel((0, 0))[3] == 0


def test_an_opaque_png_and_a_webp_become_jpegs_and_a_gif_its_first_frame() -> None:
    red = Image.new("RGB", (120, 80), (200, 0, 0))
    blue = Image.new("RGB", (120, 80), (0, 0, 200))
    gif = encoded(red, "GIF", save_all=True, append_images=[blue])
    for data in (encoded(red, "PNG"), encoded(red, "WEBP"), gif):
        large = prepare(data, max_bytes=MB).rendition("large")
        assert large.content_type == "image/jpeg"
        r, _, b = opened(large.data).convert("RGB").getpixel((60, 40))  # type: ignore[misc]
        assert r > 150 and b < 60  # red: the GIF's first frame


@pytest.mark.parametrize(
    "data",
    [
        b"",
        b"just some text, named mug.jpg",
        b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
        b"%PDF-1.7\n",
        photo(400, 400)[:300],  # a JPEG cut short
    ],
    ids=["empty", "text", "svg", "pdf", "truncated"],
)
def test_what_is_not_a_picture_mercato_takes_is_refused(data: bytes) -> None:
    with pytest.raises(UnsupportedPicture):
        prepare(data, max_bytes=MB)


def test_other_picture_formats_are_refused_by_name() -> None:
    with pytest.raises(UnsupportedPicture, match="BMP"):
        prepare(encoded(Image.new("RGB", (64, 64)), "BMP"), max_bytes=MB)


def test_too_many_bytes_too_many_pixels_and_too_few_are_refused() -> None:
    with pytest.raises(PictureTooLarge):
        prepare(photo(400, 400), max_bytes=1024)
    # 10,000 by 6,000 pixels of one colour: a small file, refused before it is decoded
    huge = encoded(Image.new("1", (10_000, 6_000)), "PNG")
    assert len(huge) < MB
    with pytest.raises(PictureDimensions, match="10000x6000"):
        prepare(huge, max_bytes=MB)
    with pytest.raises(PictureDimensions):
        prepare(encoded(Image.new("RGB", (16, 400)), "PNG"), max_bytes=MB)


def test_the_same_file_has_the_same_digest() -> None:
    data = photo(100, 100)
    assert prepare(data, max_bytes=MB).digest == prepare(data, max_bytes=MB).digest
    assert prepare(photo(101, 100), max_bytes=MB).digest != prepare(data, max_bytes=MB).digest
