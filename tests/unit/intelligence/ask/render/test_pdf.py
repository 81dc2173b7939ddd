"""The report as a PDF: a valid document (read back with pypdf) holding the question, the
sections and the evidence; report text is printed, never obeyed as reportlab markup; characters
the font lacks are replaced, not fatal; an empty or insufficient report still makes a PDF."""

from __future__ import annotations

import io
from typing import Any

import pytest
from pypdf import PdfReader

from mercato.agents.intelligence.ask.render import report_pdf
from mercato.agents.intelligence.ask.render.pdf_text import Fonts, markup, writable
from tests.unit.intelligence.ask.render.example_report import example_report, insufficient_report


def read(report: dict[str, Any], store_name: str = "Alpine Outfitters") -> tuple[PdfReader, str]:
    data = report_pdf(report, store_name=store_name)
    assert data.startswith(b"%PDF-")
    reader = PdfReader(io.BytesIO(data))
    text = "\n".join(page.extract_text() or "" for page in reader.pages)
    return reader, " ".join(text.split())


def test_a_full_report_makes_a_pdf_with_every_section() -> None:
    # given the example report / when rendered as a PDF
    reader, text = read(example_report())
    # then it has pages, its metadata title is the question, and each section and value shows
    assert len(reader.pages) >= 2
    assert reader.metadata is not None and reader.metadata.title == example_report()["question"]
    for shown in ("How is the Trail Runner priced against competitors, and what should I do?",
                  "Executive summary", "Key metrics", "What to do", "Risks", "Insights", "Charts",
                  "What we are unsure of", "Data quality", "Analyses that ran",
                  "Similar questions asked before", "Evidence", "\u20ac79.00", "HIGH", "MEDIUM",
                  "Bring the next purchase order forward", "Confidence: 72%", "SportDirect",
                  "Price (EUR)", "Polarity", "95% interval", "Page 1"):  # fmt: skip
        assert shown in text, shown


def test_footnotes_link_to_the_evidence_list() -> None:
    # given the example report / when rendered
    report = example_report()
    reader, _ = read(report)
    # then each footnote is a link that jumps within the document, and the links lead to as
    # many places as there are evidence items, all on the page(s) of the evidence list
    links = [
        annotation.get_object()
        for page in reader.pages
        for annotation in page.get("/Annots") or []
        if annotation.get_object().get("/Subtype") == "/Link"
    ]
    cited = sum(len(item["evidence"]) for key in ("metrics", "risks", "actions", "insights",
                                                  "charts") for item in report[key])  # fmt: skip
    cited += sum(len(item["records"]) for item in report["data_quality"])
    assert len(links) == cited
    places = {(reader.get_page_number(link["/Dest"][0].get_object()), float(link["/Dest"][3]))
              for link in links}  # fmt: skip
    assert len(places) == len(report["evidence"])
    evidence_pages = {n for n, page in enumerate(reader.pages) if "Evidence" in page.extract_text()}
    assert {page for page, _ in places} <= evidence_pages


@pytest.mark.parametrize(
    "question",
    [
        "Is <b>this</b> & <font color='red'>that</font> cheaper?",
        "Broken <para markup & <<",
        "a&amp;b",
    ],
)
def test_report_text_is_printed_not_obeyed_as_markup(question: str) -> None:
    # given a question (and labels) that hold reportlab's paragraph markup
    report = example_report()
    report["question"] = question
    report["metrics"][0]["label"] = question
    report["evidence"][0]["label"] = question
    report["charts"][0]["data"]["competitors"][0]["name"] = question
    # when rendered / then it renders, and the question reads as written
    _, text = read(report, store_name=question)
    assert question in text


def test_characters_the_font_lacks_are_replaced_not_fatal() -> None:
    # given text with arrows, dashes, the euro sign, accents and CJK
    sample = "\u25b2 up \u2013 \u20ac5 \u2026 caf\u00e9 \u6f22\u5b57 \u2192"
    helvetica = Fonts("Helvetica", "Helvetica-Bold", None)
    ascii_only = Fonts("X", "X", frozenset(range(32, 127)))
    # when made writable for Helvetica (WinAnsi) and for a font with ASCII only
    # then what each lacks is a look-alike or "?", never lost silently
    assert writable(sample, helvetica) == "^ up \u2013 \u20ac5 \u2026 caf\u00e9 ?? ->"
    assert writable(sample, ascii_only) == "^ up - EUR 5 ... cafe ?? ->"
    # and paragraph markup is escaped
    assert markup("<b>&</b>") == "&lt;b&gt;&amp;&lt;/b&gt;"
    # and a whole report in such text renders
    report = example_report()
    report["question"] = sample
    _, text = read(report)
    assert "up" in text and "\u20ac5" in text


def test_an_insufficient_report_makes_a_pdf_that_says_why() -> None:
    # given a report whose data could not support an answer / when rendered
    _, text = read(insufficient_report())
    # then the PDF explains what is missing
    assert "Insufficient data" in text
    assert "sold on 9 days" in text and "28 days of sales history" in text
    assert "No records were cited." in text


def test_an_empty_report_still_makes_a_pdf() -> None:
    # given reports with nothing in them, or the wrong types / when rendered / then a PDF
    for report in ({}, {"charts": [{"kind": "price_gap", "data": None}], "metrics": [None]}):
        reader, text = read(report)
        assert len(reader.pages) == 1 and "(no question)" in text
