"""The gazetteer kept between runs in the user's cache folder (loaders/regions.py): read back
only when it is sound and the user's own, rebuilt otherwise, and never in the way."""

from __future__ import annotations

import os
import pickle
import subprocess
import sys
from pathlib import Path

import pytest

from pledgegraph.loaders import regions

#: Prints what the gazetteer says of a few regions, and whether it was built in this process.
PROBE = """
import sys
from pledgegraph.loaders import regions
built = []
real = regions._built
regions._built = lambda: built.append(1) or real()
g = regions.gazetteer()
print(g.get("CN-HE").name_en, g.resolve("Zhejiang").key, g.get("DE").name_en, "built" if built else "read")
"""


def probe(
    cache: Path | str, *, home: Path | None = None, cwd: Path | None = None
) -> tuple[str, str]:
    env = {**os.environ, "XDG_CACHE_HOME": str(cache), **({"HOME": str(home)} if home else {})}
    done = subprocess.run(
        [sys.executable, "-c", PROBE],
        env=env,
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
        cwd=cwd,
    )
    *said, how = done.stdout.split()
    return " ".join(said), how


@pytest.fixture
def cache(tmp_path: Path) -> Path:
    return tmp_path / "cache"


def kept(cache: Path) -> list[Path]:
    return sorted((cache / "pledgegraph").glob("gazetteer-*.pickle"))


def test_built_once_then_read_back_with_the_same_answers(cache: Path) -> None:
    first = probe(cache)
    assert first[1] == "built"
    assert len(kept(cache)) == 1
    assert oct(kept(cache)[0].stat().st_mode & 0o777) == oct(0o600)
    second = probe(cache)
    assert second == (first[0], "read")


@pytest.mark.parametrize(
    "spoil",
    [
        lambda p: p.write_bytes(p.read_bytes()[:1000]),  # cut short (a kill while writing)
        lambda p: p.write_bytes(b"not a pickle at all"),
        lambda p: p.write_bytes(pickle.dumps({"not": "a gazetteer"})),
        lambda p: p.chmod(0o666),  # writable by others: not unpickled
    ],
    ids=["cut-short", "garbage", "another-object", "writable-by-others"],
)
def test_a_spoiled_copy_is_built_again_and_replaced(cache: Path, spoil) -> None:  # type: ignore[no-untyped-def]
    answers, _ = probe(cache)
    spoil(kept(cache)[0])
    assert probe(cache) == (answers, "built")
    assert probe(cache) == (answers, "read")


def test_a_symbolic_link_is_not_followed(cache: Path, tmp_path: Path) -> None:
    answers, _ = probe(cache)
    [path] = kept(cache)
    elsewhere = tmp_path / "elsewhere.pickle"
    path.rename(elsewhere)
    path.symlink_to(elsewhere)
    assert probe(cache) == (answers, "built")


def test_a_cache_folder_that_cannot_be_written_costs_only_the_build(tmp_path: Path) -> None:
    blocked = tmp_path / "file-not-folder"
    blocked.write_text("x")  # the cache "folder" is a file: nothing can be made under it
    answers, how = probe(blocked)
    assert how == "built"
    assert probe(blocked) == (answers, "built")
    assert blocked.read_text() == "x"


def test_copies_of_other_versions_are_dropped(cache: Path) -> None:
    folder = cache / "pledgegraph"
    folder.mkdir(parents=True)
    old = folder / "gazetteer-0123456789abcdef01234567.pickle"
    old.write_bytes(b"old")
    other = folder / "notes.txt"
    other.write_text("mine")
    probe(cache)
    assert not old.exists()
    assert other.read_text() == "mine"
    assert len(kept(cache)) == 1


def test_the_name_changes_with_what_it_is_built_from(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    before = regions._cache_file()
    copy = tmp_path / "regions.py"
    copy.write_text(Path(regions.__file__).read_text() + "\n# changed\n")
    monkeypatch.setattr(regions, "__file__", str(copy))
    after = regions._cache_file()
    assert before is not None and after is not None
    assert before.parent == after.parent == tmp_path / "pledgegraph"
    assert before != after


def test_a_fifo_in_place_of_the_copy_does_not_block(cache: Path) -> None:
    """An attack: a named pipe at the copy's path made every command that resolves a region
    wait for ever (a load too, holding the store's lock)."""
    answers, _ = probe(cache)
    [path] = kept(cache)
    path.unlink()
    os.mkfifo(path)
    assert probe(cache) == (answers, "built")  # (a hang is probe's timeout)


def test_parts_of_cut_off_writes_are_swept(cache: Path) -> None:
    """An attack: writes cut off by SIGKILL left .gazetteer-* parts that were never removed.
    A part an hour old goes at the next write; a young one (another process's write in
    progress) stays."""
    folder = cache / "pledgegraph"
    folder.mkdir(parents=True)
    old = folder / ".gazetteer-cutoff1"
    old.write_bytes(b"half")
    os.utime(old, (1_000_000_000, 1_000_000_000))
    young = folder / ".gazetteer-inprogress"
    young.write_bytes(b"half")
    probe(cache)
    assert not old.exists()
    assert young.exists()


def test_a_relative_cache_home_is_ignored(tmp_path: Path) -> None:
    """An attack: XDG_CACHE_HOME=relcache made ./relcache/pledgegraph in the current folder
    (the XDG spec says a relative value is to be ignored)."""
    home = tmp_path / "home"
    home.mkdir()
    work = tmp_path / "work"
    work.mkdir()
    assert probe("relcache", home=home, cwd=work)[1] in ("built", "read")
    assert list(work.iterdir()) == []
    assert list((home / ".cache" / "pledgegraph").glob("gazetteer-*.pickle"))


def test_a_relative_data_home_is_ignored_for_the_default_store(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """The same attack for the default store: XDG_DATA_HOME=rel made ./rel/pledgegraph/store."""
    from pledgegraph.graph.store import default_store_path

    monkeypatch.delenv("PLEDGEGRAPH_STORE", raising=False)
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.setenv("XDG_DATA_HOME", "rel")
    assert default_store_path() == tmp_path / ".local" / "share" / "pledgegraph" / "store"
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    assert default_store_path() == tmp_path / "data" / "pledgegraph" / "store"
