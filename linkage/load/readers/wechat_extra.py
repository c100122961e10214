"""Who wrote a chat-room message in a Windows WeChat ``MSG*.db``: its ``BytesExtra`` field.

On a handset a received group message starts with its writer (``wxid_x:\\n``); the Windows
client stores the bare text and puts the writer in ``BytesExtra``, a Protocol Buffers message.
Its field 3 repeats ``{1: kind, 2: value}`` entries; the entry of kind 1 holds the writer's
wxid. Only that much of the wire format is read here (varints and length-delimited fields),
so no protobuf library or schema is needed, and anything else in the blob is passed over.

A blob that is absent, holds no kind-1 entry, or breaks off before one gives None (a writer
read before the break is kept): the message keeps an unknown sender and is never dropped.
"""

from __future__ import annotations

from collections.abc import Iterator

__all__ = ["group_writer"]

ENTRIES = 3
"""Field of ``BytesExtra`` that repeats the ``{kind, value}`` entries."""
WRITER = 1
"""Entry kind holding the wxid of a chat-room message's writer."""

_VARINT, _FIXED64, _BYTES, _FIXED32 = 0, 1, 2, 5


def group_writer(blob: object) -> str | None:
    """The writer's wxid stored in a ``BytesExtra`` blob, or None.

    >>> group_writer(bytes([0x1A, 0x0A, 0x08, 0x01, 0x12, 0x06]) + b"wxid_b")
    'wxid_b'
    >>> group_writer(b"\\x1a\\x05\\x08\\x01\\x12\\x09wx"), group_writer(None)
    (None, None)
    """
    if not isinstance(blob, bytes | bytearray | memoryview):
        return None
    try:
        for field, value in _fields(bytes(blob)):
            if field != ENTRIES or not isinstance(value, bytes):
                continue
            entry = dict(_fields(value))
            text = entry.get(2)
            if entry.get(1) == WRITER and isinstance(text, bytes) and text:
                return text.decode("utf-8")
    except (ValueError, UnicodeDecodeError):
        return None
    return None


def _fields(data: bytes) -> Iterator[tuple[int, int | bytes]]:
    """``(field number, value)`` of each field of one message: an int for a varint, the raw
    bytes for a length-delimited field; fixed-width fields are skipped.

    Raises
    ------
    ValueError
        If the bytes end inside a field or use a wire type protobuf does not have.
    """
    at = 0
    while at < len(data):
        key, at = _varint(data, at)
        field, wire = key >> 3, key & 7
        if wire == _VARINT:
            value, at = _varint(data, at)
            yield field, value
        elif wire == _BYTES:
            size, at = _varint(data, at)
            if at + size > len(data):
                raise ValueError("length past the end")
            yield field, data[at : at + size]
            at += size
        elif wire in (_FIXED64, _FIXED32):
            at += 8 if wire == _FIXED64 else 4
            if at > len(data):
                raise ValueError("fixed field past the end")
        else:
            raise ValueError(f"wire type {wire}")


def _varint(data: bytes, at: int) -> tuple[int, int]:
    """The base-128 integer starting at ``at``, and where the next field starts."""
    value = shift = 0
    while True:
        if at >= len(data) or shift > 63:
            raise ValueError("varint past the end")
        byte = data[at]
        value |= (byte & 0x7F) << shift
        at += 1
        shift += 7
        if not byte & 0x80:
            return value, at
