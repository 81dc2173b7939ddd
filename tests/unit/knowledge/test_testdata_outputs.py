"""The output: the same seed gives the same bytes; JSON is the records, CSV one row each,
SQL one statement per line; progress is told along the way."""

from __future__ import annotations

import csv
import io
import json

from mercato.agents.knowledge.testdata import GenerationRequest, generate, statements
from mercato.agents.knowledge.testdata.sql_columns import TABLES
from mercato.kernel import migrate


def test_the_same_seed_and_request_give_byte_identical_output() -> None:
    for fmt in ("json", "csv", "sql"):
        request = GenerationRequest(
            "order", 60, {"multi_currency": 10}, include_edge_cases=True, seed=42,
            output_format=fmt,
        )  # fmt: skip
        assert generate(request).data == generate(request).data, fmt
    other = GenerationRequest("order", 60, {"multi_currency": 10}, seed=43)
    assert generate(other).data != generate(GenerationRequest("order", 60, seed=42)).data


def test_without_a_seed_one_is_drawn_and_reported() -> None:
    first = generate(GenerationRequest("cart", 5))
    again = generate(GenerationRequest("cart", 5, seed=first.seed))
    assert again.data == first.data


def test_json_is_the_records() -> None:
    result = generate(GenerationRequest("order", 20, edge_cases=["EC009"], seed=1))
    assert json.loads(result.data) == result.records
    assert "日本語" in result.data  # text as it is, not \u-escaped
    assert result.data.count("\n") == len(result.records) + 2  # one record per line


def test_csv_has_a_row_per_record_with_flat_columns() -> None:
    result = generate(GenerationRequest("order", 15, seed=1, output_format="csv"))
    rows = list(csv.DictReader(io.StringIO(result.data)))
    assert len(rows) == 15
    assert {
        "scenario",
        "total",
        "customer.email",
        "shipping_address.country",
        "lines_count",
    } <= set(rows[0])
    assert rows[0]["lines_count"] == str(len(result.records[0]["lines"]))


def test_sql_is_one_insert_per_line_in_foreign_key_order() -> None:
    result = generate(GenerationRequest("order", 30, seed=1, output_format="sql"))
    found = statements(result.data)
    assert all(s.startswith("INSERT INTO ") and s.endswith(";") for s in found)
    tables = [s.split()[2] for s in found]
    assert tables.index("users") < tables.index("orders") < tables.index("payments")
    assert tables.index("product_variants") < tables.index("stock_levels")
    assert found[0].endswith("ON CONFLICT (id) DO NOTHING;")
    assert result.related_counts["orders"] == 30


def test_progress_is_told_every_thousand_records_and_at_the_end() -> None:
    told: list[int] = []
    generate(GenerationRequest("customer", 2500, seed=1), progress=told.append)
    assert told == [1000, 2000, 2500]


def test_related_counts_are_the_same_whatever_the_format() -> None:
    counts = {
        fmt: generate(
            GenerationRequest("order", 40, include_edge_cases=True, seed=3, output_format=fmt)
        ).related_counts
        for fmt in ("json", "csv", "sql")
    }
    assert counts["json"] == counts["csv"] == counts["sql"]


def test_sql_fills_every_column_of_every_table_it_writes() -> None:
    # given every agent's tables as the models declare them
    metadata = migrate.target_metadata()
    # then SQL output names each column of each table it writes, no more, no fewer
    for table, columns in TABLES.items():
        assert set(columns) == {c.name for c in metadata.tables[table].columns}, table
