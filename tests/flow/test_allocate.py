"""Allocation rules split an outgoing amount exactly, and only from money already there."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from linkage.flow import RULES, UNKNOWN, Lot, take

lots_strategy = st.lists(
    st.tuples(st.sampled_from("abc"), st.integers(1, 10**9)), min_size=0, max_size=8
)


def _lots(drawn: list[tuple[str, int]]) -> list[Lot]:
    return [Lot(origin, amount, n, (origin,)) for n, (origin, amount) in enumerate(drawn)]


@settings(max_examples=300, deadline=None)
@given(lots_strategy, st.integers(0, 3 * 10**9), st.sampled_from(RULES))
def test_parts_add_up_and_lots_shrink_by_them(
    drawn: list[tuple[str, int]], amount: int, rule: str
) -> None:
    lots = _lots(drawn)
    before = sum(lot.amount_fen for lot in lots)
    parts = take(lots, amount, rule)
    after = sum(lot.amount_fen for lot in lots)
    assert sum(p.amount_fen for p in parts) == amount
    known = sum(p.amount_fen for p in parts if p.origin != UNKNOWN)
    assert before - after == known == min(amount, before)
    assert all(p.amount_fen > 0 for p in parts) and all(lot.amount_fen > 0 for lot in lots)


def test_fifo_takes_the_oldest_and_lifo_the_newest() -> None:
    assert [p.origin for p in take(_lots([("a", 5), ("b", 5)]), 6, "fifo")] == ["a", "b"]
    assert [(p.origin, p.amount_fen) for p in take(_lots([("a", 5), ("b", 5)]), 6, "lifo")] == [
        ("b", 5),
        ("a", 1),
    ]


def test_proportional_shares_are_exact_in_fen() -> None:
    parts = take(_lots([("a", 1), ("b", 1), ("c", 1)]), 2, "proportional")
    assert [(p.origin, p.amount_fen) for p in parts] == [("a", 1), ("b", 1)]
    parts = take(_lots([("a", 200), ("b", 100)]), 150, "proportional")
    assert [(p.origin, p.amount_fen) for p in parts] == [("a", 100), ("b", 50)]


def test_an_unknown_rule_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown allocation rule"):
        take([], 1, "random")
