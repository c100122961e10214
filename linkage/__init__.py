"""linkage: link telecom-fraud victims to offenders from electronic evidence, with provenance.

The public API, everything a notebook or script needs; modules not named here may move.

>>> import linkage
>>> sorted(linkage.__all__)[:3]
['Case', 'ConfigError', 'InvalidAmount']
"""

from __future__ import annotations

__version__ = "0.1.0"

from linkage.errors import (
    ConfigError,
    InvalidAmount,
    InvalidIdentifier,
    InvalidTime,
    LinkageError,
    SourceError,
)
from linkage.load.case import Case, load_case
from linkage.load.draft import draft_case_toml
from linkage.rejects import RejectReason
from linkage.schema import TABLES

__all__ = [
    "TABLES",
    "Case",
    "ConfigError",
    "InvalidAmount",
    "InvalidIdentifier",
    "InvalidTime",
    "LinkageError",
    "RejectReason",
    "SourceError",
    "__version__",
    "draft_case_toml",
    "load_case",
]
