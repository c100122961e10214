"""The second synthetic world: group cards designated in the chats and held by mules.

See ``plan.py`` for what it changes against the first world and docs/synthetic.md for both.
"""

from __future__ import annotations

from linkage.synth.designated.plan import DESIGNATED, WorldPlan

__all__ = ["DESIGNATED", "WorldPlan"]
