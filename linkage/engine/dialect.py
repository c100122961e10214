"""The one place where the rules' SQL meets an engine's dialect.

The rules are written once, in the subset DuckDB and Spark SQL share, with values bound as
``$name``. What the two engines spell differently is translated here and nowhere else:

* parameters: DuckDB binds ``$name``; Spark binds ``:name``;
* ``VARCHAR`` without a length: DuckDB's text type; Spark wants ``STRING``;
* quotes inside a string literal: the standard doubles them (``'victim''s'``); Spark before
  4.1 reads that as two literals run together (``victims``), and every Spark reads a
  backslash as an escape, so literals are respelled with backslash escapes.

Comments are kept as written (an apostrophe in one opens no literal). The statements use
nothing else that differs: nullable sort keys say ``NULLS FIRST`` (each
engine has its own default), divisions that must be exact are floored from a decimal, and
``NOT IN`` lists are filtered of nulls. The engine-equality tests hold the rest.
"""

from __future__ import annotations

import re
from typing import Any

__all__ = ["for_spark", "used_parameters"]

PARAMETER = re.compile(r"\$([A-Za-z_][A-Za-z0-9_]*)")
UNSIZED_VARCHAR = re.compile(r"\bVARCHAR\b(?!\s*\()", re.IGNORECASE)
STRING_LITERAL = re.compile(r"'(?:[^']|'')*'|--[^\n]*|/\*.*?\*/", re.DOTALL)
"""A string literal, or a comment (kept as written: an apostrophe in it opens no literal)."""


def used_parameters(sql: str, parameters: dict[str, Any] | None) -> dict[str, Any]:
    """The parameters ``sql`` names (as ``$name``): engines refuse or warn about extra ones.

    >>> used_parameters("SELECT $a + 1", {"a": 1, "b": 2})
    {'a': 1}
    """
    names = set(PARAMETER.findall(sql))
    return {k: v for k, v in (parameters or {}).items() if k in names}


def for_spark(sql: str) -> str:
    r"""``sql`` in Spark's spelling.

    >>> for_spark("SELECT CAST(NULL AS VARCHAR) AS v WHERE x < $limit_s")
    'SELECT CAST(NULL AS STRING) AS v WHERE x < :limit_s'
    >>> print(for_spark(r"SELECT 'the victim''s', 'C:\cases', '$1' AS p"))
    SELECT 'the victim\'s', 'C:\\cases', '$1' AS p
    >>> print(for_spark("SELECT 'a''s' -- the group's\n/* it's */ FROM t WHERE x = 'b''s'"))
    SELECT 'a\'s' -- the group's
    /* it's */ FROM t WHERE x = 'b\'s'
    """
    parts, end = [], 0
    for literal in STRING_LITERAL.finditer(sql):
        parts.append(_code_for_spark(sql[end : literal.start()]))
        end = literal.end()
        if not literal.group().startswith("'"):  # a comment
            parts.append(literal.group())
            continue
        inner = literal.group()[1:-1].replace("''", "'")
        parts.append("'" + inner.replace("\\", "\\\\").replace("'", "\\'") + "'")
    parts.append(_code_for_spark(sql[end:]))
    return "".join(parts)


def _code_for_spark(code: str) -> str:
    """SQL outside string literals, respelled."""
    return PARAMETER.sub(r":\1", UNSIZED_VARCHAR.sub("STRING", code))
