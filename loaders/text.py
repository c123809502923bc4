"""Read an article into plain text: a ``.txt``/``.md`` file, an ``.html`` page, or standard input.

The text returned is what the extractor's span offsets point into (and what ``text_sha256``
hashes): a text file's decoded content (UTF-8, without a byte-order mark), or the main text of
an HTML page as extracted by trafilatura (imported only when HTML is read). Bad input raises
:class:`~pledgegraph.errors.InputError` with one clear message: binary, not UTF-8, empty, no
article text in the HTML, unreadable path.
"""

from __future__ import annotations

import io
import re
import sys
from dataclasses import dataclass, replace
from pathlib import Path
from typing import BinaryIO, Literal

from pledgegraph.errors import InputError

ArticleFormat = Literal["text", "markdown", "html"]

#: File name endings the extractor reads, and what they hold.
SUFFIXES: dict[str, ArticleFormat] = {
    ".txt": "text",
    ".text": "text",
    ".md": "markdown",
    ".markdown": "markdown",
    ".html": "html",
    ".htm": "html",
    ".xhtml": "html",
}
_SUFFIX_LIST = ".txt, .md or .html"
_HTML_SNIFF = re.compile(rb"^\s*(?:<!doctype\s+html|<html|<head|<body|<article|<p[\s>]|<div)", re.I)
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([\w-]+)""", re.I)
_MIN_WORDS = 3


@dataclass(frozen=True, slots=True)
class Article:
    """An article's text and what its file says about it."""

    text: str
    name: str  # the path as the user gave it, or "-" for standard input
    format: ArticleFormat
    title: str | None = None  # from HTML metadata
    url: str | None = None
    published: str | None = None  # YYYY-MM-DD from HTML markup; never guessed from the text
    publisher: str | None = None


def article_format(path: str) -> ArticleFormat | None:
    """The format a file name's ending announces, or ``None`` if the extractor does not read it."""
    return SUFFIXES.get(Path(path).suffix.lower())


def article_paths(path: str) -> list[str]:
    """The article files under a directory, found recursively (as ``load DIR`` finds fact
    sheets: hidden files and folders skipped, sorted by their path within the directory);
    fact sheets (``*.pledges.yaml``) are not articles."""
    from pledgegraph.loaders.folders import files_in

    def wanted(name: str) -> bool:
        return article_format(name) is not None and not name.endswith(".pledges.yaml")

    files = files_in(path, wanted)
    if not files:
        raise InputError(
            f"holds no {_SUFFIX_LIST} files",
            hint="give a directory of article files, or the files themselves",
            path=path,
        )
    return files


def read_bytes(path: str, *, limit: int | None = None, what: str = "input") -> bytes:
    """The bytes of a file, or of standard input for ``-``, with one clear error per problem.

    Reads at most ``limit`` bytes (default ``PLEDGEGRAPH_MAX_INPUT_MB``): a larger file, or a
    stream that does not end (``/dev/zero``), is an :class:`InputError`, found before it is
    read whole. ``what`` names the input in that message.
    """
    from pledgegraph.limits import ENV_MAX_INPUT_MB, ENV_MAX_QUERY_KB, max_input_bytes, size_text

    size = max_input_bytes() if limit is None else limit
    variable = ENV_MAX_QUERY_KB if what == "query" else ENV_MAX_INPUT_MB
    try:
        if path == "-":
            data = _read_capped(sys.stdin.buffer, size)
        else:
            with Path(path).open("rb") as handle:
                data = _read_capped(handle, size)
    except FileNotFoundError:
        raise InputError("no such file", hint="check the path", path=path) from None
    except IsADirectoryError:
        raise InputError(
            "is a directory, not a file", hint="name the files inside it", path=path
        ) from None
    except OSError as exc:
        raise InputError(
            f"cannot read: {exc.strerror}", hint="check the path and its permissions", path=path
        ) from None
    if data is None:
        raise InputError(
            f"the {what} is larger than the limit of {size_text(size)}",
            hint=f"set {variable} to raise the limit",
            path=path,
        )
    return data


