"""Synthetic telecom-fraud cases with ground truth, in the real export formats.

Real case files are personal data and never leave a case; everything linkage claims about
accuracy and speed is measured on cases made here. ``generate`` simulates groups, dens, staff,
victims and money from a seed and writes a case folder with its case.toml, plus a separate
``ground_truth/`` folder the library never reads. See docs/synthetic.md.
"""

from __future__ import annotations

from linkage.synth.generate import Synthesized, generate
from linkage.synth.profile import PROFILES, DenPlan, GroupPlan, Profile, scaled

__all__ = ["PROFILES", "DenPlan", "GroupPlan", "Profile", "Synthesized", "generate", "scaled"]
