"""The shipping label Mercato prints itself (for the local courier, the table-rate carriers,
or whenever a vendor's own label is not to hand): one 4x6 inch page a parcel, the size
thermal label printers take.

The ship-to block is the largest thing on it (sorters read it from a distance), the tracking
number is a Code 128 barcode with the number printed under it (scanners and people both), and
the order's reference and the weight sit at the foot for the packer.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from io import BytesIO

from reportlab.graphics.barcode.code128 import Code128  # type: ignore[import-untyped]
from reportlab.lib.units import inch  # type: ignore[import-untyped]
from reportlab.lib.utils import simpleSplit  # type: ignore[import-untyped]
from reportlab.pdfgen.canvas import Canvas  # type: ignore[import-untyped]

from mercato.agents.shipping.documents.text import Face, address_lines, face_for, write
from mercato.agents.shipping.providers.base import Address

PAGE = (4 * inch, 6 * inch)
"""288 x 432 points."""
MARGIN = 12.0
BARCODE_HEIGHT = 72.0


@dataclass(frozen=True)
class LabelData:
    ship_from: Address
    ship_to: Address
    carrier_name: str
    service_name: str
    tracking_number: str
    order_number: str
    shipment_id: str
    weight_grams: int
    shipped_on: date
    package: str | None = None
    """E.g. "1 of 2" when the order ships in several parcels."""


def render_label(data: LabelData) -> bytes:
    """One label as a one-page PDF."""
    return render_labels([data])


def render_labels(labels: Sequence[LabelData]) -> bytes:
    """Many labels in one PDF, one page each, for printing a batch in one go."""
    if not labels:
        raise ValueError("no labels to render")
    buffer = BytesIO()
    canvas = Canvas(buffer, pagesize=PAGE, pageCompression=1)
    canvas.setTitle(f"Shipping labels ({len(labels)})")
    for data in labels:
        _draw(canvas, data)
        canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def weight_text(grams: int) -> str:
    return f"{(Decimal(grams) / 1000).quantize(Decimal('0.01'))} kg"


def label_face(data: LabelData) -> Face:
    """The label's fonts, chosen from every text it prints (the rest is ASCII)."""
    return face_for(
        [
            *address_lines(data.ship_from),
            *address_lines(data.ship_to),
            data.carrier_name,
            data.service_name.upper(),
            data.package,
            data.tracking_number,
            data.order_number,
            data.shipment_id,
        ]
    )


def _draw(canvas: Canvas, data: LabelData) -> None:
    face = label_face(data)
    width, height = PAGE
    inner = width - 2 * MARGIN
    top = height - MARGIN

    # ship-from (small, top left) and the carrier (top right)
    write(canvas, face, MARGIN, top - 7, "FROM", size=6, bold=True)
    y = top - 16
    for line in address_lines(data.ship_from)[:5]:
        write(canvas, face, MARGIN, y, line, size=7, width=inner * 0.6)
        y -= 8.5
    y = top - 12
    for line in simpleSplit(" ".join(data.carrier_name.split()), face.bold, 10, inner * 0.4)[:2]:
        write(
            canvas,
            face,
            width - MARGIN,
            y,
            line,
            size=10,
            bold=True,
            width=inner * 0.4,
            align="right",
        )
        y -= 12
    if data.package:
        write(canvas, face, width - MARGIN, y - 4, data.package, size=9, align="right")
    _rule(canvas, height - 68)

    # ship-to (the largest block)
    write(canvas, face, MARGIN, height - 80, "SHIP TO", size=7, bold=True)
    lines = address_lines(data.ship_to)
    write(canvas, face, MARGIN, height - 100, lines[0], size=16, bold=True, width=inner)
    y = height - 118
    for line in lines[1:6]:
        write(canvas, face, MARGIN, y, line, size=12, width=inner)
        y -= 15
    _rule(canvas, 212)

    # the service, white on a black band
    canvas.rect(MARGIN, 190, inner, 20, stroke=0, fill=1)
    canvas.setFillGray(1)
    write(
        canvas,
        face,
        width / 2,
        195,
        data.service_name.upper(),
        size=12,
        bold=True,
        width=inner - 8,
        align="center",
    )
    canvas.setFillGray(0)

    # the tracking number, as a barcode and as text
    barcode = _barcode(data.tracking_number, inner)
    barcode.drawOn(canvas, (width - barcode.width) / 2, 104)
    write(canvas, face, width / 2, 90, data.tracking_number, size=11, bold=True, align="center")
    _rule(canvas, 80)

    # the packer's references
    write(
        canvas, face, MARGIN, 66, f"Ref: {data.order_number}", size=9, bold=True, width=inner * 0.6
    )
    write(
        canvas,
        face,
        width - MARGIN,
        66,
        weight_text(data.weight_grams),
        size=9,
        bold=True,
        align="right",
    )
    write(canvas, face, MARGIN, 53, f"Shipment: {data.shipment_id}", size=7, width=inner)
    write(canvas, face, MARGIN, 42, f"Shipped: {data.shipped_on.isoformat()}", size=7)


def _barcode(value: str, available: float) -> Code128:
    """A Code 128 of `value` as wide as `available` allows with its quiet zones (ten bars'
    width each side), bars at most 1.6 pt: a long number gets thinner bars rather than
    running off the label."""
    barcode = Code128(
        value, barHeight=BARCODE_HEIGHT, barWidth=1.0, quiet=False, humanReadable=False
    )
    modules = barcode.width  # bars 1 pt wide, no quiet zones: its width in modules
    bar = min(1.6, available / (modules + 20))
    # the same barcode resized (reportlab recomputes its size from these on every use)
    barcode.barWidth = bar
    barcode.quiet = True
    barcode.lquiet = barcode.rquiet = 10 * bar
    return barcode


def _rule(canvas: Canvas, y: float) -> None:
    canvas.setLineWidth(1)
    canvas.line(MARGIN, y, PAGE[0] - MARGIN, y)
