"""Fund flows: where each victim's money went through the group's accounts, hop by hop."""

from __future__ import annotations

from linkage.flow.allocate import RULES, UNKNOWN, Lot, take
from linkage.flow.tracing import Flows, trace, trace_statements

__all__ = ["RULES", "UNKNOWN", "Flows", "Lot", "take", "trace", "trace_statements"]