def _read_capped(handle: BinaryIO, limit: int) -> bytes | None:
    """At most ``limit`` bytes of ``handle``; ``None`` if there is more."""
    try:
        import os

        known = os.fstat(handle.fileno()).st_size
    except (OSError, ValueError, io.UnsupportedOperation):
        known = 0
    if known > limit:
        return None
    chunks: list[bytes] = []
    total = 0
    while True:
        chunk = handle.read(min(1 << 20, limit + 1 - total))
        if not chunk:
            return b"".join(chunks)
        chunks.append(chunk)
        total += len(chunk)
        if total > limit:
            return None


def read_article(path: str) -> Article:
    """Read one article file, or standard input for ``-`` (its format is then sniffed)."""
    if path == "-":
        return parse_article(read_bytes("-"), name="-")
    fmt = article_format(path)
    target = Path(path)
    if target.is_dir():
        raise InputError(
            "is a directory, not a file",
            hint="name the directory itself to read all its articles",
            path=path,
        )
    if fmt is None and target.exists():
        raise InputError(
            f"is not a {_SUFFIX_LIST} file",
            hint="save the article as text, Markdown or HTML with one of those endings",
            path=path,
        )
    if not target.exists():
        raise InputError("no such file", hint="check the path", path=path)
    return parse_article(read_bytes(path), name=path, format=fmt)


def _empty_hint(name: str) -> str:
    if name == "-":
        return "pipe the article's text in, e.g. cat article.txt | pledgegraph extract -"
    return "give a file that holds the article's text"


def parse_article(data: bytes, *, name: str, format: ArticleFormat | None = None) -> Article:
    """Turn an article's bytes into its text; ``format`` ``None`` sniffs HTML from the content."""
    if not data.strip():
        raise InputError("is empty", hint=_empty_hint(name), path=name)
    if data[:2] in (b"\xff\xfe", b"\xfe\xff") and b"\x00" in data[2:64]:  # (its NULs say binary)
        raise InputError(
            "is UTF-16 text, not UTF-8",
            hint="convert it to UTF-8 first, e.g. iconv -f UTF-16 -t UTF-8",
            path=name,
        )
    if b"\x00" in data[:8192]:
        raise InputError(
            "is a binary file, not article text",
            hint=f"give a {_SUFFIX_LIST} file",
            path=name,
        )
    fmt: ArticleFormat = format or ("html" if _HTML_SNIFF.match(data[:2048]) else "text")
    if fmt == "html":
        _check_size(len(data), HTML_PER_TEXT, name)
        return _checked(_html_article(data, name))
    text = _decode(data, name)
    if not text.strip():
        raise InputError("is empty", hint=_empty_hint(name), path=name)
    return _checked(
        _with_source_line(
            Article(
                text=text,
                name=name,
                format=fmt,
                title=_heading(text) if fmt == "markdown" else None,
            )
        )
    )


#: An HTML page may hold this many times the article text one extraction reads
#: (PLEDGEGRAPH_MAX_ARTICLE_KB): markup, scripts and styles; past it the page is refused
#: before it is parsed (an attack: 26 MB of empty elements took 62 s and 782 MB to parse).
HTML_PER_TEXT = 8


def _check_size(size: int, per_char: int, name: str) -> None:
    """Refuse an article past ``PLEDGEGRAPH_MAX_ARTICLE_KB`` (README, Limits): its text
    (``per_char`` 1, a count of characters) or an HTML page's bytes before it is parsed
    (``per_char`` :data:`HTML_PER_TEXT`)."""
    from pledgegraph.limits import ENV_MAX_ARTICLE_KB, max_article_chars, size_text

    limit = per_char * max_article_chars()
    if size <= limit:
        return
    if per_char == 1:
        problem = (
            f"the article's text has {size:,} characters, more than the {limit:,} "
            f"({size_text(limit).replace('bytes', 'characters')}) one extraction reads"
        )
        hint = "split it into its articles"
    else:
        problem = (
            f"the HTML page is {size_text(size)}, more than the {size_text(limit)} one "
            f"extraction parses ({per_char} times the article text it reads)"
        )
        hint = "save the article's own text"
    raise InputError(
        problem, hint=f"{hint}, or set {ENV_MAX_ARTICLE_KB} to raise the limit", path=name
    )


