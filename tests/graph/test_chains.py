"""Forwarded chains read from the 转接分机 links, whichever way a dial list writes its 任务ID.

One broadcast session of the worked case (docs/attribution.md) is written three ways in the
dial list's own format: as the case has it (the 任务ID on the first leg only), with the
dialer's own leg and every leg repeating the 任务ID, and with a forward that arrives late.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pytest

import linkage

CASE = Path(__file__).resolve().parents[2] / "sample_data" / "den-2016"
DIAL_LIST = "seized/den-k/dial_list.csv"
ENCODING = "gb18030"

FIRST_LEG = (
    "T0310,L01,8001,02168881234,008613912345678,2016-03-10 05:00:00,2016-03-10 05:00:20,"
    "2016-03-10 05:19:40,1180,接通,1,8101"
)
SECOND_LEG = (
    ",L01,8101,02168881234,008613912345678,2016-03-10 05:20:00,2016-03-10 05:20:05,"
    "2016-03-10 05:35:05,900,接通,,"
)
DIALER_LEG = (
    "T0310,L01,,02168881234,008613912345678,2016-03-10 04:59:30,2016-03-10 04:59:40,"
    "2016-03-10 05:00:00,20,接通,1,8001"
)
"""The auto-dialer's own leg: no extension, 转接分机 naming the first-line extension."""


def _written(tmp_path: Path, name: str, replace: dict[str, list[str]]) -> Path:
    """A copy of the worked case whose den-k dial list has ``replace``'s lines instead."""
    folder = tmp_path / name
    shutil.copytree(CASE, folder)
    path = folder / DIAL_LIST
    lines = path.read_text(encoding=ENCODING).splitlines()
    assert FIRST_LEG in lines and SECOND_LEG in lines
    out: list[str] = []
    for line in lines:
        out += replace.get(line, [line])
    path.write_text("\n".join(out) + "\n", encoding=ENCODING)
    return folder


def _attributed(case: Path) -> linkage.Attribution:
    return linkage.attribute(linkage.corroborate(linkage.load_case(case)))


def _legs(attribution: linkage.Attribution) -> pd.DataFrame:
    evidence = attribution.roles_evidence
    legs = evidence[evidence["detail"] == "forwarded chain leg"]
    return legs[["person_id", "role_shown"]].sort_values(["person_id", "role_shown"])


@pytest.fixture(scope="module")
def as_written() -> linkage.Attribution:
    return _attributed(CASE)


def test_a_session_repeating_its_task_id_gives_the_same_positions(
    tmp_path: Path, as_written: linkage.Attribution
) -> None:
    repeated = _written(
        tmp_path,
        "repeated",
        {FIRST_LEG: [DIALER_LEG, FIRST_LEG], SECOND_LEG: ["T0310" + SECOND_LEG]},
    )
    again = _attributed(repeated)
    before = _legs(as_written)
    assert set(before["role_shown"]) == {"first_line", "second_line"}
    pd.testing.assert_frame_equal(
        _legs(again).reset_index(drop=True), before.reset_index(drop=True)
    )
    roles = ["person_id", "role", "amount_fen", "call_count"]
    pd.testing.assert_frame_equal(again.defendants[roles], as_written.defendants[roles])


def test_a_session_without_its_dialer_row_starts_at_the_first_line(
    tmp_path: Path, as_written: linkage.Attribution
) -> None:
    repeated = _written(tmp_path, "no-dialer", {SECOND_LEG: ["T0310" + SECOND_LEG]})
    pd.testing.assert_frame_equal(
        _legs(_attributed(repeated)).reset_index(drop=True),
        _legs(as_written).reset_index(drop=True),
    )


@pytest.mark.parametrize("task", ["", "T0310"], ids=["empty task id", "repeated task id"])
def test_a_forward_beyond_the_slack_breaks_the_chain(tmp_path: Path, task: str) -> None:
    """The second leg begins 15 minutes after the first ended: beyond the default slack of
    ten minutes it takes no position; the break is a gap only where the session's 任务ID
    ties the late leg to it (an untagged later call may be a call back by hand)."""
    late = task + SECOND_LEG.replace("05:20:", "05:35:").replace("05:35:05,900", "05:50:05,900")
    attribution = _attributed(_written(tmp_path, f"late{task}", {SECOND_LEG: [late]}))
    assert "second_line" not in set(_legs(attribution)["role_shown"])
    gaps = attribution.gaps
    broken = gaps[gaps["gap"] == "forwarded chains broken by a late leg"]
    if task:
        assert len(broken) == 1 and broken.iloc[0]["count"] == 1
        assert "forwards to 8101" in broken.iloc[0]["detail"]
        assert "began 920 s after it ended" in broken.iloc[0]["detail"]
    else:
        assert broken.empty
    wider = linkage.AttributionParams(forward_slack_s=1_200)
    findings = linkage.corroborate(linkage.load_case(Path(tmp_path / f"late{task}")))
    assert "second_line" in set(_legs(linkage.attribute(findings, wider))["role_shown"])
