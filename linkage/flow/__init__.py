"""Fund flows: where each victim's money went through the group's accounts."""

from __future__ import annotations

from linkage.flow.fifo import UNKNOWN, Piece, trace_fifo

__all__ = ["UNKNOWN", "Piece", "trace_fifo"]
