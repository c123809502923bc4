"""Docs that cannot drift: every command has help and is in the README; README examples run."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from pledgegraph.cli import main
from tests.conftest import Invoke

README = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")


def _commands() -> list[str]:
    return sorted(main.commands)


@pytest.mark.parametrize("name", _commands())
def test_every_command_has_help_and_is_in_the_readme(name: str) -> None:
    command = main.commands[name]
    assert command.help and len(command.help) > 20, name
    result = CliRunner().invoke(main, [name, "--help"])
    assert result.exit_code == 0
    assert result.stdout.startswith(f"Usage: main {name}") or result.stdout.startswith("Usage: ")
    assert f"pledgegraph {name}" in README, f"README does not mention 'pledgegraph {name}'"


def test_every_option_has_help() -> None:
    for name, command in main.commands.items():
        for param in command.params:
            if isinstance(param, click.Option):
                assert param.help, f"{name} {param.opts} has no help"


def _examples() -> list[str]:
    block = (
        README.split("Examples (each runs as written):", 1)[1]
        .split("```sh", 1)[1]
        .split("```", 1)[0]
    )
    return [line for line in block.strip().splitlines() if line.startswith("pledgegraph ")]


@pytest.mark.parametrize("example", _examples())
def test_readme_examples_run(
    example: str, cli: Invoke, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    args = shlex.split(example)[1:]
    result = cli(*args)
    assert result.exit_code == 0, (example, result.stderr)


def test_readme_names_the_stored_queries_command() -> None:
    assert re.search(r"make demo", README) and re.search(r"make test", README)


def test_readmes_file_of_a_place_of_ones_own_loads_and_is_counted(
    cli: Invoke, tmp_path: Path
) -> None:
    """The README's Turtle for a place the gazetteer does not know (a new user had to guess
    one): it validates without errors, loads, and its province's question lists it."""
    section = README.split("### A place the gazetteer does not know", 1)[1]
    text = section.split("```turtle\n", 1)[1].split("```", 1)[0]
    path = tmp_path / "yiwu.ttl"
    path.write_text(text, encoding="utf-8")
    assert cli("validate", str(path)).exit_code == 0
    assert cli("load", str(path)).exit_code == 0
    result = cli("query", "region-pledges", "--param", "region=CN-ZJ", "--format", "csv")
    assert result.exit_code == 0
    assert "https://example.org/my-notes/yiwu,Yiwu," in result.stdout
