"""SIGTERM as SystemExit, for the stretches that must clean up after themselves when a CI job is
cancelled: ShellCheck's temporary copies of scripts, and the worker processes of a parallel run.
Python's default for SIGTERM ends the process without running `finally` blocks."""

from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable


def exit_on_sigterm() -> Callable[[], None]:
    """Turn SIGTERM into SystemExit (in the main thread only); returns the undo."""
    import signal
    import threading

    if threading.current_thread() is not threading.main_thread():
        return lambda: None

    def stop(signum: int, frame: object) -> None:
        raise SystemExit(128 + signum)

    try:
        previous = signal.signal(signal.SIGTERM, stop)
    except (ValueError, OSError):
        return lambda: None

    def restore() -> None:
        signal.signal(signal.SIGTERM, previous)

    return restore
