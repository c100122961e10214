"""Phone numbers in E.164 form, the join key between call records, chats and rosters.

A call record from a Chinese carrier, a seized handset and a bank's KYC sheet write the same
number as ``138 0013 8000``, ``+86-138-0013-8000``, ``008613800138000`` or with a carrier IP-dial
prefix (``17951138…``). Linking them needs one spelling, and a number that cannot be read must not
be guessed into someone else's: a wrong key links a victim to the wrong person.
"""

from __future__ import annotations

import re

import phonenumbers
import pyarrow as pa
import pyarrow.compute as pc

from linkage.errors import ConfigError, InvalidIdentifier
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

__all__ = ["PhoneNormalizer", "is_valid_phone", "normalize_phone"]

_SEPARATORS = re.compile(r"[\s\-\u2010-\u2015\u2212.()\[\]]")
"""Spaces, dashes of every width, dots and brackets people put between digit groups."""

_DIGITS = re.compile(r"\+?[0-9]+")
_PLAIN = re.compile(r"\+?[0-9]{3,20}")

_IP_DIAL = re.compile(r"(?:17951|17911|12593|17901|10193)(1[0-9]{10})")
"""Carrier IP long-distance prefixes dialled before a mobile number; they are not the number."""

_CN_MOBILE_WITH_CC = re.compile(r"86(1[0-9]{10})")
"""``86`` + an 11-digit mobile written without ``+`` or ``00``."""


def _region(region: str) -> str:
    code = region.strip().upper()
    if code not in phonenumbers.SUPPORTED_REGIONS:
        raise ConfigError(f"{region!r} is not a region phonenumbers knows (e.g. 'CN', 'KE')")
    return code


_CN_MOBILE = re.compile(
    str(phonenumbers.PhoneMetadata.metadata_for_region("CN").mobile.national_number_pattern)  # type: ignore[union-attr]
)
"""phonenumbers' own pattern of valid Chinese mobile numbers, taken from its metadata."""

_CN_MOBILE_SHAPE = re.compile(r"(?:\+86)?(1[0-9]{10})")


def _e164_if_valid(text: str, region: str | None) -> str | None:
    """E.164 if phonenumbers calls the number valid, else None.

    Chinese mobiles, the bulk of every carrier return, are decided by phonenumbers' own mobile
    pattern without a full parse (a number matching it is a valid MOBILE for phonenumbers, as
    the tests check); everything else gets the full parse.
    """
    shape = _CN_MOBILE_SHAPE.fullmatch(text)
    if shape and (text.startswith("+") or region == "CN") and _CN_MOBILE.fullmatch(shape[1]):
        return "+86" + shape[1]
    return _parsed_e164_if_valid(text, region)


def _parsed_e164_if_valid(text: str, region: str | None) -> str | None:
    try:
        number = phonenumbers.parse(text, region)
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_valid_number(number):
        return None
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def normalize_phone(raw: str, region: str = "CN") -> str:
    """Return a phone number in E.164 form (``+8613800138000``).

    A number with ``+`` or ``00`` carries its own country and is read whatever ``region`` says;
    any other number is read as dialled in ``region``, which must come from the source (a
    ``countryiso`` column or ``case.toml``): under ``CN`` the US test number ``15555215554`` is a
    valid Chinese mobile, so the wrong region silently makes a wrong key.

    Parameters
    ----------
    raw : str
        The number as the source wrote it.
    region : str, default "CN"
        ISO 3166 code of the country the number was dialled in.

    Returns
    -------
    str
        ``+`` and digits.

    Raises
    ------
    InvalidIdentifier
        ``reason="empty_identifier"`` for an empty cell, ``"id_mangled"`` for a number a
        spreadsheet turned into a float (``1.3800138E10``, ``13800138000.0``), and
        ``"invalid_identifier"`` for anything phonenumbers does not call a valid number
        (short codes such as ``10086`` or ``95555``, unassigned ranges such as ``148…``, junk).
        An invalid number is never repaired by guessing.
    ConfigError
        If ``region`` is not a region code.

    Examples
    --------
    >>> normalize_phone("0086 138 0013 8000")
    '+8613800138000'
    >>> normalize_phone("17951 13800138000")
    '+8613800138000'
    >>> normalize_phone("0712 345678", region="KE")
    '+254712345678'
    >>> normalize_phone("10086")
    Traceback (most recent call last):
    ...
    linkage.errors.InvalidIdentifier: '10086' is not a valid phone number in region CN
    """
    code = _region(region)
    if _PLAIN.fullmatch(raw):  # already bare digits: nothing to clean, the common case
        e164 = _read(raw, code)
        if e164 is None:
            raise _not_valid(raw, code)
        return e164
    text = strip_text_markers(drop_whitespace(nfkc(raw)))
    if is_null_marker(text):
        raise InvalidIdentifier(f"{show(raw)} is empty", reason=RejectReason.EMPTY_IDENTIFIER)
    if SCIENTIFIC.fullmatch(text) or FLOAT_TAIL.fullmatch(text.lstrip("+")):
        raise InvalidIdentifier(
            f"{show(raw)} went through a spreadsheet float: its digits are lost",
            reason=RejectReason.ID_MANGLED,
        )
    text = _SEPARATORS.sub("", text)
    if not _DIGITS.fullmatch(text):
        raise InvalidIdentifier(
            f"{show(raw)} holds characters other than digits and separators",
            reason=RejectReason.INVALID_IDENTIFIER,
        )
    e164 = _read(text, code)
    if e164 is None:
        raise _not_valid(raw, code)
    return e164


