"""The one place where the rules' SQL meets an engine's dialect.

The rules are written once, in the subset DuckDB and Spark SQL share, with values bound as
``$name``. What the two engines spell differently is translated here and nowhere else:

* parameters: DuckDB binds ``$name``; Spark binds ``:name``;
* ``VARCHAR`` without a length: DuckDB's text type; Spark wants ``STRING``.

Nothing else differs in the statements linkage runs; the engine-equality test holds that.
"""

from __future__ import annotations

import re
from typing import Any

__all__ = ["for_spark", "used_parameters"]

PARAMETER = re.compile(r"\$([A-Za-z_][A-Za-z0-9_]*)")
UNSIZED_VARCHAR = re.compile(r"\bVARCHAR\b(?!\s*\()", re.IGNORECASE)


def used_parameters(sql: str, parameters: dict[str, Any] | None) -> dict[str, Any]:
    """The parameters ``sql`` names (as ``$name``): engines refuse or warn about extra ones.

    >>> used_parameters("SELECT $a + 1", {"a": 1, "b": 2})
    {'a': 1}
    """
    names = set(PARAMETER.findall(sql))
    return {k: v for k, v in (parameters or {}).items() if k in names}


def for_spark(sql: str) -> str:
    """``sql`` in Spark's spelling.

    >>> for_spark("SELECT CAST(NULL AS VARCHAR) AS v WHERE x < $limit_s")
    'SELECT CAST(NULL AS STRING) AS v WHERE x < :limit_s'
    """
    return PARAMETER.sub(r":\1", UNSIZED_VARCHAR.sub("STRING", sql))
