"""The routes of products' pictures: upload (multipart/form-data), change, remove, and the
files themselves at `/media/…`, cacheable for ever (a key is never reused)."""

from __future__ import annotations

import asyncio
import hashlib
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Path, Request, Response, UploadFile

from mercato.agents.catalog import gallery, service
from mercato.agents.catalog.access import WRITE
from mercato.agents.catalog.gallery import PictureStore, Uploading
from mercato.agents.catalog.pictures import prepare
from mercato.agents.catalog.problems import (
    DuplicatePicture,
    NotYourProduct,
    PictureDimensions,
    PictureTooLarge,
    TooManyPictures,
    UnknownVariant,
    UnsupportedPicture,
)
from mercato.agents.catalog.schemas import AltText, PictureOut, PicturePatch
from mercato.kernel.auth import Principal, public, require
from mercato.kernel.errors import NotFound
from mercato.kernel.objects import BadKeyError
from mercato.kernel.openapi import problems
from mercato.kernel.routes import KernelDep
from mercato.kernel.schemas import RequestModel

router = APIRouter(tags=["catalog"])
media = APIRouter(tags=["catalog"])
Writer = Annotated[Principal, Depends(require(WRITE))]
ProductRef = Annotated[str, Path(description="The product's id or its slug")]
FOREVER = "public, max-age=31536000, immutable"


class PictureUpload(RequestModel):
    file: UploadFile
    alt: AltText = ""
    variant_id: str | None = None


@router.post(
    "/products/{product_id}/pictures",
    status_code=201,
    response_model=PictureOut,
    responses=problems(
        NotYourProduct,
        UnsupportedPicture,
        PictureTooLarge,
        PictureDimensions,
        TooManyPictures,
        DuplicatePicture,
        UnknownVariant,
    ),
)
async def upload_picture(
    product_id: ProductRef,
    body: Annotated[PictureUpload, Form(media_type="multipart/form-data")],
    kernel: KernelDep,
    who: Writer,
) -> dict[str, Any]:
    """Upload a picture of the product (JPEG, PNG, WebP or GIF; a GIF shows its first frame),
    or of one of its variants. It is kept in two sizes, upright and without its metadata;
    `alt` describes it for people who cannot see it (default: the product's name)."""
    store = kernel.deps(PictureStore)
    data = await body.file.read(store.max_bytes + 1)
    picture = await asyncio.to_thread(prepare, data, max_bytes=store.max_bytes)
    async with Uploading(store.objects) as upload, kernel.uow() as uow:
        product = await service.editable_product(uow, product_id, principal=who)
        entry = await gallery.add_picture(
            uow,
            product=product,
            picture=picture,
            alt=body.alt or product.name,
            variant_id=body.variant_id or None,
            upload=upload,
            now=kernel.clock.now(),
        )
        await uow.commit()
        upload.kept()
    return gallery.answer(entry)


@router.patch(
    "/products/{product_id}/pictures/{picture_id}",
    response_model=PictureOut,
    responses=problems(NotYourProduct, UnknownVariant),
)
async def patch_picture(
    product_id: ProductRef, picture_id: str, body: PicturePatch, kernel: KernelDep, who: Writer
) -> dict[str, Any]:
    """Change a picture's alt text, the variant it shows, or its place (0: the cover)."""
    changes = body.model_dump(exclude_unset=True)
    async with kernel.uow() as uow:
        product = await service.editable_product(uow, product_id, principal=who)
        if changes.get("alt") == "":
            changes["alt"] = product.name
        entry = await gallery.update_picture(
            uow, product=product, picture_id=picture_id, changes=changes, now=kernel.clock.now()
        )
        await uow.commit()
    return gallery.answer(entry)


@router.delete(
    "/products/{product_id}/pictures/{picture_id}",
    status_code=204,
    responses=problems(NotYourProduct),
)
async def delete_picture(
    product_id: ProductRef, picture_id: str, kernel: KernelDep, who: Writer
) -> None:
    """Remove the picture and its files."""
    async with kernel.uow() as uow:
        product = await service.editable_product(uow, product_id, principal=who)
        await gallery.remove_picture(
            uow,
            product=product,
            picture_id=picture_id,
            objects=kernel.deps(PictureStore).objects,
            now=kernel.clock.now(),
        )
        await uow.commit()


@media.head(  # what a CDN or a link checker asks first
    "/media/pictures/{key:path}", dependencies=[Depends(public())], include_in_schema=False
)
@media.get(
    "/media/pictures/{key:path}",
    dependencies=[Depends(public())],
    response_class=Response,
    responses={
        **problems(NotFound),
        200: {"content": {"image/jpeg": {}, "image/png": {}}, "description": "The file"},
        304: {"description": "Not modified: the copy the client holds (If-None-Match) is it"},
    },
)
async def picture_file(key: str, request: Request, kernel: KernelDep) -> Response:
    """A picture's file, as a product's `pictures` link it; cacheable for ever."""
    try:
        found = await kernel.deps(PictureStore).objects.get(f"pictures/{key}")
    except BadKeyError:
        found = None
    if found is None:
        raise NotFound("no such picture")
    etag = '"' + hashlib.blake2b(found.data, digest_size=12).hexdigest() + '"'
    headers = {"Cache-Control": FOREVER, "ETag": etag}
    if etag in request.headers.get("if-none-match", ""):
        return Response(status_code=304, headers=headers)
    return Response(found.data, media_type=found.content_type, headers=headers)
