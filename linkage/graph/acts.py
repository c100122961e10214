"""What each member did: calls on their extension, their place in forwarded chains, messages
sent from their handles, and the lines a den's ledger credits them with.

A dial list names extensions, not people. An extension belongs to the roster member who lists
it and was at that den that day (extensions repeat across dens and may pass to a newcomer), so
calls are first counted per den, extension and local day in Arrow (a den's list holds
millions of rows) and only those counts are given owners.

A victim's ordeal is one forwarded chain: the auto-dialer hands the answered call to an
extension (first line), which forwards it (转接分机) to a second extension within minutes, which
may forward it to a third. The position of each leg is the behavioural evidence of a member's
line; the den's ledger (``一线:name;二线:name``) is a second, independent one.
"""

from __future__ import annotations

from dataclasses import dataclass
from zoneinfo import ZoneInfo

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from linkage.engine import Engine
from linkage.errors import InvalidValue
from linkage.normalize import normalize_name
from linkage.normalize.time import epoch_seconds, epoch_seconds_of, local_dates

__all__ = ["Acts", "DialLists", "find_acts", "handles", "presence"]

LINE_NAMES = {"一线": 1, "二线": 2, "三线": 3}


def _forwards(previous: str, to: str = "staff_legs") -> str:
    """``previous`` legs joined to the legs they handed the call to: same den and callee, on the
    extension 转接分机 names, starting after the previous leg began and at most ``$slack_s``
    after it ended. Where both legs carry a 任务ID it is the same session's."""
    return f"""{previous} AS f
    JOIN {to} AS l
      ON l.den = f.den AND l.callee = f.callee AND l.extension = f.forwarded_to
     AND l.t BETWEEN f.t AND f.t + f.talk + $slack_s
     AND (f.task_id IS NULL OR l.task_id IS NULL OR f.task_id = l.task_id)
     AND NOT (l.source_file = f.source_file AND l.source_row = f.source_row)"""


LEGS = """
legs AS (
    SELECT den, callee, extension, forwarded_to, task_id, t, coalesce(duration_s, 0) AS talk,
           source_file, source_row
    FROM chain_calls
),
dialer_legs AS (SELECT * FROM legs WHERE extension IS NULL),
staff_legs AS (SELECT * FROM legs WHERE extension IS NOT NULL)"""
"""The dial-list rows of chains: the dialer's own legs (no extension) and the staff's."""

FIRST_SQL = f"""
WITH {LEGS},
handed AS (
    SELECT DISTINCT l.source_file, l.source_row FROM {_forwards("legs")}
),
dialed_sessions AS (
    SELECT DISTINCT den, callee, task_id FROM dialer_legs WHERE task_id IS NOT NULL
),
session_starts AS (
    SELECT den, callee, task_id, min(t) AS t FROM staff_legs
    WHERE task_id IS NOT NULL GROUP BY den, callee, task_id
)
SELECT l.*, 1 AS position FROM {_forwards("dialer_legs")}
UNION ALL
SELECT l.*, 1 AS position
FROM staff_legs AS l
JOIN session_starts AS s
  ON s.den = l.den AND s.callee = l.callee AND s.task_id = l.task_id AND s.t = l.t
LEFT JOIN dialed_sessions AS d
  ON d.den = l.den AND d.callee = l.callee AND d.task_id = l.task_id
LEFT JOIN handed AS h ON h.source_file = l.source_file AND h.source_row = l.source_row
WHERE d.den IS NULL AND h.source_file IS NULL
"""
"""First-line legs: those the dialer's own leg forwarded to, and, in a session (one callee's
call in one 任务ID) whose dialer row is not in the list, its first leg when no other leg handed
the call to it."""


def next_sql(position: int) -> str:
    """The legs that ``previous_legs`` (at ``position - 1``) forwarded to."""
    return f"""
WITH {LEGS}
SELECT l.*, {position} AS position FROM {_forwards("previous_legs")}
"""


