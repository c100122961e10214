"""One exception tree for the whole library.

Every error linkage raises on purpose derives from :class:`LinkageError`, so a caller (the CLI, a
notebook) can catch the library's own complaints apart from bugs. Leaves also subclass a built-in
where one fits, so ``except ValueError`` keeps working for people who do not know the tree.

A bad *row* is not an exception: it is data and goes to the rejects table. Exceptions are for a
value handed to a normalizer on its own (:class:`InvalidIdentifier`, :class:`InvalidAmount`,
:class:`InvalidTime`) and for inputs that cannot be read at all (:class:`SourceError`).
"""

from __future__ import annotations


class LinkageError(Exception):
    """Base of every error linkage raises on purpose."""


class InvalidValue(LinkageError, ValueError):
    """A single raw value cannot be read as what it claims to be.

    ``reason`` is the :class:`linkage.rejects.RejectReason` value a row holding this value is
    rejected with, chosen by the normalizer that knows why the value failed.
    """

    default_reason = "invalid_identifier"

    def __init__(self, message: str, reason: str | None = None) -> None:
        super().__init__(message)
        self.reason = reason or self.default_reason


class InvalidIdentifier(InvalidValue):
    """A phone, ID, account or handle cannot be normalized."""


class InvalidAmount(InvalidValue):
    """A money amount cannot be read exactly."""

    default_reason = "bad_amount"


class InvalidTime(InvalidValue):
    """A time stamp cannot be read, or lies outside the plausible range."""

    default_reason = "unparseable_time"


class ConfigError(LinkageError, ValueError):
    """case.toml is missing, malformed, or names something that does not exist."""


class SourceError(LinkageError, OSError):
    """An input file cannot be read at all (missing, undecodable, unknown format, truncated).

    The message names the file and what was expected, so the analyst can fix the case folder
    without reading a traceback.
    """


class RuleError(LinkageError, RuntimeError):
    """An engine failed to run a rule's SQL; the message carries the statement."""


class OutputError(LinkageError, OSError):
    """An output folder or file cannot be written (permissions, full disk, a file in the way)."""
