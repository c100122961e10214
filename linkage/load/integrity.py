"""The integrity baseline: seized evidence stamped after the seizure is not evidence.

The integrity appraisal (无污损鉴定) certifies the seized devices as they were when seized, so
its baseline is the seizure time. A call, message or ledger entry a seized device stamps later
either comes from a clock set wrong or was made after the devices left the group's hands; in
both cases it cannot support a verdict, and a court that finds one among the evidence doubts
the rest. So every row of a seized-origin source stamped after ``[case] seized_at`` plus the
clock-skew tolerance (``[case] clock_skew_s``, ten minutes unless the case says otherwise: a
seizure record is written to the minute, and a device clock drifts) goes to the rejects with
reason ``after_seizure``, and the attribution lists their count among its gaps. Rows of other
origins (a victim's bank statement, a carrier's records) go on after a seizure and are kept.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from linkage.load.config import CaseConfig
from linkage.rejects import RejectReason

__all__ = ["SEIZED_TIMES", "late_rejects", "stamped_after_seizure"]

SEIZED_TIMES = {"calls": "started_at", "messages": "sent_at", "transactions": "occurred_at"}
"""The time each table's rows are stamped with, checked against the seizure."""


def stamped_after_seizure(frame: pd.DataFrame, table: str, config: CaseConfig) -> np.ndarray:
    """Which rows of ``frame`` (canonical table ``table``) a seized device stamped after the
    seizure plus the tolerance; none when the case states no seizure."""
    column = SEIZED_TIMES.get(table)
    if column is None or config.seized_at is None or frame.empty:
        return np.zeros(len(frame), dtype=bool)
    cutoff = pd.Timestamp(config.seized_at + dt.timedelta(seconds=config.clock_skew_s))
    seized = frame["origin"].eq("seized").fillna(False).to_numpy(dtype=bool)
    late = frame[column].gt(cutoff).fillna(False).to_numpy(dtype=bool)
    after: np.ndarray = seized & late
    return after


def late_rejects(
    frame: pd.DataFrame, late: np.ndarray, table: str, config: CaseConfig, carry: tuple[str, ...]
) -> pd.DataFrame:
    """The rejects rows for the ``late`` rows of ``frame``, with the columns in ``carry``."""
    rows = frame.loc[late]
    column = SEIZED_TIMES[table]
    assert config.seized_at is not None
    seizure = config.seized_at.isoformat()
    return pd.DataFrame(
        {
            "source_file": rows["source_file"].to_numpy(),
            "source_row": rows["source_row"].to_numpy(),
            "source_sheet": rows["source_sheet"].to_numpy(),
            "kind": table,
            "column": column,
            "reason": str(RejectReason.AFTER_SEIZURE),
            "value": [
                f"{pd.Timestamp(t).isoformat()} is after the seizure at {seizure} "
                f"(tolerance {config.clock_skew_s} s)"
                for t in rows[column]
            ],
            **{name: rows[name].to_numpy() for name in carry},
        }
    )
