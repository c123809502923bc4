"""The one place where pledgegraph's errors are defined.

Every error a user can cause is a :class:`PledgeGraphError`. The CLI turns it into a single line
``Error: <where>: <what is wrong>; <what to do>`` on stderr and exits with ``exit_code``.
"""

from __future__ import annotations

import os
import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pathlib import Path

# Documented exit codes (README, "Exit codes").
EXIT_OK = 0
EXIT_PARTIAL = 1  # some inputs of a batch failed, or validation found errors
EXIT_USAGE = 2  # bad input: the command could not do what was asked
EXIT_INTERRUPTED = 130  # stopped with Ctrl-C (128 + SIGINT, as shells report it)
EXIT_TERMINATED = 143  # stopped with SIGTERM (128 + 15)

# C0/C1 control characters, DEL, and the Unicode controls that reorder or hide text
_CONTROLS = re.compile("[\x00-\x1f\x7f-\x9f\u061c\u200b-\u200f\u2028-\u202e\u2066-\u2069\ufeff]")
_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def printable(text: str) -> str:
    """``text`` with control characters shown as escapes (``\\x1b``, ``\\n``, ``\\u202e``).

    Data and remote answers can hold ANSI escape sequences or line breaks; printed raw they
    could rewrite the terminal or fake a second line. Everything meant for a human goes
    through this (every ``Error:`` line, result tables).
    """
    if not _CONTROLS.search(text):
        return text

    def escape(match: re.Match[str]) -> str:
        char = match.group(0)
        if char in _NAMED:
            return _NAMED[char]
        code = ord(char)
        return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"

    return _CONTROLS.sub(escape, text)


def counted(count: int, word: str) -> str:
    """``1 quad``, ``0 quads``, ``2 quads``: a count and its noun, for messages."""
    return f"{count} {word}{'' if count == 1 else 's'}"


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
        #: Further problems found in the same input (each printed as its own ``Error:`` line).
        self.also: tuple[PledgeGraphError, ...] = ()
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
        """The one line shown to the user (control characters escaped)."""
        text = self.problem
        if self.where:
            text = f"{self.where}: {text}"
        if self.hint:
            text = f"{text}; {self.hint}"
        return printable(text)

    @property
    def lines(self) -> list[str]:
        """The message, then those of the further problems: one line each."""
        return [self.message, *(other.message for other in self.also)]

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


class QueryTimeoutError(QueryError):
    """A query ran longer than its time limit.

    pyoxigraph cannot stop a query that is running: the thread evaluating it goes on until it
    ends, so ``work_left_running`` tells a command-line caller to end the process after
    printing the error (a reading query never changes the store).
    """

    work_left_running = True


class QueryInterrupted(PledgeGraphError):
    """The user pressed Ctrl-C while a query ran (nothing was written)."""

    exit_code = EXIT_INTERRUPTED
    work_left_running = True


class Interrupted(PledgeGraphError):
    """A command was stopped by Ctrl-C (exit 130) or SIGTERM (exit 143).

    ``hint`` says what state the store was left in (what a write in progress became).
    """

    def __init__(self, command: str, *, hint: str, terminated: bool = False) -> None:
        self.exit_code = EXIT_TERMINATED if terminated else EXIT_INTERRUPTED
        stopped = "stopped by SIGTERM" if terminated else "interrupted (Ctrl-C)"
        super().__init__(stopped, hint=hint, where=command)


def resolved(path: str | os.PathLike[str]) -> Path:
    """``Path(path).resolve()``, with a loop of symbolic links (Python 3.11 raises
    ``RuntimeError``) said as one line (an outside attack: ``ln -s a.ttl a.ttl`` gave a
    traceback in load, remove, export and backup)."""
    from pathlib import Path

    try:
        return Path(path).resolve()
    except RuntimeError:
        raise InputError(
            "is a loop of symbolic links", hint="point the link at a real file", path=str(path)
        ) from None
