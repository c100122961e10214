"""The case's figures as PNG files: what ``linkage run`` writes beside the tables.

Figures are drawn on ``matplotlib.figure.Figure`` objects, not through pyplot, so a batch run
needs no display and leaves no global state behind; each PNG carries no time stamp, so the same
case gives the same bytes. Without a Chinese font names show as boxes: the manifest's
``figures_font`` is then empty and ``linkage run`` says what to install.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable
from pathlib import Path
from zoneinfo import ZoneInfo

from matplotlib.axes import Axes
from matplotlib.figure import Figure

from linkage.flow import Flows
from linkage.graph import Attribution
from linkage.load.case import Case
from linkage.match.corroborate import Findings
from linkage.plot import den_activity, fund_flow, group_roles, group_timeline
from linkage.plot.gantt import Calendar
from linkage.plot.groups import FULL, group_roles_size
from linkage.plot.style import find_cjk_font
from linkage.plot.timelines import seized_per_day

__all__ = ["write_figures"]

METADATA = {"Software": None}
"""PNG text chunks left out: the matplotlib version is no part of the evidence."""


def write_figures(
    case: Case, findings: Findings, attribution: Attribution, flows: Flows, folder: Path
) -> list[Path]:
    """Write fund_flow.png, den_activity.png, group_roles.png and group_timeline.png into
    ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    names = dict(zip(findings.victims["victim_id"], findings.victims["name"], strict=True))
    calls_per_day = seized_per_day(case.calls, "started_at", ZoneInfo(case.config.timezone))
    calendar = Calendar.of(findings, attribution, calls_per_day)
    drawings: tuple[tuple[str, tuple[float, float], Callable[[Axes], Axes]], ...] = (
        ("fund_flow.png", (14, 8), lambda ax: fund_flow(flows, names=names, ax=ax)),
        ("den_activity.png", (11, 3.6), lambda ax: den_activity(case, ax=ax, counts=calls_per_day)),
        (
            "group_roles.png",
            group_roles_size(attribution),
            lambda ax: group_roles(attribution, ax=ax),
        ),
        (
            "group_timeline.png",
            calendar.size(),
            lambda ax: group_timeline(findings, attribution, ax=ax, calendar=calendar),
        ),
    )
    written = []
    with warnings.catch_warnings():
        if find_cjk_font() is None:  # said once by the caller (manifest, CLI), not per glyph
            warnings.simplefilter("ignore", UserWarning)
        for name, size, draw in drawings:
            figure = Figure(figsize=size)
            # the roles chart sizes itself to its names and fills its figure
            draw(figure.add_axes(FULL) if name == "group_roles.png" else figure.subplots())
            path = folder / name
            figure.savefig(path, dpi=110, bbox_inches="tight", metadata=METADATA)
            written.append(path)
    return written
