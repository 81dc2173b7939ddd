"""The reviews agent's service functions called as another agent (or a job) calls them, in a
unit of work of its own that has read the review first: moderation, votes, reports, replies,
edits and deletion keep the rules the API's tests show, and each publishes what it changed."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from mercato.agents.reviews import service
from mercato.agents.reviews.models import Review
from mercato.agents.reviews.problems import ModerationConflict
from mercato.kernel.auth import Principal
from mercato.kernel.context import bind
from mercato.kernel.db import UnitOfWork
from tests.integration.reviews.conftest import Board

NOW = datetime(2026, 12, 6, 12, tzinfo=UTC)
SPAM = "BUY NOW!!! cheap watches at www.deals.example.com call +1 555 0100 now now now"


def staff() -> Principal:
    return Principal(id="staff-1", tenant_id="default", kind="user", roles=frozenset({"support"}))


def shopper(user_id: str) -> Principal:
    return Principal(id=user_id, tenant_id="default", kind="user", roles=frozenset({"customer"}))


async def _read(board: Board, review_id: str) -> Review:
    with bind(tenant_id="default"):
        async with board.kernel.uow(writes=False) as uow:
            row = await uow.session.scalar(select(Review).where(Review.id == review_id))
    assert row is not None
    return row


@pytest.mark.parametrize("settings", ["sqlite"], indirect=True)
async def test_staff_approve_then_hide_a_held_review_through_the_service(board: Board) -> None:
    # given a review held for spam
    product = await board.product()
    _, who = await board.customer()
    held = await board.review(product, who, body=SPAM)
    assert held["status"] == "pending"
    with bind(tenant_id="default"):
        # when staff approve it, in a unit of work that reads it first
        async with board.kernel.uow() as uow:
            before = await uow.session.scalar(select(Review.status).where(Review.id == held["id"]))
            approved = await service.approve(uow, principal=staff(), review_id=held["id"], now=NOW)
            await uow.commit()
        # and then hide it with a reason
        async with board.kernel.uow() as uow:
            await uow.session.scalar(select(Review.status).where(Review.id == held["id"]))
            hidden = await service.reject(
                uow, principal=staff(), review_id=held["id"], reason="fake", hide=True, now=NOW
            )
            await uow.commit()
        # then it was published, then taken down, each once
        async with board.kernel.uow() as uow:
            await uow.session.scalar(select(Review.status).where(Review.id == held["id"]))
            with pytest.raises(ModerationConflict):
                await service.reject(
                    uow, principal=staff(), review_id=held["id"], reason="x", hide=True, now=NOW
                )
    assert (before, approved.status, hidden.status) == ("pending", "published", "hidden")
    assert (await _read(board, held["id"])).reasons[-1] == "staff: fake"
    assert len(await board.events("review.withdrawn")) == 1


async def _warm(uow: UnitOfWork) -> None:
    """The unit of work reads first, as a caller that checks something before acting does."""
    await uow.session.scalar(select(Review.id).limit(1))


@pytest.mark.parametrize("settings", ["sqlite"], indirect=True)
async def test_a_shopper_writes_edits_votes_reports_and_deletes_through_the_service(
    board: Board,
) -> None:
    # given a product, its author and two other shoppers
    product = await board.product()
    author, _ = await board.customer()
    voter, _ = await board.customer()
    reporter, _ = await board.customer()
    with bind(tenant_id="default"):
        # when the author writes a review, then edits its rating and words
        async with board.kernel.uow() as uow:
            await _warm(uow)
            written = await service.submit_review(
                uow, principal=shopper(author), product_id=product, rating=4, title="Good",
                body="Soft and warm, the colour is lovely.", now=NOW,
            )  # fmt: skip
            await uow.commit()
        async with board.kernel.uow() as uow:
            await _warm(uow)
            edited = await service.edit_review(
                uow, principal=shopper(author), review_id=written.id, rating=2,
                body="Pilled after two washes, disappointing.", clear_title=True, now=NOW,
            )  # fmt: skip
            await uow.commit()
        # and another finds it helpful, and a third reports it (the threshold is 1 here)
        async with board.kernel.uow() as uow:
            await _warm(uow)
            voted = await service.vote(
                uow, principal=shopper(voter), review_id=written.id, helpful=True, now=NOW
            )
            await uow.commit()
        board.kernel.settings.reviews_report_threshold = 1
        async with board.kernel.uow() as uow:
            await _warm(uow)
            reported = await service.report(
                uow, principal=shopper(reporter), review_id=written.id, reason="rude", now=NOW
            )
            await uow.commit()
        # and staff reply, and the author deletes it
        async with board.kernel.uow() as uow:
            await _warm(uow)
            answer = await service.reply(
                uow, principal=staff(), review_id=written.id, body="Sorry to hear it.", now=NOW
            )
            await uow.commit()
        async with board.kernel.uow() as uow:
            await _warm(uow)
            await service.delete_review(
                uow, principal=shopper(author), review_id=written.id, now=NOW
            )
            await uow.commit()
        async with board.kernel.uow(writes=False) as uow:
            await _warm(uow)
            rating = await service.product_rating(uow, product_id=product)
            mine = await service.list_own_reviews(uow, principal=shopper(author))
    # then each step kept the rules: published, edited, one vote, back to the queue, answered,
    # and gone with its rating
    assert (written.status, written.rating) == ("published", 4)
    assert (edited.rating, edited.title) == (2, None)
    assert voted.helpful == 1
    assert reported.status == "pending"
    assert answer.body == "Sorry to hear it."
    assert rating.count == 0 and mine.items == []
