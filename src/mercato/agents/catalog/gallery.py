"""A product's pictures, uploaded by its merchant: the commands on them.

They are kept on the product's row (`products.pictures`, at most `MAX_PICTURES`, in the order
they are shown, the first being the product's cover), so every answer that shows a product
reads its pictures in the same statement (ADR 21). Each entry names its renditions' keys in
the object store; the files are written before the row commits and removed after the row
that named them has (`Uploading` removes those of a write that did not commit). A key is
never reused, so the files can be cached for ever (`media.py`).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime
from types import TracebackType
from typing import Any

from mercato.agents.catalog import events
from mercato.agents.catalog.models import Product
from mercato.agents.catalog.pictures import PreparedPicture
from mercato.agents.catalog.problems import DuplicatePicture, TooManyPictures, UnknownVariant
from mercato.agents.catalog.variants import lock_product, variants_of
from mercato.kernel.db import UnitOfWork
from mercato.kernel.errors import NotFound
from mercato.kernel.ids import new_id
from mercato.kernel.objects import ObjectStore

log = logging.getLogger(__name__)

MAX_PICTURES = 20
MEDIA_PATH = "/media/"
"""Where the server answers an object's key (`media.py`)."""
Entry = dict[str, Any]


@dataclass(frozen=True)
class PictureStore:
    """What the picture routes need, wired by the catalog's `setup`."""

    objects: ObjectStore
    max_bytes: int


class Uploading:
    """The files of one write: removed again when the block ends without `kept()` (the row
    that would have named them did not commit)."""

    def __init__(self, objects: ObjectStore) -> None:
        self.objects = objects
        self.keys: list[str] = []
        self._kept = False

    async def put(self, key: str, data: bytes, content_type: str) -> None:
        self.keys.append(key)
        await self.objects.put(key, data, content_type=content_type)

    def kept(self) -> None:
        self._kept = True

    async def __aenter__(self) -> Uploading:
        return self

    async def __aexit__(
        self,
        _type: type[BaseException] | None,
        _exc: BaseException | None,
        _tb: TracebackType | None,
    ) -> None:
        if not self._kept and self.keys:
            await self.objects.delete(self.keys)


async def add_picture(
    uow: UnitOfWork,
    *,
    product: Product,
    picture: PreparedPicture,
    alt: str,
    variant_id: str | None,
    upload: Uploading,
    now: datetime,
) -> Entry:
    """Add the picture after the product's others; `product.updated` with `pictures`.
    Checked before any file is written: the count, the variant, the same file twice."""
    await lock_product(uow, product)
    entries = list(product.pictures or [])
    if len(entries) >= MAX_PICTURES:
        raise TooManyPictures(f"product {product.id} has {len(entries)} pictures")
    if variant_id is not None:
        await _check_variant(uow, product, variant_id)
    if any(e["digest"] == picture.digest for e in entries):
        raise DuplicatePicture("this file is already one of the product's pictures")
    picture_id = new_id()
    entry: Entry = {
        "id": picture_id,
        "variant_id": variant_id,
        "alt": alt,
        "digest": picture.digest,
        "created_at": now.isoformat(),
    }
    for rendition in picture.renditions:
        key = (
            f"pictures/{product.tenant_id}/{product.id}/{picture_id}-{rendition.name}"
            f".{rendition.extension}"
        )
        await upload.put(key, rendition.data, rendition.content_type)
        entry[rendition.name] = {"key": key, "width": rendition.width, "height": rendition.height}
    product.pictures = [*entries, entry]
    _changed(uow, product, now)
    return entry


async def update_picture(
    uow: UnitOfWork,
    *,
    product: Product,
    picture_id: str,
    changes: dict[str, Any],
    now: datetime,
) -> Entry:
    """Change a picture's alt text, variant or position (0 is the cover)."""
    await lock_product(uow, product)
    entries = list(product.pictures or [])
    index = _index(entries, picture_id)
    entry = dict(entries.pop(index))
    if "alt" in changes:
        entry["alt"] = changes["alt"]
    if "variant_id" in changes:
        if changes["variant_id"] is not None:
            await _check_variant(uow, product, changes["variant_id"])
        entry["variant_id"] = changes["variant_id"]
    position = changes.get("position")
    entries.insert(index if position is None else min(position, len(entries)), entry)
    if entries != product.pictures:
        product.pictures = entries
        _changed(uow, product, now)
    return entry


async def remove_picture(
    uow: UnitOfWork, *, product: Product, picture_id: str, objects: ObjectStore, now: datetime
) -> None:
    """Take the picture off the product; its files are removed once that has committed."""
    await lock_product(uow, product)
    entries = list(product.pictures or [])
    entry = entries.pop(_index(entries, picture_id))
    product.pictures = entries
    _changed(uow, product, now)
    keys = [v["key"] for v in entry.values() if isinstance(v, dict) and "key" in v]

    async def delete_files() -> None:
        try:
            await objects.delete(keys)
        except Exception:  # the row is gone: a file left behind is waste, not an error
            log.warning("picture_files_left", extra={"keys": keys}, exc_info=True)

    uow.on_commit(delete_files)


def answer(entry: Entry) -> dict[str, Any]:
    """A `PictureOut` from a stored entry."""
    large, thumb = entry["large"], entry["thumb"]
    return {
        "id": entry["id"],
        "variant_id": entry["variant_id"],
        "alt": entry["alt"],
        "url": MEDIA_PATH + large["key"],
        "width": large["width"],
        "height": large["height"],
        "thumbnail_url": MEDIA_PATH + thumb["key"],
        "thumbnail_width": thumb["width"],
        "thumbnail_height": thumb["height"],
    }


def _index(entries: list[Entry], picture_id: str) -> int:
    for index, entry in enumerate(entries):
        if entry["id"] == picture_id:
            return index
    raise NotFound(f"the product has no picture {picture_id!r}")


async def _check_variant(uow: UnitOfWork, product: Product, variant_id: str) -> None:
    variants = (await variants_of(uow, [product.id]))[product.id]
    if variant_id not in {v.id for v in variants}:
        raise UnknownVariant(f"product {product.id} has no variant {variant_id!r}")


def _changed(uow: UnitOfWork, product: Product, now: datetime) -> None:
    product.updated_at = now
    uow.publish(
        events.ProductUpdated(product_id=product.id, fields=["pictures"]), aggregate_id=product.id
    )
