"""Input limits and timeouts: one place that says how much pledgegraph reads, and for how long.

Every value has a default and an environment variable to change it (README, "Limits"):

- ``PLEDGEGRAPH_MAX_INPUT_MB`` (512): one input file or standard input (RDF, fact sheet,
  article);
- ``PLEDGEGRAPH_MAX_QUERY_KB`` (1024): the text of one SPARQL query (also a query file);
- ``PLEDGEGRAPH_MAX_NESTING`` (100): brackets in a query, JSON-LD arrays and objects, RDF/XML
  elements;
- ``PLEDGEGRAPH_MAX_RESPONSE_MB`` (64): one answer of a remote endpoint (``link``, ``SERVICE``);
- ``PLEDGEGRAPH_TIMEOUT`` (60): seconds a query may run (``query``, ``sparql``); 0 = no limit.

A value past a limit is refused before it is parsed, with one error naming the limit and the
variable that raises it. Nothing here imports anything heavy.
"""

from __future__ import annotations

import os
import re

from pledgegraph.errors import InputError

ENV_MAX_INPUT_MB = "PLEDGEGRAPH_MAX_INPUT_MB"
ENV_MAX_QUERY_KB = "PLEDGEGRAPH_MAX_QUERY_KB"
ENV_MAX_NESTING = "PLEDGEGRAPH_MAX_NESTING"
ENV_MAX_RESPONSE_MB = "PLEDGEGRAPH_MAX_RESPONSE_MB"
ENV_TIMEOUT = "PLEDGEGRAPH_TIMEOUT"
ENV_MAX_ARTICLE_KB = "PLEDGEGRAPH_MAX_ARTICLE_KB"

DEFAULT_MAX_INPUT_MB = 512
DEFAULT_MAX_QUERY_KB = 1024
DEFAULT_MAX_NESTING = 100
DEFAULT_MAX_RESPONSE_MB = 64
DEFAULT_TIMEOUT = 60.0
#: An article's text read by one extraction: a long report is a few hundred KB; a larger text
#: is a bundle of articles or hostile (an attack: 10 MB of sentences took 214 s and 808 MB).
DEFAULT_MAX_ARTICLE_KB = 1024

_MB = 1 << 20


def reads_as_zero(raw: str, value: float) -> bool:
    """Whether ``raw``, a number written as more than 0, became 0.0 as a float (``1e-400``): a
    timeout asked for as tiny would otherwise mean "no limit"."""
    if value != 0:
        return False
    from decimal import Decimal, InvalidOperation

    try:
        return Decimal(raw.strip()) != 0
    except (InvalidOperation, ValueError):
        return False


def _number(variable: str, default: float) -> float:
    raw = os.environ.get(variable, "").strip()
    if not raw:
        return default
    try:
        value = float(raw)
    except ValueError:
        value = -1.0
    if reads_as_zero(raw, value):
        no_limit = " (which means no limit)" if variable == ENV_TIMEOUT else ""
        raise InputError(
            f"{raw!r} is too small to tell from 0{no_limit}",
            hint=f"set {variable} to "
            + ("0 or to " if no_limit else "")
            + f"a number such as {default:g}, or unset it",
            where=variable,
        )
    if value == float("inf"):
        raise InputError(
            f"{raw!r} is not a finite number",
            hint=f"set {variable} to a number such as {default:g}, or unset it",
            where=variable,
        )
    if not value >= 0:
        raise InputError(
            f"{raw!r} is not a number of 0 or more",
            hint=f"set {variable} to a number such as {default:g}, or unset it",
            where=variable,
        )
    return value


def _bytes(value: float, unit: int) -> int:
    """A size limit in bytes (or characters): past 2**62 it is no limit anyway, and a float
    that large times ``unit`` would be infinite (an attack: PLEDGEGRAPH_MAX_INPUT_MB=1e308
    gave an OverflowError traceback)."""
    return int(min(value * unit, float(2**62)))


def max_input_bytes() -> int:
    """The largest input file read, in bytes (``PLEDGEGRAPH_MAX_INPUT_MB``)."""
    return _bytes(_number(ENV_MAX_INPUT_MB, DEFAULT_MAX_INPUT_MB), _MB)


