"""Generators for the files made from rules/, and their drift checks (`make catalog`, `make docs`,
and `make test`, which runs them with --check):

    python -m linter.devtools catalog [--check]   linter/_catalog.py, the compiled catalog
    python -m linter.devtools docs [--check]      docs/rules.md, the rule reference

It sits at the top, beside cli.py, because it reads the catalog (engine) and renders it (report).
"""

from __future__ import annotations

import os
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def _write_or_check(path: str, text: str, check: bool, command: str) -> int:
    if check:
        try:
            with open(path, encoding="utf-8") as f:
                if f.read() == text:
                    return 0
        except OSError:
            pass
        print(f"{os.path.relpath(path, ROOT)} is stale: run `{command}`", file=sys.stderr)
        return 1
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)
    return 0


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    what = args[0] if args else ""
    check = "--check" in args[1:]
    if what == "catalog":
        from linter.engine.catalog import COMPILED, write_compiled

        return _write_or_check(COMPILED, write_compiled(), check, "make catalog")
    if what == "docs":
        from linter.engine.catalog import load_builtin
        from linter.report.docs import catalog_markdown

        target = os.path.join(ROOT, "docs", "rules.md")
        return _write_or_check(target, catalog_markdown(load_builtin()), check, "make docs")
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    raise SystemExit(main())
