"""The store's directory: what is ours in it, who holds it, and which database is current.

A store directory holds exactly these, and pledgegraph never removes anything else::

    pledgegraph-store.json   the marker: names the current database ("database": "db-<hex>")
    pledgegraph.lock         held (flock) by the one process using the store; holds its pid
    db-<hex>/                the database (RocksDB files, the state file, the load journal)

- A directory becomes a store only if it is new or empty; an existing directory without the
  marker is refused (so ``--store ~/thesis`` can never delete a thesis).
- The lock file never moves, so the lock is held across a restore: a restore copies the backup
  into a new ``db-<hex>``, then switches the marker (one atomic rename: the commit point), then
  removes the old database. A crash before the switch leaves the old store, after it the new;
  the next :func:`claim` removes whatever database the marker does not name.
- A store written by pledgegraph before the marker existed (the database files directly in the
  directory) is moved into this layout the first time it is opened, crash-safely.
"""

from __future__ import annotations

import contextlib
import errno
import json
import os
import re
import shutil
import signal
import time
import uuid
from pathlib import Path

from pledgegraph.errors import StoreError, StoreLockedError

ENV_STORE = "PLEDGEGRAPH_STORE"
MARKER = "pledgegraph-store.json"
#: Written into every backup, so a backup is never mistaken for an old-layout store.
BACKUP_MARKER = "pledgegraph-backup.json"
LOCK_FILE = "pledgegraph.lock"
#: Written by a running ``pledgegraph serve``: its pid and URL (named in the lock error).
SERVER_NOTE = "pledgegraph-server.json"
STATE_FILE = "pledgegraph-state.json"
JOURNAL_DIR = "pledgegraph-journal"
#: Only tests set this: the name of a step at which the process kills itself (SIGKILL).
ENV_KILL_AT = "PLEDGEGRAPH_TEST_KILL_AT"

_DATABASE = re.compile(r"db-[0-9a-f]{32}")
#: Files of the old layout (database files directly in the store directory).
_LEGACY = re.compile(
    r"CURRENT|IDENTITY|LOCK|LOG|LOG\.old\.\d+|MANIFEST-\d+|OPTIONS-\d+(\.dbtmp)?|\d+\.(sst|log|blob)"
    r"|bulk-[^/]*\.sst|pledgegraph-state\.(json|tmp)|pledgegraph\.pid|pledgegraph-journal"
)
#: How many of RocksDB's rotated info logs (``LOG.old.*``, ~140 KB per open) to keep.
KEEP_OLD_LOGS = 1


def kill_point(step: str) -> None:
    """Die here (SIGKILL) if a test asked for it: crash tests of every step of a write.

    ``STEP:INT`` or ``STEP:TERM`` sends SIGINT or SIGTERM instead (what Ctrl-C and a service
    manager do), so tests can check the message the command then prints.
    """
    asked = os.environ.get(ENV_KILL_AT)
    if not asked:
        return
    name, _, how = asked.partition(":")
    if name == step:
        sig = {"INT": signal.SIGINT, "TERM": signal.SIGTERM}.get(how, signal.SIGKILL)
        os.kill(os.getpid(), sig)


class StoreDirectory:
    """A store directory this process holds (the lock is taken; the layout is settled)."""

    def __init__(self, path: Path, lock: int) -> None:
        self.path = path
        self._lock: int | None = lock

    @property
    def database(self) -> Path:
        return self.path / _read_marker(self.path)["database"]

    def current(self) -> Path | None:
        """The current database, or None if the marker is damaged (a restore repairs it)."""
        try:
            return self.database
        except StoreError:
            return None

    def new_database(self) -> Path:
        return self.path / f"db-{uuid.uuid4().hex}"

    def switch_to(self, database: Path) -> Path | None:
        """Make ``database`` the current one (atomic); return the one it replaced, if any."""
        old = self.current()
        _write_marker(self.path, database.name)
        return old if old is not None and old != database and old.exists() else None

    def release(self) -> None:
        if self._lock is not None:
            with contextlib.suppress(OSError):
                os.ftruncate(self._lock, 0)
            os.close(self._lock)
            self._lock = None


def claim(path: str | Path, wait: float, *, repair: bool = False) -> StoreDirectory:
    """Check ``path`` can be a store, take its lock (waiting up to ``wait`` s), settle it.

    Settling removes what an interrupted restore left (databases the marker does not name),
    bulk-load leftovers and old info logs, and moves an old-layout store into this layout.
    ``repair`` (for a restore) accepts a store whose marker or database is damaged.
    """
    target, where = _absolute(path)
    try:
        _check_can_be_store(target, where)
        target.mkdir(parents=True, exist_ok=True)
        lock = _lock(target, where, wait)
    except PermissionError:
        raise StoreError(
            "cannot create or write the store here (permission denied)",
            hint=f"pass --store with a writable directory or set {ENV_STORE}",
            where=where,
        ) from None
    except OSError as exc:
        raise StoreError(
            f"cannot open the store: {exc.strerror or exc}",
            hint=f"pass --store with a writable directory or set {ENV_STORE}",
            where=where,
        ) from None
    directory = StoreDirectory(target, lock)
    try:
        _settle(target, where)
    except StoreError:
        if not repair:
            directory.release()
            raise
    except BaseException:
        directory.release()
        raise
    return directory