def max_article_chars() -> int:
    """The longest article text one extraction reads, in characters
    (``PLEDGEGRAPH_MAX_ARTICLE_KB``)."""
    return _bytes(_number(ENV_MAX_ARTICLE_KB, DEFAULT_MAX_ARTICLE_KB), 1024)


def max_query_chars() -> int:
    """The longest SPARQL query text accepted, in characters (``PLEDGEGRAPH_MAX_QUERY_KB``)."""
    return _bytes(_number(ENV_MAX_QUERY_KB, DEFAULT_MAX_QUERY_KB), 1024)


def max_nesting() -> int:
    """The deepest nesting of brackets or elements accepted (``PLEDGEGRAPH_MAX_NESTING``).

    At most 65,535: a regular expression counts prefix operators up to it, and the parsers
    overflow their stacks long before (near 5,000 levels).
    """
    value = _number(ENV_MAX_NESTING, DEFAULT_MAX_NESTING)
    if value > _MAX_NESTING_CAP:
        raise InputError(
            f"{os.environ.get(ENV_MAX_NESTING, '').strip()!r} is more than {_MAX_NESTING_CAP:,}",
            hint=f"set {ENV_MAX_NESTING} to a number such as {DEFAULT_MAX_NESTING}, or unset it",
            where=ENV_MAX_NESTING,
        )
    return int(value)


_MAX_NESTING_CAP = 65_535


def max_response_bytes() -> int:
    """The largest answer read from a remote endpoint (``PLEDGEGRAPH_MAX_RESPONSE_MB``)."""
    return _bytes(_number(ENV_MAX_RESPONSE_MB, DEFAULT_MAX_RESPONSE_MB), _MB)


def default_timeout() -> float | None:
    """Seconds a query may run (``PLEDGEGRAPH_TIMEOUT``); ``None`` when set to 0."""
    value = _number(ENV_TIMEOUT, DEFAULT_TIMEOUT)
    return value or None


def size_text(size: int) -> str:
    """``size`` bytes for a message: ``512 MB``, ``1 KB``, ``100 bytes``."""
    if size >= _MB:
        return f"{round(size / _MB, 1):g} MB"
    if size >= 1024:
        return f"{round(size / 1024, 1):g} KB"
    return f"{size} bytes"


# --- nesting -------------------------------------------------------------------------------

_OPEN = b"([{"
_PAIRS = (b"()", b"[]", b"{}")


def bracket_depth_exceeds(brackets: bytes, limit: int) -> bool:
    """Whether a string of bracket characters nests deeper than ``limit``.

    Removes innermost pairs ``limit`` times (each pass in C, so a 500 MB input stays fast);
    what still holds a pair afterwards is deeper. Unbalanced input is left to the parser.
    """
    text = brackets
    for _ in range(limit):
        before = len(text)
        for pair in _PAIRS:
            text = text.replace(pair, b"")
        if len(text) == before:
            return False
        if not text:
            return False
    return any(pair in text for pair in _PAIRS)


_NOT_BRACKETS = bytes(b for b in range(256) if b not in b"()[]{}")


def only_brackets(data: bytes) -> bytes:
    """The bracket characters of ``data``, in order."""
    return data.translate(None, _NOT_BRACKETS)


_SPARQL_SKIP = re.compile(
    r"""'''(?:[^'\\]|\\.|'(?!''))*'''|\"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\""""
    r"""|'(?:[^'\\\n]|\\.)*'|"(?:[^"\\\n]|\\.)*"|<[^<>"{}|^`\\\x00-\x20]*>|\#[^\n]*|\\.""",
    re.S,
)


def query_nesting_exceeds(sparql: str, limit: int) -> bool:
    """Whether a query's brackets (outside strings, IRIs and comments) nest deeper than ``limit``."""
    code = _SPARQL_SKIP.sub(" ", sparql)
    # prefix operators nest like brackets in the parser ('!!!…!true' crashed it past ~100k)
    if re.search(r"(?:[!+\-^]\s*){" + str(limit + 1) + ",}", code):
        return True
    return bracket_depth_exceeds(only_brackets(code.encode("utf-8", "replace")), limit)
