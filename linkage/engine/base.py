"""The face every engine shows the rules."""

from __future__ import annotations

from typing import Any, Protocol

import pyarrow as pa

__all__ = ["Engine"]


class Engine(Protocol):
    """Runs portable SQL over named Arrow tables.

    A statement binds values as ``$name`` parameters; an adapter translates that to its own
    syntax. ``create`` materializes a result under a name so later statements can use it.
    """

    name: str

    def register(self, table_name: str, table: pa.Table) -> None:
        """Make ``table`` queryable as ``table_name``."""

    def query(self, sql: str, parameters: dict[str, Any] | None = None) -> pa.Table:
        """Run a SELECT and return its rows."""

    def create(self, table_name: str, sql: str, parameters: dict[str, Any] | None = None) -> None:
        """Run a SELECT and keep its rows as ``table_name``."""

    def drop(self, table_name: str) -> None:
        """Forget ``table_name`` (registered or created), letting go of its rows; a name the
        engine did not make is no error. (Spark frees a checkpointed table's blocks when its
        cleaner finds them unreferenced, not at once.)"""

    def close(self) -> None:
        """Release the engine's resources."""
