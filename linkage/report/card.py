"""One victim's evidence on one card: what a prosecutor reads before vouching for a verdict.

Today the evidence for a victim is spread over ``victims``, ``links``, ``transfers``,
``defendant_victims`` and the requests; a card gathers it from a run's output folder:

- who the victim is (ID number, phone, the identifiers the evidence matched), the verdict and
  the loss;
- every piece of evidence in time order, each with the rows of both sides (the record, the
  victim's own row, the group's row) and its time in the case's zone, beside the nearest
  piece of another kind and the gap between the two: what "agree in time" rests on;
- the payments and refunds that make the loss;
- the defendants whose totals count this victim, and why;
- what is missing, and the request that would close it.

``evidence_card(out, victim)`` returns it; ``linkage card OUT VICTIM`` prints it; the HTML
report shows one per victim.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import numpy as np
import pandas as pd

from linkage.errors import OutputError
from linkage.normalize.amount import format_fen

__all__ = ["CardTables", "EvidenceCard", "evidence_card", "find_victim"]

KIND_ORDER = {"call": 0, "chat": 1, "transfer": 2, "refund": 3}
TRANSFER_COLUMNS = ("time", "flow", "amount_fen", "times", "deducted", "victim_account",
                    "group_account", "record")  # fmt: skip


@dataclass(frozen=True)
class CardTables:
    """The output tables every card reads, read once for a report of many cards."""

    victims: pd.DataFrame
    links: pd.DataFrame
    transfers: pd.DataFrame
    defendant_victims: pd.DataFrame
    defendants: pd.DataFrame
    requests: pd.DataFrame
    request_victims: pd.DataFrame
    zone: ZoneInfo
    refunds_until: pd.Timestamp | None = None
    """Refunds paid from this time on are not deducted from losses (the seizure, when the
    run deducted only refunds before it)."""

    def of(self, table: str, victim: str) -> pd.DataFrame:
        """The rows of ``table`` (links, transfers, ...) that belong to ``victim``, in the
        table's order. The table is put in victim order once, on first use, so each card
        takes a slice: a report draws hundreds of cards, and picking rows out of the
        million-row ``defendant_victims`` for each took seconds."""
        frame: pd.DataFrame = getattr(self, table)
        if frame.empty:
            return frame
        if table not in self._by_victim:
            order = np.argsort(frame["victim_id"].astype(str).to_numpy(), kind="stable")
            ordered = frame.iloc[order].reset_index(drop=True)
            keys = ordered["victim_id"].astype(str).to_numpy()
            self._by_victim[table] = (ordered, keys)
        ordered, keys = self._by_victim[table]
        first, last = np.searchsorted(keys, victim, "left"), np.searchsorted(keys, victim, "right")
        return ordered.iloc[first:last]

    @functools.cached_property
    def _by_victim(self) -> dict[str, tuple[pd.DataFrame, np.ndarray]]:
        """Each table read so far, in victim order, with its victims' ids."""
        return {}

    @classmethod
    def read(cls, out: Path) -> CardTables:
        """The tables ``linkage run`` wrote to ``out``.

        Raises
        ------
        OutputError
            If ``out`` holds no run's victims and links.
        """
        names = (
            "victims",
            "links",
            "transfers",
            "defendant_victims",
            "defendants",
            "requests",
            "request_victims",
        )
        missing = [n for n in names[:2] if not (out / f"{n}.parquet").exists()]
        if missing:
            raise OutputError(f"{out} holds no {' or '.join(missing)} of a linkage run")
        frames = {n: _read(out, n) for n in names}
        manifest = _manifest(out)
        case = manifest.get("case", {})
        zone = ZoneInfo(str(case.get("timezone") or "Asia/Shanghai"))
        match = manifest.get("parameters", {}).get("match", {})
        seized = case.get("seized_at")
        until = pd.Timestamp(seized) if seized and match.get("refunds_before_seizure") else None
        return cls(**frames, zone=zone, refunds_until=until)


def _read(out: Path, name: str) -> pd.DataFrame:
    path = out / f"{name}.parquet"
    return pd.read_parquet(path) if path.exists() else pd.DataFrame()


