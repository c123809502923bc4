"""The ``pledgegraph`` command line: the main group, the one error funnel, and its commands.

Each command lives in :mod:`pledgegraph.commands` (one module per group); this module only
builds the group and registers them. Exit codes: 0 success; 1 partly done (some inputs of a
batch failed); 2 bad input or usage (the message says what and where; the store is unchanged).
"""

from __future__ import annotations

import errno
import re
import signal
import sys
import threading
from typing import Any, NoReturn

import click

from pledgegraph._version import __version__
from pledgegraph.commands._context import State, fail, test_kill_point
from pledgegraph.errors import Interrupted, PledgeGraphError, QueryInterrupted


class _Group(click.Group):
    """Turns every :class:`PledgeGraphError` and every usage error of click (unknown option,
    missing argument, bad choice…) into one ``Error:`` line and its exit code."""

    def make_context(
        self,
        info_name: str | None,
        args: list[str],
        parent: click.Context | None = None,
        **extra: Any,
    ) -> click.Context:
        try:  # the group's own options: `pledgegraph --nope`
            return super().make_context(info_name, args, parent, **extra)
        except _HELP_ERRORS:  # plain `pledgegraph`: click prints the help, as asked
            _flushed()
            raise
        except click.UsageError as error:
            fail(usage_error(error))
        except click.exceptions.Exit:  # --help, --version: printed; is it out?
            _flushed()
            raise
        except OSError as error:  # `pledgegraph --help > /dev/full`
            _output_failed(error)

    def resolve_command(
        self, ctx: click.Context, args: list[str]
    ) -> tuple[str | None, click.Command | None, list[str]]:
        name, command, rest = super().resolve_command(ctx, args)
        if command is not None:  # for usage errors click raises without a context
            ctx.meta[_COMMAND] = command.name
            if command.name in _WRITES:  # its result is the store's, not the output's
                _forgive(ctx, "stdout")
        return name, command, rest

    def invoke(self, ctx: click.Context) -> Any:
        _closed_to_devnull(ctx)
        _forgive(ctx, "stderr")
        settle = _signals_ignored_while_closing(ctx)
        try:
            result = super().invoke(ctx)
            sys.stdout.flush()  # buffered output fails here when the disk is full
            return result
        except PledgeGraphError as error:
            if isinstance(error, QueryInterrupted) and isinstance(error.__context__, Terminated):
                error = _as_terminated(error)
            fail(error)
        except KeyboardInterrupt as stop:  # Ctrl-C, or SIGTERM (see Terminated)
            fail(_interrupted(ctx, terminated=isinstance(stop, Terminated)))
        except click.UsageError as error:  # a command's options and arguments
            fail(usage_error(error, command=ctx.meta.get(_COMMAND)))
        except MemoryError:  # an input larger than this machine can hold (README, Limits)
            fail(out_of_memory(ctx.meta.get(_COMMAND)))
        except OSError as error:  # `pledgegraph export | head`, `… > /dev/full`
            _output_failed(error)
        finally:
            settle()


#: True when this process is the ``pledgegraph`` command itself (``__main__.run``), which
#: ends when the command does; False when a program (a test) calls :func:`main`.
STANDALONE = False

#: Commands that change the store: a reader of their output who goes away (``load … 2>&1 |
#: head -1``) does not stop them half-way; their exit code still tells how the write went. And
#: ``validate``, whose exit code is its answer (it exited 1, "problems found", when its reader
#: went away from a clean report).
_WRITES = frozenset(
    {"load", "remove", "reason", "link", "restore", "backup", "reindex", "import", "validate"}
)


class _Forgiving:
    """A text stream that, once it cannot be written (its reader has gone, a full disk, a
    closed descriptor), drops what is written to it instead of failing: messages on stderr
    (every command) and a write command's output.

    A query or an export still ends at a broken stdout (``export | head``): its output is all
    it does. The descriptor under it is pointed at /dev/null, so Python's last flush at exit
    does not fail again. ``note``: say once on stderr that output was dropped (not for a
    reader that went away, which is what ``| head`` means).
    """

    def __init__(self, stream: Any, *, note: bool = False) -> None:
        self._stream = stream
        self._gone = False
        self._note = note

    def write(self, text: str) -> int:
        if not self._gone:
            try:
                return int(self._stream.write(text))
            except OSError as error:
                self._go(error)
        return len(text)

    def flush(self) -> None:
        if not self._gone:
            try:
                self._stream.flush()
            except OSError as error:
                self._go(error)

    def _go(self, error: OSError) -> None:
        self._gone = True
        _to_devnull(self._stream)
        if self._note and not isinstance(error, BrokenPipeError):
            click.echo(
                f"Note: output: cannot write ({error.strerror or error}); the rest of it is "
                "dropped, the command goes on",
                err=True,
            )

    def __getattr__(self, name: str) -> Any:  # encoding, errors, fileno, isatty…
        return getattr(self._stream, name)


