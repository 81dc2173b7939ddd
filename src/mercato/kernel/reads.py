"""Reads built from rows (ADR 21): a read route answers from the rows of prepared Core
statements (`kernel.prepared`, built once at import, scoped with `store_sql.in_store`), made
into plain dicts with the keys, order and values of its response model, and serialized once:

    PRODUCT = Prepared(in_store(select(products.c.id, ...).where(... == bindparam("ref"))))

    @router.get("/products/{ref}", response_model=ProductOut)   # the OpenAPI is the model's
    async def get_product(ref: str, kernel: KernelDep, _: Public) -> Response:
        async with kernel.uow(writes=False) as uow:
            rows = await PRODUCT.all(uow, ref=ref)
        return json_answer({"id": rows[0].id, ...})

No ORM session work, no identity map, no validation again of what the database holds.
"""

from __future__ import annotations

from typing import Any

from pydantic_core import to_json
from starlette.responses import Response


def json_answer(answer: Any, *, status_code: int = 200) -> Response:
    """`answer` (dicts, lists, strings, numbers, datetimes) as the JSON bytes FastAPI writes
    for a route's response model: pydantic's serializer, so the same bytes (datetimes as
    pydantic writes them, non-ASCII as UTF-8), without validating the answer again. Amounts
    must already be the strings their model writes (`MoneyStr`); keys come in the model's
    order, and a field the model would write as null is there, as None."""
    return Response(to_json(answer), status_code=status_code, media_type="application/json")