def _manifest(out: Path) -> dict[str, Any]:
    """The run's manifest.json, or nothing when it is not there."""
    path = out / "manifest.json"
    if not path.exists():
        return {}
    found: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return found


@dataclass(frozen=True)
class EvidenceCard:
    """One victim's evidence, gathered from a run's outputs."""

    victim: dict[str, Any]
    """The victim's row of victims.csv."""
    evidence: pd.DataFrame
    """Every link in time order: ``time`` (the case's zone), ``kind``, ``via``, ``matched``,
    ``group_id``, ``den``, ``corroborates``, ``amount_fen``, the record's, the victim's and
    the group's rows (``record``, ``victim_row``, ``group_row``: file#row), and the nearest
    piece of another kind with the time between them (``nearest_other``, ``apart``)."""
    transfers: pd.DataFrame
    """The payments and refunds, in time order; ``deducted`` says whether a refund counts
    against the loss (one paid after the seizure does not, by default)."""
    defendants: pd.DataFrame
    """The defendants whose totals count the victim: name, role, amount counted, why."""
    missing: pd.DataFrame
    """Each gap with the request that would close it."""
    zone: ZoneInfo

    @property
    def victim_id(self) -> str:
        return str(self.victim["victim_id"])

    def __repr__(self) -> str:
        v = self.victim
        return (
            f"<EvidenceCard {v['name']} ({v['victim_id']}): {v['verdict']}, "
            f"loss {format_fen(int(v['loss_fen']), grouping=True)}, "
            f"{len(self.evidence)} pieces of evidence, {len(self.missing)} gaps>"
        )

    def text(self) -> str:
        """The card as plain text, as ``linkage card`` prints it."""
        v = self.victim
        kinds = _shown(v.get("evidence_kinds")) or "no evidence"
        lines = [
            f"{v['name']}  {v['victim_id']}",
            f"phone {_shown(v.get('phone'))}; verdict {v['verdict']} ({kinds}); "
            f"group {_shown(v.get('group_id'))}",
            f"loss {format_fen(int(v['loss_fen']), grouping=True)} yuan = paid "
            f"{format_fen(int(v['gross_fen']), grouping=True)} - refunded "
            f"{format_fen(int(v['refund_fen']), grouping=True)}; "
            f"{'reported' if v['reported'] else 'found by collision, not reported'}; "
            f"victims.csv takes it from {v['source_file']}#{v['source_row']}",
        ]
        sections = (
            (f"Evidence, in time order (times in {self.zone.key}):", self.evidence,
             _evidence_lines, "none"),
            ("Payments and refunds:", self.transfers, _transfer_lines, "none"),
            ("Defendants whose totals count this victim:", self.defendants, _defendant_lines,
             "none"),
            ("Missing, and the request that would close it:", self.missing, _missing_lines,
             "nothing"),
        )  # fmt: skip
        for title, frame, lines_of, nothing in sections:
            lines += ["", title]
            rows = list(frame.itertuples(index=False))
            lines += [line for row in rows for line in lines_of(row)] or [f"  {nothing}"]
        return "\n".join(lines) + "\n"


def _evidence_lines(row: Any) -> list[str]:
    """One piece of evidence: what, both sides' rows, the nearest piece of another kind."""
    agrees = "agrees" if row.corroborates else "alone"
    amount = f" {format_fen(int(row.amount_fen), grouping=True)}" \
        if pd.notna(row.amount_fen) else ""  # fmt: skip
    lines = [
        f"  {row.time}  {row.kind}{amount}: {row.via} ({row.matched}); "
        f"{_where(row.group_id, row.den)}{agrees}",
        f"      record {row.record}; victim side {row.victim_row}; group side {row.group_row}",
    ]
    if row.nearest_other:
        gap = row.apart if row.apart.startswith("within") else f"{row.apart} apart"
        lines.append(f"      nearest other kind: {row.nearest_other}, {gap}")
    return lines