def _checked(article: Article) -> Article:
    _check_size(len(article.text), 1, article.name)
    return article


_HEADING = re.compile(r"\A\s*#[ \t]+(\S[^\n]{0,300}?)[ \t#]*$", re.M)


def _heading(text: str) -> str | None:
    """A Markdown article's headline: the level-1 heading it opens with (``# Title``)."""
    match = _HEADING.match(text)
    return match.group(1).strip() if match else None


def _with_source_line(article: Article) -> Article:
    """A saved page whose first line is ``Source: <url> — <publisher> — <licence>`` describes
    itself: the address, the publisher and a date in the address (``/2016/02/05/``) become the
    article's ``url``, ``publisher`` and ``published``, as an HTML page's metadata would."""
    from pledgegraph.loaders.extraction.page import source_line, url_date

    line = source_line(article.text)
    if line is None or "://" not in line.url:
        return article
    date = url_date(line.url)
    return replace(
        article,
        url=line.url,
        publisher=line.publisher,
        published=str(date) if date is not None else None,
    )


def _decode(data: bytes, name: str, *, charset: str | None = None) -> str:
    if charset:
        try:
            return data.decode(charset)
        except (LookupError, UnicodeDecodeError):
            pass
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(
            f"is not UTF-8 text (byte 0x{data[exc.start]:02x} at offset {exc.start})",
            hint="convert it to UTF-8 first, e.g. iconv -f GB18030 -t UTF-8",
            path=name,
        ) from None


def _html_article(data: bytes, name: str) -> Article:
    declared = _META_CHARSET.search(data[:4096])
    charset = declared.group(1).decode("ascii", "replace") if declared else None
    if charset and charset.lower().replace("_", "-") in ("utf-8", "utf8"):
        charset = None
    html = _decode(data, name, charset=charset)
    try:
        import trafilatura
    except ImportError:  # pragma: no cover - trafilatura is in the "html" extra
        raise InputError(
            "is HTML, and reading HTML needs trafilatura",
            hint="install the html extra: pip install 'pledgegraph[html]' (from a checkout: "
            "pip install -e '.[html]')",
            path=name,
        ) from None
    text = trafilatura.extract(
        html,
        output_format="txt",
        include_comments=False,
        include_tables=True,
        include_links=False,
        include_images=False,
        deduplicate=False,
    )
    if not text or len(re.findall(r"\w{2,}", text)) < _MIN_WORDS:
        raise InputError(
            "holds no article text that could be found in the HTML",
            hint="check that the page is the article itself, or save its text as .txt",
            path=name,
        )
    # Dates from the page's markup only (meta tags, <time>, JSON-LD datePublished, the URL):
    # the extensive search also reads years out of the text and took a deadline ("by 2026")
    # for the publication date.
    meta = trafilatura.extract_metadata(html, extensive=False)
    title = getattr(meta, "title", None) if meta is not None else None
    url = getattr(meta, "url", None) if meta is not None else None
    date = getattr(meta, "date", None) if meta is not None else None
    publisher = getattr(meta, "sitename", None) if meta is not None else None
    return Article(
        text=text,
        name=name,
        format="html",
        title=title or None,
        url=url if url and "://" in url else None,
        published=date if date and re.fullmatch(r"\d{4}(?:-\d{2}(?:-\d{2})?)?", date) else None,
        publisher=publisher or None,
    )
