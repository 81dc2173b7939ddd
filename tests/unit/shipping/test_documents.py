"""The shipping documents as PDFs read back: a 4x6 label per parcel with its tracking number,
a packing slip and a manifest that run over numbered pages, and shoppers' names in any
script (markup characters included) printed without a fuss."""

from __future__ import annotations

from datetime import date
from io import BytesIO

import pytest
from pypdf import PdfReader
from reportlab.lib.pagesizes import A4, LETTER

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
from mercato.agents.shipping.documents.text import fit, fonts, paginate
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