LATE_SQL = f"""
WITH {LEGS},
forwarding AS (
    SELECT *, 0 AS position FROM dialer_legs WHERE forwarded_to IS NOT NULL
    UNION ALL SELECT * FROM placed_legs WHERE forwarded_to IS NOT NULL
),
forwarded_in_time AS (
    SELECT DISTINCT f.source_file, f.source_row FROM {_forwards("forwarding")}
)
SELECT f.den, f.task_id, f.forwarded_to, f.source_file, f.source_row,
       l.source_file AS late_file, l.source_row AS late_row, l.t - f.t - f.talk AS late_s
FROM forwarding AS f
JOIN staff_legs AS l
  ON l.den = f.den AND l.callee = f.callee AND l.extension = f.forwarded_to
 AND l.task_id = f.task_id AND l.t > f.t + f.talk + $slack_s
LEFT JOIN forwarded_in_time AS i ON i.source_file = f.source_file AND i.source_row = f.source_row
LEFT JOIN placed_legs AS p ON p.source_file = l.source_file AND p.source_row = l.source_row
WHERE i.source_file IS NULL AND p.source_file IS NULL
"""
"""Forwards whose leg on the named extension, in the same session (both rows carry its 任务ID),
began only after the slack and got no position another way: the chain breaks there. A late
leg with no 任务ID may be a call back by hand, so it is no break."""


def chain_legs(dial: DialLists, engine: Engine, slack_s: int) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(legs, late): each staff leg of a forwarded chain with its position (1-3), and each
    forward whose leg came later than the slack (the first such leg).

    A leg's position is the number of hops from the auto-dialer along the 转接分机 links, one
    query per hop (each result registered for the next: an engine that inlines shared
    subqueries would otherwise repeat the first hops in every later one). Some lists repeat
    the session's 任务ID on every leg, others write it on the first only: neither is read as a
    position.
    """
    parameters = {"slack_s": slack_s}
    engine.register("chain_calls", dial.chains)
    hops = [engine.query(FIRST_SQL, parameters)]
    for position in (2, 3):
        engine.register("previous_legs", hops[-1])
        hops.append(engine.query(next_sql(position), parameters))
    placed = pa.concat_tables(hops, promote_options="permissive")
    engine.register("placed_legs", placed)
    late = engine.query(LATE_SQL, parameters).to_pandas()
    late = late.sort_values(["source_file", "source_row", "late_s", "late_file", "late_row"])
    late = late.drop_duplicates(["source_file", "source_row"]).reset_index(drop=True)
    legs = placed.select(["den", "extension", "t", "position", "source_file", "source_row"])
    legs = legs.to_pandas().sort_values(["source_file", "source_row", "position"])
    legs = legs.drop_duplicates(["source_file", "source_row"]).reset_index(drop=True)
    return legs, late


@dataclass(frozen=True)
class Acts:
    """Each member's acts, attributed through the roster and the stays."""

    call_counts: pd.DataFrame
    """person_id, den, calls: dial-list rows on the member's extension (人次)."""
    positions: pd.DataFrame
    """person_id, den, position (1-3), evidence, t, source_file, source_row: one row per leg
    of a forwarded chain or per ledger credit."""
    messages: pd.DataFrame
    """person_id, den, messages, first_t, last_t: seized messages from the member's handles."""
    act_times: pd.DataFrame
    """person_id, den, first_t, last_t: each day of calls and each message of a member, the
    acts a first-act / last-act period rule starts and ends on."""
    unowned: pd.DataFrame
    """den, extension, calls, first_t, last_t: dial-list rows on an extension that no roster
    member (or more than one) at the den that day lists."""
    late_forwards: pd.DataFrame
    """den, task_id, forwarded_to, source_file, source_row, late_file, late_row, late_s: each
    forward whose leg began beyond the slack (the first such leg); its chain breaks there."""


