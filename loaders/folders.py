"""The files a folder holds for ``pledgegraph load DIR``: fact sheets and RDF files, in order
(and, with another test of the name, the articles of ``pledgegraph extract DIR``).

In: a directory. Out: the paths of its fact sheets (``*.yaml``, ``*.yml``) and RDF files
(``*.ttl``, ``*.nt``, ``*.nq``, ``*.trig``, ``*.jsonld``, ``*.rdf``, ``*.owl`` and the long
spellings ``.turtle``, ``.ntriples``, ``.nquads``), found recursively, sorted by their path
relative to the directory (so the order does not depend on the file system). Hidden files and
folders (a name starting with ``.``) are skipped, and so are ``*.json`` and ``*.xml``: too many
files that are not RDF end so (load them by name). Symbolic links are followed, each folder
once: a link back up the tree (a loop) is not entered again.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from pathlib import Path

from pledgegraph.errors import InputError

__all__ = ["FOLDER_EXTENSIONS", "expand", "files_in"]

#: File name endings a folder walk picks up (case-insensitive).
FOLDER_EXTENSIONS = (
    ".yaml",
    ".yml",
    ".ttl",
    ".turtle",
    ".nt",
    ".ntriples",
    ".nq",
    ".nquads",
    ".trig",
    ".jsonld",
    ".rdf",
    ".owl",
)


def _loadable(name: str) -> bool:
    return name.lower().endswith(FOLDER_EXTENSIONS)


def files_in(directory: str, wanted: Callable[[str], bool] = _loadable) -> list[str]:
    """The fact sheets and RDF files under ``directory`` (see the module's docstring), or
    the files whose name ``wanted`` accepts.

    Raises :class:`InputError` when ``directory`` cannot be read.
    """
    root = Path(directory)
    found: list[tuple[tuple[str, ...], str]] = []
    seen: set[tuple[int, int]] = set()

    def walk(folder: Path, parts: tuple[str, ...]) -> None:
        try:
            info = folder.stat()
        except OSError as exc:
            if not parts:
                raise InputError(
                    f"cannot read the folder: {exc.strerror}", hint="check it", path=directory
                ) from None
            return  # a dangling link
        if (info.st_dev, info.st_ino) in seen:
            return  # a loop, or a second link to a folder already walked
        seen.add((info.st_dev, info.st_ino))
        try:
            entries = sorted(os.scandir(folder), key=lambda e: e.name)
        except OSError as exc:
            if not parts:
                raise InputError(
                    f"cannot read the folder: {exc.strerror}", hint="check it", path=directory
                ) from None
            raise InputError(
                f"cannot read the folder {'/'.join(parts)}: {exc.strerror}",
                hint="check its permissions, or move it out of the folder",
                path=directory,
            ) from None
        for entry in entries:
            if entry.name.startswith("."):
                continue
            try:
                is_dir = entry.is_dir()
                is_file = entry.is_file()
            except OSError:
                continue
            if is_dir:
                walk(Path(entry.path), (*parts, entry.name))
            elif is_file and wanted(entry.name):
                found.append(((*parts, entry.name), entry.path))

    walk(root, ())
    return [path for _, path in sorted(found)]


def expand(names: Iterable[str]) -> tuple[list[str], list[str]]:
    """The paths of ``pledgegraph load`` and ``validate`` arguments: each folder replaced by the
    files it holds (:func:`files_in`), each file once (the same file named twice, on the line,
    by a link or in a folder given too, would be loaded and counted twice); ``-`` (standard
    input, which can be read once) once too. Returns the paths and the repeats left out."""
    paths: list[str] = []
    repeated: list[str] = []
    seen: set[str] = set()
    for name in names:
        for path in files_in(name) if name != "-" and os.path.isdir(name) else [name]:
            same = os.path.realpath(path) if path != "-" else "-"  # stdin reads once
            if same in seen:
                repeated.append(path)
                continue
            seen.add(same)
            paths.append(path)
    return paths, repeated