def check(path: str | Path) -> None:
    """Raise :class:`StoreError` unless ``path`` is a store, or could become one (changes nothing)."""
    target, where = _absolute(path)
    try:
        _check_can_be_store(target, where)
    except PermissionError:
        raise StoreError(
            "cannot read the store here (permission denied)",
            hint=f"pass --store with a writable directory or set {ENV_STORE}",
            where=where,
        ) from None


def _absolute(path: str | Path) -> tuple[Path, str]:
    """The absolute store path, and how to name it in messages."""
    if str(path) == "":
        raise StoreError(
            "the store path is empty",
            hint=f"pass --store with a directory or set {ENV_STORE}",
            where="--store",
        )
    target = Path(os.path.abspath(Path(path).expanduser()))
    where = str(path)
    if Path(path).name in ("", ".", ".."):
        where = f"{path} ({target})"
    return target, where


def _check_can_be_store(target: Path, where: str) -> None:
    if not target.exists():
        return
    if not target.is_dir():
        raise StoreError(
            "is a file, not a store directory",
            hint=f"pass --store with a directory or set {ENV_STORE}",
            where=where,
        )
    if (target.resolve().parent / MARKER).exists() and _DATABASE.fullmatch(target.resolve().name):
        raise StoreError(  # a store's own database folder: converting it would hide the data
            "is the database folder inside the store " + str(target.resolve().parent),
            hint=f"pass --store {target.resolve().parent}",
            where=where,
        )
    if (target / MARKER).exists() or _is_legacy(target):
        return
    if (target / BACKUP_MARKER).exists():
        raise StoreError(
            "is a backup, not a store",
            hint=f"restore it into a store: pledgegraph --store DIR restore {where}",
            where=where,
        )
    foreign = [p.name for p in target.iterdir() if not _ours(p.name)]
    if foreign:
        raise StoreError(
            "is not a pledgegraph store and not empty",
            hint="pass --store with a new or empty directory (a store is never made "
            "in a directory holding other files)",
            where=where,
        )


def _ours(name: str) -> bool:
    """Names a store creates before its marker exists (a creation that was interrupted)."""
    return name in (LOCK_FILE, MARKER + ".tmp") or bool(_DATABASE.fullmatch(name))


def _is_legacy(target: Path) -> bool:
    return (
        (target / "CURRENT").is_file()
        and (target / STATE_FILE).is_file()
        and not (target / BACKUP_MARKER).exists()
    )


def _lock(target: Path, where: str, wait: float) -> int:
    """Take the store's lock file (flock), waiting up to ``wait`` seconds; return its fd."""
    import fcntl

    handle = os.open(target / LOCK_FILE, os.O_RDWR | os.O_CREAT, 0o644)
    deadline = time.monotonic() + wait
    delay = 0.05
    while True:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            break
        except OSError as exc:
            if exc.errno not in (errno.EAGAIN, errno.EWOULDBLOCK, errno.EACCES):
                os.close(handle)
                raise
            if time.monotonic() >= deadline:
                owner = _read_pid(handle)
                os.close(handle)
                url = serving_url(target, owner)
                if url is not None:  # a running `pledgegraph serve` holds it
                    raise StoreLockedError(
                        f"the store at {where} is in use by pledgegraph serve at {url} "
                        f"(pid {owner})",
                        hint=f"query it over HTTP ({url}/sparql), or stop the server first",
                    ) from None
                raise StoreLockedError(
                    f"the store at {where} is in use by another pledgegraph process"
                    + (f" (pid {owner})" if owner else ""),
                    hint="wait for it to finish, or use another --store",
                ) from None
        time.sleep(delay)
        delay = min(delay * 2, 0.5)
    os.ftruncate(handle, 0)
    os.pwrite(handle, f"{os.getpid()}\n".encode(), 0)
    return handle


