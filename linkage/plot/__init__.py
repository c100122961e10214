"""Figures of a case: every function draws on ``ax=`` (a new figure if none) and returns it."""

from __future__ import annotations

from linkage.plot.fund_flow import fund_flow
from linkage.plot.gantt import group_timeline
from linkage.plot.groups import group_roles
from linkage.plot.timelines import den_activity, evidence_timeline

__all__ = ["den_activity", "evidence_timeline", "fund_flow", "group_roles", "group_timeline"]