def _transfer_lines(row: Any) -> list[str]:
    """One payment or refund, the way the money moved, and whether a refund is deducted."""
    times = f" x {row.times}" if row.times != 1 else ""
    kept = " (paid back after the seizure: not deducted)" if row.flow == "refund" \
        and not row.deducted else ""  # fmt: skip
    moved = f"{row.victim_account} -> {row.group_account}" if row.flow == "payment" \
        else f"{row.group_account} -> {row.victim_account}"  # fmt: skip
    fen = format_fen(int(row.amount_fen), grouping=True)
    return [f"  {row.time}  {row.flow} {fen}{times}{kept}  {moved}  ({row.record})"]


def _defendant_lines(row: Any) -> list[str]:
    fen = format_fen(int(row.net_fen), grouping=True)
    return [f"  {row.name} ({row.person_id}, {row.role}): {fen}; {row.basis}"]


def _missing_lines(row: Any) -> list[str]:
    if not row.request_id:
        return [f"  {row.gap}", f"      {row.change}"]
    return [
        f"  {row.gap}",
        f"      {row.request_id} to {row.to} ({row.addressee}): {row.ask}; {row.change}",
    ]


def find_victim(victims: pd.DataFrame, wanted: str) -> dict[str, Any]:
    """The victims.csv row of ``wanted``: a victim_id, a phone (E.164 or as dialled in
    China) or a name that only one victim has.

    Raises
    ------
    OutputError
        If no victim, or more than one, answers to ``wanted``.
    """
    wanted = wanted.strip()
    digits = "".join(c for c in wanted if c.isdigit())
    phones = {wanted, f"+86{digits}", f"+{digits}"} if digits else {wanted}
    for matches in (
        victims[victims["victim_id"] == wanted],
        victims[victims["phone"].isin(phones)],
        victims[victims["name"] == wanted],
    ):
        if len(matches) == 1:
            return dict(matches.iloc[0])
        if len(matches) > 1:
            shown = ", ".join(matches["victim_id"].astype(str).head(5))
            raise OutputError(
                f"{len(matches)} victims answer to {wanted!r} ({shown}); name one by its victim_id"
            )
    raise OutputError(
        f"no victim answers to {wanted!r} in victims.csv (a victim_id, a phone or a name)"
    )


def evidence_card(out: str | Path, victim: str, tables: CardTables | None = None) -> EvidenceCard:
    """The evidence card of ``victim`` (victim_id, phone or unique name) from the outputs
    ``linkage run`` wrote to ``out``; ``tables`` saves reading them again for many cards."""
    tables = tables or CardTables.read(Path(out))
    row = find_victim(tables.victims, victim)
    key = str(row["victim_id"])
    return EvidenceCard(
        victim=row,
        evidence=_evidence(tables.of("links", key), tables.zone),
        transfers=_transfers(tables.of("transfers", key), tables.zone, tables.refunds_until),
        defendants=_defendants(tables, key),
        missing=_missing(tables, key, str(row.get("missing") or "")),
        zone=tables.zone,
    )


EVIDENCE_COLUMNS = (
    "time", "kind", "via", "matched", "group_id", "den", "corroborates", "amount_fen",
    "record", "victim_row", "group_row", "nearest_other", "apart", "at",
)  # fmt: skip
EVIDENCE_KINDS = ("call", "chat", "transfer")
"""The kinds that agree in time with each other; a refund is deducted, never evidence."""
NEAREST_CHUNK = 1024
"""Links measured against all others at once: a victim with 20,000 links takes 20 chunks of
at most 160 MB of distances, not one of 3 GB."""


