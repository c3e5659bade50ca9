"""Where the rule catalog and the JSON Schemas live: inside the installed package (a wheel ships
them as linter/rules and linter/schemas) or at the root of a source checkout."""

from __future__ import annotations

import os

_HERE = os.path.dirname(os.path.abspath(__file__))


def _find(name: str) -> str:
    packaged = os.path.join(_HERE, name)
    if os.path.isdir(packaged):
        return packaged
    return os.path.join(os.path.dirname(_HERE), name)


def rules_dir() -> str:
    return _find("rules")


def schemas_dir() -> str:
    return _find("schemas")


def schema_path(name: str) -> str:
    return os.path.join(schemas_dir(), name)


def packaged() -> bool:
    """Whether the data ships inside the installed package (a wheel), not beside a checkout."""
    return os.path.isdir(os.path.join(_HERE, "rules"))
