"""Categories: a tree whose `path` (`/root-id/child-id/`) makes a subtree one prefix match,
and whose products carry their category's path (`Product.category_path`)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, and_, func, literal, or_, select, update
from sqlalchemy.exc import IntegrityError

from mercato.agents.catalog import derived
from mercato.agents.catalog.models import Category, Product
from mercato.agents.catalog.problems import (
    CategoryCycle,
    CategoryNotEmpty,
    SlugTaken,
    UnknownCategory,
)
from mercato.agents.catalog.schemas import CategoryPatch
from mercato.kernel.db import UnitOfWork
from mercato.kernel.errors import NotFound
from mercato.kernel.ids import new_id

WRITE = "categories:write"
"""Shape the tree (granted to no role: admins only)."""
PATH_END = "~"
"""Sorts after every character of a path (ids and `/`): `[p, p + PATH_END)` is p's subtree."""


def split_path(text: str) -> list[str]:
    """`"Home > Kitchen"` → `["Home", "Kitchen"]` (blank levels dropped)."""
    return [part.strip() for part in text.split(">") if part.strip()]


def subtree(column: ColumnElement[Any], path: ColumnElement[str]) -> ColumnElement[bool]:
    """The SQL condition "`column` is `path` or below it", as one index range (bytewise on
    both backends: `products.category_path` is collated "C" on PostgreSQL)."""
    return and_(column >= path, column < path + literal(PATH_END))


async def get_category(uow: UnitOfWork, key: str) -> Category:
    """A category by id or slug (404 otherwise)."""
    found = await uow.session.scalar(
        select(Category)
        .where(or_(Category.id == key, Category.slug == key))
        .order_by((Category.id == key).desc())
        .limit(1)
    )
    if found is None:
        raise NotFound(f"no category {key!r}")
    return found


async def create_category(
    uow: UnitOfWork,
    *,
    name: str,
    now: datetime,
    slug: str | None = None,
    parent_id: str | None = None,
    position: int = 0,
) -> Category:
    parent = await _parent(uow, parent_id)
    category_id = new_id()
    category = Category(
        id=category_id,
        parent_id=parent.id if parent else None,
        name=name,
        slug=await _slug(uow, name, category_id, wanted=slug),
        path=_path(parent, category_id),
        position=position,
        created_at=now,
    )
    try:
        async with uow.session.begin_nested():  # a lost race leaves the transaction usable
            uow.session.add(category)
            await uow.session.flush()
    except IntegrityError:
        raise SlugTaken(f"category slug {category.slug!r} was just taken") from None
    return category


async def ensure_category_path(uow: UnitOfWork, names: list[str], now: datetime) -> Category:
    """The category at `names` ("Home", "Kitchen"), creating the levels that are missing.
    Levels match by name, case-insensitively, under their parent."""
    if not names:
        raise UnknownCategory("an empty category path")
    parent: Category | None = None
    for full_name in names:
        name = full_name[:120]
        found = await uow.session.scalar(
            select(Category)
            .where(
                Category.parent_id == (parent.id if parent else None),
                func.lower(Category.name) == name.lower(),
            )
            .order_by(Category.position, Category.id)
            .limit(1)
        )
        parent = found or await create_category(
            uow, name=name, now=now, parent_id=parent.id if parent else None
        )
    assert parent is not None
    return parent


async def update_category(
    uow: UnitOfWork, *, category: Category, changes: CategoryPatch
) -> Category:
    """Rename, re-slug, reorder or move; a move re-roots the paths of the whole subtree and
    of its products."""
    given = changes.model_fields_set
    if changes.slug is not None and changes.slug != category.slug:
        slug = await _slug(uow, category.name, category.id, wanted=changes.slug)
    else:
        slug = category.slug
    try:
        async with uow.session.begin_nested():  # a lost race leaves the transaction usable
            category.slug = slug
            if changes.name is not None:
                category.name = changes.name
            if changes.position is not None:
                category.position = changes.position
            if "parent_id" in given and changes.parent_id != category.parent_id:
                await _move(uow, category, await _parent(uow, changes.parent_id))
            await uow.session.flush()
    except IntegrityError:
        raise SlugTaken(f"category slug {slug!r} was just taken") from None
    return category


async def _move(uow: UnitOfWork, category: Category, parent: Category | None) -> None:
    if parent is not None and parent.path.startswith(category.path):
        raise CategoryCycle(f"{parent.name!r} is {category.name!r} or one of its descendants")
    old, new = category.path, _path(parent, category.id)
    category.parent_id = parent.id if parent else None
    rest = len(old) + 1
    await uow.session.execute(
        update(Category)
        .where(Category.path.startswith(old, autoescape=True))
        .values(path=literal(new) + func.substr(Category.path, rest))
        .execution_options(synchronize_session="fetch")
    )
    moved = subtree(Product.category_path.expression, literal(old))
    # The products' rows are locked by id first, the order every product write takes.
    await uow.session.execute(
        select(Product.id).where(moved).order_by(Product.id).with_for_update()
    )
    await uow.session.execute(
        update(Product)
        .where(moved)
        .values(category_path=literal(new) + func.substr(Product.category_path, rest))
        .execution_options(synchronize_session=False)
    )
    await uow.session.refresh(category)


async def delete_category(uow: UnitOfWork, *, category: Category) -> None:
    """Only an empty category goes: no subcategories and no product (archived ones too)."""
    child = await uow.session.scalar(
        select(Category.id).where(Category.parent_id == category.id).limit(1)
    )
    # With no subcategory, the products of its subtree are its own: one index range.
    product = await uow.session.scalar(
        select(Product.id)
        .where(subtree(Product.category_path.expression, literal(category.path)))
        .limit(1)
    )
    if child is not None or product is not None:
        what = "subcategories" if child is not None else "products"
        raise CategoryNotEmpty(f"{category.name!r} still has {what}")
    await uow.session.delete(category)
    await uow.session.flush()


async def lineage(uow: UnitOfWork, category: Category) -> tuple[list[Category], list[Category]]:
    """(ancestors from the root, children in order) of a category."""
    ids = [i for i in category.path.strip("/").split("/") if i and i != category.id]
    rows = await uow.session.scalars(
        select(Category).where(or_(Category.id.in_(ids), Category.parent_id == category.id))
    )
    by_id = {c.id: c for c in rows}
    ancestors = [by_id[i] for i in ids if i in by_id]
    children = sorted(
        (c for c in by_id.values() if c.parent_id == category.id),
        key=lambda c: (c.position, c.name, c.id),
    )
    return ancestors, children


async def _parent(uow: UnitOfWork, parent_id: str | None) -> Category | None:
    if parent_id is None:
        return None
    parent = await uow.session.get(Category, parent_id)
    if parent is None:
        raise UnknownCategory(f"no parent category {parent_id!r}")
    return parent


def _path(parent: Category | None, category_id: str) -> str:
    return f"{parent.path if parent else '/'}{category_id}/"


async def _slug(uow: UnitOfWork, name: str, category_id: str, *, wanted: str | None) -> str:
    if wanted is not None:
        if await uow.session.scalar(select(Category.id).where(Category.slug == wanted)):
            raise SlugTaken(f"category slug {wanted!r} is already used")
        return wanted
    base = derived.slugify(name)[:120].rstrip("-") or f"c-{category_id[-12:]}"
    candidates = derived.slug_candidates(base)
    taken = set(
        await uow.session.scalars(select(Category.slug).where(Category.slug.in_(candidates)))
    )
    return next((c for c in candidates if c not in taken), f"{base}-{category_id[-12:]}")