def _evidence(links: pd.DataFrame, zone: ZoneInfo) -> pd.DataFrame:
    """The links in time order with both sides' rows and the nearest piece of another kind
    of the same group.

    A record that gives only its day (or minute) is a whole day (minute) long: it is shown so
    (``2015-10-01``, ``2015-10-01 16:37``), placed at its interval's end, and its distance to
    another piece is measured from the nearer end of the interval, as the rules measure
    agreement in time; inside the interval it is "within the same day".
    """
    if links.empty:
        return pd.DataFrame(columns=list(EVIDENCE_COLUMNS))
    span = pd.to_numeric(links["time_resolution_s"], errors="coerce").fillna(0).astype("int64")
    start = pd.to_datetime(links["at"], utc=True)
    end = start + pd.to_timedelta(span, unit="s")
    rows = links.assign(
        _end=end, _span=span, _order=links["kind"].map(KIND_ORDER)
    ).sort_values(["_end", "_order", "evidence_source_file", "evidence_source_row"],
                  kind="stable")  # fmt: skip
    at = pd.to_datetime(rows["at"], utc=True)
    out = pd.DataFrame(
        {
            "time": [_when(t, int(w), zone) for t, w in zip(at, rows["_span"], strict=True)],
            "kind": rows["kind"].to_numpy(),
            "via": rows["via"].to_numpy(),
            "matched": rows["matched"].to_numpy(),
            "group_id": rows["group_id"].to_numpy(),
            "den": rows["den"].to_numpy(),
            "corroborates": rows["corroborates"].astype(bool).to_numpy(),
            "amount_fen": rows["amount_fen"].to_numpy(),
            "record": _rows(rows, "evidence"),
            "victim_row": _rows(rows, "victim"),
            "group_row": _rows(rows, "group"),
            "at": at.to_numpy(),
        }
    )
    nearest, apart = _nearest_other(out, rows["_span"].to_numpy())
    return out.assign(nearest_other=nearest, apart=apart)[list(EVIDENCE_COLUMNS)]


