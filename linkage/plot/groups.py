"""The groups and their people: one band per group, one column per role, every name legible.

A network drawing of a group (people pulled towards their dens) reads well at twenty people
and not at all at two hundred: labels pile on nodes and on each other. This figure is a chart,
not a layout. Each group gets a band headed with its name, size and dens; inside it the roles
stand in the order of the chain (organisers, first, second and third line, money mules,
support, unknown), each person on a row of their own with the dens they stayed at, and a
role's column wraps after :data:`ROWS_PER_COLUMN` people. Nothing can overlap, the same
attribution always gives the same picture, and the figure grows with the case
(:func:`group_roles_size`).
"""

from __future__ import annotations

from dataclasses import dataclass

import matplotlib.pyplot as plt
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.lines import Line2D

from linkage.graph import Attribution
from linkage.plot.style import ROLE_COLOURS, use_cjk_font
from linkage.report.tables import display_width

__all__ = ["FULL", "ROWS_PER_COLUMN", "group_roles", "group_roles_size"]

ROLE_ORDER = (
    "organiser", "first_line", "second_line", "third_line", "money_mule", "support", "unknown",
)  # fmt: skip
ROWS_PER_COLUMN = 40
ROW_HEIGHT_IN = 0.2
LABEL_POINTS = 7
BAND_HEAD_ROWS = 3.2
"""Rows above a band's people: the group's title, its rule and the role headings."""
NO_GROUP = "no group"
FULL = (0.01, 0.01, 0.98, 0.95)
"""Where the chart's axes sit in a figure of its own: everything but a title's margin."""


@dataclass(frozen=True)
class _Band:
    """One group: its title and its columns of (role, people)."""

    group: str
    title: str
    columns: tuple[tuple[str, pd.DataFrame], ...]

    @property
    def rows(self) -> int:
        return max((len(people) for _, people in self.columns), default=0)


def _bands(defendants: pd.DataFrame) -> list[_Band]:
    """One band per group in order, each role's people sorted and wrapped into columns."""
    bands = []
    grouped = defendants.assign(group_id=defendants["group_id"].fillna(NO_GROUP))
    for group, members in sorted(grouped.groupby("group_id"), key=lambda g: str(g[0])):
        columns = []
        for role in ROLE_ORDER:
            people = members[members["role"] == role].sort_values(
                ["dens", "name", "person_id"], na_position="last"
            )
            for start in range(0, len(people), ROWS_PER_COLUMN):
                columns.append((role, people.iloc[start : start + ROWS_PER_COLUMN]))
        dens = sorted({d for value in members["dens"].dropna() for d in str(value).split(";")
                       if d})  # fmt: skip
        title = f"{group}: {len(members)} people" + (f"; dens {', '.join(dens)}" if dens else "")
        bands.append(_Band(str(group), title, tuple(columns)))
    return bands


def _label(person: object) -> str:
    """A person as the figure names them: the name, then the dens they stayed at."""
    name = getattr(person, "name", None)
    dens = getattr(person, "dens", None)
    shown = name if isinstance(name, str) else "(no name)"
    return f"{shown}  {str(dens).replace(';', ' ')}" if isinstance(dens, str) and dens else shown


def _column_width(bands: list[_Band]) -> float:
    """Inches a column needs for the widest label (CJK characters count double)."""
    widest = max((display_width(_label(p)) for band in bands for _, people in band.columns
                  for p in people.itertuples(index=False)), default=10)  # fmt: skip
    return max(1.4, widest * LABEL_POINTS * 0.62 / 72 + 0.35)


def _height(bands: list[_Band]) -> float:
    """Rows the chart spans, every band's head and people included."""
    return sum(band.rows + BAND_HEAD_ROWS for band in bands)


def group_roles_size(attribution: Attribution) -> tuple[float, float]:
    """The figure size (inches) that gives every name its own room."""
    bands = _bands(attribution.defendants)
    columns = max((len(band.columns) for band in bands), default=1)
    width = _column_width(bands) * columns / FULL[2]
    height = (_height(bands) + 2) * ROW_HEIGHT_IN / FULL[3]
    return max(8.0, width), max(3.0, height)


def group_roles(attribution: Attribution, ax: Axes | None = None) -> Axes:
    """Every suspect by group and role, with the dens they stayed at; groups named."""
    use_cjk_font()
    if ax is None:
        figure = plt.figure(figsize=group_roles_size(attribution))
        ax = figure.add_axes(FULL)
    defendants = attribution.defendants
    bands = _bands(defendants)
    if not bands:
        ax.text(0.5, 0.5, "no suspect", ha="center", va="center", transform=ax.transAxes)
        ax.set_axis_off()
        return ax
    family = plt.rcParams["font.sans-serif"][0]
    top = 0.0
    for band in bands:
        ax.text(0, top, band.title, fontsize=9, weight="bold", va="top", family="DejaVu Sans")
        ax.plot([0, len(band.columns) - 0.1], [top - 1.1, top - 1.1], color="#888888",
                linewidth=0.8)  # fmt: skip
        previous = ""
        for x, (role, people) in enumerate(band.columns):
            colour = ROLE_COLOURS.get(role, "#999999")
            if role != previous:
                ax.text(x, top - 1.5, role.replace("_", " "), fontsize=8, weight="bold",
                        color=colour, family="DejaVu Sans", va="top")  # fmt: skip
            previous = role
            for y, person in enumerate(people.itertuples(index=False)):
                row = top - BAND_HEAD_ROWS - y
                ax.plot([x], [row], marker="o", markersize=5, linestyle="", color=colour)
                ax.text(x + 0.05, row, _label(person), fontsize=LABEL_POINTS, va="center",
                        family=family)  # fmt: skip
        top -= band.rows + BAND_HEAD_ROWS
    columns = max(len(band.columns) for band in bands)
    ax.set_xlim(-0.1, columns)
    ax.set_ylim(top - 0.5, 1.0)
    handles = [Line2D([], [], marker="o", linestyle="", color=c, label=r.replace("_", " "))
               for r, c in ROLE_COLOURS.items()]  # fmt: skip
    ax.legend(handles=handles, fontsize=7, frameon=False, loc="lower right", ncol=4)
    counts = defendants["group_id"].fillna(NO_GROUP).value_counts().sort_index()
    groups = ", ".join(f"{group}: {n}" for group, n in counts.items())
    ax.set_title(f"Groups and roles ({groups} people)", fontsize=10)
    ax.set_axis_off()
    return ax
