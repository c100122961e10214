"""Normalizers: one raw value in, one canonical value out, or an error that says why.

Every loader reads evidence through these functions, so a rule (how a phone number, an account,
an amount or a time is read) is written once and applies to every source alike. Each function
is pure; the column forms in :mod:`linkage.normalize.column` and the vectorized time parsers
apply them to a whole column at the cost of its distinct values.
"""

from __future__ import annotations

from linkage.normalize.account import is_masked, luhn_ok, normalize_account
from linkage.normalize.amount import format_fen, number_to_fen, parse_fen
from linkage.normalize.column import map_distinct, parse_fen_column
from linkage.normalize.name import normalize_handle, normalize_name
from linkage.normalize.phone import is_valid_phone, normalize_phone
from linkage.normalize.resident_id import (
    is_valid_resident_id,
    normalize_passport,
    normalize_person_id,
    normalize_resident_id,
)
from linkage.normalize.time import (
    check_time_range,
    combine_date_time,
    excel_serial_to_time,
    parse_epoch,
    parse_epochs,
    parse_time,
    parse_times,
)

__all__ = [
    "check_time_range",
    "combine_date_time",
    "excel_serial_to_time",
    "format_fen",
    "is_masked",
    "is_valid_phone",
    "is_valid_resident_id",
    "luhn_ok",
    "map_distinct",
    "normalize_account",
    "normalize_handle",
    "normalize_name",
    "normalize_passport",
    "normalize_person_id",
    "normalize_phone",
    "normalize_resident_id",
    "number_to_fen",
    "parse_epoch",
    "parse_epochs",
    "parse_fen",
    "parse_fen_column",
    "parse_time",
    "parse_times",
]
