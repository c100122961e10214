"""The group on one calendar: who was at which den when, when each den was working, when it
was seized, and when its victims were first contacted.

One band per group. At its top, a row per den with a mark for every day it placed calls or
sent messages; then one row per member, a bar for each stay coloured by its den (the stays
that set the participation periods, with the border records behind them in ``stays``); at
its foot, a tick for each victim's first contact. The seizure is a red line across all.
A reader sees at once whether a member's period covers the victims their amount counts.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo

import matplotlib.dates as mdates
import matplotlib.pyplot as plt
import pandas as pd
from matplotlib.artist import Artist
from matplotlib.axes import Axes
from matplotlib.lines import Line2D
from matplotlib.patches import Patch

from linkage.graph import Attribution
from linkage.match.corroborate import Findings
from linkage.plot.style import use_cjk_font
from linkage.plot.timelines import seized_per_day

__all__ = ["MAX_MEMBERS", "Calendar", "group_timeline", "group_timeline_size"]

MAX_MEMBERS = 400
"""Members drawn at most (the earliest stays first); the title counts the rest."""
ROW_INCHES = 0.24
COLOURS = (
    "#4477aa",
    "#ee6677",
    "#228833",
    "#ccbb44",
    "#66ccee",
    "#aa3377",
    "#bbbbbb",
    "#994455",
    "#117733",
    "#332288",
)


@dataclass(frozen=True)
class _Row:
    """One row of the chart: a den's active days, a member's stays, or first contacts."""

    kind: str
    label: str
    group: str
    spans: tuple[tuple[dt.date, dt.date, str], ...] = ()
    days: tuple[dt.date, ...] = ()


@dataclass(frozen=True)
class Calendar:
    """The chart's rows, top to bottom, and how many members were left out: worked out once
    (the dens' active days count every seized call) for both the size and the drawing."""

    rows: tuple[_Row, ...]
    left_out: int

    @classmethod
    def of(
        cls, findings: Findings, attribution: Attribution, calls_per_day: pd.Series | None = None
    ) -> Calendar:
        """The calendar of a run (``calls_per_day``: ``seized_per_day`` of the calls, when
        already counted for the dens' activity)."""
        rows, left_out = _rows(findings, attribution, calls_per_day)
        return cls(tuple(rows), left_out)

    def size(self) -> tuple[float, float]:
        """A figure size that gives every row a line of its own."""
        return 13.0, max(3.0, 1.4 + ROW_INCHES * len(self.rows))


def _rows(
    findings: Findings, attribution: Attribution, calls_per_day: pd.Series | None = None
) -> tuple[list[_Row], int]:
    """The chart's rows, top to bottom, and how many members were left out."""
    zone = ZoneInfo(findings.case.config.timezone)
    stays = attribution.stays
    people = attribution.defendants.set_index("person_id")
    active = _active_days(findings, zone, calls_per_day)
    contacts = _first_contacts(findings.victims)
    den_group = {den: group for den, (group, _) in active.items()}
    groups = sorted(set(stays["group_id"].dropna()) | set(contacts) | set(den_group.values()))
    rows: list[_Row] = []
    members = 0
    left_out = 0
    for group in groups:
        rows.append(_Row("group", f"group {group}", group))
        dens = sorted(den for den, of in den_group.items() if of == group)
        for den in dens:
            rows.append(_Row("den", f"{den} active", group, days=tuple(active[den][1])))
        mine = stays[stays["group_id"] == group]
        starts = mine.groupby("person_id")["start_day"].min().sort_values(kind="stable")
        staying = list(starts.index)
        members_of_group = people.index[people["group_id"] == group]
        for person in staying + sorted(set(members_of_group) - set(staying)):
            if members >= MAX_MEMBERS:
                left_out += 1
                continue
            members += 1
            spans = tuple(
                (_day(s.start_day), _day(s.end_day), str(s.den))
                for s in mine[mine["person_id"] == person].itertuples(index=False)
            )
            name = str(people.at[person, "name"]) if person in people.index else str(person)
            role = str(people.at[person, "role"]) if person in people.index else "unknown"
            label = f"{name} · {role}" + ("" if spans else " (no stay)")
            rows.append(_Row("member", label, group, spans=spans))
        if contacts.get(group):
            rows.append(
                _Row("contacts", "victims' first contact", group, days=tuple(contacts[group]))
            )
    return rows, left_out


def _active_days(
    findings: Findings, zone: ZoneInfo, calls_per_day: pd.Series | None
) -> dict[str, tuple[str, list[dt.date]]]:
    """Each grouped den's group and the local days it placed calls or sent messages."""
    case = findings.case
    calls = seized_per_day(case.calls, "started_at", zone) if calls_per_day is None \
        else calls_per_day  # fmt: skip
    counts = pd.concat([calls, seized_per_day(case.messages, "sent_at", zone)])
    dens = findings.group_identifiers.dropna(subset=["den", "group_id"])
    group_of = dict(zip(dens["den"], dens["group_id"], strict=True))
    days: dict[str, tuple[str, list[dt.date]]] = {}
    for (den, day), _ in counts.items():
        if den in group_of:
            days.setdefault(str(den), (str(group_of[den]), []))[1].append(day.date())
    return {den: (group, sorted(set(found))) for den, (group, found) in days.items()}


def _first_contacts(victims: pd.DataFrame) -> dict[str, list[dt.date]]:
    """Each group's victims' first contacts, as the local days victims.csv gives."""
    linked = victims.dropna(subset=["group_id", "first_contact_at"])
    found: dict[str, list[dt.date]] = {}
    for group, at in zip(linked["group_id"], linked["first_contact_at"], strict=True):
        found.setdefault(str(group), []).append(dt.date.fromisoformat(str(at)[:10]))
    return {group: sorted(days) for group, days in found.items()}


def _num(moment: dt.date | dt.datetime) -> float:
    """A day or time as matplotlib's date number."""
    return float(mdates.date2num(moment))  # type: ignore[no-untyped-call]


def _day(value: object) -> dt.date:
    return dt.date.fromisoformat(str(value)[:10])


def group_timeline_size(findings: Findings, attribution: Attribution) -> tuple[float, float]:
    """A figure size that gives every row a line of its own."""
    return Calendar.of(findings, attribution).size()


def group_timeline(
    findings: Findings,
    attribution: Attribution,
    ax: Axes | None = None,
    calendar: Calendar | None = None,
) -> Axes:
    """Every group's dens, members' stays, first contacts and the seizure on one calendar
    (``calendar``: the rows, when already worked out for the figure's size)."""
    use_cjk_font()
    calendar = calendar or Calendar.of(findings, attribution)
    if ax is None:
        _, ax = plt.subplots(figsize=calendar.size())
    rows, left_out = list(calendar.rows), calendar.left_out
    if not rows:
        ax.text(0.5, 0.5, "no stays, dens or victims to draw", ha="center", transform=ax.transAxes)
        ax.set_axis_off()
        return ax
    dens = sorted(
        {den for row in rows for *_, den in row.spans}
        | {row.label.removesuffix(" active") for row in rows if row.kind == "den"}
    )
    colour = {den: COLOURS[i % len(COLOURS)] for i, den in enumerate(dens)}
    one_day = dt.timedelta(days=1)
    for y, row in enumerate(rows):
        if row.kind == "group":
            ax.axhspan(y - 0.5, y + 0.5, color="#eeeeee", zorder=0)
        elif row.kind == "den":
            den = row.label.removesuffix(" active")
            ax.broken_barh(
                [(_num(d), 1.0) for d in row.days],
                (y - 0.3, 0.6),
                color=colour[den],
                alpha=0.55,
                linewidth=0,
            )
        elif row.kind == "member":
            for start, end, den in row.spans:
                width = _num(end + one_day) - _num(start)
                ax.broken_barh(
                    [(_num(start), width)],
                    (y - 0.35, 0.7),
                    color=colour[den],
                    linewidth=0,
                )
        else:
            ax.scatter(
                [_num(d) + 0.5 for d in row.days],
                [y] * len(row.days),
                marker="|",
                s=60,
                color="#222222",
                linewidths=0.8,
            )
    seized = findings.case.config.seized_at
    if seized is not None:
        zone = ZoneInfo(findings.case.config.timezone)
        when = _num(seized.astimezone(zone).replace(tzinfo=None))
        ax.axvline(when, color="#cc0000", linestyle="--", linewidth=1.2, label="seizure")
    ax.set_yticks(range(len(rows)), [row.label for row in rows], fontsize=8)
    ax.set_ylim(len(rows) - 0.5, -0.5)
    ax.xaxis_date()
    ax.xaxis.set_major_formatter(mdates.DateFormatter("%Y-%m"))  # type: ignore[no-untyped-call]
    ax.grid(axis="x", alpha=0.3)
    handles: list[Artist] = [Patch(color=colour[d]) for d in dens]
    labels = list(dens)
    if seized is not None:
        handles.append(Line2D([0], [0], color="#cc0000", linestyle="--"))
        labels.append("seizure")
    ax.legend(
        handles, labels, fontsize=7, loc="upper left", bbox_to_anchor=(1.0, 1.0), frameon=False
    )
    title = "Groups on one calendar: dens active, members' stays, victims' first contacts"
    if left_out:
        title += f" ({left_out} members not drawn)"
    ax.set_title(title, fontsize=10)
    return ax