@dataclass(frozen=True)
class DialLists:
    """The dens' dial-list rows of forwarded chains (placed from an extension, or the dialer's
    own leg handing a call to one), and the calls per extension and local day."""

    chains: pa.Table
    per_day: pd.DataFrame

    @classmethod
    def of(cls, calls: pd.DataFrame, zones: dict[str, ZoneInfo]) -> DialLists:
        chains = _chain_calls(calls)
        placed = chains.filter(pc.is_valid(chains.column("extension")))
        return cls(chains, _per_extension_day(placed, zones))


def presence(dial: DialLists, messages: pd.DataFrame, persons: pd.DataFrame) -> pd.DataFrame:
    """(person_id, den, t, kind): days a member's listed extension placed calls at a den
    (``call``), and their messages there (``chat``). A handle is the member's own; an extension
    number recurs at every den, so calls are the weaker sign. Either only tells which den a
    stay was spent at."""
    listed = persons[["person_id", "extensions"]].explode("extensions").dropna()
    calls = dial.per_day.merge(listed.rename(columns={"extensions": "extension"}), on="extension")
    owners = handles(persons)
    seized = messages[(messages["origin"] == "seized") & messages["den"].notna()]
    chats = seized[["sender", "den", "sent_at"]].merge(owners, on="sender")
    chats = chats.assign(t=epoch_seconds_of(chats["sent_at"]))
    return pd.concat(
        [calls[["person_id", "den", "first_t"]].rename(columns={"first_t": "t"})
         .assign(kind="call"),
         chats[["person_id", "den", "t"]].assign(kind="chat")],
        ignore_index=True,
    )  # fmt: skip


def find_acts(
    dial: DialLists,
    messages: pd.DataFrame,
    transactions: pd.DataFrame,
    persons: pd.DataFrame,
    stays: pd.DataFrame,
    zones: dict[str, ZoneInfo],
    engine: Engine,
    slack_s: int,
) -> Acts:
    """Attribute the dens' calls, chains, messages and ledger credits to members.

    ``slack_s``: how long after a leg ended the leg it forwarded to may begin.
    """
    per_day = dial.per_day
    owners = _owners(per_day, persons, stays)
    owned = per_day.merge(owners, on=["den", "extension", "day"], how="left")
    unowned = (
        owned[owned["person_id"].isna()]
        .groupby(["den", "extension"], as_index=False)
        .agg(calls=("calls", "sum"), first_t=("first_t", "min"), last_t=("last_t", "max"))
    )
    owned = owned.dropna(subset=["person_id"])
    call_counts = owned.groupby(["person_id", "den"], as_index=False)["calls"].sum()
    chats = _messages_sent(messages, persons)
    act_times = pd.concat(
        [owned[["person_id", "den", "first_t", "last_t"]],
         chats.assign(first_t=chats["t"], last_t=chats["t"])[["person_id", "den", "first_t",
                                                                "last_t"]]],
        ignore_index=True,
    )  # fmt: skip
    legs, late = chain_legs(dial, engine, slack_s)
    legs["day"] = _local_days(legs, zones).to_pandas(date_as_object=True)
    legs = legs.merge(owners, on=["den", "extension", "day"], how="inner")
    legs = legs.assign(evidence="forwarded chain leg")
    ledger = _ledger_lines(transactions, persons, stays)
    positions = pd.concat(
        [legs[["person_id", "den", "position", "evidence", "t", "source_file", "source_row"]],
         ledger],
        ignore_index=True,
    )  # fmt: skip
    return Acts(
        call_counts=call_counts,
        positions=positions.sort_values(
            ["person_id", "t", "source_file", "source_row", "position", "evidence"],
            kind="stable",
        ),
        messages=_messages(messages, persons),
        act_times=act_times,
        unowned=unowned,
        late_forwards=late,
    )


