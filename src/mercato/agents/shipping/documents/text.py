"""Fonts and text fitting shared by the shipping documents.

Shoppers' names and addresses come in any script. A document whose text can all be written
in WinAnsi (Windows-1252: English and the Western European languages) is drawn in the PDF
standard font Helvetica, which every reader has, so nothing is embedded: the PDF is a few KB
and quick to make. Any other text (Cyrillic, Greek, CJK, ...) makes the whole document use a
TrueType font, embedded as a subset, that covers Latin, Greek and Cyrillic (DejaVu Sans where
the system has it, else the Bitstream Vera that ships inside reportlab); a glyph neither has
(CJK) renders as an empty box, never an error. Text goes through `canvas.drawString`, which
takes it literally: `<` and `&` need no escaping.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
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


@dataclass(frozen=True)
class Face:
    """The (regular, bold) pair of fonts a document is written in."""

    regular: str
    bold: str

    def font(self, bold: bool = False) -> str:
        return self.bold if bold else self.regular


STANDARD = Face("Helvetica", "Helvetica-Bold")
"""PDF standard fonts (WinAnsi encoded): nothing embedded."""

_WIN_ANSI = frozenset(
    char
    for char in bytes(range(256)).decode("cp1252", errors="ignore")
    if char.isprintable() or char in "\t\n\r\xa0\xad"
)
"""What Helvetica prints as itself: Windows-1252 less the control characters (reportlab's
WinAnsi codec refuses DEL), with tabs and newlines (written as spaces)."""


def win_ansi(text: str) -> bool:
    """Whether `text` can be written in a standard font."""
    return _WIN_ANSI.issuperset(text)


def face_for(texts: Iterable[str | None]) -> Face:
    """The document's fonts: the standard ones when every text (None for a blank field) can
    be written in WinAnsi, else the embedded TrueType pair."""
    if all(win_ansi(text) for text in texts if text):
        return STANDARD
    return Face(*fonts())


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
    face: Face,
    x: float,
    y: float,
    text: str,
    *,
    size: float = 9,
    bold: bool = False,
    width: float | None = None,
    align: str = "left",
) -> None:
    """Draw one line of text in the document's `face`, fitted to `width` when given. Text the
    standard face cannot write (a field `face_for` was not shown) gets the TrueType font, so
    it is never lost."""
    font = face.font(bold)
    if face == STANDARD and not win_ansi(text):
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
