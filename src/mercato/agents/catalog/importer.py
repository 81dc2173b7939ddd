"""Importing a catalog file (`mercato catalog import`): JSON or CSV → products.

JSON is a list of product objects shaped like `POST /v1/products`, where `category` may be
a path ("Home > Kitchen"). CSV has one row per variant, grouped into products by the
`product` column (see `COLUMNS`). Products are written in batches of a transaction each,
and each product atomically: a rejected product leaves nothing behind (no product, variant,
category it alone created, or event), and the rest of its batch goes on.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import structlog
from pydantic import ValidationError
from sqlalchemy.exc import DataError, IntegrityError

from mercato.agents.catalog import categories, service
from mercato.agents.catalog.creation import NewProduct
from mercato.agents.catalog.schemas import ProductIn
from mercato.kernel.bootstrap import Kernel
from mercato.kernel.db import UnitOfWork
from mercato.kernel.errors import Problem

PRODUCT_COLUMNS = (
    "name",
    "slug",
    "description",
    "category",
    "status",
    "currency",
    "is_free",
    "requires_shipping",
    "images",
)
"""Per product: read from the first of its rows that has a value."""
VARIANT_COLUMNS = ("sku", "variant_title", "price", "compare_at_price")
BOOLEAN_COLUMNS = ("is_free", "requires_shipping")
CSV_BOOLEANS = {"true": True, "false": False, "yes": True, "no": False, "1": True, "0": False}
"""A CSV cell is text: these spellings are booleans (anything else is refused by the body's
validation, which, as for the API, does not coerce text into booleans)."""
COLUMNS = ("product", *PRODUCT_COLUMNS, *VARIANT_COLUMNS)
REQUIRED_COLUMNS = ("product", "name", "sku", "price")
ATTR_PREFIX = "attr:"
BATCH_SIZE = 200
log = structlog.get_logger("mercato.catalog.import")


class BadFileError(Exception):
    """The file cannot be read as a catalog at all (nothing is imported)."""


@dataclass(frozen=True)
class Item:
    """One product of the file: where it came from and its fields."""

    rows: tuple[int, ...]
    key: str
    data: dict[str, Any]
    variant_rows: tuple[int, ...] = ()
    """CSV: the row of each variant, to name it in a rejection."""
    problem: str | None = None
    """A problem found while reading it (it is rejected without being tried)."""


@dataclass(frozen=True)
class Rejection:
    rows: tuple[int, ...]
    key: str
    code: str
    detail: str


@dataclass
class Report:
    products: int = 0
    variants: int = 0
    rejected: list[Rejection] = field(default_factory=list)


def read_items(path: Path, fmt: str | None = None) -> list[Item]:
    """The products of a JSON or CSV file (`fmt`, else the file's extension)."""
    fmt = (fmt or path.suffix.lstrip(".")).lower()
    if fmt not in {"json", "csv"}:
        raise BadFileError(f"cannot tell the format of {path.name}: use --format csv or json")
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise BadFileError(f"cannot read {path}: {exc}") from exc
    return parse_json(text) if fmt == "json" else parse_csv(text)


def parse_json(text: str) -> list[Item]:
    try:
        document = json.loads(text)
    except json.JSONDecodeError as exc:
        raise BadFileError(f"not valid JSON: {exc}") from exc
    if not isinstance(document, list):
        raise BadFileError("a JSON catalog is a list of products")
    items = []
    for number, entry in enumerate(document, start=1):
        if not isinstance(entry, dict):
            items.append(Item((number,), "", {}, problem="not a product object"))
            continue
        key = str(entry.get("slug") or entry.get("name") or "")[:80]
        items.append(Item((number,), key, entry))
    return items


def parse_csv(text: str) -> list[Item]:
    """One row per variant; rows are numbered as the file's lines (the header is row 1)."""
    try:
        reader = csv.DictReader(io.StringIO(text))
        header = [h.strip() for h in reader.fieldnames or []]
        _check_header(header)
        reader.fieldnames = header
        groups: dict[str, list[tuple[int, dict[str, str]]]] = {}
        items: list[Item] = []
        for row in reader:
            number = reader.line_num  # the file's line (a spreadsheet's row) of the record
            if None in row:
                items.append(Item((number,), "", {}, problem="more cells than columns"))
                continue
            values = {k: (v or "").strip() for k, v in row.items()}
            if not any(values.values()):
                continue  # a blank line
            key = values["product"]
            if not key:
                items.append(Item((number,), "", {}, problem="the product column is empty"))
                continue
            groups.setdefault(key, []).append((number, values))
    except csv.Error as exc:
        raise BadFileError(f"not valid CSV: {exc}") from exc
    items += [_csv_product(key, rows) for key, rows in groups.items()]
    return sorted(items, key=lambda item: item.rows[0])


def _check_header(header: list[str]) -> None:
    if not header:
        raise BadFileError("the CSV file has no header row")
    missing = [c for c in REQUIRED_COLUMNS if c not in header]
    unknown = [h for h in header if h not in COLUMNS and not h.startswith(ATTR_PREFIX)]
    duplicated = sorted({h for h in header if header.count(h) > 1})
    if missing or unknown or duplicated:
        problems = [
            f"{what}: {', '.join(names)}"
            for what, names in (
                ("missing columns", missing),
                ("unknown columns", unknown),
                ("repeated columns", duplicated),
            )
            if names
        ]
        raise BadFileError("; ".join(problems))


def _csv_product(key: str, rows: list[tuple[int, dict[str, str]]]) -> Item:
    data: dict[str, Any] = {}
    for column in PRODUCT_COLUMNS:
        value = next((r[column] for _, r in rows if r.get(column)), None)
        if value is not None:
            data[column] = value
    if "images" in data:
        data["images"] = [url.strip() for url in data["images"].split("|") if url.strip()]
    for column in BOOLEAN_COLUMNS:
        if column in data:
            data[column] = CSV_BOOLEANS.get(data[column].strip().lower(), data[column])
    data["variants"] = [_csv_variant(row) for _, row in rows]
    numbers = tuple(n for n, _ in rows)
    return Item(numbers, key, data, variant_rows=numbers)


def _csv_variant(row: dict[str, str]) -> dict[str, Any]:
    variant: dict[str, Any] = {
        name: row[column]
        for name, column in (
            ("sku", "sku"),
            ("title", "variant_title"),
            ("price", "price"),
            ("compare_at_price", "compare_at_price"),
        )
        if row.get(column)
    }
    variant["attributes"] = {
        column.removeprefix(ATTR_PREFIX).strip(): value
        for column, value in row.items()
        if column.startswith(ATTR_PREFIX) and value
    }
    return variant


# -- writing ---------------------------------------------------------------------------


async def import_items(
    kernel: Kernel,
    items: Iterable[Item],
    *,
    merchant_id: str | None = None,
    batch_size: int = BATCH_SIZE,
    on_progress: Callable[[], None] | None = None,
) -> Report:
    """Write the items in batches of one transaction each; run it with the store bound
    (`context.bind(tenant_id=…)`).

    A batch is first written at once (`create_products`, in a SAVEPOINT). If any product
    of it is refused, the batch is written product by product instead, each in a SAVEPOINT
    with the categories it creates, so a refused product leaves nothing behind and is
    reported alone; an unexpected error writing one product (a bug, not bad data) rejects
    that product as `unexpected_error`, logged, rather than ending the import unreported."""
    report = Report()
    pending = list(items)
    for start in range(0, len(pending), batch_size):
        batch: list[Ready] = []
        for item in pending[start : start + batch_size]:
            ready = _prepare(item, merchant_id)
            if isinstance(ready, Rejection):
                report.rejected.append(ready)
            else:
                batch.append(ready)
        written = batch
        async with kernel.uow() as uow:
            if not await _all_at_once(uow, kernel, batch):
                written = []
                known: dict[tuple[str, ...], str] = {}  # category paths this batch made
                for ready in batch:
                    rejection = await _one_by_one(uow, kernel, ready, known)
                    if rejection is None:
                        written.append(ready)
                    else:
                        report.rejected.append(rejection)
            await uow.commit()
        report.products += len(written)
        report.variants += sum(len(r.data.variants) for r in written)
        for _ in pending[start : start + batch_size]:
            if on_progress is not None:
                on_progress()
    report.rejected.sort(key=lambda r: r.rows)
    return report


@dataclass(frozen=True)
class Ready:
    """An item that passed validation: its product and its category path."""

    item: Item
    data: ProductIn
    category: tuple[str, ...]


def _prepare(item: Item, merchant_id: str | None) -> Ready | Rejection:
    def reject(code: str, detail: str) -> Rejection:
        return Rejection(item.rows, item.key, code, detail)

    if item.problem is not None:
        return reject("invalid_row", item.problem)
    data = dict(item.data)
    path = data.pop("category", None)
    if merchant_id is not None:
        data["merchant_id"] = merchant_id
    try:
        product_in = ProductIn.model_validate(data)
    except ValidationError as exc:
        return reject("validation_failed", _errors(exc, item))
    if path is not None and (not isinstance(path, str) or product_in.category_id is not None):
        return reject("validation_failed", "category: a path such as 'Home > Kitchen', alone")
    return Ready(item, product_in, tuple(categories.split_path(path or "")))


def _new(ready: Ready, category_id: str | None) -> NewProduct:
    data = ready.data
    if ready.category:
        data = data.model_copy(update={"category_id": category_id})
    return NewProduct(data, data.merchant_id)


async def _all_at_once(uow: UnitOfWork, kernel: Kernel, batch: list[Ready]) -> bool:
    """Write the whole batch; False (and nothing written) if any product is refused."""
    now = kernel.clock.now()
    try:
        async with uow.session.begin_nested():
            paths = {r.category for r in batch if r.category}
            ids = {
                path: (await categories.ensure_category_path(uow, list(path), now)).id
                for path in sorted(paths)
            }
            await service.create_products(
                uow,
                items=[_new(r, ids.get(r.category)) for r in batch],
                currency_default=kernel.settings.default_currency,
                now=now,
            )
    except Exception:  # retried product by product: each refusal is then reported alone
        return False
    return True


async def _one_by_one(
    uow: UnitOfWork, kernel: Kernel, ready: Ready, known: dict[tuple[str, ...], str]
) -> Rejection | None:
    """Write one product; `known` holds the category paths this batch already made."""
    now = kernel.clock.now()

    async def create(category_id: str | None) -> None:
        await service.create_product(
            uow,
            data=_new(ready, category_id).data,
            merchant_id=ready.data.merchant_id,
            currency_default=kernel.settings.default_currency,
            now=now,
        )

    rows, key = ready.item.rows, ready.item.key
    try:
        # The product and the categories it makes, whatever goes wrong: a SAVEPOINT.
        async with uow.session.begin_nested():
            category_id = known.get(ready.category)
            if ready.category and category_id is None:
                path = list(ready.category)
                category_id = (await categories.ensure_category_path(uow, path, now)).id
            await create(category_id)
    except Problem as exc:
        return Rejection(rows, key, exc.code, exc.detail or exc.title)
    except (IntegrityError, DataError) as exc:
        return Rejection(rows, key, "invalid_row", str(exc.orig).splitlines()[0][:300])
    except Exception as exc:  # one product's failure must not lose the whole report
        log.exception("catalog_import_product_failed", rows=rows, key=key)
        return Rejection(rows, key, "unexpected_error", f"{type(exc).__name__}: {exc}"[:300])
    if ready.category and category_id is not None:
        known[ready.category] = category_id
    return None


def _errors(exc: ValidationError, item: Item) -> str:
    """`row 7 price: Input should be a valid decimal; name: Field required`."""
    parts = []
    for error in exc.errors():
        loc = list(error["loc"])
        where = ".".join(str(p) for p in loc)
        if item.variant_rows and len(loc) >= 2 and loc[0] == "variants":
            index = loc[1]
            if isinstance(index, int) and index < len(item.variant_rows):
                rest = ".".join(str(p) for p in loc[2:])
                where = f"row {item.variant_rows[index]} {rest}".strip()
        parts.append(f"{where}: {error['msg']}")
    return "; ".join(parts)
