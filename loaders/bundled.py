"""The bundled dataset: curated fact sheets shipped as package data."""

from __future__ import annotations

from importlib.resources import files

from pledgegraph.loaders.facts import FactSheet
from pledgegraph.loaders.factsheet import parse_factsheet


def bundled_factsheets() -> list[FactSheet]:
    """Every bundled ``*.pledges.yaml``, in name order."""
    folder = files("pledgegraph.loaders") / "data"
    sheets = []
    for entry in sorted(folder.iterdir(), key=lambda e: e.name):
        if entry.name.endswith(".pledges.yaml"):
            text = entry.read_text(encoding="utf-8")
            sheets.append(parse_factsheet(text, path=f"(bundled) {entry.name}"))
    return sheets
