"""The ``pledgegraph`` command line: the main group, the one error funnel, and its commands.

Each command lives in :mod:`pledgegraph.commands` (one module per group); this module only
builds the group and registers them. Exit codes: 0 success; 1 partly done (some inputs of a
batch failed); 2 bad input or usage (the message says what and where; the store is unchanged).
"""

from __future__ import annotations

import errno
import sys
from typing import Any

import click

from pledgegraph._version import __version__
from pledgegraph.commands._context import State, fail
from pledgegraph.errors import PledgeGraphError


class _Group(click.Group):
    """Turns every :class:`PledgeGraphError` into one ``Error:`` line and its exit code."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            result = super().invoke(ctx)
            sys.stdout.flush()  # buffered output fails here when the disk is full
            return result
        except PledgeGraphError as error:
            fail(error)
        except BrokenPipeError:  # `pledgegraph export | head`
            sys.stderr.close()
            sys.exit(0)
        except OSError as error:  # `pledgegraph export > /dev/full`
            if error.errno not in _WRITE_ERRORS:
                raise
            _drop_stdout()
            fail(
                PledgeGraphError(
                    f"cannot write: {error.strerror}",
                    hint="free some space, or write the output elsewhere",
                    where="output",
                )
            )


#: Errors of a write that no retry fixes: full disk, quota, file size limit, I/O error.
_WRITE_ERRORS = {errno.ENOSPC, errno.EDQUOT, errno.EFBIG, errno.EIO}


def _drop_stdout() -> None:
    """Point stdout at /dev/null, so the output left in its buffer is not written again (and
    does not fail again) when Python exits."""
    import os

    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
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
    "store') [env: PLEDGEGRAPH_STORE; default: ~/.local/share/pledgegraph/store]. "
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
