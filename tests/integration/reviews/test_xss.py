"""EC016: a script in a review is stored exactly as written and answered as data; the
console shows review texts as text (never as HTML)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.integration.identity.conftest import ADMIN
from tests.integration.reviews.conftest import Board

SCRIPT = "<script>alert('xss')</script> <img src=x onerror=alert(1)> Great & cheap"
WEB = Path(__file__).resolve().parents[3] / "src" / "mercato" / "agents" / "reviews" / "web"


@pytest.mark.edge_case("EC016")
async def test_a_script_in_a_review_round_trips_as_text_and_is_never_rendered_as_html(
    board: Board,
) -> None:
    # given a product
    product = await board.product()
    _, customer = await board.customer()
    # when a customer writes a script into their review's title and text
    posted = await board.post(product, customer, title="<b>bold</b>", body=SCRIPT, rating=3)
    # then it is stored and answered exactly as written, as JSON data
    assert posted.status_code == 201, posted.text
    assert posted.headers["content-type"].startswith("application/json")
    review = posted.json()
    assert (review["title"], review["body"]) == ("<b>bold</b>", SCRIPT)
    queue = await board.client.get(
        "/v1/reviews", params={"status": review["status"]}, headers=ADMIN
    )
    listed = await board.listing(product) if review["status"] == "published" else queue.json()
    assert [r["body"] for r in listed["items"]] == [SCRIPT]
    # and the console's review pages never hand a text to the HTML parser
    sources = "".join(p.read_text() for p in WEB.glob("*.js"))
    assert sources and all(
        word not in sources
        for word in ("innerHTML", "outerHTML", "dangerouslySetInnerHTML", "insertAdjacentHTML")
    )
