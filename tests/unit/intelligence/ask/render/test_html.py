"""The report as one standalone HTML page: every section of a full report shows, all text
from the report is escaped (a question is user input), no script or external asset is
needed, and every claim's evidence footnote links to the evidence item it names (seed 001
property 35: insights are traceable to source data)."""

from __future__ import annotations

from html.parser import HTMLParser
from typing import Any

import pytest
from bs4 import BeautifulSoup
from hypothesis import given, settings
from hypothesis import strategies as st

from mercato.agents.intelligence.ask.render import report_html
from mercato.agents.intelligence.ask.render.view import anchor
from tests.unit.intelligence.ask.render.example_report import example_report, insufficient_report

PROPERTY = settings(max_examples=100, deadline=None, database=None)
FINDINGS = ("metrics", "risks", "actions", "insights", "charts")


def page(report: dict[str, Any]) -> BeautifulSoup:
    return BeautifulSoup(report_html(report, store_name="Alpine Outfitters"), "html.parser")


def footnote_targets(soup: BeautifulSoup) -> list[str]:
    return [link["href"][1:] for link in soup.select("a.fn")]


def test_a_full_report_renders_every_section() -> None:
    # given the example report (every section filled)
    report = example_report()
    # when rendered
    html = report_html(report, store_name="Alpine Outfitters")
    soup = BeautifulSoup(html, "html.parser")
    # then it is a whole document with each section, in the reader's order
    assert html.lower().startswith("<!doctype html>")
    headings = [h2.get_text(strip=True) for h2 in soup.find_all("h2")]
    assert headings == [
        "Executive summary", "Key metrics", "What to do", "Risks", "Insights", "Charts",
        "What we are unsure of", "Data quality", "Analyses that ran",
        "Similar questions asked before", "Evidence",
    ]  # fmt: skip
    text = soup.get_text(" ", strip=True)
    assert report["question"] in soup.find("h1").get_text()
    for shown in ("Deep mode", "Partial", "2026-12-06 11:20 UTC", "Trail Runner", "colour: blue",
                  "the last 30 days (2026-11-06 to 2026-12-05)", "Confidence: 72%", "(medium)",
                  "\u20ac79.00", "624 units", "+69 units (+12.4%)", "9 days",
                  "The 14-day forecast's 95% interval spans 181 to 580 units.",
                  "Low confidence match", "competitor_crawl", "stopped at the 20 s limit",
                  "Is the Trail Runner too expensive?"):  # fmt: skip
        assert shown in text, shown
    meter = soup.find(attrs={"role": "meter"})
    assert meter["aria-valuenow"] == "72"
    # and the metrics are cards with an arrow and a word for their change
    changes = [div.get_text(" ", strip=True) for div in soup.select(".card .change")]
    assert "\u25b2 Up +69 units (+12.4%)" in changes and any("Down" in c for c in changes)
    # and risks carry their severity as text, not only colour; actions come by priority
    badges = [badge.get_text(strip=True) for badge in soup.select("section ul.items .badge")]
    assert badges[:3] == ["High", "Medium", "Low"]
    titles = [h3.get_text(" ", strip=True).split(" [")[0] for h3 in soup.select("ol.actions h3")]
    assert titles[0].startswith("Bring the next purchase order forward")
    assert titles[1].startswith("Hold the price")
    assert [rank.get_text() for rank in soup.select("ol.actions .rank")] == ["1", "2", "3"]
    # and the four charts are inline SVG with a label; nothing is loaded from elsewhere
    assert len(soup.select("figure svg[role=img][aria-label]")) == 4
    assert not soup.find_all(["script", "link", "img", "iframe"])


def test_every_evidence_item_has_its_anchor_and_links() -> None:
    # given the example report / when rendered
    report = example_report()
    soup = page(report)
    # then each evidence item is an element "ev-<id>" with a link to its record (and lineage)
    for item in report["evidence"]:
        element = soup.find(id=f"ev-{item['id']}")
        assert element is not None and item["label"] in element.get_text()
        hrefs = [link["href"] for link in element.find_all("a")]
        assert item["href"] in hrefs
        assert (item["lineage"] in hrefs) if item["lineage"] else len(hrefs) == 1


def test_every_footnote_resolves_to_the_evidence_it_names() -> None:
    # given the example report / when rendered
    report = example_report()
    soup = page(report)
    # then every footnote link points at an element of the page, and there is one footnote for
    # every evidence id a finding cites
    ids = {element["id"] for element in soup.find_all(id=True)}
    targets = footnote_targets(soup)
    assert targets and set(targets) <= ids
    cited = sum(len(item.get("evidence") or item.get("records") or [])
                for key in (*FINDINGS, "data_quality") for item in report[key])  # fmt: skip
    assert len(targets) == cited


