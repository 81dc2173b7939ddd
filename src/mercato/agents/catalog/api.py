"""The catalog's HTTP routes: parse → service → schema. The edge commits, then answers."""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING, Annotated

from fastapi import APIRouter, Depends, Path, Query, Response

from mercato.agents.catalog import categories, listing, reads, service, variants
from mercato.agents.catalog.access import WRITE, Actor
from mercato.agents.catalog.problems import (
    CategoryCycle,
    CategoryNotEmpty,
    InvalidAmount,
    InvalidCompareAtPrice,
    InvalidCursor,
    InvalidFilter,
    LastActiveVariant,
    NoMerchant,
    NotYourProduct,
    SlugTaken,
    TooManyVariants,
    UnknownCategory,
)
from mercato.agents.catalog.schemas import (
    CategoryIn,
    CategoryOut,
    CategoryPatch,
    CategoryTree,
    ProductIn,
    ProductOut,
    ProductPage,
    ProductPatch,
    VariantIn,
    VariantOut,
    VariantPatch,
)
from mercato.agents.catalog.views import category_out, product_out, variant_out
from mercato.kernel.auth import Principal, public, require
from mercato.kernel.db import UnitOfWork
from mercato.kernel.openapi import problems
from mercato.kernel.reads import json_answer
from mercato.kernel.routes import KernelDep

if TYPE_CHECKING:
    from mercato.agents.catalog.models import Product

router = APIRouter(tags=["catalog"])
ProductRef = Annotated[str, Path(description="The product's id or its slug")]

Public = Annotated[Principal, Depends(public())]
Writer = Annotated[Principal, Depends(require(WRITE))]
TreeWriter = Annotated[Principal, Depends(require(categories.WRITE))]


async def _answer(uow: UnitOfWork, product: Product, *, all_variants: bool = True) -> ProductOut:
    """The product with its variants (archived ones only when `all_variants`)."""
    found, category = await service.product_parts(uow, product, all_variants=all_variants)
    return product_out(product, found, category)


# -- products ----------------------------------------------------------------------------


@router.get(
    "/products", response_model=ProductPage, responses=problems(InvalidCursor, InvalidFilter)
)
async def list_products(
    kernel: KernelDep,
    who: Public,
    q: Annotated[
        str | None, Query(max_length=200, description="Words that must all appear")
    ] = None,
    category: Annotated[
        str | None, Query(max_length=200, description="A category id or slug: its whole subtree")
    ] = None,
    min_price: Annotated[Decimal | None, Query(allow_inf_nan=False)] = None,
    max_price: Annotated[Decimal | None, Query(allow_inf_nan=False)] = None,
    attr: Annotated[
        list[str], Query(max_length=10, description="name:value, repeatable, all must match")
    ] = [],  # noqa: B006 - FastAPI copies defaults
    in_stock: bool | None = None,
    merchant: Annotated[str | None, Query(max_length=64)] = None,
    status: Annotated[
        listing.Status | None, Query(description="Merchants and admins only; default active")
    ] = None,
    sort: listing.Sort = "newest",
    cursor: Annotated[str | None, Query(max_length=1000)] = None,
    limit: Annotated[int, Query(ge=1, le=100)] = 20,
) -> Response:
    """Browse products: filters, sorts and an opaque cursor for the next page."""
    request = listing.Listing(
        q=q,
        category=category,
        min_price=min_price,
        max_price=max_price,
        attrs=attr,
        in_stock=in_stock,
        merchant=merchant,
        status=status,
        sort=sort,
        cursor=cursor,
        limit=limit,
    )
    async with kernel.uow(writes=False) as uow:
        page = await listing.list_products(uow, listing=request, actor=Actor.of(who))
    return json_answer(page)


@router.post(
    "/products",
    status_code=201,
    response_model=ProductOut,
    responses=problems(
        NoMerchant,
        NotYourProduct,
        UnknownCategory,
        SlugTaken,
        InvalidAmount,
        InvalidCompareAtPrice,
        TooManyVariants,
        "BR012",
        "BR013",
    ),
)
async def create_product(body: ProductIn, kernel: KernelDep, who: Writer) -> ProductOut:
    """Create a product with its variants (a merchant's products are its own)."""
    merchant_id = Actor.of(who).merchant_for_new(body.merchant_id)
    async with kernel.uow() as uow:
        product = await service.create_product(
            uow,
            data=body,
            merchant_id=merchant_id,
            currency_default=kernel.settings.default_currency,
            now=kernel.clock.now(),
        )
        answer = await _answer(uow, product)
        await uow.commit()
    return answer


@router.get("/products/{product_id}", response_model=ProductOut)
async def get_product(
    product_id: ProductRef, kernel: KernelDep, who: Public
) -> Response | ProductOut:
    """A product with its variants; drafts, archived products and archived variants only to
    their merchant (and admins)."""
    actor = Actor.of(who)
    async with kernel.uow(writes=False) as uow:
        answer = await reads.product(uow, product_id, actor=actor)
        if answer is not None:
            return json_answer(answer)
        # Not found here (perhaps another store's: recorded), or a slug shaped like an id.
        product = await service.product_for(uow, product_id, principal=who)
        return await _answer(uow, product, all_variants=actor.writes and actor.owns(product))


