"""Follow each victim's money through the group's accounts, hop by hop, in time order.

``trace(findings)`` walks the returned statements of every group account together, in time
order. A victim's payment into a group account starts a lot of money; each debit takes lots by
the chosen rule (``flow/allocate.py``) and hands the parts on:

- to another traced account (its statement is in the case): the money arrives there and is
  followed further;
- to an account whose statement is not in the case: it ends there, ``statement_missing``,
  with the amount that vanished for anyone reading the returns (a query to send);
- in cash (no counterparty, 取现/ATM): ``cash_out``;
- to no readable counterparty otherwise: ``unknown_counterparty``;
- past ``max_depth`` hops: ``depth_limit``.

What is still in an account when the statements end is ``held``. A debit can only take money
that arrived before it (up to ``tolerance_s`` later, for bank clocks that disagree by
seconds), and every account balances: received = sent + held, in fen.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any, NamedTuple

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from linkage.flow.allocate import RULES, UNKNOWN, Lot, take
from linkage.match.corroborate import Findings
from linkage.memory import release_freed_arrow_memory
from linkage.normalize.time import epoch_seconds, epoch_seconds_of

__all__ = ["Flows", "trace", "trace_statements"]

CASH_WORDS = ("取现", "ATM", "现金", "取款")
DEFAULT_TOLERANCE_S = 60
DEFAULT_MAX_DEPTH = 6


class StatementRow(NamedTuple):
    """One line of a returned statement, as the tracer reads it."""

    account: str
    counterparty_account: str | None
    direction: str
    amount_fen: int
    t: int
    cash: bool
    source_file: str
    source_row: int


STATEMENT_COLUMNS = StatementRow._fields
STATEMENT_SOURCE_COLUMNS = [
    "account", "counterparty_account", "direction", "amount_fen", "occurred_at", "channel",
    "summary", "source_file", "source_row",
]  # fmt: skip
"""The transactions columns a statement row is made from."""


@dataclass(frozen=True)
class Flows:
    """Every hop of every victim's money, where it ended, and each account's balance."""

    hops: pd.DataFrame
    """victim_id, payment, hop, from_account, to_account, amount_fen, at, source_file,
    source_row: one part of one transfer carrying one payment's money."""
    destinations: pd.DataFrame
    """victim_id, payment, end, account, amount_fen, at: where each payment's money stopped."""
    balances: pd.DataFrame
    """account, received_fen, unexplained_fen, sent_fen, held_fen: received + unexplained =
    sent + held for every traced account."""
    rule: str
    tolerance_s: int
    max_depth: int

    def is_default_fifo(self) -> bool:
        """True when traced first in, first out with the default tolerance and depth: the
        tracing that money mules' amounts follow."""
        return (self.rule, self.tolerance_s, self.max_depth) == (
            "fifo", DEFAULT_TOLERANCE_S, DEFAULT_MAX_DEPTH,
        )  # fmt: skip

    def layers(self) -> pd.DataFrame:
        """Per hop: accounts reached, victims' money reaching them, victims."""
        return (
            self.hops.groupby("hop")
            .agg(
                accounts=("to_account", "nunique"),
                amount_fen=("amount_fen", "sum"),
                victims=("victim_id", "nunique"),
            )
            .reset_index()
        )

    def _repr_html_(self) -> str:
        table: str = self.layers().to_html(index=False)
        return f"<p>{self.__repr__()[1:-1]}</p>" + table

    def __repr__(self) -> str:
        ends = self.destinations.groupby("end")["amount_fen"].sum().to_dict()
        shown = ", ".join(f"{k} {v}" for k, v in sorted(ends.items()))
        return f"<Flows ({self.rule}): {len(self.hops)} hops; fen by end: {shown}>"


def trace(
    findings: Findings,
    rule: str = "fifo",
    tolerance_s: int = DEFAULT_TOLERANCE_S,
    max_depth: int = DEFAULT_MAX_DEPTH,
) -> Flows:
    """Trace the linked victims' payments through the group accounts' returned statements."""
    group = findings.group_identifiers
    accounts = set(group.loc[(group["kind"] == "account") & group["group_id"].notna(),
                             "identifier"])  # fmt: skip
    transactions = findings.case.transactions
    returned = (transactions["origin"] == "bank") & transactions["account"].isin(accounts)
    returned_at = np.flatnonzero(returned.to_numpy(dtype=bool, na_value=False))
    statements = _statement_rows(transactions, returned_at)
    payments = findings.transfers[findings.transfers["flow"] == "payment"]
    linked = set(findings.victims.loc[findings.victims["verdict"] != "unlinked", "victim_id"])
    payments = payments[payments["victim_id"].isin(linked)]
    flows = trace_statements(statements, _origins(payments), rule, tolerance_s, max_depth)
    del statements
    release_freed_arrow_memory()
    return flows