def _chain_calls(calls: pd.DataFrame) -> pa.Table:
    """Seized dial-list rows placed from an extension or forwarded to one, with epoch seconds
    ``t``: the dialer's broadcasts that went nowhere are left out."""
    table = pa.Table.from_pandas(
        calls[["den", "callee", "extension", "forwarded_to", "task_id", "started_at",
               "duration_s", "origin", "source_file", "source_row"]],
        preserve_index=False,
    )  # fmt: skip
    keep = pc.and_(
        pc.equal(table.column("origin"), "seized"),
        pc.and_(
            pc.or_(
                pc.is_valid(table.column("extension")), pc.is_valid(table.column("forwarded_to"))
            ),
            pc.is_valid(table.column("den")),
        ),
    )
    table = table.filter(keep)
    seconds = epoch_seconds(table.column("started_at"))
    return table.drop_columns(["started_at", "origin"]).append_column("t", seconds)


def _local_days(frame: pd.DataFrame | pa.Table, zones: dict[str, ZoneInfo]) -> pa.Array:
    """Each row's calendar day in its den's zone (date32; rows without a den are null)."""
    table = frame if isinstance(frame, pa.Table) else pa.Table.from_pandas(frame)
    dens = table.column("den").combine_chunks()
    micros = pc.cast(pc.multiply(table.column("t"), 1_000_000), pa.int64()).combine_chunks()
    stamps = pc.cast(micros, pa.timestamp("us", tz="UTC"))
    days = np.zeros(table.num_rows, dtype=np.int32)
    known = np.zeros(table.num_rows, dtype=bool)
    for den in pc.unique(dens).drop_null().to_pylist():
        rows = pc.equal(dens, den).fill_null(False)
        local = pc.cast(local_dates(stamps.filter(rows), str(zones[den])), pa.int32())
        where = rows.to_numpy(zero_copy_only=False)
        days[where] = local.to_numpy(zero_copy_only=False)
        known |= where
    return pa.array(days, pa.int32(), mask=~known).cast(pa.date32())


def _per_extension_day(staff: pa.Table, zones: dict[str, ZoneInfo]) -> pd.DataFrame:
    """Calls per den, extension and local day, with their first and last time."""
    table = pa.table(
        {
            "den": staff.column("den"),
            "extension": staff.column("extension"),
            "day": _local_days(staff.select(["den", "t"]), zones),
            "t": staff.column("t"),
        }
    )
    grouped = table.group_by(["den", "extension", "day"]).aggregate(
        [("t", "count"), ("t", "min"), ("t", "max")]
    )
    frame = grouped.to_pandas()
    return frame.rename(columns={"t_count": "calls", "t_min": "first_t", "t_max": "last_t"})


def _owners(per_day: pd.DataFrame, persons: pd.DataFrame, stays: pd.DataFrame) -> pd.DataFrame:
    """(den, extension, day) -> person_id, where exactly one roster member fits.

    A member who moved lists an extension per den without saying which is which; the one they
    used at a den shows on the days only they can have used it, and rules out the others.
    """
    listed = persons[["person_id", "extensions"]].explode("extensions").dropna()
    listed = listed.rename(columns={"extensions": "extension"})
    slots = per_day[["den", "extension", "day"]].drop_duplicates()
    candidates = slots.merge(listed, on="extension").merge(
        stays[["person_id", "den", "start_day", "end_day"]], on=["person_id", "den"]
    )
    inside = (candidates["day"] >= candidates["start_day"]) & (
        candidates["day"] <= candidates["end_day"]
    )
    fitting = candidates[inside].drop_duplicates(["den", "extension", "day", "person_id"])
    fitting = fitting[["den", "extension", "day", "person_id"]]
    while True:
        counts = fitting.groupby(["den", "extension", "day"])["person_id"].transform("size")
        sure = fitting.loc[counts == 1, ["person_id", "den", "extension"]].drop_duplicates()
        # one member, one extension per den: an extension proven theirs there rules out the
        # other extensions the roster lists for them at that den
        held = fitting.merge(sure, on=["person_id", "den"], suffixes=("", "_held"))
        ruled_out = held.loc[held["extension"] != held["extension_held"], fitting.columns]
        if ruled_out.empty:
            break
        keys = ["den", "extension", "day", "person_id"]
        fitting = fitting.merge(ruled_out, on=keys, how="left", indicator=True)
        fitting = fitting.loc[fitting["_merge"] == "left_only", keys]
    counts = fitting.groupby(["den", "extension", "day"])["person_id"].transform("size")
    return fitting.loc[counts == 1]


