"""Decode the bytes of a text export without ever guessing silently.

Chinese exports come as UTF-8 (with or without BOM) or GBK; GB18030 is a superset of GBK, so the
order is strict UTF-8, then strict GB18030. No ``errors="ignore"``: a byte that decodes in
neither is a damaged line, and a damaged line is evidence the analyst must see in the rejects
rather than a name with a character silently missing.
"""

from __future__ import annotations

from dataclasses import dataclass

from linkage.errors import SourceError

ENCODINGS = ("utf-8-sig", "gb18030")
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
    for encoding in ENCODINGS:
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if encoding == "utf-8-sig" and not data.startswith(BOM):
            encoding = "utf-8"
        return DecodedText(text, encoding)
    return _decode_by_line(data, name)


def _decode_by_line(data: bytes, name: str) -> DecodedText:
    lines = data.split(b"\n")
    decoded: list[str] = []
    bad: list[int] = []
    counts = dict.fromkeys(ENCODINGS, 0)
    for number, line in enumerate(lines, start=1):
        for encoding in ENCODINGS:
            try:
                decoded.append(line.decode(encoding))
                counts[encoding] += 1
                break
            except UnicodeDecodeError:
                continue
        else:
            decoded.append("")
            bad.append(number)
    if len(bad) * 2 > len(lines):
        raise SourceError(
            f"{name}: not text in UTF-8 or GB18030 ({len(bad)} of {len(lines)} lines undecodable); "
            "expected a CSV/TXT export"
        )
    encoding = max(counts, key=lambda e: counts[e])
    return DecodedText("\n".join(decoded), encoding, tuple(bad))