@router.patch(
    "/products/{product_id}",
    response_model=ProductOut,
    responses=problems(
        NotYourProduct, UnknownCategory, SlugTaken, InvalidAmount, InvalidCompareAtPrice
    ),
)
async def patch_product(
    product_id: ProductRef, body: ProductPatch, kernel: KernelDep, who: Writer
) -> ProductOut:
    async with kernel.uow() as uow:
        product = await service.editable_product(uow, product_id, principal=who)
        await service.update_product(uow, product=product, changes=body, now=kernel.clock.now())
        answer = await _answer(uow, product)
        await uow.commit()
    return answer


@router.delete(
    "/products/{product_id}", response_model=ProductOut, responses=problems(NotYourProduct)
)
async def archive_product(product_id: ProductRef, kernel: KernelDep, who: Writer) -> ProductOut:
    """Archive the product: hidden from shoppers and no longer sellable, kept for orders."""
    async with kernel.uow() as uow:
        product = await service.editable_product(uow, product_id, principal=who)
        await service.archive_product(uow, product=product, now=kernel.clock.now())
        answer = await _answer(uow, product)
        await uow.commit()
    return answer


@router.post(
    "/products/{product_id}/variants",
    status_code=201,
    response_model=VariantOut,
    responses=problems(
        NotYourProduct, InvalidAmount, InvalidCompareAtPrice, TooManyVariants, "BR012", "BR013"
    ),
)
async def add_variant(
    product_id: ProductRef, body: VariantIn, kernel: KernelDep, who: Writer
) -> VariantOut:
    async with kernel.uow() as uow:
        product = await service.editable_product(uow, product_id, principal=who)
        variant = await variants.add_variant(
            uow, product=product, data=body, now=kernel.clock.now()
        )
        await uow.commit()
    return variant_out(variant, product.currency)


@router.patch(
    "/products/{product_id}/variants/{variant_id}",
    response_model=VariantOut,
    responses=problems(
        NotYourProduct, InvalidAmount, InvalidCompareAtPrice, LastActiveVariant, "BR012"
    ),
)
async def patch_variant(
    product_id: ProductRef, variant_id: str, body: VariantPatch, kernel: KernelDep, who: Writer
) -> VariantOut:
    """Change a variant; a new price publishes `product.price_changed`."""
    async with kernel.uow() as uow:
        product = await service.editable_product(uow, product_id, principal=who)
        variant = await variants.update_variant(
            uow, product=product, variant_id=variant_id, changes=body, now=kernel.clock.now()
        )
        await uow.commit()
    return variant_out(variant, product.currency)


# -- categories --------------------------------------------------------------------------


@router.get("/categories", response_model=CategoryTree)
async def category_tree(
    kernel: KernelDep,
    _: Public,
    counts: Annotated[bool, Query(description="Count each subtree's active products")] = False,
) -> Response:
    """The whole category tree, siblings by position then name."""
    async with kernel.uow(writes=False) as uow:
        roots = await reads.tree(uow, counts=counts)
    return json_answer({"items": roots, "next_cursor": None})


@router.get("/categories/{category_id}", response_model=CategoryOut)
async def get_category(category_id: str, kernel: KernelDep, _: Public) -> Response:
    """A category (by id or slug) with its ancestors and children."""
    async with kernel.uow(writes=False) as uow:
        answer = await reads.category(uow, category_id)
    return json_answer(answer)


@router.post(
    "/categories",
    status_code=201,
    response_model=CategoryOut,
    responses=problems(UnknownCategory, SlugTaken),
)
async def create_category(body: CategoryIn, kernel: KernelDep, _: TreeWriter) -> CategoryOut:
    async with kernel.uow() as uow:
        category = await categories.create_category(
            uow,
            name=body.name,
            slug=body.slug,
            parent_id=body.parent_id,
            position=body.position,
            now=kernel.clock.now(),
        )
        answer = category_out(category, *await categories.lineage(uow, category))
        await uow.commit()
    return answer


@router.patch(
    "/categories/{category_id}",
    response_model=CategoryOut,
    responses=problems(UnknownCategory, SlugTaken, CategoryCycle),
)
async def patch_category(
    category_id: str, body: CategoryPatch, kernel: KernelDep, _: TreeWriter
) -> CategoryOut:
    """Rename, reorder, or move under another parent (`parent_id: null`: to the root)."""
    async with kernel.uow() as uow:
        category = await categories.get_category(uow, category_id)
        await categories.update_category(uow, category=category, changes=body)
        answer = category_out(category, *await categories.lineage(uow, category))
        await uow.commit()
    return answer


@router.delete("/categories/{category_id}", status_code=204, responses=problems(CategoryNotEmpty))
async def delete_category(category_id: str, kernel: KernelDep, _: TreeWriter) -> None:
    """Delete an empty category (no subcategories, no products)."""
    async with kernel.uow() as uow:
        category = await categories.get_category(uow, category_id)
        await categories.delete_category(uow, category=category)
        await uow.commit()
