"""How links are put in order, made one per record and numbered (``corroborate._numbered``).

The numbers end up in ``links.parquet`` and every later join on ``link_id``, so they must not
depend on the order an engine returns rows in, and a record naming one victim twice must keep
the same one of its two links every time.
"""

from __future__ import annotations

import random
import warnings

import pyarrow as pa
import pytest

from linkage.match import corroborate, rules

TEXT = [c for c in rules.LINK_ORDER if c not in ("t", "evidence_row", "strength", "victim_row",
                                                   "group_row")]  # fmt: skip


def _links(rows: list[dict[str, object]]) -> pa.Table:
    """Links with every ordering column (defaults where a row leaves one out) and a payload."""
    base: dict[str, object] = {c: "x" for c in TEXT} | {
        "t": 0, "evidence_row": 1, "strength": 1, "victim_row": 1, "group_row": 1,
    }  # fmt: skip
    full = [base | row for row in rows]
    columns = [*rules.LINK_ORDER, "payload"]
    types = {c: pa.int64() if c in base and c not in TEXT else pa.string() for c in columns}
    return pa.table({c: pa.array([r.get(c) for r in full], types[c]) for c in columns})


ROWS: list[dict[str, object]] = [
    {"victim_key": "b", "t": 5, "payload": "b at 5"},
    {"victim_key": "a", "t": 9, "payload": "a at 9"},
    {"victim_key": "a", "t": 2, "evidence_sheet": None, "payload": "a at 2, no sheet"},
    {"victim_key": "a", "t": 2, "evidence_sheet": "s", "payload": "a at 2, sheet s"},
    # one chat naming victim c twice: by phone (strength 1) and by name (strength 2)
    {"victim_key": "c", "t": 7, "kind": "chat", "strength": 2, "payload": "c by name"},
    {"victim_key": "c", "t": 7, "kind": "chat", "strength": 1, "payload": "c by phone"},
    # one transfer naming victim d through two of their identifier rows
    {"victim_key": "d", "t": 3, "victim_row": 8, "payload": "d, victim row 8"},
    {"victim_key": "d", "t": 3, "victim_row": None, "payload": "d, no victim row"},
]


def test_links_are_ordered_by_victim_and_time_one_per_record_and_numbered() -> None:
    numbered = corroborate._numbered(_links(ROWS))
    assert numbered.column("payload").to_pylist() == [
        "a at 2, no sheet", "a at 2, sheet s", "a at 9", "b at 5", "c by phone",
        "d, no victim row",
    ]  # fmt: skip
    assert numbered.column("link_id").to_pylist() == list(range(6))


def test_the_numbers_do_not_depend_on_the_order_rows_come_in() -> None:
    expected = corroborate._numbered(_links(ROWS))
    shuffled = list(ROWS)
    for seed in range(20):
        random.Random(seed).shuffle(shuffled)
        assert corroborate._numbered(_links(shuffled)).equals(expected)


def test_no_links_number_to_an_empty_table() -> None:
    numbered = corroborate._numbered(_links([]).slice(0, 0))
    assert numbered.num_rows == 0
    assert "link_id" in numbered.column_names


@pytest.mark.parametrize("per_key", [True, False])
def test_both_ways_pyarrow_takes_null_placement_sort_nulls_first(
    per_key: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    if per_key and not corroborate.PLACEMENT_PER_KEY:
        pytest.skip("this pyarrow takes one null placement for all keys only")
    monkeypatch.setattr(corroborate, "PLACEMENT_PER_KEY", per_key)
    table = pa.table({"k": ["b", None, "a", None], "n": [1, 2, None, 0]})
    with warnings.catch_warnings():  # pyarrow 25 deprecates the one placement it still takes
        warnings.simplefilter("ignore", FutureWarning)
        order = corroborate._order_nulls_first(table, ["k", "n"])
    assert order.to_pylist() == [3, 1, 2, 0]
