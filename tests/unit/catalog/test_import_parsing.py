"""Reading catalog files: CSV rows grouped into products, JSON lists, bad files refused."""

from __future__ import annotations

from pathlib import Path

import pytest

from mercato.agents.catalog.importer import BadFileError, parse_csv, parse_json, read_items

HEADER = "product,name,category,images,is_free,sku,variant_title,price,attr:Colour"


def test_csv_rows_are_grouped_by_product_in_file_order() -> None:
    items = parse_csv(
        f"""{HEADER}
mug,Mug,Home > Kitchen,https://a.example/1.jpg | https://a.example/2.jpg,,MUG-1,White,9.50,White
tee,Tee,,,,TEE-1,,5,
mug,Mug (ignored),,,,MUG-2,Black,9.50,Black

tee,,,,,TEE-2,,6,Red
"""
    )
    assert [(i.key, i.rows) for i in items] == [("mug", (2, 4)), ("tee", (3, 6))]
    mug = items[0].data
    assert mug["name"] == "Mug" and mug["category"] == "Home > Kitchen"
    assert mug["images"] == ["https://a.example/1.jpg", "https://a.example/2.jpg"]
    assert mug["variants"] == [
        {"sku": "MUG-1", "title": "White", "price": "9.50", "attributes": {"Colour": "White"}},
        {"sku": "MUG-2", "title": "Black", "price": "9.50", "attributes": {"Colour": "Black"}},
    ]
    assert items[1].data["variants"][0] == {"sku": "TEE-1", "price": "5", "attributes": {}}


def test_rows_without_a_product_key_or_with_extra_cells_are_problems() -> None:
    items = parse_csv(f"{HEADER}\n,Tee,,,,T-1,,5,\nx,X,,,,X-1,,5,,surplus\n")
    assert [(i.rows, i.problem) for i in items] == [
        ((2,), "the product column is empty"),
        ((3,), "more cells than columns"),
    ]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "no header"),
        ("product,name,price\n", "missing columns: sku"),
        (f"{HEADER},weight\n", "unknown columns: weight"),
        (f"{HEADER},sku\n", "repeated columns: sku"),
    ],
)
def test_csv_headers_are_checked(text: str, message: str) -> None:
    with pytest.raises(BadFileError, match=message):
        parse_csv(text)


def test_json_is_a_list_of_products() -> None:
    items = parse_json('[{"name": "Tee", "slug": "tee"}, 3, {"name": "Mug"}]')
    assert [(i.rows, i.key, i.problem) for i in items] == [
        ((1,), "tee", None),
        ((2,), "", "not a product object"),
        ((3,), "Mug", None),
    ]
    for bad in ("{", '{"products": []}', "null"):
        with pytest.raises(BadFileError):
            parse_json(bad)


def test_the_format_comes_from_the_option_or_the_extension(tmp_path: Path) -> None:
    path = tmp_path / "catalog.data"
    path.write_text("[]")
    with pytest.raises(BadFileError, match="--format"):
        read_items(path)
    assert read_items(path, "json") == []
    bom = tmp_path / "excel.csv"
    bom.write_bytes(("\ufeff" + HEADER + "\nt,T,,,,T-1,,1,\n").encode())
    assert [i.key for i in read_items(bom)] == ["t"]
    latin = tmp_path / "latin.csv"
    latin.write_bytes(HEADER.encode() + b"\nt,Caf\xe9,,,,T-1,,1,\n")
    with pytest.raises(BadFileError, match="cannot read"):
        read_items(latin)