def _nearest_other(out: pd.DataFrame, spans: np.ndarray) -> tuple[list[str], list[str]]:
    """For each call, chat and transfer, the nearest one of another of those kinds in the
    same group (a tie goes to the earlier), and the time between them."""
    elapsed = pd.to_datetime(out["at"], utc=True) - pd.Timestamp(0, tz="UTC")
    starts = (elapsed // pd.Timedelta(seconds=1)).to_numpy(dtype=np.int64)
    ends = starts + spans
    kinds = out["kind"].to_numpy()
    groups = out["group_id"].astype(str).to_numpy()
    measured = np.isin(kinds, EVIDENCE_KINDS)
    nearest = [""] * len(out)
    apart = [""] * len(out)
    for first in range(0, len(out), NEAREST_CHUNK):
        rows = np.arange(first, min(first + NEAREST_CHUNK, len(out)))
        gap = np.maximum(0, np.maximum(starts[None, :] - ends[rows, None],
                                       starts[rows, None] - ends[None, :]))  # fmt: skip
        other = (kinds[None, :] != kinds[rows, None]) & (groups[None, :] == groups[rows, None])
        other &= measured[None, :] & measured[rows, None]
        gap = np.where(other, gap, np.iinfo(np.int64).max)
        for row, column in zip(rows, gap.argmin(axis=1), strict=True):
            if not other[row - first, column]:
                continue
            seconds = int(gap[row - first, column])
            nearest[row] = f"{kinds[column]} at {out['time'].iloc[column]}"
            within = max(spans[row], spans[column])
            apart[row] = _duration(seconds) if seconds or not within else _same(within)
    return nearest, apart


def _when(moment: pd.Timestamp, span: int, zone: ZoneInfo) -> str:
    """A record's time as precisely as it was written: the day, the minute or the second."""
    local = moment.tz_convert(zone)
    if span >= 86_400:
        return f"{local:%Y-%m-%d} (day only)"
    if span >= 60:
        return f"{local:%Y-%m-%d %H:%M}"
    return f"{local:%Y-%m-%d %H:%M:%S}"


def _same(span: int) -> str:
    """The gap between two pieces one of which spans the other's time."""
    return "within the same day" if span >= 86_400 else "within the same minute"


def _transfers(
    transfers: pd.DataFrame, zone: ZoneInfo, refunds_until: pd.Timestamp | None
) -> pd.DataFrame:
    """One victim's payments and refunds in time order, each refund marked deducted or not."""
    if transfers.empty:
        return pd.DataFrame(columns=[*TRANSFER_COLUMNS])
    mine = transfers.sort_values("at", kind="stable")
    at = pd.to_datetime(mine["at"], utc=True)
    late = (at >= refunds_until) if refunds_until is not None else pd.Series(False, index=at.index)
    return pd.DataFrame(
        {
            "time": [_local(t, zone) for t in at],
            "flow": mine["flow"].to_numpy(),
            "amount_fen": mine["amount_fen"].to_numpy(),
            "times": mine["times"].to_numpy(),
            "deducted": ((mine["flow"] == "refund") & ~late).to_numpy(),
            "victim_account": mine["victim_account"].to_numpy(),
            "group_account": mine["group_account"].to_numpy(),
            "record": _rows(mine, "evidence"),
        }
    )


def _defendants(tables: CardTables, victim: str) -> pd.DataFrame:
    """The defendants counting the victim, the largest amounts first, with the basis."""
    counted = tables.defendant_victims
    if counted.empty:
        return pd.DataFrame(columns=["name", "person_id", "role", "net_fen", "basis"])
    mine = tables.of("defendant_victims", victim)
    people = tables.defendants[["person_id", "name", "role"]]
    joined = mine.merge(people, on="person_id", how="left")
    return joined.sort_values(["net_fen", "person_id"], ascending=[False, True], kind="stable")[
        ["name", "person_id", "role", "net_fen", "basis"]
    ].reset_index(drop=True)


def _missing(tables: CardTables, victim: str, said: str) -> pd.DataFrame:
    """The victim's gaps, each beside the request that would close it. A folder written before
    requests were planned has none: its card shows victims.csv's ``missing`` (``said``) as
    written, with no request beside it."""
    columns = ["gap", "request_id", "to", "addressee", "ask", "change"]
    if tables.request_victims.empty:
        unplanned = [{"gap": said, "request_id": "", "to": "", "addressee": "", "ask": "",
                      "change": "no request: this folder was written before requests"}]  # fmt: skip
        return pd.DataFrame(unplanned if said else [], columns=columns)
    mine = tables.of("request_victims", victim)
    asked = tables.requests[["request_id", "to", "addressee", "ask"]]
    return (
        mine.merge(asked, on="request_id", how="left")
        .sort_values(["request_id", "gap"], kind="stable")[columns]
        .reset_index(drop=True)
    )


def _rows(frame: pd.DataFrame, side: str) -> list[str]:
    """``file#row`` (``file[sheet]#row`` for workbooks and databases) of one side."""
    files = frame[f"{side}_source_file"].tolist()
    rows = frame[f"{side}_source_row"].tolist()
    sheets = (
        frame[f"{side}_source_sheet"].tolist()
        if f"{side}_source_sheet" in frame
        else [None] * len(files)
    )
    shown = []
    for file, row, sheet in zip(files, rows, sheets, strict=True):
        if file is None or (isinstance(file, float) and pd.isna(file)):
            shown.append("")
            continue
        where = f"{file}[{sheet}]" if isinstance(sheet, str) and sheet else str(file)
        shown.append(f"{where}#{int(row)}" if pd.notna(row) else where)
    return shown


def _local(moment: pd.Timestamp, zone: ZoneInfo) -> str:
    """A time in the case's zone, to the second."""
    return str(moment.tz_convert(zone).strftime("%Y-%m-%d %H:%M:%S"))


def _duration(seconds: float) -> str:
    """A gap in words a reader takes in at once.

    >>> _duration(42), _duration(3725), _duration(200_000)
    ('42 s', '1 h 2 min', '2 d 7 h')
    """
    whole = round(seconds)
    if whole < 60:
        return f"{whole} s"
    if whole < 3600:
        return f"{whole // 60} min {whole % 60} s"
    if whole < 86_400:
        return f"{whole // 3600} h {whole % 3600 // 60} min"
    delta = dt.timedelta(seconds=whole)
    return f"{delta.days} d {delta.seconds // 3600} h"


def _where(group: object, den: object) -> str:
    """``group G1 den-k; `` for a piece the group is known for, else nothing."""
    named = " ".join(part for part in (_shown(group), _shown(den)) if part)
    return f"group {named}; " if named else ""


def _shown(value: object) -> str:
    if value is None or (isinstance(value, float) and pd.isna(value)) or value is pd.NA:
        return ""
    return str(value)
