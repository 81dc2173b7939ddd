"""The FAQ: staff write, change and delete articles; anyone reads the published ones by
topic; a question is answered by the articles nearest in words and meaning, each with a score
in [0, 1]; a change is answered at once (what the process kept of the FAQ is evicted)."""

from __future__ import annotations

from typing import Any

import pytest

from mercato.agents.support import service
from mercato.kernel.context import bind
from tests.integration.identity.conftest import ADMIN
from tests.integration.support.conftest import Desk

ARTICLE = {
    "question": "Do you gift wrap?",
    "answer": "Yes, for $3 an item: tick *gift wrap* at checkout.",
    "topic": "orders",
    "keywords": ["Gift", "wrapping", "gift"],
}


async def test_staff_write_change_and_delete_an_article_and_shoppers_read_the_published(
    desk: Desk,
) -> None:
    # when a support agent writes an article and a draft
    _, agent = await desk.staff()
    made = await desk.client.post("/v1/support/faq", json=ARTICLE, headers=agent)
    assert made.status_code == 201, made.text
    article = made.json()
    assert (article["keywords"], article["published"], article["position"]) == (
        ["gift", "wrapping"], True, 0,
    )  # fmt: skip
    draft = await desk.client.post(
        "/v1/support/faq",
        json={**ARTICLE, "question": "Do you sell gift cards?", "published": False},
        headers=agent,
    )
    assert (draft.status_code, draft.json()["position"]) == (201, 1)
    # then anyone reads the published one, by its topic, and staff may ask for drafts too
    public = await desk.client.get("/v1/support/faq")
    assert [a["question"] for a in public.json()["items"]] == ["Do you gift wrap?"]
    assert public.json()["next_cursor"] is None
    other_topic = await desk.client.get("/v1/support/faq", params={"topic": "returns"})
    assert other_topic.json()["items"] == []
    drafts = await desk.client.get("/v1/support/faq", params={"drafts": "true"}, headers=agent)
    assert len(drafts.json()["items"]) == 2
    shopper_drafts = await desk.client.get("/v1/support/faq", params={"drafts": "true"})
    assert len(shopper_drafts.json()["items"]) == 1
    # when it is changed, the change is read, the rest kept
    changed = await desk.client.patch(
        f"/v1/support/faq/{article['id']}", json={"answer": "Not any more, sorry."}, headers=agent
    )
    assert changed.status_code == 200, changed.text
    assert (changed.json()["answer"], changed.json()["question"]) == (
        "Not any more, sorry.", "Do you gift wrap?",
    )  # fmt: skip
    # when it is deleted, it is gone
    gone = await desk.client.delete(f"/v1/support/faq/{article['id']}", headers=agent)
    assert gone.status_code == 204
    assert (await desk.client.get("/v1/support/faq")).json()["items"] == []
    again = await desk.client.delete(f"/v1/support/faq/{article['id']}", headers=agent)
    assert (again.status_code, again.json()["code"]) == (404, "faq_article_not_found")


@pytest.mark.parametrize(
    "body",
    [
        {**ARTICLE, "question": "?"},
        {**ARTICLE, "topic": "Not A Slug"},
        {**ARTICLE, "answer": ""},
        {**ARTICLE, "keywords": ["k"] * 31},
        {**ARTICLE, "position": -1},
        {"question": "Only a question?"},
    ],
)
async def test_an_article_that_is_not_valid_is_refused(desk: Desk, body: dict[str, Any]) -> None:
    answer = await desk.client.post("/v1/support/faq", json=body, headers=ADMIN)
    assert answer.status_code == 422, answer.text
    assert answer.headers["content-type"] == "application/problem+json"
    assert (await desk.client.get("/v1/support/faq")).json()["items"] == []


async def test_shoppers_cannot_write_the_faq(desk: Desk) -> None:
    customer = await desk.customer()
    answer = await desk.client.post("/v1/support/faq", json=ARTICLE, headers=customer)
    assert (answer.status_code, answer.json()["code"]) == (403, "forbidden")


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("how do i send something back", "What is your returns policy?"),
        ("when will my parcel arrive", "How long does delivery take, and what does shipping cost?"),
        ("i want my money back", "When will I get my refund?"),
        ("do you deliver to france", "Do you ship internationally?"),
        ("my card was charged twice", "When is my card charged?"),
        ("talk to a human", "How do I contact a person?"),
    ],
)
async def test_a_question_is_answered_by_the_article_it_means(
    desk: Desk, question: str, expected: str
) -> None:
    # given the demo store's FAQ
    await desk.demo_faq()
    # when a shopper asks in their own words
    found = await desk.ask(question)
    # then the article it means comes first, with a confident score in [0, 1]
    assert found[0]["question"] == expected
    assert 0.5 <= found[0]["score"] <= 1
    assert all(0 <= a["score"] <= found[0]["score"] for a in found)


async def test_a_question_the_faq_does_not_answer_finds_nothing_confident(desk: Desk) -> None:
    await desk.demo_faq()
    for question in ("recommend a warm jacket", "what's the weather like"):
        assert all(a["score"] < 0.3 for a in await desk.ask(question)), question
    assert len(await desk.ask("refund", limit=1)) == 1
    assert [a["topic"] for a in await desk.ask("refund", topic="returns")][:1] == ["returns"]


async def test_the_service_answers_the_assistant_and_a_change_is_answered_at_once(
    desk: Desk,
) -> None:
    await desk.demo_faq()
    with bind(tenant_id="default"):
        async with desk.kernel.uow(writes=False) as uow:
            [match] = await service.find_faq(uow, text="can i pay with paypal", limit=1)
            assert (match.question, match.topic) == (
                "Which payment methods do you accept?", "payments",
            )  # fmt: skip
            assert await service.find_faq(uow, text="   ") == []
            listed = await service.list_faq(uow, topic="payments")
            assert [a.question for a in listed] == [
                "Which payment methods do you accept?",
                "When is my card charged?",
            ]
    # when staff unpublish the article, it is no longer an answer (in this process at once)
    answer = await desk.client.patch(
        f"/v1/support/faq/{match.article_id}", json={"published": False}, headers=ADMIN
    )
    assert answer.status_code == 200
    assert all(a["id"] != match.article_id for a in await desk.ask("can i pay with paypal"))


@pytest.mark.parametrize(
    "spec",
    [
        service.ArticleSpec(question="Why?", answer="Because.", topic="x"),
        service.ArticleSpec(question="Why?", answer=" ", topic="other"),
        service.ArticleSpec(question="?", answer="Because.", topic="other"),
        service.ArticleSpec(question="Why?", answer="Because.", topic="other", keywords=["k" * 61]),
        service.ArticleSpec(question="Why?", answer="Because.", topic="other", position=-5),
        service.ArticleSpec(question="Why?", answer="Because."),
    ],
)
async def test_the_service_refuses_an_article_it_cannot_keep(
    desk: Desk, spec: service.ArticleSpec
) -> None:
    with bind(tenant_id="default"):
        async with desk.kernel.uow() as uow:
            with pytest.raises(service.InvalidArticle):
                await service.create_article(uow, spec=spec, now=desk.kernel.clock.now())
            with pytest.raises(service.ArticleNotFound):
                await service.update_article(
                    uow, article_id="missing", spec=spec, now=desk.kernel.clock.now()
                )
