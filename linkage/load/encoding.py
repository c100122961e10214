"""Decode the bytes of a text export without ever guessing silently.

Chinese exports come as UTF-8 (with or without BOM) or GBK; GB18030 is a superset of GBK, so the
order is strict UTF-8, then strict GB18030. No ``errors="ignore"``: a byte that decodes in
neither is a damaged line, and a damaged line is evidence the analyst must see in the rejects
rather than a name with a character silently missing.
"""

from __future__ import annotations

from dataclasses import dataclass

from linkage.errors import SourceError

BOM = b"\xef\xbb\xbf"


@dataclass(frozen=True)
class DecodedText:
    """The text of a file, its encoding, and the 1-based lines that could not be decoded."""

    text: str
    encoding: str
    bad_lines: tuple[int, ...] = ()


def decode(data: bytes, name: str) -> DecodedText:
    """Decode ``data`` as UTF-8 or GB18030, line by line if the file mixes in damaged bytes.

    Raises
    ------
    SourceError
        If more than half the lines decode in neither encoding: the file is not text in any
        encoding an export uses, and reading it would be guessing.

    Examples
    --------
    >>> decode("交易时间".encode("gb18030"), "x.csv").encoding
    'gb18030'
    >>> decode(b"\\xef\\xbb\\xbfa,b", "x.csv")
    DecodedText(text='a,b', encoding='utf-8-sig', bad_lines=())
    """
    try:
        return DecodedText(data.decode("utf-8-sig"), _utf8_name(data))
    except UnicodeDecodeError:
        pass
    # GB18030 accepts almost any bytes, so a UTF-8 file with one damaged byte would decode
    # "successfully" as GB18030 mojibake. When most lines that hold non-ASCII text are valid
    # UTF-8, the file is UTF-8 with damaged lines.
    lines = data.split(b"\n")
    foreign = [line for line in lines if not line.isascii()]
    if sum(_decodes(line, "utf-8-sig") for line in foreign) * 2 > len(foreign):
        return _decode_by_line(data, name, "utf-8-sig")
    if any(utf8_in_gb18030(line) for line in foreign):
        return _decode_by_line(data, name, "gb18030")
    try:
        return DecodedText(data.decode("gb18030"), "gb18030")
    except UnicodeDecodeError:
        return _decode_by_line(data, name, "gb18030")


def utf8_in_gb18030(raw: bytes) -> bool:
    """True when ``raw``, from a GB18030 file, is Chinese text in UTF-8: a line re-saved in
    another editor. GB18030 decodes those bytes too, as mojibake (``未接`` as ``鏈帴``), so
    the line must be refused, not read.

    GBK text almost never forms valid UTF-8 whose characters are all Chinese (its two-byte
    characters would have to chain into UTF-8's three-byte ones), so this never refuses a
    genuine GB18030 line in practice.

    >>> utf8_in_gb18030("未接".encode()), utf8_in_gb18030("未接".encode("gb18030"))
    (True, False)
    >>> utf8_in_gb18030(b"13800138000,2016")
    False
    """
    if raw.isascii():
        return False
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        return False
    wide = [ord(c) for c in text if ord(c) >= 0x80]
    return any(c >= 0x2E80 for c in wide) and all(_chinese(c) for c in wide)


def _chinese(code: int) -> bool:
    """A character Chinese text in UTF-8 holds: CJK, full-width forms, CJK or general
    punctuation, the middle dot of transliterated names."""
    return (
        0x2E80 <= code <= 0x9FFF
        or 0xF900 <= code <= 0xFAFF
        or 0xFE30 <= code <= 0xFE4F
        or 0xFF00 <= code <= 0xFFEF
        or 0x2010 <= code <= 0x206F
        or code == 0xB7
    )


def _utf8_name(data: bytes) -> str:
    return "utf-8-sig" if data.startswith(BOM) else "utf-8"


def _decode_by_line(data: bytes, name: str, encoding: str) -> DecodedText:
    """Decode line by line in the file's one encoding; lines that fail it are bad.

    A file is written in one encoding. Letting each damaged line pick whichever encoding
    happens to accept its bytes would silently turn ``李四`` into ``鏉庡洓``: a wrong name kept
    as evidence. So the file's encoding is chosen once, and a line that fails it, or that is
    Chinese in UTF-8 inside a GB18030 file, is an ``undecodable_row``, never re-read in another
    encoding.
    """
    lines = data.split(b"\n")
    decoded: list[str] = []
    bad: list[int] = []
    for number, line in enumerate(lines, start=1):
        try:
            if encoding == "gb18030" and utf8_in_gb18030(line):
                raise UnicodeDecodeError(encoding, line, 0, len(line), "UTF-8 in GB18030")
            decoded.append(line.decode(encoding))
        except UnicodeDecodeError:
            decoded.append("")
            bad.append(number)
    if len(bad) * 2 > len(lines):
        raise SourceError(
            f"{name}: not text in UTF-8 or GB18030 ({len(bad)} of {len(lines)} lines undecodable); "
            "expected a CSV/TXT export"
        )
    label = _utf8_name(data) if encoding == "utf-8-sig" else encoding
    return DecodedText("\n".join(decoded), label, tuple(bad))


def _decodes(line: bytes, encoding: str) -> bool:
    try:
        line.decode(encoding)
    except UnicodeDecodeError:
        return False
    return True