def _output_failed(error: OSError) -> NoReturn:
    """The end of a command whose output cannot be written: quietly with 0 when its reader
    went away (``export | head``), else one line and exit 2 (``export > /dev/full``)."""
    if isinstance(error, BrokenPipeError):
        _drop_stdout()
        sys.stderr.close()
        sys.exit(0)
    if error.errno not in _WRITE_ERRORS:
        raise error
    _drop_stdout()
    fail(
        PledgeGraphError(
            f"cannot write: {error.strerror}",
            hint="free some space, or write the output elsewhere",
            where="output",
        )
    )


def _flushed() -> None:
    """Flush stdout now, so that a failure to write it is handled as any other (after --help
    and --version, Python's own flush at exit would print a traceback)."""
    try:
        if sys.stdout is not None:
            sys.stdout.flush()
    except OSError as error:
        _output_failed(error)


def _signals_ignored_while_closing(ctx: click.Context) -> Any:
    """Once the command has done its work (or failed), Ctrl-C and SIGTERM are ignored while the
    store is closed and the process ends: one that came then made click print "Aborted!" and
    exit 1 ("partly done") after a complete load (an attack). Returns the function that starts
    ignoring them; the handlers before are put back as the last step of closing."""
    if threading.current_thread() is not threading.main_thread():
        return lambda: None
    before = {sig: signal.getsignal(sig) for sig in (signal.SIGINT, signal.SIGTERM)}

    def restore() -> None:
        # (the command's own process ends next: a signal now must not kill finished work)
        if not STANDALONE:
            for sig, handler in before.items():
                if handler is not None:  # (None: a handler not set from Python; leave it)
                    signal.signal(sig, handler)
        test_kill_point("closed")  # (tests: a signal as the process ends)

    ctx.call_on_close(restore)  # (first registered: run last)

    def ignore() -> None:
        for sig in before:
            signal.signal(sig, signal.SIG_IGN)

    return ignore


def _forgive(ctx: click.Context, name: str) -> None:
    """Put :class:`_Forgiving` around ``sys.<name>`` until the command ends."""
    stream = getattr(sys, name)
    if stream is None or isinstance(stream, _Forgiving):
        return
    setattr(sys, name, _Forgiving(stream, note=name == "stdout"))
    ctx.call_on_close(lambda: setattr(sys, name, stream))


def _closed_to_devnull(ctx: click.Context) -> None:
    """A standard stream the shell closed (``>&-``, ``2>&-``) is None in Python: give the
    command /dev/null there instead, so that it runs as with ``> /dev/null``."""
    import os

    for name in ("stdout", "stderr"):
        if getattr(sys, name) is None:
            devnull = open(os.devnull, "w", encoding="utf-8")  # noqa: SIM115 (closed below)
            setattr(sys, name, devnull)
            ctx.call_on_close(devnull.close)
            ctx.call_on_close(lambda name=name: setattr(sys, name, None))


class Terminated(KeyboardInterrupt):
    """SIGTERM, raised in the main thread: it unwinds a command as Ctrl-C does, so every
    clean-up written for Ctrl-C (a load's pending record, a query's thread) serves it too."""


def _raise_terminated(signum: int, frame: object) -> None:
    raise Terminated


def _catch_sigterm(ctx: click.Context) -> None:
    """Turn SIGTERM into :class:`Terminated` while the command runs (main thread only)."""
    if threading.current_thread() is not threading.main_thread():
        return
    previous = signal.signal(signal.SIGTERM, _raise_terminated)
    if not STANDALONE:  # (the command's own process keeps ignoring it until it ends)
        ctx.call_on_close(lambda: signal.signal(signal.SIGTERM, previous))


