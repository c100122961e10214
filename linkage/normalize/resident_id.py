"""Chinese resident ID numbers, passports and travel permits: the keys that name a person.

An ID number ties a bank account's KYC record, a SIM registration and a roster entry to one
human being. Its check character and embedded area code and birth date let us prove a number
was read correctly; a number that fails them was mistyped or damaged and must not be used to
link anybody.
"""

from __future__ import annotations

import re

from stdnum.cn import ric
from stdnum.exceptions import InvalidChecksum, InvalidComponent, ValidationError

from linkage.errors import InvalidIdentifier
from linkage.normalize._text import (
    FLOAT_TAIL,
    SCIENTIFIC,
    drop_whitespace,
    is_null_marker,
    nfkc,
    show,
    strip_text_markers,
)
from linkage.rejects import RejectReason

__all__ = [
    "is_valid_resident_id",
    "normalize_passport",
    "normalize_person_id",
    "normalize_resident_id",
]

_RESIDENT_18 = re.compile(r"[0-9]{17}[0-9X]")
_RESIDENT_15 = re.compile(r"[0-9]{15}")
_PASSPORT = re.compile(r"[A-Z0-9]{5,20}")
_TAIWAN_PERMIT = re.compile(r"[A-Z0-9]{8,10}")

_PASSPORT_WORDS = ("护照", "護照", "passport")
_RESIDENT_WORDS = ("身份证", "身份證")
_TAIWAN_WORDS = ("台湾居民来往大陆通行证", "臺灣居民來往大陸通行證", "台胞证", "台胞證")


def _clean(raw: str) -> str:
    """NFKC, no white space, no text-marker quotes, upper case."""
    return strip_text_markers(drop_whitespace(nfkc(raw))).upper()


def _check_present(raw: str, text: str) -> None:
    if is_null_marker(text):
        raise InvalidIdentifier(f"{show(raw)} is empty", reason=RejectReason.EMPTY_IDENTIFIER)
    if SCIENTIFIC.fullmatch(text) or FLOAT_TAIL.fullmatch(text):
        raise InvalidIdentifier(
            f"{show(raw)} went through a spreadsheet float: its digits are lost",
            reason=RejectReason.ID_MANGLED,
        )


def _looks_resident(text: str) -> bool:
    return bool(_RESIDENT_18.fullmatch(text) or _RESIDENT_15.fullmatch(text))


def normalize_resident_id(raw: str) -> str:
    """Return an 18-character resident ID number with an upper-case ``X``.

    The number is checked by :mod:`stdnum.cn.ric`: MOD 11-2 check character, a real area code
    (valid in the birth year) and a real birth date. A 15-digit first-generation number is
    converted to 18 characters (``19`` inserted before the two-digit year, check character
    computed), so that both generations of the same card give the same key.

    Parameters
    ----------
    raw : str
        The number as written (spaces, full-width digits and a lower-case ``x`` are tolerated).

    Returns
    -------
    str
        17 digits and a check character ``0-9`` or ``X``.

    Raises
    ------
    InvalidIdentifier
        ``reason="empty_identifier"`` if empty, ``"id_mangled"`` if a spreadsheet turned it into a
        float (``1.10101199E+17``), ``"invalid_identifier"`` if it fails any check.

    Examples
    --------
    >>> normalize_resident_id("11010519491231002x")
    '11010519491231002X'
    >>> normalize_resident_id("110105491231002")
    '11010519491231002X'
    """
    text = _clean(raw)
    _check_present(raw, text)
    if _RESIDENT_15.fullmatch(text):
        body = text[:6] + "19" + text[6:]
        text = body + ric.calc_check_digit(body + "0")
    elif not _RESIDENT_18.fullmatch(text):
        raise InvalidIdentifier(
            f"{show(raw)} is not a resident ID number: 18 characters (or 15 digits) expected",
            reason=RejectReason.INVALID_IDENTIFIER,
        )
    try:
        return str(ric.validate(text))
    except InvalidChecksum:
        why = "its check character is wrong"
    except InvalidComponent:
        why = "its area code or birth date does not exist"
    except ValidationError:
        why = "it fails validation"
    except KeyError:  # python-stdnum 2.2 fails this way on codes naming a region, not a county
        why = "its area code is not a county"
    raise InvalidIdentifier(
        f"{show(raw)} is not a valid resident ID number: {why}",
        reason=RejectReason.INVALID_IDENTIFIER,
    )


def is_valid_resident_id(raw: str) -> bool:
    """Return whether :func:`normalize_resident_id` accepts ``raw``.

    Examples
    --------
    >>> is_valid_resident_id("110105194912310029"), is_valid_resident_id("110105194912310021")
    (False, False)
    >>> is_valid_resident_id("11010519491231002X")
    True
    """
    try:
        normalize_resident_id(raw)
    except InvalidIdentifier:
        return False
    return True


def normalize_passport(raw: str) -> str:
    """Return a passport number: upper-case letters and digits, no separators.

    Passport numbers have no public check digit outside the machine-readable zone, so only the
    shape is checked: 5 to 20 of ``A-Z0-9`` once full-width characters and spaces are gone.

    Raises
    ------
    InvalidIdentifier
        ``reason="empty_identifier"`` if empty, else ``"invalid_identifier"`` (``"id_mangled"``
        for spreadsheet float damage).

    Examples
    --------
    >>> normalize_passport(" e1234 5678 ")
    'E12345678'
    """
    text = _clean(raw)
    _check_present(raw, text)
    if not _PASSPORT.fullmatch(text):
        raise InvalidIdentifier(
            f"{show(raw)} is not a passport number: 5 to 20 letters or digits expected",
            reason=RejectReason.INVALID_IDENTIFIER,
        )
    return text


def _normalize_taiwan_permit(raw: str) -> str:
    text = _clean(raw)
    _check_present(raw, text)
    if not _TAIWAN_PERMIT.fullmatch(text):
        raise InvalidIdentifier(
            f"{show(raw)} is not a Taiwan residents' travel permit number: "
            "8 to 10 letters or digits expected",
            reason=RejectReason.INVALID_IDENTIFIER,
        )
    return text


def normalize_person_id(raw: str, id_type: str = "") -> str:
    """Return a person's document number, read by the document type the source gives.

    The stated type decides first: ``护照``/``passport`` is a passport, ``台湾居民来往大陆通行证``
    a Taiwan residents' permit (8–10 letters or digits), ``居民身份证`` a resident ID. Without a
    type, a 15- or 18-character number shaped like a resident ID must pass as one: a resident ID
    with a wrong check character is a misread ID, not a passport. Anything else is read as a
    passport-like number (Hong Kong and Macau permits included).

    Parameters
    ----------
    raw : str
        The number.
    id_type : str, default ""
        The document type column (``证件类型``), if the source has one.

    Raises
    ------
    InvalidIdentifier
        As :func:`normalize_resident_id` or :func:`normalize_passport`.

    Examples
    --------
    >>> normalize_person_id("11010519491231002x", "居民身份证")
    '11010519491231002X'
    >>> normalize_person_id("e12345678")
    'E12345678'
    >>> normalize_person_id("12345678", "台湾居民来往大陆通行证")
    '12345678'
    """
    kind = drop_whitespace(nfkc(id_type)).lower()
    if any(word in kind for word in _PASSPORT_WORDS):
        return normalize_passport(raw)
    if any(word in kind for word in _TAIWAN_WORDS):
        return _normalize_taiwan_permit(raw)
    if any(word in kind for word in _RESIDENT_WORDS) or _looks_resident(_clean(raw)):
        return normalize_resident_id(raw)
    return normalize_passport(raw)
