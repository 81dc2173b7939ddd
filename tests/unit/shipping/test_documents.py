"""The shipping documents as PDFs read back: a 4x6 label per parcel with its tracking number,
a packing slip and a manifest that run over numbered pages, and shoppers' names in any
script (markup characters included) printed without a fuss."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date
from io import BytesIO

import pytest
from pypdf import PageObject, PdfReader
from reportlab.lib.pagesizes import A4, LETTER
from reportlab.pdfgen.canvas import Canvas

from mercato.agents.shipping.documents import (
    LabelData,
    ManifestData,
    ManifestRow,
    PackingSlipData,
    PackingSlipLine,
    render_label,
    render_labels,
    render_manifest,
    render_packing_slip,
)
from mercato.agents.shipping.documents.text import (
    STANDARD,
    face_for,
    fit,
    fonts,
    paginate,
    write,
)
from mercato.agents.shipping.providers import Address

WAREHOUSE = Address("Mercato Warehouse", "1 Dock Road", "Lyon", "69007", "FR", company="Mercato")
ZOE = Address(
    "Zoë <Ünal> & Søn",
    "8 Rue Neuve & Fils",
    "Lyon",
    "69003",
    "FR",
    line2="Bât. <B>",
    region="Rhône",
)
LI = Address("李小龍", "九龍彌敦道 1 號", "香港", "999077", "HK")
IVAN = Address("Иван Петров", "ул. Тверская 7", "Москва", "125009", "RU")
ELENI = Address("Ελένη Παπαδοπούλου", "Οδός Ερμού 12", "Αθήνα", "10563", "GR")


def label(
    to: Address = ZOE, tracking: str = "MLC12345678903", package: str | None = "1 of 2"
) -> LabelData:
    return LabelData(
        ship_from=WAREHOUSE,
        ship_to=to,
        carrier_name="Mercato Local Courier",
        service_name="Standard",
        tracking_number=tracking,
        order_number="1042",
        shipment_id="shp-01J9ZX",
        weight_grams=1250,
        shipped_on=date(2026, 3, 2),
        package=package,
    )


def read(pdf: bytes) -> PdfReader:
    assert pdf.startswith(b"%PDF")
    return PdfReader(BytesIO(pdf))


def text_of(pdf: bytes) -> str:
    return "\n".join(page.extract_text() for page in read(pdf).pages)


def fonts_of(pdf: bytes) -> set[str]:
    """The base fonts the PDF's text is shown in ("Helvetica", or a subset's
    "AAAAAA+DejaVuSans"): those selected (`Tf`) for a string shown (`Tj`); reportlab
    selects Helvetica when a page opens, for no text."""
    return {font for page in read(pdf).pages for font in page_fonts(page)}


def page_fonts(page: PageObject) -> set[str]:
    resources = page["/Resources"]["/Font"]
    shown: set[bytes] = set()
    current = b""
    for found in re.finditer(rb"(/[^\s/\[\]]+) [\d.]+ Tf|\) Tj", page.get_contents().get_data()):
        if found[1]:
            current = found[1]  # the font stays selected until the next Tf
        else:
            shown.add(current)
    return {str(resources[name.decode()]["/BaseFont"]).lstrip("/") for name in shown}


def subset(font: str) -> bool:
    """Whether `font` is an embedded subset ("AAAAAA+DejaVuSans")."""
    return re.fullmatch(r"[A-Z]{6}\+.+", font) is not None


def embeds_a_font(pdf: bytes) -> bool:
    return b"/FontFile2" in pdf


# -- labels ---------------------------------------------------------------------------------


def test_a_label_is_one_4x6_page_with_the_tracking_number_and_references() -> None:
    # when a label is rendered
    pdf = render_label(label())
    # then it is one 288 x 432 pt page
    reader = read(pdf)
    assert len(reader.pages) == 1
    box = reader.pages[0].mediabox
    assert (float(box.width), float(box.height)) == (288.0, 432.0)
    # and it prints the tracking number (under its barcode), the addresses and references
    text = text_of(pdf)
    for expected in (
        "MLC12345678903",
        "Zoë <Ünal> & Søn",
        "Mercato Warehouse",
        "STANDARD",
        "Ref: 1042",
        "1.25 kg",
        "1 of 2",
        "2026-03-02",
        "shp-01J9ZX",
    ):
        assert expected in text


@pytest.mark.parametrize(
    "tracking", ["MLC12345678903", "1Z999AA10123456784", "9" * 34, "FEDEX-RETURN-" + "AB12" * 6]
)
def test_a_label_for_a_non_latin_name_and_any_number_renders(tracking: str) -> None:
    # given a shopper whose name and address are in Chinese (the font may lack the glyphs)
    # and a tracking number from short to the longest carriers use
    # when the label is rendered, then one page comes out with the whole tracking number
    pdf = render_label(label(to=LI, tracking=tracking, package=None))
    assert len(read(pdf).pages) == 1
    assert tracking in text_of(pdf).replace("\n", "")


def test_labels_render_one_page_each_for_batch_printing() -> None:
    # given three parcels' labels
    batch = [label(tracking=f"MLC0000000{n}00{n}") for n in range(3)]
    # when they are rendered together
    pdf = render_labels(batch)
    # then there is one 4x6 page per label, each with its own tracking number
    reader = read(pdf)
    assert len(reader.pages) == 3
    for page, data in zip(reader.pages, batch, strict=True):
        assert data.tracking_number in page.extract_text()
        assert float(page.mediabox.height) == 432.0


def test_no_labels_is_an_error() -> None:
    # when nothing is given to render, then it says so
    with pytest.raises(ValueError, match="no labels"):
        render_labels([])


# -- fonts: the standard Helvetica when WinAnsi can write every text, else the TrueType ------


def test_a_label_in_western_european_text_uses_helvetica_and_embeds_no_font() -> None:
    # given a label whose every text is in Windows-1252 (accents, "<", "&" included)
    data = label()
    # when it is rendered
    pdf = render_label(data)
    # then it is written in the standard fonts, nothing embedded, and stays small
    assert fonts_of(pdf) == {"Helvetica", "Helvetica-Bold"}
    assert not embeds_a_font(pdf)
    assert len(pdf) < 5_000
    # and its text reads back as it was given
    assert "Zoë <Ünal> & Søn" in text_of(pdf) and "Bât. <B>" in text_of(pdf)


@pytest.mark.parametrize(
    ("to", "name", "street"),
    [(IVAN, "Иван Петров", "ул. Тверская 7"), (ELENI, "Ελένη Παπαδοπούλου", "Οδός Ερμού 12")],
)
def test_a_label_for_a_cyrillic_or_greek_address_embeds_the_truetype_font(
    to: Address, name: str, street: str
) -> None:
    # given a shopper whose name and address are in Cyrillic or Greek
    # when the label is rendered
    pdf = render_label(label(to=to))
    # then the whole label is in the embedded TrueType font (a subset), none in Helvetica
    assert embeds_a_font(pdf)
    assert len(fonts_of(pdf)) == 2 and all(subset(font) for font in fonts_of(pdf))
    # and the name and street read back as they were given, beside the Latin text
    text = text_of(pdf)
    assert name in text and street in text
    assert "Mercato Warehouse" in text and "MLC12345678903" in text


def test_a_text_that_becomes_non_latin_when_printed_chooses_the_truetype_font() -> None:
    # given a service whose name is WinAnsi ("µ", the micro sign) but is printed in capitals,
    # which are not (its capital is the Greek letter mu)
    data = replace(label(), service_name="µ-express")
    # when the label is rendered, then it embeds the TrueType font and prints the capitals
    pdf = render_label(data)
    assert embeds_a_font(pdf)
    assert "µ-express".upper() in text_of(pdf)


def test_a_batch_chooses_the_font_label_by_label() -> None:
    # given a batch of a Latin label and a Cyrillic one
    pdf = render_labels([label(tracking="MLC00000000001"), label(to=IVAN, tracking="MLC02")])
    # then the first page is in Helvetica and the second in the embedded font
    first, second = read(pdf).pages
    assert page_fonts(first) == {"Helvetica", "Helvetica-Bold"}
    assert len(page_fonts(second)) == 2 and all(subset(font) for font in page_fonts(second))
    assert "Иван Петров" in second.extract_text() and "MLC02" in second.extract_text()


def test_packing_slips_and_manifests_choose_their_font_the_same_way() -> None:
    # when a Latin slip and manifest are rendered, then nothing is embedded
    swiss = [row for row in manifest(6).rows if row.destination_city == "Zürich"]
    latin_manifest = replace(manifest(0), rows=swiss)
    assert not embeds_a_font(render_packing_slip(slip(3)))
    assert not embeds_a_font(render_manifest(latin_manifest))
    # and one with a Cyrillic address or a Japanese city embeds the TrueType font
    cyrillic = replace(slip(3), ship_to=IVAN)
    assert embeds_a_font(render_packing_slip(cyrillic))
    assert "Иван Петров" in text_of(render_packing_slip(cyrillic))
    assert embeds_a_font(render_manifest(manifest(3)))


def test_the_standard_face_is_chosen_only_when_windows_1252_writes_every_text() -> None:
    # then Windows-1252's letters and signs (€, …, —, ·, Ÿ), blanks and missing fields pass
    assert face_for(["Zoë & Søn", "Straße 5", "€ 10 … — · Ÿ", "", None]) == STANDARD
    # and Greek, Cyrillic, CJK or a control character do not
    for text in ("Ωmega", "Жук", "李", "del\x7f"):
        assert face_for(["Mercato", text]) != STANDARD
        assert face_for(["Mercato", text]).regular == fonts()[0]


def test_a_text_the_standard_face_cannot_write_is_still_written_in_the_truetype_font() -> None:
    # given a page in the standard face, and a Cyrillic text its document did not foresee
    buffer = BytesIO()
    canvas = Canvas(buffer, pagesize=A4)
    write(canvas, STANDARD, 40, 800, "Order 1042", bold=True)
    write(canvas, STANDARD, 40, 780, "Жук")
    canvas.showPage()
    canvas.save()
    # then that text alone is in the embedded font, and reads back
    pdf = buffer.getvalue()
    assert {font for font in fonts_of(pdf) if not subset(font)} == {"Helvetica-Bold"}
    assert embeds_a_font(pdf) and "Жук" in text_of(pdf)


# -- packing slips --------------------------------------------------------------------------


def slip(lines: int, page_size: tuple[float, float] = A4) -> PackingSlipData:
    return PackingSlipData(
        order_number="1042",
        shipment_id="shp-01J9ZX",
        ship_to=ZOE,
        lines=[
            PackingSlipLine(f"SKU-{n:03d}", f"Mug <{n}> & saucer", n % 3 + 1) for n in range(lines)
        ],
        box_code="M-2",
        note="Gift: please leave the invoice out & wrap it <nicely>. " * 4,
        page_size=page_size,
    )


def test_a_packing_slip_lists_its_lines_on_one_page() -> None:
    # when a three-line slip is rendered on Letter paper
    pdf = render_packing_slip(slip(3, LETTER))
    # then one Letter page lists every line, the ship-to, the box, the note and the total
    reader = read(pdf)
    assert len(reader.pages) == 1
    assert (float(reader.pages[0].mediabox.width), float(reader.pages[0].mediabox.height)) == LETTER
    text = text_of(pdf)
    for expected in (
        "Packing slip",
        "Order 1042",
        "Zoë <Ünal> & Søn",
        "SKU-002",
        "Mug <2> & saucer",
        "Box: M-2",
        "wrap it <nicely>",
        "Total items: 6",
        "Page 1 of 1",
    ):
        assert expected in text


def test_a_packing_slip_without_a_box_or_a_note_leaves_them_out() -> None:
    # when a slip with neither a box code nor a note is rendered
    plain = PackingSlipData("1042", "shp-01J9ZX", LI, [PackingSlipLine("SKU-1", "茶碗", 2)])
    text = text_of(render_packing_slip(plain))
    # then it has its line and total, and no box or note
    assert "SKU-1" in text and "Total items: 2" in text
    assert "Box:" not in text and "NOTE" not in text


def test_a_long_packing_slip_runs_over_numbered_pages() -> None:
    # when a 120-line slip is rendered on A4
    pdf = render_packing_slip(slip(120))
    # then it takes several pages, numbered, each line printed once, the total at the end
    reader = read(pdf)
    pages = [page.extract_text() for page in reader.pages]
    assert len(pages) >= 3
    assert all(f"Page {n} of {len(pages)}" in text for n, text in enumerate(pages, start=1))
    assert all("SKU" in text and "Qty" in text for text in pages)  # the header on each page
    everything = "\n".join(pages)
    assert all(everything.count(f"SKU-{n:03d}") == 1 for n in range(120))
    assert "Total items: 240" in pages[-1]


# -- manifests ------------------------------------------------------------------------------


def manifest(rows: int) -> ManifestData:
    return ManifestData(
        carrier_name="Mercato Local Courier",
        day=date(2026, 3, 2),
        origin_name="Lyon warehouse <main> & annex",
        rows=[
            ManifestRow(
                f"MLC{n:010d}0",
                f"#{1000 + n}",
                "Zürich" if n % 2 else "大阪",
                "ch" if n % 2 else "JP",
                "standard",
                250 + n,
            )
            for n in range(rows)
        ],
    )


def test_a_manifest_has_its_rows_totals_and_a_line_for_the_driver() -> None:
    # when a manifest of three parcels is rendered
    pdf = render_manifest(manifest(3))
    # then its one page lists them with the totals and the driver's signature line
    reader = read(pdf)
    assert len(reader.pages) == 1
    text = text_of(pdf)
    for expected in (
        "Mercato Local Courier",
        "2026-03-02",
        "Lyon warehouse <main> & annex",
        "MLC00000000020",
        "#1001",
        "Zürich, CH",
        "0.250 kg",
        "Parcels: 3",
        "Total weight: 0.753 kg",
        "Driver's signature",
        "Page 1 of 1",
    ):
        assert expected in text


def test_a_manifest_of_200_parcels_paginates_with_the_totals_on_the_last_page() -> None:
    # when a manifest of 200 parcels is rendered
    pdf = render_manifest(manifest(200))
    # then it runs over numbered pages, every parcel once, totals and signature at the end
    pages = [page.extract_text() for page in read(pdf).pages]
    assert len(pages) >= 5
    assert all(f"Page {n} of {len(pages)}" in text for n, text in enumerate(pages, start=1))
    everything = "\n".join(pages)
    assert all(everything.count(f"MLC{n:010d}0") == 1 for n in range(200))
    total_kg = sum(250 + n for n in range(200)) / 1000
    assert f"Total weight: {total_kg:.3f} kg" in pages[-1]
    assert "Parcels: 200" in pages[-1] and "Driver's signature" in pages[-1]
    assert all("Driver's signature" not in text for text in pages[:-1])


def test_an_empty_manifest_still_has_a_page_to_sign() -> None:
    # when a day with no parcels is rendered, then one page says so and can be signed
    text = text_of(render_manifest(manifest(0)))
    assert "Parcels: 0" in text and "Driver's signature" in text


# -- the text helpers ------------------------------------------------------------------------


def test_long_text_is_cut_to_fit_and_pages_leave_room_for_a_footer() -> None:
    # given the documents' font
    regular, _ = fonts()
    # then a long name is cut with an ellipsis, and a short one is left alone
    assert fit("A" * 200, regular, 10, 50).endswith("…")
    assert fit("Zoë\n<Ünal>", regular, 10, 500) == "Zoë <Ünal>"
    # and a full last page gets a page after it for the footer
    assert paginate([1, 2, 3], 3, 3) == [[1, 2, 3]]
    assert paginate([1, 2, 3], 3, 3, footer_rows=1) == [[1, 2, 3], []]
    assert paginate([1, 2, 3, 4], 3, 2, footer_rows=1) == [[1, 2, 3], [4]]
