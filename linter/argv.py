"""Command-line option parsing shared by `shiplint` and its subcommands.

By hand rather than with argparse: argparse alone costs about 10 ms at start, close to a bare
Python start, and `shiplint check` runs as a pre-commit hook on every commit.
"""

from __future__ import annotations


class UsageError(Exception):
    pass


class HelpRequested(Exception):
    pass


def parse_options(args: list[str], allowed: dict[str, bool]) -> tuple[list[str], dict[str, list[str]]]:
    positional: list[str] = []
    options: dict[str, list[str]] = {}
    i = 0
    while i < len(args):
        a = args[i]
        i += 1
        if a == "--":
            positional.extend(args[i:])
            break
        if a in ("-h", "--help"):
            raise HelpRequested
        if a.startswith("--"):
            name, eq, value = a.partition("=")
            if name not in allowed:
                raise UsageError(f"unknown option {name}")
            if allowed[name]:
                if not eq:
                    if i >= len(args):
                        raise UsageError(f"{name} needs a value")
                    value = args[i]
                    i += 1
                options.setdefault(name, []).append(value)
            else:
                if eq:
                    raise UsageError(f"{name} takes no value")
                options.setdefault(name, []).append("")
        elif a.startswith("-") and a != "-":
            raise UsageError(f"unknown option {a}")
        else:
            positional.append(a)
    return positional, options


def one(options: dict[str, list[str]], name: str, choices: tuple[str, ...] | None = None) -> str | None:
    values = options.get(name)
    if not values:
        return None
    value = values[-1]
    if choices is not None and value not in choices:
        raise UsageError(f"{name} must be one of {', '.join(choices)} (got {value!r})")
    return value
