"""The day's manifest a driver signs when collecting: every parcel handed over to one
carrier, its tracking number, order, destination, service and weight.

A table over as many numbered pages as it takes ("Page 3 of 7", header repeated), then the
totals (parcels and weight) and a line for the driver's name, signature and time. The driver's
signature is what proves the hand-over, so the totals and the signature always sit together on
the last page.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from io import BytesIO

from reportlab.lib.pagesizes import A4  # type: ignore[import-untyped]
from reportlab.pdfgen.canvas import Canvas  # type: ignore[import-untyped]

from mercato.agents.shipping.documents.text import Face, face_for, paginate, write

MARGIN = 36.0
ROW = 15.0
TABLE_TOP = 110.0
"""Points from the page's top to the table's header row."""
BOTTOM = 50.0
FOOTER_ROWS = 9
"""The totals and the signature block, in rows."""
COLUMNS = (
    ("Tracking number", 0.0, 144.0),
    ("Order", 150.0, 84.0),
    ("Destination", 240.0, 139.0),
    ("Service", 385.0, 72.0),
)
"""Each column's title, x offset from the margin and width (on A4 and Letter alike); the
weight comes last, right-aligned."""


@dataclass(frozen=True)
class ManifestRow:
    tracking_number: str
    order_number: str
    destination_city: str
    destination_country: str
    service: str
    weight_grams: int


@dataclass(frozen=True)
class ManifestData:
    carrier_name: str
    day: date
    origin_name: str
    """The warehouse or store the parcels leave from."""
    rows: Sequence[ManifestRow]
    page_size: tuple[float, float] = A4


def render_manifest(data: ManifestData) -> bytes:
    width, height = data.page_size
    capacity = max(1, int((height - TABLE_TOP - ROW - BOTTOM) // ROW))
    pages = paginate(list(data.rows), capacity, capacity, footer_rows=FOOTER_ROWS)
    face = manifest_face(data)
    buffer = BytesIO()
    canvas = Canvas(buffer, pagesize=data.page_size, pageCompression=1)
    canvas.setTitle(f"Manifest {data.carrier_name} {data.day.isoformat()}")
    for number, rows in enumerate(pages, start=1):
        _header(canvas, face, data, number, len(pages))
        y = _table(canvas, face, width, height - TABLE_TOP, rows)
        if number == len(pages):
            _footer(canvas, face, data, width, y)
        canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def manifest_face(data: ManifestData) -> Face:
    """The manifest's fonts, chosen from every text it prints (the rest is ASCII, "—" and
    "·", which WinAnsi has)."""
    return face_for(
        [
            data.carrier_name,
            data.origin_name,
            *(
                text
                for row in data.rows
                for text in (row.tracking_number, row.order_number, _destination(row), row.service)
            ),
        ]
    )


def _destination(row: ManifestRow) -> str:
    return f"{row.destination_city}, {row.destination_country.upper()}"


def kilograms(grams: int) -> str:
    return f"{(Decimal(grams) / 1000).quantize(Decimal('0.001'))} kg"


def _header(canvas: Canvas, face: Face, data: ManifestData, number: int, count: int) -> None:
    width, height = data.page_size
    write(
        canvas,
        face,
        MARGIN,
        height - 50,
        f"Manifest — {data.carrier_name}",
        size=16,
        bold=True,
        width=width - 2 * MARGIN - 120,
    )
    write(
        canvas,
        face,
        width - MARGIN,
        height - 50,
        data.day.isoformat(),
        size=12,
        bold=True,
        align="right",
    )
    write(
        canvas,
        face,
        MARGIN,
        height - 68,
        f"From: {data.origin_name}",
        size=10,
        width=width - 2 * MARGIN,
    )
    write(canvas, face, width - MARGIN, 28, f"Page {number} of {count}", size=8, align="right")
    write(
        canvas,
        face,
        MARGIN,
        28,
        f"{data.carrier_name} · {data.day.isoformat()}",
        size=8,
        width=width / 2,
    )


def _table(canvas: Canvas, face: Face, width: float, top: float, rows: list[ManifestRow]) -> float:
    """The header row and `rows` from `top` down; answers the y under the table."""
    right = width - MARGIN
    for title, offset, _ in COLUMNS:
        write(canvas, face, MARGIN + offset, top, title, size=9, bold=True)
    write(canvas, face, right, top, "Weight", size=9, bold=True, align="right")
    canvas.setLineWidth(0.8)
    canvas.line(MARGIN, top - 5, right, top - 5)
    y = top - ROW
    for row in rows:
        cells = (row.tracking_number, row.order_number, _destination(row), row.service)
        for (_, offset, cell_width), text in zip(COLUMNS, cells, strict=True):
            write(canvas, face, MARGIN + offset, y, text, size=8.5, width=cell_width)
        write(canvas, face, right, y, kilograms(row.weight_grams), size=8.5, align="right")
        y -= ROW
    canvas.setLineWidth(0.4)
    canvas.line(MARGIN, y + ROW - 5, right, y + ROW - 5)
    return y


def _footer(canvas: Canvas, face: Face, data: ManifestData, width: float, y: float) -> None:
    right = width - MARGIN
    parcels = len(data.rows)
    total = sum(row.weight_grams for row in data.rows)
    write(canvas, face, MARGIN, y - 6, f"Parcels: {parcels}", size=11, bold=True)
    write(
        canvas,
        face,
        right,
        y - 6,
        f"Total weight: {kilograms(total)}",
        size=11,
        bold=True,
        align="right",
    )
    write(
        canvas,
        face,
        MARGIN,
        y - 30,
        f"Received by {data.carrier_name}: {parcels} parcels",
        size=9,
        width=right - MARGIN,
    )
    line_y = y - 80
    canvas.setLineWidth(0.6)
    for label, start, end in (
        ("Driver's name", MARGIN, MARGIN + 200),
        ("Driver's signature", MARGIN + 220, MARGIN + 400),
        ("Time", MARGIN + 420, right),
    ):
        canvas.line(start, line_y, end, line_y)
        write(canvas, face, start, line_y - 11, label, size=8)
