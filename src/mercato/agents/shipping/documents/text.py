"""Fonts and text fitting shared by the shipping documents.

Shoppers' names and addresses come in any script, so text is drawn with a TrueType font that
covers Latin, Greek and Cyrillic (DejaVu Sans where the system has it, else the Bitstream Vera
that ships inside reportlab); a glyph neither has (CJK) renders as an empty box, never an
error. Text goes through `canvas.drawString`, which takes it literally: `<` and `&` need no
escaping.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import TypeVar

from reportlab.pdfbase import pdfmetrics  # type: ignore[import-untyped]
from reportlab.pdfbase.ttfonts import TTFont  # type: ignore[import-untyped]
from reportlab.pdfgen.canvas import Canvas  # type: ignore[import-untyped]

from mercato.agents.shipping.providers.base import Address

DEJAVU = Path("/usr/share/fonts/truetype/dejavu")
T = TypeVar("T")
REGULAR = "MercatoSans"
BOLD = "MercatoSans-Bold"


@cache
def fonts() -> tuple[str, str]:
    """The (regular, bold) font names, registered with reportlab on first use."""
    pairs = [
        (DEJAVU / "DejaVuSans.ttf", DEJAVU / "DejaVuSans-Bold.ttf"),
        (Path("Vera.ttf"), Path("VeraBd.ttf")),  # found on reportlab's own font path
    ]
    for regular, bold in pairs:
        if regular.is_absolute() and not (regular.exists() and bold.exists()):
            continue
        try:
            pdfmetrics.registerFont(TTFont(REGULAR, str(regular)))
            pdfmetrics.registerFont(TTFont(BOLD, str(bold)))
        except Exception:  # an unreadable font file: try the next one
            continue
        return REGULAR, BOLD
    return "Helvetica", "Helvetica-Bold"


def fit(text: str, font: str, size: float, width: float) -> str:
    """`text` on one line (newlines and tabs as spaces), cut with "…" to fit `width` points."""
    text = " ".join(text.split())
    if pdfmetrics.stringWidth(text, font, size) <= width:
        return text
    while text and pdfmetrics.stringWidth(text + "…", font, size) > width:
        text = text[:-1]
    return text + "…"


def write(
    canvas: Canvas,
    x: float,
    y: float,
    text: str,
    *,
    size: float = 9,
    bold: bool = False,
    width: float | None = None,
    align: str = "left",
) -> None:
    """Draw one line of text in the documents' font, fitted to `width` when given."""
    font = fonts()[1 if bold else 0]
    line = fit(text, font, size, width) if width is not None else " ".join(text.split())
    canvas.setFont(font, size)
    if align == "right":
        canvas.drawRightString(x, y, line)
    elif align == "center":
        canvas.drawCentredString(x, y, line)
    else:
        canvas.drawString(x, y, line)


def address_lines(address: Address) -> list[str]:
    """An address as printed on a parcel: name, company, street, town line, country."""
    town = " ".join(part for part in (address.postal_code, address.city) if part)
    if address.region:
        town = f"{town}, {address.region}"
    lines = [
        address.name,
        address.company or "",
        address.line1,
        address.line2 or "",
        town,
        address.country.upper(),
    ]
    return [line for line in lines if line.strip()]


def paginate(rows: list[T], first: int, rest: int, *, footer_rows: int = 0) -> list[list[T]]:
    """Rows split into pages of `first` rows, then `rest` rows each; always one page at
    least, and a last page with `footer_rows` rows' room left under its table (totals, a
    signature), an extra page when the rows leave none."""
    pages: list[list[T]] = [rows[:first]]
    remaining = rows[first:]
    while remaining:
        pages.append(remaining[:rest])
        remaining = remaining[rest:]
    if len(pages[-1]) + footer_rows > (first if len(pages) == 1 else rest):
        pages.append([])
    return pages
