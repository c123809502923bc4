"""The one place where pledgegraph's errors are defined.

Every error a user can cause is a :class:`PledgeGraphError`. The CLI turns it into a single line
``Error: <where>: <what is wrong>; <what to do>`` on stderr and exits with ``exit_code``.
"""

from __future__ import annotations

# Documented exit codes (README, "Exit codes").
EXIT_OK = 0
EXIT_PARTIAL = 1  # some inputs of a batch failed, or validation found errors
EXIT_USAGE = 2  # bad input: the command could not do what was asked


class PledgeGraphError(Exception):
    """Base class: an error caused by input the user can fix.

    ``where`` names the input (a path, ``path:line``, a query name or a store path),
    ``problem`` says what is wrong and ``hint`` what to do next.
    """

    exit_code = EXIT_USAGE

    def __init__(
        self,
        problem: str,
        *,
        hint: str = "",
        path: str | None = None,
        line: int | None = None,
        where: str | None = None,
    ) -> None:
        self.problem = problem
        self.hint = hint
        self.path = path
        self.line = line
        self._where = where
        super().__init__(self.message)

    @property
    def where(self) -> str | None:
        if self._where is not None:
            return self._where
        if self.path is None:
            return None
        return f"{self.path}:{self.line}" if self.line is not None else self.path

    @property
    def message(self) -> str:
        text = self.problem
        if self.where:
            text = f"{self.where}: {text}"
        if self.hint:
            text = f"{text}; {self.hint}"
        return text

    def __str__(self) -> str:
        return self.message


class InputError(PledgeGraphError):
    """A file the user gave cannot be read or is not valid (fact sheet, RDF, article)."""


class FactSheetError(InputError):
    """A fact sheet is malformed or holds a value the vocabulary does not know."""


class RdfSyntaxError(InputError):
    """An RDF file does not parse."""


class QueryError(PledgeGraphError):
    """A SPARQL query is malformed, or a stored query or its parameters are wrong."""

    def __init__(self, problem: str, *, query_name: str | None = None, **kwargs: object) -> None:
        self.query_name = query_name
        if query_name is not None and "where" not in kwargs and "path" not in kwargs:
            kwargs["where"] = f"query {query_name}"
        super().__init__(problem, **kwargs)  # type: ignore[arg-type]


class StoreError(PledgeGraphError):
    """The store cannot be opened or written (path, permissions, lock)."""


class StoreLockedError(StoreError):
    """Another process holds the store."""