def serving_url(target: Path, owner: int | None) -> str | None:
    """The URL of the ``pledgegraph serve`` process ``owner``, if it is the one holding ``target``.

    The server writes :data:`SERVER_NOTE` beside the lock (see :mod:`pledgegraph.server.holder`).
    """
    try:
        note = json.loads((target / SERVER_NOTE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(note, dict) or owner is None or note.get("pid") != owner:
        return None
    url = note.get("url")
    return url if isinstance(url, str) else None


def _read_pid(handle: int) -> int | None:
    try:
        return int(os.pread(handle, 32, 0).decode("ascii").strip())
    except (OSError, ValueError):
        return None


def _read_marker(target: Path) -> dict[str, str]:
    try:
        value = json.loads((target / MARKER).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        value = None
    if (
        not isinstance(value, dict)
        or not isinstance(value.get("database"), str)
        or not _DATABASE.fullmatch(value["database"])
    ):
        raise StoreError(
            f"the store's marker file {MARKER} is damaged",
            hint="restore the store from a backup ('pledgegraph restore DIR')",
            where=str(target),
        )
    return {k: v for k, v in value.items() if isinstance(v, str)}


def _write_marker(target: Path, database: str, **extra: str) -> None:
    """Write the marker atomically and durably (temporary file, fsync, rename, fsync dir)."""
    text = json.dumps({"store": "pledgegraph", "version": "1", "database": database, **extra})
    temporary = target / (MARKER + ".tmp")
    with temporary.open("w", encoding="utf-8") as handle:
        handle.write(text + "\n")
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(temporary, target / MARKER)
    fsync_directory(target)


def fsync_directory(path: Path) -> None:
    handle = os.open(path, os.O_RDONLY)
    try:
        os.fsync(handle)
    finally:
        os.close(handle)


def _settle(target: Path, where: str) -> None:
    """Under the lock: finish or undo an interrupted restore or migration; drop leftovers."""
    if not (target / MARKER).exists():
        if _is_legacy(target):
            _migrate(target, where)
        else:  # a new store (or one whose creation was interrupted: only our names in it)
            filled = sorted(
                entry.name
                for entry in target.iterdir()
                if _DATABASE.fullmatch(entry.name) and entry.is_dir() and any(entry.iterdir())
            )
            if len(filled) == 1:
                # The marker is written before a database gets its first file, so a database
                # with files had a marker: it was lost (deleted by hand). Adopt the database.
                _write_marker(target, filled[0])
            elif filled:
                raise StoreError(
                    f"the marker file {MARKER} is missing and {len(filled)} databases are "
                    f"here ({', '.join(filled)})",
                    hint=f"write {MARKER} naming the current one as "
                    '{"database": "db-…"}, or restore the store from a backup',
                    where=where,
                )
            else:
                for entry in target.iterdir():
                    if _DATABASE.fullmatch(entry.name):
                        _remove(entry)  # empty: a creation killed before its marker
                database = target / f"db-{uuid.uuid4().hex}"
                database.mkdir()
                _write_marker(target, database.name)
    marker = _read_marker(target)
    current = marker["database"]
    database = target / current
    if not database.is_dir():  # (checked before anything is removed)
        raise StoreError(
            f"the database {current} named by {MARKER} is missing",
            hint="restore the store from a backup ('pledgegraph restore DIR')",
            where=where,
        )
    (target / MARKER).with_name(MARKER + ".tmp").unlink(missing_ok=True)
    for entry in target.iterdir():
        if _DATABASE.fullmatch(entry.name) and entry.name != current:
            _remove(entry)  # a restore's copy never switched to, or the one it replaced
    if marker.get("legacy"):
        for entry in sorted(target.iterdir()):
            if _LEGACY.fullmatch(entry.name):
                _remove(entry)
                kill_point("migrate-removing")
        _write_marker(target, current)
    tidy_database(database)


def _remove(entry: Path) -> None:
    """Remove a file or directory we created; a symbolic link is removed, never followed."""
    if entry.is_dir() and not entry.is_symlink():
        shutil.rmtree(entry)
    else:
        entry.unlink(missing_ok=True)


def tidy_database(database: Path) -> None:
    """Remove what a killed bulk load leaves and RocksDB's older rotated info logs."""
    for leftover in database.glob("bulk-*.sst"):
        leftover.unlink(missing_ok=True)
    (database / "pledgegraph.pid").unlink(missing_ok=True)
    logs = sorted(database.glob("LOG.old.*"), key=lambda p: p.name)
    for log in logs[: max(len(logs) - KEEP_OLD_LOGS, 0)]:
        log.unlink(missing_ok=True)


def _migrate(target: Path, where: str) -> None:
    """Move an old-layout store (database files in ``target`` itself) into ``db-<hex>/``.

    A consistent copy (a RocksDB checkpoint: hard links) is made first, the marker written
    last but one with ``legacy`` set, and the old files removed after: a crash anywhere leaves
    either the old layout (tried again at the next open) or the new one.
    """
    import pyoxigraph as ox

    for entry in target.iterdir():
        if _DATABASE.fullmatch(entry.name):
            _remove(entry)  # an earlier migration that did not finish
    database = target / f"db-{uuid.uuid4().hex}"
    try:
        old = ox.Store(str(target))
        old.flush()
        old.backup(str(database))
        del old
    except OSError as exc:
        raise StoreError(
            f"cannot convert this store to the current layout: {exc}",
            hint="make sure no older pledgegraph is using it, then try again",
            where=where,
        ) from None
    shutil.copy2(target / STATE_FILE, database / STATE_FILE)
    if (target / JOURNAL_DIR).is_dir():
        shutil.copytree(target / JOURNAL_DIR, database / JOURNAL_DIR)
    kill_point("migrate-copied")
    _write_marker(target, database.name, legacy="1")
    kill_point("migrate-switched")
