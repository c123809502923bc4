"""The note a running server leaves in its store, so other processes can name it.

While ``pledgegraph serve`` holds a store, ``SERVER_FILE`` in the store directory says which
process and URL: the store's lock error then reads "… is in use by pledgegraph serve at URL …"
(see :func:`pledgegraph.graph.storedir.serving_url`).
"""

from __future__ import annotations

import contextlib
import json
import os
from pathlib import Path

from pledgegraph.graph.storedir import SERVER_NOTE as SERVER_FILE


def claim(store_path: Path, url: str) -> None:
    """Write the note (atomically) for this process and ``url``."""
    note = store_path / SERVER_FILE
    temporary = note.with_suffix(".tmp")
    temporary.write_text(json.dumps({"pid": os.getpid(), "url": url}), encoding="utf-8")
    os.replace(temporary, note)


def release(store_path: Path) -> None:
    with contextlib.suppress(OSError):
        (store_path / SERVER_FILE).unlink()
