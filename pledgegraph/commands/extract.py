"""``pledgegraph extract``: article text -> fact sheet (YAML for review) or straight into the store.

Registered on the main group by :mod:`pledgegraph.cli`. Like every command it parses options,
calls the library (:func:`pledgegraph.loaders.text.read_article`,
:func:`pledgegraph.loaders.extraction.extract`) and formats the result.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import sys
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from pledgegraph.commands._context import FiniteRange
from pledgegraph.errors import EXIT_PARTIAL, EXIT_USAGE, InputError, PledgeGraphError, counted

if TYPE_CHECKING:
    from pledgegraph.graph.store import Store
    from pledgegraph.loaders.facts import FactSheet, PartialDate
    from pledgegraph.loaders.text import Article

SHEET_SUFFIX = ".pledges.yaml"


def _parse_published(value: str | None) -> PartialDate | None:
    from pledgegraph.loaders.facts import PartialDate

    if value is None:
        return None
    try:
        return PartialDate.parse(value)
    except ValueError as exc:
        raise click.BadParameter(f"{exc}", param_hint="'--published'") from None


def _inputs(paths: tuple[str, ...]) -> tuple[list[str], dict[str, str], bool]:
    """The article files to read, each file's sheet name without its suffix (a file found in
    a directory keeps its folders under the directory: ``a/b/page``), and whether they are a
    batch (several, or a directory)."""
    from pledgegraph.loaders.text import article_paths

    files: list[str] = []
    names: dict[str, str] = {}
    batch = len(paths) > 1
    for path in paths:
        if path != "-" and Path(path).is_dir():
            for found in article_paths(path):
                files.append(found)
                names.setdefault(found, Path(found).relative_to(path).with_suffix("").as_posix())
            batch = True
        else:
            files.append(path)
            names.setdefault(path, "stdin" if path == "-" else Path(path).stem)
    return files, names, batch


def _output_name(path: str, name: str, used: set[str]) -> str:
    """``name`` + the sheet suffix, made unique among the sheets of this run."""
    if name in used and path != "-":  # page.txt beside page.html: page.txt.pledges.yaml
        name = str(Path(name).with_name(Path(path).name).as_posix())
    while name in used:
        name += "_"
    used.add(name)
    return name + SHEET_SUFFIX


def _source_for(
    article: Article,
    *,
    url: str | None,
    title: str | None,
    publisher: str | None,
    published: PartialDate | None,
) -> Any:
    from pledgegraph.loaders.facts import PartialDate, Source

    page_date = None
    if article.published:
        try:
            page_date = PartialDate.parse(article.published)
        except ValueError:
            page_date = None
    digest = hashlib.sha256(article.text.encode("utf-8")).hexdigest()
    return Source(
        url=url or _iri_safe(article.url) or f"urn:sha256:{digest}",
        title=title or _plain(article.title),
        publisher=publisher or _plain(article.publisher),
        published=published or page_date,
    )


def _plain(text: str | None) -> str | None:
    """A page's title or publisher without the characters no fact sheet's text may hold
    (control and direction-override characters: an attack's page title with U+202E and BEL
    made a sheet that ``load`` refused, and ``--load`` stored them)."""
    if not text:
        return text
    import re

    from pledgegraph.loaders.factsheet import readable

    # (a terminal's colour codes whole, not "[31m" left behind)
    text = re.sub(r"\x1b\[[0-9;?]*[ -/]*[@-~]|\x1b[@-_]", " ", text)
    return " ".join(readable(text).split()) or None


def _iri_safe(url: str | None) -> str | None:
    """A page's own address (its Source line or canonical link) with the characters an IRI may
    not hold percent-encoded (a space, ``<>"{}|\\^`` and controls), as browsers send it;
    other characters, non-ASCII ones too, stay; ``None`` for one that is no IRI even so."""
    if not url:
        return url
    from pledgegraph.loaders.factsheet import url_problem

    url = url.strip()
    if url.startswith("<") and url.endswith(">"):
        url = url[1:-1]  # ("<https://example.org/x>": the address in its brackets)
    safe = "".join(
        "".join(f"%{b:02X}" for b in ch.encode("utf-8"))
        if ch in _NOT_IN_IRI or ord(ch) < 0x21 or 0x7F <= ord(ch) <= 0x9F
        else ch
        for ch in url
    )
    # an address no IRI can hold even so ("a#b#c", "%ZZ"): none, the text's hash names it
    return None if url_problem(safe) is not None else safe


_NOT_IN_IRI = frozenset('<>"{}|\\^`')


class _StoreHandle:
    """Opens the store on first use: through the main group's state when there is one."""

    def __init__(self) -> None:
        self._store: Store | None = None
        self._owned = False

    def get(self) -> Store:
        if self._store is None:
            ctx = click.get_current_context()
            state = ctx.find_root().obj
            if state is not None and hasattr(state, "store"):
                self._store = state.store()
            else:
                from pledgegraph.graph.store import Store

                self._store = Store.open(ctx.find_root().params.get("store_path"))
                self._owned = True
        return self._store

    def close(self) -> None:
        if self._store is not None and self._owned:
            self._store.close()
        self._store = None


def load_extracted(
    store: Store, sheet: FactSheet, text: str, *, path: str = "-", force: bool = False
) -> str:
    """Load one extracted sheet (its own named graph, replacing an older extraction of the same
    source) with span evidence and the extraction activity; return the line to report.

    A source the store holds from a fact sheet (loaded with ``load``: perhaps reviewed by
    hand) is not replaced by an extraction of the same article unless ``force``.
    """
    from pledgegraph.loaders.extraction import EXTRACTOR_AGENT
    from pledgegraph.loaders.factsheet import filed_sheet
    from pledgegraph.loaders.rdf import PROV, Extraction, source_graph

    graph = source_graph(filed_sheet(sheet))
    if (
        not force
        and store.has_graph(graph)
        and not store.count(graph, where=f"FILTER(?p = <{PROV}endedAtTime>)")
    ):
        raise InputError(
            "the store holds this article's source from a fact sheet (perhaps reviewed), not "
            "from an extraction",
            hint="pass --force to replace it with the extraction, or write the sheet with -o "
            "and compare",
            where=path,
        )
    extraction = Extraction(agent=EXTRACTOR_AGENT, ended=dt.datetime.now(dt.UTC))
    try:
        report = store.load_factsheet(sheet, text=text, extraction=extraction, replace=force)
    except InputError as error:  # (load's words: extract says --force for --replace)
        error.hint = error.hint.replace("load it with --replace", "pass --force")
        error.hint = error.hint.replace("--replace", "--force")
        raise
    verb = "unchanged" if report.unchanged else "replaced" if report.replaced else "loaded"
    line = f"{verb} {report.source}: {counted(report.quads, 'quad')} in <{report.graph}>"
    return "\n".join((line, *report.notes))  # (a shared node's other spelling: a warning)


@contextmanager
def _progress(items: list[str], show: bool) -> Iterator[Iterable[str]]:
    """A rich progress bar on stderr for a directory, when stderr is a terminal."""
    if not show or not sys.stderr.isatty():
        yield items
        return
    from rich.console import Console
    from rich.progress import track

    yield track(items, description="Extracting", console=Console(stderr=True), transient=True)


@click.command("extract")
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=str, allow_dash=True))
@click.option("--url", help="Address of the article (one input only) [default: the HTML page's "
              "canonical URL, else urn:sha256:<hash of the text>].")  # fmt: skip