@pytest.mark.parametrize(
    "attack",
    ['<script>alert("x")</script>', '"><img src=x onerror=alert(1)>', "</style><b>bold</b>&amp;"],
)
def test_text_from_the_report_is_escaped(attack: str) -> None:
    # given a report whose question, labels, names and evidence carry markup
    report = example_report()
    report["question"] = attack
    report["summary"]["text"] = attack
    report["metrics"][0]["label"] = attack
    report["risks"][0]["title"] = attack
    report["actions"][0]["detail"] = attack
    report["insights"][0]["text"] = attack
    report["uncertainty"] = [attack]
    report["evidence"][0]["label"] = attack
    report["evidence"][1]["href"] = "javascript:alert(1)"
    report["charts"][0]["title"] = attack
    report["charts"][0]["data"]["competitors"][0]["name"] = attack
    report["agents"][0]["error"] = attack
    # when rendered
    html = report_html(report, store_name=attack)
    soup = BeautifulSoup(html, "html.parser")
    # then no markup of theirs became an element or an attribute: it reads as the text it is
    assert not soup.find_all(["script", "img"])
    assert not [bold for bold in soup.find_all("b") if bold.get_text() == "bold"]
    assert attack in soup.find("h1").get_text()
    assert soup.get_text().count(attack) >= 8
    assert "javascript:" not in " ".join(link.get("href", "") for link in soup.find_all("a"))


def test_an_insufficient_report_explains_what_is_missing() -> None:
    # given a report whose data cannot support an answer / when rendered
    soup = page(insufficient_report())
    # then the callout says why and what is needed, and no empty findings sections show
    callout = soup.find(id="insufficient").parent
    assert "sold on 9 days" in callout.get_text()
    assert "28 days of sales history" in callout.get_text()
    headings = [h2.get_text(strip=True) for h2 in soup.find_all("h2")]
    assert "Key metrics" not in headings and "Charts" not in headings
    assert "No records were cited." in soup.get_text()


def test_a_partial_or_malformed_report_still_renders() -> None:
    # given reports missing keys or holding the wrong types
    malformed = [
        {},
        {"metrics": "oops", "evidence": [None, 3, {"id": None}]},
        {"question": None, "risks": [{"severity": "apocalyptic"}], "actions": [{}]},
    ]
    for report in malformed:
        # when rendered / then a page comes back
        assert "</html>" in report_html(report, store_name="Store")


def test_a_finding_citing_unknown_evidence_shows_it_without_a_broken_link() -> None:
    # given an insight citing an evidence id the report does not hold
    report = example_report()
    report["insights"][0]["evidence"] = ["dd-tr", "ghost-1"]
    # when rendered
    soup = page(report)
    # then the known one links and the unknown one is marked, not linked to nowhere
    ids = {element["id"] for element in soup.find_all(id=True)}
    assert set(footnote_targets(soup)) <= ids
    assert soup.select_one("span.fn.missing").get_text() == "[ghost-1?]"


EVIDENCE_IDS = st.text(min_size=1, max_size=12)


class Links(HTMLParser):
    """The evidence list's items (id -> their text) and the footnotes' targets, in order."""

    def __init__(self) -> None:
        super().__init__()
        self.items: dict[str, str] = {}
        self.footnotes: list[str] = []
        self._item: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if tag == "li" and (found.get("id") or "").startswith("ev-"):
            self._item = found["id"]
            self.items[self._item or ""] = ""
        if tag == "a" and found.get("class") == "fn":
            self.footnotes.append((found.get("href") or "")[1:])

    def handle_endtag(self, tag: str) -> None:
        if tag == "li":
            self._item = None

    def handle_data(self, data: str) -> None:
        if self._item is not None:
            self.items[self._item] += data


@pytest.mark.seed_property(35)
@PROPERTY
@given(ids=st.lists(EVIDENCE_IDS, min_size=1, max_size=6, unique=True), data=st.data())
def test_property_35_every_claim_links_to_its_evidence(ids: list[str], data: st.DataObject) -> None:
    # given a report whose evidence ids are any text, and findings citing any of them
    cite = st.lists(st.sampled_from(ids), max_size=3, unique=True)
    report = {
        "question": "q",
        "evidence": [{"id": i, "kind": "review", "record_id": i, "label": f"label {n}",
                      "href": f"/v1/records/{n}"} for n, i in enumerate(ids)],
        "metrics": [{"label": "m", "value": 1, "unit": "count", "evidence": data.draw(cite)}],
        "risks": [{"title": "r", "severity": "low", "evidence": data.draw(cite)}],
        "actions": [{"title": "a", "priority": 1, "evidence": data.draw(cite)}],
        "insights": [{"text": "i", "evidence": data.draw(cite)}],
    }  # fmt: skip
    # when rendered
    links = Links()
    links.feed(report_html(report, store_name="Store"))
    # then each footnote leads to the element of the very evidence it cites, with its label
    assert len(links.items) == len(ids)
    cited = [
        i for key in ("metrics", "actions", "risks", "insights") for i in report[key][0]["evidence"]
    ]
    assert links.footnotes == [anchor(i) for i in cited]
    for evidence_id in cited:
        assert f"label {ids.index(evidence_id)}" in links.items[anchor(evidence_id)]
