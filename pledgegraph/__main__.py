"""``python -m pledgegraph`` and the ``pledgegraph`` command: the command-line interface.

:func:`run` imports the CLI itself, so that Ctrl-C or SIGTERM while Python is still importing
it ends with one ``Error:`` line and exit 130 or 143, not a traceback from importlib.
"""

import signal
import sys


class _Stopped(BaseException):
    """SIGTERM while starting."""


def _stop(signum: int, frame: object) -> None:
    raise _Stopped


def run() -> None:
    signal.signal(signal.SIGTERM, _stop)  # (until the command sets its own)
    try:
        from pledgegraph import cli
    except (KeyboardInterrupt, _Stopped) as stop:
        how, code = ("Ctrl-C", 130) if isinstance(stop, KeyboardInterrupt) else ("SIGTERM", 143)
        sys.stderr.write(f"Error: pledgegraph: stopped by {how} while starting; nothing was done\n")
        sys.exit(code)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    cli.STANDALONE = True
    cli.main()


if __name__ == "__main__":
    run()