def trace_statements(
    statements: pd.DataFrame,
    origins: pd.DataFrame,
    rule: str = "fifo",
    tolerance_s: int = DEFAULT_TOLERANCE_S,
    max_depth: int = DEFAULT_MAX_DEPTH,
) -> Flows:
    """The tracer on plain rows, for any set of statements.

    ``statements``: account, counterparty_account, direction (in/out), amount_fen, t (epoch
    seconds), cash (bool), source_file, source_row. ``origins``: account, counterparty_account,
    amount_fen, t, victim_id, payment: the credits that are victims' payments (matched to a
    credit by payer and amount, nearest in time within a day).
    """
    if rule not in RULES:
        raise ValueError(f"unknown allocation rule {rule!r}: expected one of {RULES}")
    traced = set(statements["account"].unique())
    known = _known_payments(origins)
    lots: dict[str, list[Lot]] = {a: [] for a in traced}
    totals = {a: [0, 0, 0] for a in traced}  # received, unexplained, sent
    hops: list[tuple[object, ...]] = []
    ends: list[tuple[object, ...]] = []
    for row in _rows(statements, _event_order(statements, tolerance_s)):
        account, other = str(row.account), row.counterparty_account
        other = str(other) if isinstance(other, str) and other else ""
        amount, t = int(row.amount_fen), int(row.t)
        if row.direction == "in":
            if other in traced:
                continue  # delivered, with its origins, when the paying account's debit was read
            totals[account][0] += amount
            victim, payment = _payment(known, account, other, amount, t)
            lots[account].append(Lot(victim, amount, t, (other, account), payment))
            if victim:
                hops.append(_hop(victim, payment, 1, other, account, amount, t, row))
            continue
        totals[account][2] += amount
        for part in take(lots[account], amount, rule):
            if not part.path:  # more left than the statement shows arriving
                totals[account][1] += part.amount_fen
            depth = len(part.path) or 1
            if other in traced and depth < max_depth:
                lots[other].append(
                    Lot(part.origin, part.amount_fen, t, (*part.path, other), part.payment)
                )
                totals[other][0] += part.amount_fen
            if part.origin == UNKNOWN:
                continue
            if other:
                hops.append(_hop(part.origin, part.payment, depth, account, other,
                                 part.amount_fen, t, row))  # fmt: skip
            if other in traced and depth < max_depth:
                continue
            target = other
            end = (
                "depth_limit" if target in traced
                else "statement_missing" if target
                else "cash_out" if bool(row.cash)
                else "unknown_counterparty"
            )  # fmt: skip
            ends.append(_end(part, end, target or account, t))
    for account, remaining in lots.items():
        for lot in remaining:
            if lot.origin != UNKNOWN and lot.amount_fen:
                ends.append(_end(lot, "held", account, None))
    order = ["victim_id", "payment", "hop", "at", "source_file", "source_row", "to_account"]
    end_order = ["victim_id", "payment", "end", "account", "at"]
    return Flows(
        hops=_timed(pd.DataFrame(hops, columns=HOP_COLUMNS)).sort_values(order, kind="stable"),
        destinations=_timed(pd.DataFrame(ends, columns=END_COLUMNS)).sort_values(
            end_order, kind="stable", na_position="last"
        ),
        balances=_balances(totals, lots),
        rule=rule,
        tolerance_s=tolerance_s,
        max_depth=max_depth,
    )


HOP_COLUMNS = ["victim_id", "payment", "hop", "from_account", "to_account", "amount_fen", "at",
               "source_file", "source_row"]  # fmt: skip
END_COLUMNS = ["victim_id", "payment", "end", "account", "amount_fen", "at"]


ROWS_AT_ONCE = 65_536
"""Statement rows turned into Python values at a time: all of them at once would hold a few
Python objects per cell of millions of rows."""