def _not_valid(raw: str, region: str) -> InvalidIdentifier:
    return InvalidIdentifier(
        f"{show(raw)} is not a valid phone number in region {region}",
        reason=RejectReason.INVALID_IDENTIFIER,
    )


def _read(text: str, region: str) -> str | None:
    """Try the readings of a digit string in a fixed order; the first valid one wins."""
    if text.startswith("+"):
        return _e164_if_valid(text, None)
    ip_dial = _IP_DIAL.fullmatch(text)
    if ip_dial:
        return _e164_if_valid("+86" + ip_dial.group(1), None)
    if text.startswith("00"):
        # International form. Only if that reading fails, let the region's own international
        # prefix have a go (Kenya dials out with 000).
        return _e164_if_valid("+" + text[2:], None) or _e164_if_valid(text, region)
    national = _e164_if_valid(text, region)
    if national is not None:
        return national
    with_cc = _CN_MOBILE_WITH_CC.fullmatch(text)
    if with_cc:
        return _e164_if_valid("+86" + with_cc.group(1), None)
    return None


def is_valid_phone(raw: str, region: str = "CN") -> bool:
    """Return whether :func:`normalize_phone` accepts ``raw``.

    Examples
    --------
    >>> is_valid_phone("+86 138-0013-8000"), is_valid_phone("95555")
    (True, False)
    """
    try:
        normalize_phone(raw, region)
    except InvalidIdentifier:
        return False
    return True


_CN_PREFIXED = "^(?:\\+86|0086|17951|17911|12593|17901|10193)"
"""What may stand before a Chinese mobile: its country code, or a carrier IP-dial prefix."""


class PhoneNormalizer:
    """``normalize_phone`` for one region, with a vectorized pass for the bulk of a column.

    A dial list holds millions of numbers, nearly all Chinese mobiles written as eleven digits
    or behind ``+86``, ``0086`` or an IP-dial prefix. ``bulk`` reads exactly those with Arrow
    kernels and phonenumbers' own mobile pattern, and leaves every other value null for
    ``__call__`` to read one by one; on the values it answers it agrees with
    ``normalize_phone`` (the tests check this on generated numbers).
    """

    def __init__(self, region: str = "CN") -> None:
        self.region = _region(region)
        self._mobile = f"^(?:{_CN_MOBILE.pattern})$"

    def __call__(self, raw: str) -> str:
        return normalize_phone(raw, self.region)

    def bulk(self, values: pa.Array) -> pa.Array:
        """E.164 for the plainly written Chinese mobiles of ``values``; null for the rest.

        >>> PhoneNormalizer("CN").bulk(pa.array(["13800138000", "0086 138", None])).to_pylist()
        ['+8613800138000', None, None]
        """
        prefixed = pc.match_substring_regex(values, _CN_PREFIXED)
        number = pc.replace_substring_regex(values, _CN_PREFIXED, "", max_replacements=1)
        if self.region == "CN":
            # 17951… is itself a valid mobile range when nothing follows: only read it as a
            # prefix when eleven more digits do
            number = pc.if_else(pc.equal(pc.utf8_length(number), 11), number, values)
            eligible = pc.match_substring_regex(number, self._mobile)
        else:
            eligible = pc.and_(prefixed, pc.match_substring_regex(number, self._mobile))
        e164 = pc.binary_join_element_wise("+86", number, "")
        return pc.if_else(eligible, e164, pa.scalar(None, pa.string()))
