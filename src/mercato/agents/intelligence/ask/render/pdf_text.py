"""Text for the PDF: the fonts it is written in and report text made safe for them.

The fonts are DejaVu Sans where the system has it (it covers the euro sign, dashes, arrows and
Latin, Greek and Cyrillic), else the Bitstream Vera that ships inside reportlab (the euro sign
and dashes, no arrows), else Helvetica. A character the chosen font lacks is replaced by a
look-alike ("->" for an arrow, "e" for an accented letter Helvetica cannot write) or "?",
never dropped silently and never an error. Paragraph text is escaped for reportlab's
mini-markup, so a "<b>" or "&" in a question is printed, not obeyed."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from xml.sax.saxutils import escape

from reportlab.lib.fonts import addMapping  # type: ignore[import-untyped]
from reportlab.pdfbase import pdfmetrics  # type: ignore[import-untyped]
from reportlab.pdfbase.ttfonts import TTFont  # type: ignore[import-untyped]

from mercato.agents.intelligence.ask.render.formatting import text

DEJAVU = Path("/usr/share/fonts/truetype/dejavu")
REGULAR, BOLD = "IntelReportSans", "IntelReportSans-Bold"
LOOK_ALIKES = {
    "\u25b2": "^", "\u25bc": "v", "\u25ac": "=", "\u2191": "^", "\u2193": "v",
    "\u2192": "->", "\u2190": "<-", "\u2026": "...", "\u2013": "-", "\u2014": "-",
    "\u2212": "-", "\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"',
    "\u2264": "<=", "\u2265": ">=", "\u00a0": " ", "\u20ac": "EUR ", "\u00b7": "-",
    "\u2022": "*",
}  # fmt: skip
_WIN_ANSI = frozenset(
    char for char in bytes(range(32, 256)).decode("cp1252", errors="ignore") if char.isprintable()
)


@dataclass(frozen=True)
class Fonts:
    regular: str
    bold: str
    covers: frozenset[int] | None
    """The code points the fonts can write; None: WinAnsi (the standard Helvetica)."""

    def can_write(self, char: str) -> bool:
        if self.covers is None:
            return char in _WIN_ANSI
        return ord(char) in self.covers


@cache
def fonts() -> Fonts:
    """The report's fonts, registered with reportlab (as a family, so <b> works) on first use."""
    candidates = [
        (DEJAVU / "DejaVuSans.ttf", DEJAVU / "DejaVuSans-Bold.ttf"),
        (Path("Vera.ttf"), Path("VeraBd.ttf")),  # on reportlab's own font path
    ]
    for regular, bold in candidates:
        if regular.is_absolute() and not (regular.is_file() and bold.is_file()):
            continue
        try:
            face = TTFont(REGULAR, str(regular))
            pdfmetrics.registerFont(face)
            pdfmetrics.registerFont(TTFont(BOLD, str(bold)))
        except Exception:  # an unreadable font file: try the next one
            continue
        for italic in (0, 1):
            addMapping(REGULAR, 0, italic, REGULAR)
            addMapping(REGULAR, 1, italic, BOLD)
        return Fonts(REGULAR, BOLD, frozenset(face.face.charToGlyph))
    return Fonts("Helvetica", "Helvetica-Bold", None)


def writable(value: object, face: Fonts | None = None) -> str:
    """`value` as one line of text the font (the report's by default) can write."""
    face = face or fonts()
    out = []
    for char in text(value):
        if face.can_write(char):
            out.append(char)
            continue
        substitute = LOOK_ALIKES.get(char)
        if substitute is None:
            stripped = "".join(
                part
                for part in unicodedata.normalize("NFKD", char)
                if not unicodedata.combining(part)
            )
            substitute = stripped if stripped and all(map(face.can_write, stripped)) else "?"
        out.append(substitute)
    return "".join(out)


def markup(value: object) -> str:
    """`value` as Paragraph text: writable and escaped (&, <, > and quotes)."""
    return escape(writable(value), {'"': "&quot;"})
