"""The packing slip that goes in the box: who it is for, what is in it, line by line.

A4 or Letter, portrait. The lines are a table that carries on over as many pages as it
takes, its header repeated and every page numbered ("Page 2 of 3"), so a slip for a large
order stays readable and in order when printed.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from io import BytesIO

from reportlab.lib.pagesizes import A4  # type: ignore[import-untyped]
from reportlab.lib.utils import simpleSplit  # type: ignore[import-untyped]
from reportlab.pdfgen.canvas import Canvas  # type: ignore[import-untyped]

from mercato.agents.shipping.documents.text import (
    Face,
    address_lines,
    face_for,
    paginate,
    write,
)
from mercato.agents.shipping.providers.base import Address

MARGIN = 40.0
ROW = 16.0
FIRST_TABLE_TOP = 200.0
"""Points from the page's top to the table on the first page (after the ship-to block)."""
NEXT_TABLE_TOP = 90.0
BOTTOM = 60.0


@dataclass(frozen=True)
class PackingSlipLine:
    sku: str
    name: str
    quantity: int


@dataclass(frozen=True)
class PackingSlipData:
    order_number: str
    shipment_id: str
    ship_to: Address
    lines: Sequence[PackingSlipLine]
    box_code: str | None = None
    note: str | None = None
    page_size: tuple[float, float] = A4
    """A4 or `reportlab.lib.pagesizes.LETTER`, portrait."""


def render_packing_slip(data: PackingSlipData) -> bytes:
    width, height = data.page_size
    first, rest = _capacity(height, FIRST_TABLE_TOP), _capacity(height, NEXT_TABLE_TOP)
    pages = paginate(list(data.lines), first, rest, footer_rows=1)
    face = slip_face(data)
    buffer = BytesIO()
    canvas = Canvas(buffer, pagesize=data.page_size, pageCompression=1)
    canvas.setTitle(f"Packing slip {data.order_number}")
    for number, rows in enumerate(pages, start=1):
        _header(canvas, face, data, number, len(pages))
        top = height - (FIRST_TABLE_TOP if number == 1 else NEXT_TABLE_TOP)
        if number == 1:
            _first_page(canvas, face, data)
        y = _table(canvas, face, data.page_size, top, rows)
        if number == len(pages):
            total = sum(line.quantity for line in data.lines)
            write(
                canvas,
                face,
                width - MARGIN,
                y - 8,
                f"Total items: {total}",
                size=10,
                bold=True,
                align="right",
            )
        canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def slip_face(data: PackingSlipData) -> Face:
    """The slip's fonts, chosen from every text it prints (the rest is ASCII)."""
    return face_for(
        [
            data.order_number,
            data.shipment_id,
            *address_lines(data.ship_to),
            data.box_code,
            data.note,
            *(text for line in data.lines for text in (line.sku, line.name)),
        ]
    )


def _capacity(height: float, table_top: float) -> int:
    """Rows that fit under the table's header row."""
    return max(1, int((height - table_top - ROW - BOTTOM) // ROW))


def _header(canvas: Canvas, face: Face, data: PackingSlipData, number: int, count: int) -> None:
    width, height = data.page_size
    write(canvas, face, MARGIN, height - 50, "Packing slip", size=18, bold=True)
    write(
        canvas,
        face,
        width - MARGIN,
        height - 44,
        f"Order {data.order_number}",
        size=11,
        bold=True,
        align="right",
        width=width / 2 - MARGIN,
    )
    write(
        canvas,
        face,
        width - MARGIN,
        height - 58,
        f"Shipment {data.shipment_id}",
        size=8,
        align="right",
        width=width / 2 - MARGIN,
    )
    write(canvas, face, width - MARGIN, 30, f"Page {number} of {count}", size=8, align="right")


def _first_page(canvas: Canvas, face: Face, data: PackingSlipData) -> None:
    width, height = data.page_size
    half = width / 2 - MARGIN
    write(canvas, face, MARGIN, height - 82, "SHIP TO", size=8, bold=True)
    y = height - 96
    for index, line in enumerate(address_lines(data.ship_to)[:6]):
        write(canvas, face, MARGIN, y, line, size=10, bold=index == 0, width=half)
        y -= 13
    x = width / 2 + 10
    y = height - 82
    if data.box_code:
        write(canvas, face, x, y, f"Box: {data.box_code}", size=10, bold=True, width=half)
        y -= 16
    if data.note:
        write(canvas, face, x, y, "NOTE", size=8, bold=True)
        y -= 12
        for line in simpleSplit(" ".join(data.note.split()), face.regular, 9, half)[:5]:
            write(canvas, face, x, y, line, size=9, width=half)
            y -= 11


def _table(
    canvas: Canvas, face: Face, page: tuple[float, float], top: float, rows: list[PackingSlipLine]
) -> float:
    """The table's header and `rows` from `top` down; answers the y under the table."""
    width = page[0]
    sku_x, name_x, qty_x = MARGIN, MARGIN + 110, width - MARGIN
    write(canvas, face, sku_x, top, "SKU", size=9, bold=True)
    write(canvas, face, name_x, top, "Item", size=9, bold=True)
    write(canvas, face, qty_x, top, "Qty", size=9, bold=True, align="right")
    canvas.setLineWidth(0.8)
    canvas.line(MARGIN, top - 5, width - MARGIN, top - 5)
    y = top - ROW
    for line in rows:
        write(canvas, face, sku_x, y, line.sku, size=9, width=105)
        write(canvas, face, name_x, y, line.name, size=9, width=qty_x - name_x - 50)
        write(canvas, face, qty_x, y, str(line.quantity), size=9, align="right")
        y -= ROW
    canvas.setLineWidth(0.4)
    canvas.line(MARGIN, y + ROW - 5, width - MARGIN, y + ROW - 5)
    return y
