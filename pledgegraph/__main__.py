"""``python -m pledgegraph`` and the ``pledgegraph`` command: the command-line interface.

:func:`run` imports the CLI itself, so that Ctrl-C while Python is still importing it (the
first ~50 ms) ends with the one ``Error:`` line and exit 130, not a traceback from importlib.
"""

import sys


def run() -> None:
    try:
        from pledgegraph.cli import main
    except KeyboardInterrupt:
        sys.stderr.write(
            "Error: pledgegraph: interrupted (Ctrl-C) while starting; nothing was done\n"
        )
        sys.exit(130)
    main()


if __name__ == "__main__":
    run()