def _interrupted(ctx: click.Context, *, terminated: bool) -> Interrupted:
    """The one line for a command stopped by Ctrl-C or SIGTERM, after settling the store.

    Writes are all-or-nothing through the store's pending record (see ``Store.recover``):
    running that recovery now, under the lock still held, takes the new graphs of a cut-off
    load out again (and a reasoning run's working graphs), so the store is as before that
    write; a replacement whose new version was already whole in its journal is finished
    instead. Then the store is closed (its lock released). A second Ctrl-C or SIGTERM during
    this clean-up is ignored, so it is not cut short.
    """
    from pledgegraph.commands.load import FILES, WRITTEN

    previous = {sig: signal.signal(sig, signal.SIG_IGN) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        command = str(ctx.meta.get(_COMMAND) or "pledgegraph")
        current = ctx.find_object(State)
        store = current.opened if current is not None else None
        finished = committed = False
        if store is not None and current is not None:
            pending = store.state().get("pending")
            finished = isinstance(pending, dict) and bool(
                pending.get("journal") and (pending.get("replace") or pending.get("drop"))
            )
            # A write past its commit, cut off in the steps after it (rows, links, unused
            # shared nodes): recover() finishes those; the store holds the new data.
            committed = store.state().get("follow") is not None
            store.recover()
            current.close()
        written = ctx.meta.get(WRITTEN)
        several = int(ctx.meta.get(FILES) or 0) > 1
        if command == "restore":
            hint = (
                "the store is the one before the restore or the whole backup, never a mix; "
                "run 'pledgegraph stats' to see which"
            )
        elif command == "load" and store is None:
            # (stopped before the store was opened: while the workers read the first sheets)
            hint = "nothing was loaded: the store was not opened yet; run the command again"
        elif several and not finished:
            # Which files were written is the store's to say: a batch of sheets is one write,
            # counted once it returns, and the stop may fall in between.
            hint = (
                "each file is in the store whole or not at all"
                + (f" ({written} reported loaded above)" if written else "")
                + "; 'pledgegraph stats --graphs' shows which, or load them all again "
                "(a file loaded again replaces itself)"
            )
        elif committed and not written:
            hint = (
                "the write had already reached the store and has been finished (the store "
                "holds the new data)"
            )
        elif finished:
            hint = (
                "the write in progress was already whole in the store's journal and has been "
                "finished (the store holds the new version)"
            )
        elif written:
            hint = f"{written} loaded before it stay loaded, the others were not; load them again"
        elif command == "backup":
            hint = "the store is unchanged and no backup was written; run the command again"
        else:
            hint = "the store is unchanged; run the command again"
        return Interrupted(command, hint=hint, terminated=terminated)
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)


def _as_terminated(error: QueryInterrupted) -> QueryInterrupted:
    """A query stopped by SIGTERM: said so, with exit 143 (the query code sees Ctrl-C)."""
    stopped = QueryInterrupted("stopped by SIGTERM", hint=error.hint, where=error.where)
    stopped.exit_code = 143
    stopped.work_left_running = error.work_left_running
    return stopped


#: Click's "no arguments: show the help" (a usage error since click 8.2): not an error line.
_HELP_ERRORS: tuple[type[Exception], ...] = tuple(
    error
    for error in (getattr(click.exceptions, "NoArgsIsHelpError", None),)
    if isinstance(error, type)
)
#: ``ctx.meta`` key: the name of the command the group is running.
_COMMAND = "pledgegraph.command"


def usage_error(error: click.UsageError, *, command: str | None = None) -> PledgeGraphError:
    """Click's usage error as our one line: ``<command>: <what is wrong>; see its --help``.

    Click would print a usage block of three or four lines; the rule for every bad input is one
    ``Error:`` line (exit 2), and ``--help`` is one command away.
    """
    ctx = error.ctx
    if ctx is not None:
        command = ctx.info_name if ctx.parent is not None else None
    where = command or "pledgegraph"
    hint = f"see 'pledgegraph {command} --help'" if command else "see 'pledgegraph --help'"
    if isinstance(error, click.NoSuchOption):
        problem = f"no such option {error.option_name}"
        root = ctx.find_root().command if ctx is not None and ctx.parent is not None else None
        if root is not None and any(error.option_name in p.opts for p in root.params):
            # ('pledgegraph query parks-by-year --store S': an option of pledgegraph itself)
            problem += f" (it is an option of pledgegraph itself, given before {command!r})"
            hint = f"write 'pledgegraph {error.option_name} … {command} …'"
        elif error.possibilities:
            problem += f" (did you mean {' or '.join(sorted(error.possibilities))}?)"
    elif isinstance(error, click.MissingParameter) and error.param is not None:
        kind = "argument" if isinstance(error.param, click.Argument) else "option"
        problem = f"missing {kind} {_param_name(error.param)}"
    elif isinstance(error, click.BadParameter):
        named = (
            _param_name(error.param) if error.param is not None else _hint_text(error.param_hint)
        )
        problem = f"invalid value for {named}: {_plain(_sentence(error.message))}"
    else:
        problem = _sentence(error.message)
    return PledgeGraphError(problem, hint=hint, where=where)


