"""Why a row was not used: one closed vocabulary, shared by every reader.

An input row either becomes a canonical row or a rejects row carrying one of these reasons, the
file, the row a person would count in the original file, the column at fault and the raw value.
That is what lets ``rows read = rows kept + rows rejected`` be checked per source, and lets a
defence expert see every line the analysis left out and why.
"""

from __future__ import annotations

from enum import StrEnum


class RejectReason(StrEnum):
    """The reason a row was left out of the canonical tables."""

    UNPARSEABLE_TIME = "unparseable_time"
    """A time stamp could not be read in any format the source may use."""
    TIME_OUT_OF_RANGE = "time_out_of_range"
    """A time stamp lies before 1990 or more than a year after the newest input file."""
    BAD_AMOUNT = "bad_amount"
    """An amount could not be read exactly (letters, several decimal points, too many decimals)."""
    ID_MANGLED = "id_mangled"
    """An identifier was damaged by a spreadsheet (``6.22E+18``, ``…0.0``): its digits are lost."""
    MASKED_IDENTIFIER = "masked_identifier"
    """An identifier is masked (``6226******5669``) where the row needs it as a key."""
    INVALID_IDENTIFIER = "invalid_identifier"
    """A required identifier is present but cannot be normalized."""
    EMPTY_IDENTIFIER = "empty_identifier"
    """A required identifier (own account, own number, sender) is empty."""
    MISSING_VALUE = "missing_value"
    """A required non-identifier value (time, amount, direction) is empty."""
    BAD_DIRECTION = "bad_direction"
    """A direction flag holds a value the format does not define."""
    FAILED_STATUS = "failed_status"
    """The source marks the row as failed or as a negative query result: no money moved."""
    NO_MONEY_MOVED = "no_money_moved"
    """A closed, neutral or zero-amount row: it records no transfer of funds."""
    SUMMARY_ROW = "summary_row"
    """A trailer or subtotal line (``人民币合计``, ``合计金额``), not a transaction."""
    BLANK_ROW = "blank_row"
    """A row with no values at all."""
    MALFORMED_ROW = "malformed_row"
    """A row whose field count or structure does not fit the header."""
    UNDECODABLE_ROW = "undecodable_row"
    """A row whose bytes are not valid in the file's encoding, or are valid only in another
    (a line re-saved as UTF-8 inside a GB18030 file)."""
    DUPLICATE_ROW = "duplicate_row"
    """An exact copy of an earlier row of the same source (overlapping returns)."""
    NOT_A_NUMBER = "not_a_number"
    """A whole number (a duration, a count) holds something else (``1,2a3``)."""
    AFTER_SEIZURE = "after_seizure"
    """A seized device stamped the row after the seizure (plus the clock-skew tolerance): a
    clock set wrong, or a record made after the devices left the group (``load/integrity.py``)."""
