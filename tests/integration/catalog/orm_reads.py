"""The catalog's public reads as they were answered before ADR 21, kept as the oracle the rows
path is held to: ORM entities (tenant-scoped by the session), the response models of
`schemas.py` built by `views.py`, and the bytes FastAPI (or the listing's own
`model_dump_json`) wrote from them. A read that fails raises the same `Problem` as before."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field, replace
from typing import Any

from pydantic import BaseModel, TypeAdapter
from sqlalchemy import ColumnElement, String, exists, func, literal, or_, select, tuple_
from sqlalchemy.orm import defer

from mercato.agents.catalog import categories, service
from mercato.agents.catalog.access import Actor
from mercato.agents.catalog.categories import subtree
from mercato.agents.catalog.listing import (
    _SORTS,
    MATCHED_MAX,
    Listing,
    decode_cursor,
    encode_cursor,
    escape_like,
    is_price_bound,
    parse_attrs,
    search_words,
    status_of,
    unindexed,
)
from mercato.agents.catalog.models import AttributeValue, Category, Product
from mercato.agents.catalog.ports import ProductWords
from mercato.agents.catalog.problems import InvalidFilter
from mercato.agents.catalog.schemas import (
    MAX_PRICE,
    CategoryNode,
    CategoryOut,
    CategoryTree,
    ProductOut,
    ProductPage,
)
from mercato.agents.catalog.statuses import ProductStatus
from mercato.agents.catalog.variants import variants_of
from mercato.agents.catalog.views import category_out, product_out, product_summary
from mercato.kernel.auth import Principal
from mercato.kernel.bootstrap import Kernel
from mercato.kernel.context import bind
from mercato.kernel.db import UnitOfWork


def fastapi_bytes(model: type[BaseModel], answer: BaseModel) -> bytes:
    """What FastAPI writes for a route whose `response_model` is `model`."""
    return TypeAdapter(model).dump_json(answer, by_alias=True)


async def product(kernel: Kernel, ref: str, principal: Principal) -> bytes:
    with bind(tenant_id=principal.tenant_id):
        async with kernel.uow(writes=False) as uow:
            found = await service.product_for(uow, ref, principal=principal)
            actor = Actor.of(principal)
            every = actor.writes and actor.owns(found)
            variants, category = await service.product_parts(uow, found, all_variants=every)
            return fastapi_bytes(ProductOut, product_out(found, variants, category))


async def listing(kernel: Kernel, request: Listing, principal: Principal) -> bytes:
    with bind(tenant_id=principal.tenant_id):
        async with kernel.uow(writes=False) as uow:
            body = await _page(uow, request, Actor.of(principal))
    return body.model_dump_json().encode()


async def category(kernel: Kernel, key: str, tenant: str) -> bytes:
    with bind(tenant_id=tenant):
        async with kernel.uow(writes=False) as uow:
            found = await categories.get_category(uow, key)
            answer = category_out(found, *await categories.lineage(uow, found))
            return fastapi_bytes(CategoryOut, answer)


async def tree(kernel: Kernel, tenant: str, *, counts: bool) -> bytes:
    with bind(tenant_id=tenant):
        async with kernel.uow(writes=False) as uow:
            roots = await _tree(uow, counts=counts)
            answer = CategoryTree(items=[_node_out(n) for n in roots], next_cursor=None)
            return fastapi_bytes(CategoryTree, answer)


# -- the listing's ORM statement, as it was ---------------------------------------------


async def _page(uow: UnitOfWork, request: Listing, actor: Actor) -> ProductPage:
    words = uow.wired(ProductWords) if request.q and request.q.strip() else None
    if words is not None and status_of(request, actor) == ProductStatus.ACTIVE:
        # `q` is the search agent's to answer (as the listing asks it), the rest the ORM's
        query = _filtered(replace(request, q=None), actor)
        matched = await words.matching(uow, request.q or "", MATCHED_MAX)
        if not matched:
            return ProductPage(items=[], next_cursor=None)
        query = query.where(Product.id.in_(matched))
    else:
        query = _filtered(request, actor)
    column, descending = _SORTS[request.sort]
    if request.cursor:
        key, last_id = decode_cursor(request.cursor, request.sort)
        after = tuple_(column, Product.id)
        bound = tuple_(literal(key, column.type), literal(last_id, String()))
        query = query.where(after < bound if descending else after > bound)
    order = (column.desc(), Product.id.desc()) if descending else (column.asc(), Product.id.asc())
    rows = list(await uow.session.scalars(query.order_by(*order).limit(request.limit + 1)))
    products, more = rows[: request.limit], len(rows) > request.limit
    variants = await variants_of(uow, [p.id for p in products], active_only=True)
    cursor = encode_cursor(request.sort, products[-1]) if more and products else None
    return ProductPage(
        items=[product_summary(p, variants[p.id], every_picture=False) for p in products],
        next_cursor=cursor,
    )


def _filtered(request: Listing, actor: Actor) -> Any:
    sorted_by_price = request.sort in {"price_asc", "price_desc"}
    query = select(Product).options(defer(Product.search_text))
    status = request.status if actor.writes and request.status else ProductStatus.ACTIVE
    if status != ProductStatus.ACTIVE and not actor.all_merchants and actor.merchant_id is None:
        status = ProductStatus.ACTIVE
    query = query.where(Product.status == status)
    if status != ProductStatus.ACTIVE and not actor.all_merchants:
        query = query.where(unindexed(Product.merchant_id) == actor.merchant_id)
    if request.merchant is not None:
        query = query.where(
            unindexed(Product.merchant_id) == request.merchant,
            _any(Product, Product.merchant_id == request.merchant),
        )
    if request.category:
        path = _category_path(request.category)
        query = query.where(
            subtree(unindexed(Product.category_path), path),
            _any(Category, _category(request.category)),
        )
    low, high = request.min_price, request.max_price
    for name, bound in (("min_price", low), ("max_price", high)):
        if bound is not None and not is_price_bound(bound):
            raise InvalidFilter(f"{name} is a price from 0 to {MAX_PRICE}, to 4 decimals at most")
    if low is not None and high is not None and low > high:
        raise InvalidFilter("min_price is above max_price")
    price = Product.price.expression if sorted_by_price else unindexed(Product.price)
    if request.min_price is not None:
        query = query.where(price >= request.min_price)
    if request.max_price is not None:
        query = query.where(price <= request.max_price)
    if request.in_stock is not None:
        query = query.where(Product.in_stock == request.in_stock)
    for name, value in parse_attrs(request.attrs):
        has = (AttributeValue.name == name, AttributeValue.value == value)
        query = query.where(
            exists().where(AttributeValue.product_id == Product.id, *has),
            _any(AttributeValue, *has),
        )
    for word in search_words(request.q):
        query = query.where(Product.search_text.like(f"%{escape_like(word)}%", escape="\\"))
    return query


def _category(key: str) -> ColumnElement[bool]:
    return or_(Category.id == key, Category.slug == key)


def _category_path(key: str) -> ColumnElement[str]:
    return (
        select(Category.path)
        .where(_category(key))
        .order_by((Category.id == key).desc())
        .limit(1)
        .scalar_subquery()
    )


def _any(entity: type[Any], *conditions: ColumnElement[bool]) -> ColumnElement[bool]:
    return exists(select(literal(1)).select_from(entity).where(*conditions).correlate(None))


# -- the category tree from entities, as it was ------------------------------------------


@dataclass
class _Node:
    category: Category
    children: list[_Node] = field(default_factory=list)
    product_count: int | None = None


async def _tree(uow: UnitOfWork, *, counts: bool) -> list[_Node]:
    rows = await uow.session.scalars(
        select(Category).order_by(Category.position, Category.name, Category.id)
    )
    nodes = {c.id: _Node(c) for c in rows}
    roots: list[_Node] = []
    for node in nodes.values():
        parent = nodes.get(node.category.parent_id or "")
        (parent.children if parent else roots).append(node)
    if counts:
        totals: dict[str, int] = defaultdict(int)
        grouped = await uow.session.execute(
            select(Product.category_path, func.count())
            .where(Product.status == ProductStatus.ACTIVE, Product.category_path.is_not(None))
            .group_by(Product.category_path)
        )
        for path, n in grouped:
            for category_id in (path or "").strip("/").split("/"):
                totals[category_id] += n
        for node in nodes.values():
            node.product_count = totals.get(node.category.id, 0)
    return roots


def _node_out(node: _Node) -> CategoryNode:
    category = node.category
    return CategoryNode(
        id=category.id,
        name=category.name,
        slug=category.slug,
        parent_id=category.parent_id,
        position=category.position,
        product_count=node.product_count,
        children=[_node_out(child) for child in node.children],
    )