def _event_order(statements: pd.DataFrame, tolerance_s: int) -> np.ndarray:
    """Positions of the statement rows in the order the tracer reads them.

    By time, a credit counting ``tolerance_s`` early (a bank clock a little behind the payer's);
    at one time credits before debits; then by account, file and row, so the walk is the same
    on every run. Only the order is computed: a sorted copy of millions of rows is not needed.
    """
    inbound = (statements["direction"] == "in").to_numpy(dtype=bool, na_value=False)
    when = statements["t"].to_numpy(dtype=np.int64) - np.where(inbound, tolerance_s, 0)
    keys = (
        statements["source_row"].to_numpy(dtype=np.int64),
        _ranks(statements["source_file"]),
        _ranks(statements["account"]),
        np.where(inbound, 0, 1),
        when,
    )
    return np.lexsort(keys)  # the last key sorts first


def _ranks(texts: pd.Series) -> np.ndarray:
    """Each text's place among the column's distinct texts, in text order: sorting millions
    of rows on these integers needs a fraction of the memory of sorting the texts."""
    values = pa.array(texts, from_pandas=True)
    if isinstance(values, pa.ChunkedArray):
        values = values.combine_chunks()
    if not pa.types.is_dictionary(values.type):
        ranks = pc.rank(values, sort_keys="ascending", tiebreaker="dense")
        return np.asarray(ranks, dtype=np.int64)
    # A dictionary's texts are ranked once each; nulls after every text, as rank puts them.
    ranked = pc.rank(values.dictionary, sort_keys="ascending", tiebreaker="dense")
    ranks = pc.fill_null(ranked.take(values.indices), len(values.dictionary) + 1)
    return np.asarray(ranks, dtype=np.int64)


def _rows(statements: pd.DataFrame, order: np.ndarray) -> Iterator[StatementRow]:
    """The statement rows in ``order`` as plain Python tuples, nulls as None: the tracer visits
    every row, and stepping through Arrow-backed columns one value at a time costs more than
    the walk. A slice of rows is taken at a time."""
    columns = [_python_values(statements[name]) for name in STATEMENT_COLUMNS]
    for start in range(0, len(order), ROWS_AT_ONCE):
        at = order[start : start + ROWS_AT_ONCE]
        yield from map(StatementRow._make, zip(*(values(at) for values in columns), strict=True))


def _python_values(column: pd.Series) -> Callable[[np.ndarray], list[Any]]:
    """A function giving the values of ``column`` at some positions as Python values. A
    dictionary's texts are made once each and shared by every row that holds them."""
    values = pa.array(column, from_pandas=True)
    if isinstance(values, pa.ChunkedArray):
        values = values.combine_chunks()
    kind = values.type
    if values.null_count == 0 and (pa.types.is_integer(kind) or pa.types.is_boolean(kind)):
        plain = values.to_numpy(zero_copy_only=False)
        return lambda at: plain[at].tolist()
    if not pa.types.is_dictionary(kind):
        return lambda at: values.take(at).to_pylist()
    texts = np.array([*values.dictionary.to_pylist(), None], dtype=object)
    codes = pc.fill_null(values.indices, len(values.dictionary)).to_numpy(zero_copy_only=False)
    return lambda at: texts[codes[at]].tolist()


def _timed(frame: pd.DataFrame) -> pd.DataFrame:
    """``at`` from epoch seconds (None for money still held) to UTC times, in one pass."""
    at = pd.to_datetime(frame["at"], unit="s", utc=True).astype("datetime64[us, UTC]")
    return frame.assign(at=at)


def _statement_rows(transactions: pd.DataFrame, rows: np.ndarray) -> pd.DataFrame:
    """The tracer's columns of the transactions at positions ``rows``, taken a column at a time.

    The accounts and the file names repeat over millions of rows (a few thousand accounts, a
    handful of files), so they are held as dictionaries: a copy of the returned statements as
    plain text was most of the tracer's memory (0.9 GiB at 10M calls).
    """
    taken = {}
    for name in STATEMENT_SOURCE_COLUMNS:
        taken[name] = _taken(transactions[name], rows)
        release_freed_arrow_memory()  # the plain copy a dictionary was made from
    # Cash words are looked for only where no counterparty is named: a few rows, not millions.
    unnamed = np.flatnonzero(
        pc.is_null(taken["counterparty_account"]).to_numpy(zero_copy_only=False)
    )
    words = [pc.fill_null(taken[name].take(unnamed), "") for name in ("channel", "summary")]
    said_cash = pc.match_substring_regex(
        pc.binary_join_element_wise(*words, " "), "|".join(CASH_WORDS)
    )
    cash = np.zeros(len(rows), dtype=bool)
    cash[unnamed] = said_cash.to_numpy(zero_copy_only=False)
    seconds = epoch_seconds(taken["occurred_at"]).to_numpy(zero_copy_only=False)
    index = transactions.index[rows]
    frame = {name: _series(taken[name], index) for name in STATEMENT_COLUMNS if name in taken}
    return pd.DataFrame(
        {
            **frame,
            "t": pd.Series(seconds, index=index, dtype="int64"),
            "cash": pd.Series(cash, index=index),
        }
    )[list(STATEMENT_COLUMNS)]


