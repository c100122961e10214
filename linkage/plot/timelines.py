"""Time on the x axis: one victim's evidence, and the dens' calling activity.

Times are drawn in one zone (the case's, e.g. Beijing) whatever clock each record was written
in, so a den's Nairobi-time dial list and a bank's Beijing-time statement line up as they
happened.
"""

from __future__ import annotations

from typing import Any
from zoneinfo import ZoneInfo

import matplotlib.dates as mdates
import matplotlib.pyplot as plt
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
from matplotlib.axes import Axes

from linkage.load.case import Case
from linkage.match.corroborate import Findings
from linkage.normalize.time import local_dates
from linkage.plot.style import use_cjk_font

__all__ = ["den_activity", "evidence_timeline", "seized_per_day", "victim_timeline"]

KIND_ROWS = {"call": 3, "chat": 2, "transfer": 1, "refund": 0}
KIND_COLOURS = {"call": "#2166ac", "chat": "#7b3294", "transfer": "#b2182b", "refund": "#1b7837"}


def evidence_timeline(findings: Findings, victim_id: str, ax: Axes | None = None) -> Axes:
    """Every link of one victim on one time axis: calls, chats, transfers and refunds.

    Filled marks agree in time with another kind of evidence, hollow ones do not; a record
    that gives only the date (or the minute) is drawn across that whole day (or minute).
    """
    zone = ZoneInfo(findings.case.config.timezone)
    links = findings.links[findings.links["victim_id"] == victim_id]
    victim = findings.victims[findings.victims["victim_id"] == victim_id]
    person = dict(victim.iloc[0]) if len(victim) else None
    return victim_timeline(links, person, zone, ax=ax)


def victim_timeline(
    links: pd.DataFrame, victim: dict[str, Any] | None, zone: ZoneInfo, ax: Axes | None = None
) -> Axes:
    """``evidence_timeline`` from the tables themselves: the victim's rows of ``links`` and
    their row of victims.csv (``linkage card --figure`` reads them from a run's outputs)."""
    use_cjk_font()
    if ax is None:
        _, ax = plt.subplots(figsize=(11, 3.6))
    if links.empty or victim is None:
        shown = victim["victim_id"] if victim is not None else "the victim"
        ax.text(0.5, 0.5, f"no evidence links {shown}", ha="center", transform=ax.transAxes)
        ax.set_axis_off()
        return ax
    at = pd.to_datetime(links["at"], utc=True).dt.tz_convert(zone).dt.tz_localize(None)
    for kind, row in KIND_ROWS.items():
        mine = links["kind"] == kind
        if not mine.any():
            continue
        corroborating = mine & links["corroborates"].astype(bool)
        if corroborating.any():
            ax.scatter(at[corroborating], [row] * int(corroborating.sum()), s=46, marker="o",
                       color=KIND_COLOURS[kind], label=f"{kind} (agrees in time)",
                       zorder=3)  # fmt: skip
        alone = mine & ~links["corroborates"].astype(bool)
        if alone.any():
            ax.scatter(at[alone], [row] * int(alone.sum()), s=46, marker="o",
                       facecolors="none", edgecolors=KIND_COLOURS[kind],
                       label=f"{kind} (alone)", zorder=3)  # fmt: skip
    for link, when in zip(links.itertuples(index=False), at, strict=True):
        span = link.time_resolution_s
        if pd.notna(span) and int(span) > 0:  # a record giving only the date or the minute
            ax.hlines(
                KIND_ROWS[link.kind],
                when,
                when + pd.Timedelta(seconds=int(span)),
                color=KIND_COLOURS[link.kind],
                alpha=0.35,
                linewidth=5,
                zorder=2,
            )
        if link.kind in ("transfer", "refund") and pd.notna(link.amount_fen):
            ax.annotate(
                f"{int(link.amount_fen) / 100:,.2f}",
                (when, KIND_ROWS[link.kind]),
                textcoords="offset points",
                xytext=(0, 7),
                ha="center",
                fontsize=7,
            )
    person = victim
    victim_id = victim["victim_id"]
    ax.set_yticks(list(KIND_ROWS.values()), list(KIND_ROWS))
    ax.set_ylim(-0.7, 3.7)
    ax.xaxis.set_major_formatter(mdates.DateFormatter("%m-%d %H:%M"))  # type: ignore[no-untyped-call]
    ax.figure.autofmt_xdate()
    ax.set_xlabel(f"time in {zone.key}")
    ax.set_title(
        f"{person['name']} ({victim_id}): {person['verdict']}, {person['evidence_kinds']}, "
        f"loss {int(person['loss_fen']) / 100:,.2f} yuan",
        fontsize=10,
    )
    ax.grid(axis="x", alpha=0.3)
    ax.legend(fontsize=7, loc="upper left", ncols=2, frameon=False)
    return ax


def den_activity(
    case: Case, ax: Axes | None = None, freq: str = "D", counts: pd.Series | None = None
) -> Axes:
    """Calls the dens placed per day (``freq``), one line per den, in the case's zone
    (``counts``: ``seized_per_day`` of the calls, when already counted)."""
    use_cjk_font()
    if ax is None:
        _, ax = plt.subplots(figsize=(11, 3.6))
    zone = ZoneInfo(case.config.timezone)
    counts = _calls_per_day(case, zone) if counts is None else counts
    if counts.empty:
        ax.text(0.5, 0.5, "no seized calls", ha="center", transform=ax.transAxes)
        ax.set_axis_off()
        return ax
    if freq != "D":
        counts = counts.groupby([pd.Grouper(level="den"), pd.Grouper(level="day", freq=freq)]).sum()
    for den in sorted(counts.index.get_level_values(0).unique()):
        series = counts.loc[den]
        ax.step(series.index, series.to_numpy(), where="post", label=den, linewidth=1.2)
    ax.set_ylabel("calls per day" if freq == "D" else f"calls per {freq}")
    ax.set_xlabel(f"date in {zone.key}")
    ax.xaxis.set_major_formatter(mdates.DateFormatter("%Y-%m"))  # type: ignore[no-untyped-call]
    ax.set_title("Den activity: calls placed (auto-dialer and hand-dialled)", fontsize=10)
    ax.legend(fontsize=8, frameon=False)
    ax.grid(alpha=0.3)
    return ax


def _calls_per_day(case: Case, zone: ZoneInfo) -> pd.Series:
    """Seized calls per den and local day, counted in Arrow (a den's list has millions)."""
    return seized_per_day(case.calls, "started_at", zone)


def seized_per_day(rows: pd.DataFrame, time_column: str, zone: ZoneInfo) -> pd.Series:
    """Seized rows (calls, messages) per den and local day, counted in Arrow."""
    table = pa.Table.from_pandas(rows[["den", time_column, "origin"]], preserve_index=False)
    seized = table.filter(
        pc.and_(pc.equal(table.column("origin"), "seized"), pc.is_valid(table.column("den")))
    )
    seized = seized.filter(pc.is_valid(seized.column(time_column)))
    if seized.num_rows == 0:
        return pd.Series(dtype="int64")
    local = pc.cast(local_dates(seized.column(time_column), zone.key), pa.timestamp("s"))
    grouped = pa.table({"den": seized.column("den"), "day": local}).group_by(["den", "day"])
    frame = grouped.aggregate([("day", "count")]).to_pandas()
    frame["day"] = pd.to_datetime(frame["day"])
    return frame.set_index(["den", "day"])["day_count"].sort_index()