def handles(persons: pd.DataFrame) -> pd.DataFrame:
    """(person_id, sender) for every handle the roster lists; a shared handle names nobody."""
    handles = pd.concat(
        [persons[["person_id", column]].explode(column).rename(columns={column: "sender"})
         for column in ("skype", "wechat", "qq")],
        ignore_index=True,
    ).dropna()  # fmt: skip
    return handles.drop_duplicates("sender", keep=False)


def _messages_sent(messages: pd.DataFrame, persons: pd.DataFrame) -> pd.DataFrame:
    """(person_id, den, t) of every seized message sent from a member's handle."""
    owners = handles(persons)
    seized = messages[messages["origin"] == "seized"][["sender", "den", "sent_at"]]
    mine = seized.merge(owners, on="sender")
    return mine.assign(t=epoch_seconds_of(mine["sent_at"]))[["person_id", "den", "t"]]


def _messages(messages: pd.DataFrame, persons: pd.DataFrame) -> pd.DataFrame:
    """Seized messages per member and den, by the handles the roster lists."""
    mine = _messages_sent(messages, persons)
    columns = ["person_id", "den", "messages", "first_t", "last_t"]
    if mine.empty:
        return pd.DataFrame(columns=columns)
    grouped = mine.groupby(["person_id", "den"], as_index=False).agg(
        messages=("t", "size"), first_t=("t", "min"), last_t=("t", "max")
    )
    return grouped[columns]


def _name(written: str) -> str:
    """A ledger's name as the roster's are kept (simplified; a Taiwanese operator types
    traditional characters)."""
    try:
        return normalize_name(written)
    except InvalidValue:
        return written


def _ledger_lines(
    transactions: pd.DataFrame, persons: pd.DataFrame, stays: pd.DataFrame
) -> pd.DataFrame:
    """Ledger credits (``一线:name``) of a member at that den on the ledger row's day.

    A name is evidence only where it is unique on the whole roster: two suspects of one name
    are never told apart by it.
    """
    columns = ["person_id", "den", "position", "evidence", "t", "source_file", "source_row"]
    ledger = transactions[transactions["operators"].notna() & transactions["den"].notna()]
    rows = []
    for record in ledger.itertuples(index=False):
        for part in str(record.operators).split(";"):
            line, _, name = part.partition(":")
            if line in LINE_NAMES and name:
                rows.append(
                    {
                        "den": record.den,
                        "name": _name(name),
                        "position": LINE_NAMES[line],
                        "t": int(pd.Timestamp(record.occurred_at).timestamp()),
                        "source_file": record.source_file,
                        "source_row": record.source_row,
                    }
                )
    if not rows:
        return pd.DataFrame(columns=columns)
    credits = pd.DataFrame(rows)
    unique = persons[["person_id", "name"]].drop_duplicates("name", keep=False)
    credited = credits.merge(unique, on="name").merge(
        stays[["person_id", "den", "start_at", "end_at"]], on=["person_id", "den"]
    )
    # the stay's ends are crossings; a day's slack covers a ledger's minute clock and dates
    inside = (credited["t"] >= credited["start_at"] - 86_400) & (
        credited["t"] <= credited["end_at"] + 86_400
    )
    credited = credited[inside].drop_duplicates(["person_id", "source_file", "source_row",
                                                 "position"])  # fmt: skip
    return credited.assign(evidence="den ledger credits the line")[columns]