DICTIONARY_COLUMNS = frozenset({"account", "counterparty_account", "direction", "source_file"})


def _taken(column: pd.Series, rows: np.ndarray) -> pa.Array | pa.ChunkedArray:
    """The values of ``column`` at ``rows``, a repeated text column dictionary-encoded (in
    one piece: its chunks share one dictionary; other columns may stay in chunks, as text over
    2 GiB must)."""
    values = pa.array(column.array).take(rows)
    if column.name not in DICTIONARY_COLUMNS:
        return values
    encoded = values.dictionary_encode()
    return encoded.combine_chunks() if isinstance(encoded, pa.ChunkedArray) else encoded


def _series(values: pa.Array | pa.ChunkedArray, index: pd.Index) -> pd.Series:
    return pd.Series(values, index=index, dtype=pd.ArrowDtype(values.type))


def _origins(payments: pd.DataFrame) -> pd.DataFrame:
    at = payments["at"]
    return pd.DataFrame(
        {
            "account": payments["group_account"],
            "counterparty_account": payments["victim_account"],
            "amount_fen": payments["amount_fen"],
            "t": epoch_seconds_of(at),
            "victim_id": payments["victim_id"],
            "payment": payments["victim_id"] + "@" + at.dt.strftime("%Y-%m-%dT%H:%M:%SZ"),
        }
    )


def _known_payments(
    origins: pd.DataFrame,
) -> dict[tuple[str, str, int], list[tuple[int, str, str]]]:
    known: dict[tuple[str, str, int], list[tuple[int, str, str]]] = {}
    for o in origins.itertuples(index=False):
        key = (str(o.account), str(o.counterparty_account), int(o.amount_fen))
        known.setdefault(key, []).append((int(o.t), str(o.victim_id), str(o.payment)))
    return known


def _payment(
    known: dict[tuple[str, str, int], list[tuple[int, str, str]]],
    account: str,
    payer: str,
    amount: int,
    t: int,
) -> tuple[str, str]:
    """The victim and payment of a credit: same payer and amount, nearest in time within a day
    (a statement giving the date only is up to a day off); unknown otherwise."""
    candidates = known.get((account, payer, amount))
    if candidates is None:  # most credits of a busy mule account: no victim's payment
        return UNKNOWN, ""
    near = [(abs(at - t), victim, payment) for at, victim, payment in candidates
            if abs(at - t) <= 86_400]  # fmt: skip
    if not near:
        return UNKNOWN, ""
    _, victim, payment = min(near)
    return victim, payment


def _hop(victim: str, payment: str, hop: int, source: str, target: str, amount: int, t: int,
         row: Any) -> tuple[object, ...]:  # fmt: skip
    """One hop, in ``HOP_COLUMNS`` order: a tuple, as a large case holds millions of them."""
    return (victim, payment, hop, source, target, amount, t, row.source_file, row.source_row)


def _end(lot: Lot, end: str, account: str, t: int | None) -> tuple[object, ...]:
    """One destination, in ``END_COLUMNS`` order."""
    return (lot.origin, lot.payment, end, account, lot.amount_fen, t)


def _balances(totals: dict[str, list[int]], lots: dict[str, list[Lot]]) -> pd.DataFrame:
    rows = [
        {
            "account": account,
            "received_fen": received,
            "unexplained_fen": unexplained,
            "sent_fen": sent,
            "held_fen": sum(lot.amount_fen for lot in lots[account]),
        }
        for account, (received, unexplained, sent) in sorted(totals.items())
    ]
    return pd.DataFrame(rows, columns=["account", "received_fen", "unexplained_fen", "sent_fen",
                                       "held_fen"])  # fmt: skip
