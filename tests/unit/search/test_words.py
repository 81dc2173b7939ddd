"""How a query is cut into words and synonym slots for each engine, and how a misspelt word
is corrected: written from what shoppers type, not from the engines' internals."""

from __future__ import annotations

from mercato.agents.search import text
from mercato.agents.search.spelling import Vocabulary, distance


def test_a_query_is_its_folded_words_without_operators() -> None:
    assert text.words('  Crème-Brûlée "Torch" OR NOT* ') == [
        "creme",
        "brulee",
        "torch",
        "or",
        "not",
    ]
    assert text.words("") == [] and text.words(None) == []
    assert len(text.words(" ".join(f"w{n}" for n in range(30)))) == text.MAX_WORDS


def test_synonyms_make_slots_and_each_engine_spells_them() -> None:
    groups = [["tshirt", "t shirt", "tee"]]
    slots = text.slots(["blue", "t", "shirt"], groups, typing=False)
    assert [s.alternatives for s in slots] == [
        (("blue",),),
        (("tshirt",), ("t", "shirt"), ("tee",)),
    ]
    assert text.fts5_query(slots) == '"blue" AND ("tshirt" OR "t shirt" OR "tee")'
    assert text.tsquery(slots, every=False) == "blue | (tshirt | (t <-> shirt) | tee)"
    typed = text.slots(["rain", "jac"], [], typing=True)
    assert text.fts5_query(typed) == '"rain" AND "jac"*'
    assert text.tsquery(typed) == "rain & jac:*"


def test_a_name_is_marked_where_it_answers_and_escaped_elsewhere() -> None:
    assert text.highlight("Rain Jacket & <Hood>", ["jackets"]) == (
        "Rain <mark>Jacket</mark> &amp; &lt;Hood&gt;"
    )
    assert text.highlight("Rain Jacket", ["boots"]) is None


def test_distance_counts_a_swap_as_one_edit() -> None:
    assert distance("jakcet", "jacket") == 1
    assert distance("sweatr", "sweater") == 1
    assert distance("kitten", "sitting") == 3
    assert distance("", "abc") == 3


def test_a_word_is_corrected_to_the_closest_and_most_common() -> None:
    vocabulary = Vocabulary({"jacket": 40, "packet": 2, "sweater": 10, "wool": 5, "hat": 3})
    assert vocabulary.correct("jakcet") == "jacket"
    assert vocabulary.correct("jacket") is None  # known words stand
    assert vocabulary.correct("acket") == "jacket"  # the more common of two at one edit
    assert vocabulary.correct("swetaer") == "sweater"
    assert vocabulary.correct("wol") is None  # too short to guess
    assert vocabulary.correct("jzxqet") is None  # too far from anything
    assert vocabulary.correct("2024") is None