@click.option("--title", help="Headline of the article (one input only) [default: from HTML].")
@click.option("--publisher", help="Who published the article [default: the HTML site name].")
@click.option(
    "--published",
    metavar="DATE",
    help="Publication date, YYYY, YYYY-MM or YYYY-MM-DD; resolves 'within three years'.",
)
@click.option(
    "-o",
    "--output",
    metavar="OUT",
    type=click.Path(path_type=str),
    help=f"Write the fact sheet to OUT; with several inputs OUT is a directory of "
    f"<name>{SHEET_SUFFIX} files.",
)
@click.option("--load", is_flag=True, help="Load the extracted pledges into the store instead.")
@click.option(
    "--force",
    is_flag=True,
    help="Replace a fact sheet that exists (by default it is kept: it may have been "
    "reviewed): with -o FILE one that exists is refused, with a directory -o existing sheets "
    "are kept, and with --load a source loaded from a fact sheet is refused.",
)
@click.option(
    "--min-confidence",
    type=FiniteRange(0, 1),
    default=0.0,
    show_default=True,
    metavar="C",
    help="Leave out targets whose confidence is below C; a note counts them. On texts the "
    "extractor was not developed on, most targets below 0.8 were wrong (docs/extraction.md).",
)
def extract(
    paths: tuple[str, ...],
    url: str | None,
    title: str | None,
    publisher: str | None,
    published: str | None,
    output: str | None,
    load: bool,
    force: bool,
    min_confidence: float,
) -> None:
    """Extract pledges from articles (.txt, .md or .html files, a directory, or - for stdin).

    A directory is searched recursively (hidden files and folders skipped); with -o its
    sheets are written in the same layout of sub-folders.

    Prints the fact sheet (YAML, for review) of one article; each target has the character
    span of the phrase that states it and a confidence. With -o the sheets are written to files,
    with --load they go straight into the store (one named graph per article, replacing an
    earlier extraction of it, with Web Annotation evidence and PROV provenance). An article
    with no pledge prints an empty sheet, but with -o or --load nothing is written or loaded
    for it (a note says so; exit code 0), so no source without pledges reaches the store.
    Nothing is downloaded. A bad file in a batch is reported and skipped (exit code 1).

    \b
    Examples:
      pledgegraph extract article.txt
      pledgegraph extract page.html --published 2020-08-20 -o page.pledges.yaml
      pledgegraph extract articles/ -o sheets/
      cat article.txt | pledgegraph extract - --url https://example.org/news/1 --load
    """
    from pledgegraph.loaders.extraction import extract as extract_sheet
    from pledgegraph.loaders.factsheet import dump_factsheet
    from pledgegraph.loaders.text import read_article

    if output is not None and load:
        raise click.UsageError("give either -o/--output or --load, not both")
    date = _parse_published(published)
    files, names, batch = _inputs(paths)
    if batch and (url is not None or title is not None):
        given = " and ".join(f"--{n}" for n, v in (("url", url), ("title", title)) if v)
        raise click.UsageError(
            f"{given} describe{'s' if ' ' not in given else ''} one article; give a single input"
        )
    if url is not None:
        from pledgegraph.loaders.factsheet import url_problem

        wrong = url_problem(url)
        if wrong is not None:
            raise InputError(wrong[0], hint=wrong[1], where="--url")
    out_dir: Path | None = None
    # ("-o sheets/" names a folder, made if missing: it wrote a file named "sheets")
    if output is not None and (batch or Path(output).is_dir() or output.endswith(os.sep)):
        out_dir = Path(output)
        _make_folder(out_dir)
    if output is not None and out_dir is None and not force and Path(output).is_file():
        raise InputError(
            "a fact sheet of that name exists already (it may have been reviewed)",
            hint="pass --force to replace it, or write to another file",
            where=output,
        )
    store = _StoreHandle()
    used: set[str] = set()
    failed = 0
    untitled = 0  # sheets written with pledges whose article gave no title
    first_document = True
    try:
        with _progress(files, show=batch) as items:
            for path in items:
                try:
                    article = read_article(path)  # (within PLEDGEGRAPH_MAX_ARTICLE_KB)
                    source = _source_for(
                        article, url=url, title=title, publisher=publisher, published=date
                    )
                    unplaced: list[tuple[int, int]] = []
                    sheet = replace(
                        extract_sheet(article.text, source=source, unplaced=unplaced), path=path
                    )
                    _note_unplaced(unplaced, article.text, path)
                    _check_sheet_size(sheet, path)
                    if min_confidence > 0:
                        sheet = _confident(sheet, min_confidence, path)
                    if not sheet.pledges and (load or output is not None):
                        # A sheet without pledges would load as a source that pledges nothing.
                        click.echo(
                            f"Note: {path}: no pledges found; nothing "
                            + ("loaded" if load else "written"),
                            err=True,
                        )
                        continue
                    if not sheet.pledges:
                        click.echo(
                            f"Note: {path}: no pledges found; the fact sheet is empty", err=True
                        )
                    _note_relative_deadlines(sheet, article.text, path)
                    no_title = bool(sheet.pledges and not sheet.source.title)
                    if no_title and not batch:
                        click.echo(
                            f"Note: {path}: no title found in the article; give one with "
                            "--title (the 'sources' and 'provenance' questions show it, "
                            "and validate warns without it)",
                            err=True,
                        )
                    if load:
                        click.echo(
                            load_extracted(
                                store.get(), sheet, article.text, path=path, force=force
                            ),
                            err=True,
                        )
                        untitled += no_title
                        continue
                    yaml_text = dump_factsheet(sheet)
                    if output is None:
                        if batch:
                            click.echo(f"--- # {path}")
                        elif not first_document:
                            click.echo("---")
                        click.echo(yaml_text, nl=False)
                        first_document = False
                        untitled += no_title
                        continue
                    if out_dir is None:
                        target = Path(output)
                        if not target.parent.exists():  # as for a folder of sheets
                            _make_folder(target.parent)
                    else:
                        target = out_dir / _output_name(path, names[path], used)
                        if target.exists() and not force:  # (kept as the README says:
                            click.echo(  # a note, not a failed input)
                                f"Note: {target}: a fact sheet of that name exists already (it "
                                "may have been reviewed); kept (--force replaces it)",
                                err=True,
                            )
                            continue
                        _make_folder(target.parent)
                    _write(target, yaml_text)
                    untitled += no_title  # (a sheet kept as it was is not counted)
                    found = sum(len(p.targets) for p in sheet.pledges)
                    click.echo(f"wrote {target} ({counted(found, 'target')})", err=True)
                except PledgeGraphError as error:
                    if not batch:
                        raise
                    click.echo(f"Error: {error.message}", err=True)
                    failed += 1
    finally:
        store.close()
    if batch and untitled:
        click.echo(
            f"Note: {counted(untitled, 'fact sheet')} without a title (none found in the "
            "article); add title: to each source (the 'sources' and 'provenance' questions "
            "show it, and validate warns without it)",
            err=True,
        )
    if failed:
        click.echo(f"{failed} of {len(files)} inputs could not be extracted", err=True)
        sys.exit(EXIT_USAGE if failed == len(files) else EXIT_PARTIAL)