#: Click's wording for numbers out of their range, as a user would say it (patterns compiled
#: only when a usage error is written, not at every start).
_RANGE_WORDS = (
    (r"is not a valid integer(?: range)?$", "is not a whole number"),
    (r"is not a valid float(?: range)?$", "is not a number"),
    (r"is not in the range (\S+)<=x<=(\S+)$", r"must be from \1 to \2"),
    (r"is not in the range x>=(\S+)$", r"must be at least \1"),
    (r"is not in the range x<=(\S+)$", r"must be at most \1"),
    (r"is not in the range x>(\S+)$", r"must be more than \1"),
    (r"is not in the range x<(\S+)$", r"must be less than \1"),
    (r"is not in the range (\S+)<x<=(\S+)$", r"must be more than \1 and at most \2"),
    (r"is not in the range (\S+)<=x<(\S+)$", r"must be at least \1 and less than \2"),
    (r"is not in the range (\S+)<x<(\S+)$", r"must be between \1 and \2"),
)


def _plain(message: str) -> str:
    for pattern, words in _RANGE_WORDS:
        message = re.sub(pattern, words, message)
    return message


def _param_name(param: click.Parameter) -> str:
    if isinstance(param, click.Argument):
        return (param.name or "argument").upper()
    return "/".join(param.opts) or (param.name or "option")


def _hint_text(hint: object) -> str:
    if isinstance(hint, (list, tuple)):
        return "/".join(str(h).strip("'\"") for h in hint)
    return str(hint or "a parameter").strip("'\"")


def _sentence(message: str) -> str:
    """Click's sentence as a clause: ``No such command 'x'.`` -> ``no such command 'x'``."""
    text = " ".join(message.split()).rstrip(".")
    return text[:1].lower() + text[1:] if text[1:2].islower() or len(text) < 2 else text


#: Errors of a write that no retry fixes: full disk, quota, file size limit, I/O error.
_WRITE_ERRORS = {errno.ENOSPC, errno.EDQUOT, errno.EFBIG, errno.EIO}


def _drop_stdout() -> None:
    """Point stdout at /dev/null, so the output left in its buffer is not written again (and
    does not fail again) when Python exits."""
    _to_devnull(sys.stdout)


def _to_devnull(stream: Any) -> None:
    """Point the descriptor under ``stream`` at /dev/null."""
    import os

    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, stream.fileno())
        os.close(devnull)
    except (OSError, ValueError, AttributeError):  # not a real file (tests)
        pass


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "-V", "--version", prog_name="pledgegraph")
@click.option(
    "--store",
    "store_path",
    envvar="PLEDGEGRAPH_STORE",
    metavar="DIR|URL",
    help="Store directory, or the http(s) URL of a SPARQL 1.1 server (see README, 'Remote "
    "store') [env: PLEDGEGRAPH_STORE; default: $XDG_DATA_HOME/pledgegraph/store, ~/.local/share/pledgegraph/store without it]. "
    "Created on first use, in a new or empty directory, with the ontology and the bundled "
    "dataset; a directory holding other files is refused.",
)
@click.pass_context
def main(ctx: click.Context, store_path: str | None) -> None:
    """A SPARQL knowledge graph of government technology pledges.

    \b
    Examples:
      pledgegraph queries
      pledgegraph query parks-by-year --param year=2022
      pledgegraph sparql 'SELECT ?r WHERE { ?p pledge:region ?r }'
      pledgegraph load my-article.pledges.yaml
      pledgegraph export --format jsonld -o pledges.jsonld
    """
    current = State(store_path)
    ctx.obj = current
    _catch_sigterm(ctx)  # (before the store's close is registered: its undoing runs after it)
    ctx.call_on_close(current.close)


def _register_commands() -> None:
    from pledgegraph.commands.export import export, import_
    from pledgegraph.commands.extract import extract
    from pledgegraph.commands.link import link
    from pledgegraph.commands.load import load
    from pledgegraph.commands.query import list_queries, query, sparql
    from pledgegraph.commands.reason import reason
    from pledgegraph.commands.reindex import reindex
    from pledgegraph.commands.serve import serve
    from pledgegraph.commands.store import backup, remove, restore, stats
    from pledgegraph.commands.validate import validate

    for command in (list_queries, query, sparql, load, export, stats, backup, restore):
        main.add_command(command)
    for command in (extract, link, reason, reindex, validate, serve, import_, remove):
        main.add_command(command)


_register_commands()


def out_of_memory(command: object) -> PledgeGraphError:
    """The one line for a command that ran out of memory (a limit not reached, yet too much).

    Writes are all-or-nothing through the store's pending record: a write cut short here is
    undone (or, if its journal was complete, finished) at the next open.
    """
    return PledgeGraphError(
        "ran out of memory",
        hint="give a smaller input (see README, Limits) or free some memory; "
        "a write cut short is undone at the next open",
        where=str(command or "pledgegraph"),
    )
