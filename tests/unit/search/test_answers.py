"""The process's kept answers: served again until the store's index changes (here, or in
another process by the broadcast) or the TTL passes; a read that raced a change is not kept."""

from __future__ import annotations

from mercato.agents.search.answers import Answer, Answers
from mercato.kernel.broadcast import InProcessBroadcast


def _answer(n: int) -> Answer:
    return Answer(
        ranked=[(f"p-{n}", 1.0)], total=1, facets={}, terms=[], relaxed=False,
        did_you_mean=None, nearest=False,
    )  # fmt: skip


class Reads:
    def __init__(self) -> None:
        self.count = 0

    async def __call__(self) -> Answer:
        self.count += 1
        return _answer(self.count)


async def test_an_answer_is_kept_until_its_store_changes() -> None:
    # given an answer read once
    answers, reads = Answers(InProcessBroadcast(), ttl=60), Reads()
    first = await answers.get("a", "lamp", reads)
    # when the same store is asked the same, it is not read again
    assert await answers.get("a", "lamp", reads) is first and reads.count == 1
    # and another store's change leaves it be
    answers.changed("b")
    assert await answers.get("a", "lamp", reads) is first and reads.count == 1
    # but its own store's change makes the next ask read afresh
    answers.changed("a")
    assert (await answers.get("a", "lamp", reads)).ranked == [("p-2", 1.0)]


async def test_a_broadcast_change_from_another_process_evicts() -> None:
    broadcast = InProcessBroadcast()
    answers, reads = Answers(broadcast, ttl=60), Reads()
    await answers.get("a", "lamp", reads)
    await broadcast.publish("search.changed", {"store": "a"})
    await answers.get("a", "lamp", reads)
    assert reads.count == 2


async def test_an_answer_lives_its_ttl_at_most_and_a_ttl_of_0_keeps_none() -> None:
    now = [0.0]
    answers, reads = Answers(InProcessBroadcast(), ttl=5, monotonic=lambda: now[0]), Reads()
    await answers.get("a", "lamp", reads)
    now[0] = 4.9
    await answers.get("a", "lamp", reads)
    assert reads.count == 1
    now[0] = 5.1
    await answers.get("a", "lamp", reads)
    assert reads.count == 2
    never, reads = Answers(InProcessBroadcast(), ttl=0), Reads()
    await never.get("a", "lamp", reads)
    await never.get("a", "lamp", reads)
    assert reads.count == 2


async def test_a_read_that_raced_a_change_is_served_but_not_kept() -> None:
    answers = Answers(InProcessBroadcast(), ttl=60)

    async def read_while_the_index_changes() -> Answer:
        answers.changed("a")
        return _answer(0)

    served = await answers.get("a", "lamp", read_while_the_index_changes)
    assert served.ranked == [("p-0", 1.0)]
    reads = Reads()
    await answers.get("a", "lamp", reads)
    assert reads.count == 1