def _confident(sheet: FactSheet, least: float, path: str) -> FactSheet:
    """``sheet`` without the targets whose confidence is below ``least`` (and the pledges
    left without a target); a note on stderr counts what was left out."""
    pledges, dropped = [], 0
    for pledge in sheet.pledges:
        kept = tuple(t for t in pledge.targets if t.confidence is None or t.confidence >= least)
        dropped += len(pledge.targets) - len(kept)
        if kept:
            pledges.append(replace(pledge, targets=kept))
    if dropped:
        click.echo(
            f"Note: {path}: {counted(dropped, 'target')} below confidence {least:g} left out",
            err=True,
        )
    return replace(sheet, pledges=tuple(pledges))


def _note_relative_deadlines(sheet: FactSheet, text: str, path: str) -> None:
    """A note when targets with no deadline stand near one counted from the publication date
    ("within three years") and that date is unknown: they were left without a deadline."""
    if sheet.source.published is not None:
        return
    from pledgegraph.loaders.extraction import patterns

    phrases = []
    for pledge in sheet.pledges:
        for target in pledge.targets:
            if pledge.deadline or target.deadline or target.span is None:
                continue
            # its sentence, at most 1,000 characters either side (text without full stops)
            reach = max(0, target.span[0] - 1000)
            start = text.rfind(".", reach, target.span[0]) + 1 or reach
            end = text.find(".", target.span[1], target.span[1] + 1000)
            sentence = text[start : end if end >= 0 else target.span[1] + 1000]
            found = patterns.DEADLINE_RELATIVE.search(sentence)
            found = found or patterns.DEADLINE_THIS_YEAR.search(sentence)
            if found:
                phrases.append(" ".join(found.group(0).split()))
    if phrases:
        click.echo(
            f"Note: {path}: {counted(len(phrases), 'target')} left without a deadline: "
            f'"{phrases[0]}" counts from the publication date, which is not known; '
            "give it with --published YYYY-MM-DD",
            err=True,
        )


