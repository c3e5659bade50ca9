"""`shiplint lsp`: a language server for editors, over stdio (see linter.lsp.server).

This module imports nothing heavy: pygls (about 0.3 s) is imported only once the server starts,
so that `shiplint lsp --help` is quick and nothing else in shiplint ever loads it.
"""

from __future__ import annotations

import sys

HELP = """\
usage: shiplint lsp [--stdio] [--debounce MS]

Run the shiplint language server on standard input and output, for an editor to start.

options:
  --stdio          talk over stdin and stdout (the default and only transport; accepted
                   because many editors pass it)
  --debounce MS    lint a changed document this many milliseconds after the last change
                   (default: 200)
"""


def main(argv: list[str]) -> int:
    from linter.argv import HelpRequested, UsageError, one, parse_options

    try:
        positional, options = parse_options(argv, {"--stdio": False, "--debounce": True})
        if positional:
            raise UsageError(f"lsp takes no arguments (got {positional[0]!r})")
        debounce = 0.2
        value = one(options, "--debounce")
        if value is not None:
            try:
                debounce = float(value) / 1000
            except ValueError:
                raise UsageError(f"--debounce takes milliseconds (got {value!r})") from None
            if not 0 <= debounce <= 60:
                raise UsageError(f"--debounce takes 0 to 60000 milliseconds (got {value!r})")
    except HelpRequested:
        sys.stdout.write(HELP)
        return 0
    except UsageError as e:
        print(f"shiplint: {e} (see shiplint lsp --help)", file=sys.stderr)
        return 2
    try:
        from linter.lsp.server import create_server
    except ImportError as e:  # pygls is a dependency, but a broken install should say so clearly
        print(f"shiplint: the language server needs pygls ({e}); pip install pygls", file=sys.stderr)
        return 2
    stdin, stdout = sys.stdin.buffer, sys.stdout.buffer
    sys.stdout = sys.stderr  # the protocol owns stdout: a stray print must not corrupt it
    create_server(debounce).start_io(stdin, stdout)
    return 0