def _check_sheet_size(sheet: FactSheet, path: str) -> None:
    """A sheet that load would refuse as too large is refused here, for -o and --load alike
    (an outside attack: -o wrote a pledge of 1,001 targets that load refused, and --load
    loaded it past the limit)."""
    from pledgegraph.loaders.factsheet import (
        MAX_PLEDGES_PER_SHEET,
        MAX_TARGETS_PER_PLEDGE,
        MAX_TARGETS_PER_SHEET,
    )

    most = max((len(p.targets) for p in sheet.pledges), default=0)
    total = sum(len(p.targets) for p in sheet.pledges)
    for found, limit, what in (
        (
            len(sheet.pledges),
            MAX_PLEDGES_PER_SHEET,
            "pledges, more than the {limit:,} a fact sheet may hold",
        ),
        (
            most,
            MAX_TARGETS_PER_PLEDGE,
            "targets in one pledge, more than the {limit:,} one pledge may list",
        ),
        (total, MAX_TARGETS_PER_SHEET, "targets, more than the {limit:,} a fact sheet may hold"),
    ):
        if found > limit:
            raise InputError(
                f"the article gives {found:,} " + what.format(limit=limit),
                hint="split the article into several (see README, Limits)",
                path=path,
            )


def _note_unplaced(spans: list[tuple[int, int]], text: str, path: str) -> None:
    """A note for counted targets left out for want of a region: without it an article whose
    pledges name no place reads as one with no pledges."""
    if not spans:
        return
    start, end = spans[0]
    quote = " ".join(text[start:end].split())
    quote = quote if len(quote) <= 60 else quote[:57] + "…"
    more = f" and {counted(len(spans) - 1, 'other')}" if len(spans) > 1 else ""
    click.echo(
        f"Note: {path}: left out '{quote}'{more}: the text names no region for "
        f"{'them' if more else 'it'}; name the place (or use --publisher/--url of a "
        "government's site) or write the fact sheet by hand",
        err=True,
    )


def _write(target: Path, text: str) -> None:
    try:
        target.write_text(text, encoding="utf-8")
    except OSError as exc:
        raise InputError(
            f"cannot write the fact sheet ({exc.strerror})",
            hint="check the -o path and its permissions",
            path=str(target),
        ) from None


def _make_folder(folder: Path) -> None:
    """The ``-o`` folder, or the sub-folder of it a sheet of a nested article goes to."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise InputError(
            f"cannot create the output directory ({exc.strerror})",
            hint="choose another -o",
            path=str(folder),
        ) from None
