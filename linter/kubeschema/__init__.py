"""The bundled Kubernetes API schemas (schemas/kubernetes/), one version loaded at a time, lazily.

`api.json.gz` holds every definition of every bundled version, deduplicated into a pool of
bodies, each body a JSON text of its own; loading a version reads that one file (about 88 kB
gzipped) once per process and decodes nothing until a kind is asked for:
`schemas(version).lookup(api_version, kind)` decodes and compiles the kind's definition and what it
refers to on first use (see `compiled.py`), and keeps it. (Decoding every body up front took
13 ms of each process's start; a Deployment needs about a tenth of them.)

Imports only the stdlib, linter.resources and linter.ir (through `compiled`).
"""

from __future__ import annotations

import json
import os

from linter.resources import schemas_dir

TYPE_CHECKING = False
if TYPE_CHECKING:
    from linter.kubeschema.compiled import Node

_DATA: dict[str, object] | None = None
_VERSIONS: list[str] | None = None
_LOADED: dict[str, VersionSchemas] = {}
_TABLE: list[dict[str, object]] | None = None


def folder() -> str:
    return os.path.join(schemas_dir(), "kubernetes")


def bundled_versions() -> list[str]:
    """The bundled minor versions, oldest first ("1.30", ... "1.37"), from a 70-byte file."""
    global _VERSIONS
    if _VERSIONS is None:
        with open(os.path.join(folder(), "versions.json"), encoding="utf-8") as f:
            _VERSIONS = list(json.load(f))
    return _VERSIONS


def newest() -> str:
    return bundled_versions()[-1]


def resolve_version(version: str | None) -> str:
    """ "latest" (or nothing) -> the newest bundled version; an unbundled version -> ValueError."""
    if not version or version == "latest":
        return newest()
    v = version[1:] if version.startswith("v") else version
    parts = v.split(".")
    if len(parts) >= 2:
        v = f"{parts[0]}.{parts[1]}"
    if v not in bundled_versions():
        raise ValueError(
            f"Kubernetes {version} has no bundled schema; bundled: {', '.join(bundled_versions())}"
        )
    return v


def _data() -> dict[str, object]:
    global _DATA
    if _DATA is None:
        import gzip

        with open(os.path.join(folder(), "api.json.gz"), "rb") as f:
            _DATA = json.loads(gzip.decompress(f.read()))
    return _DATA


class VersionSchemas:
    """The schemas of one Kubernetes minor version."""

    def __init__(self, version: str) -> None:
        data = _data()
        index: dict[str, dict[str, object]] = data["index"][version]  # type: ignore[index]
        self.version = version
        self._pool: list[str] = data["pool"]  # type: ignore[assignment]
        self._defs: dict[str, int] = index["defs"]  # type: ignore[assignment]
        self._kinds: dict[str, str] = index["kinds"]  # type: ignore[assignment]
        self._compiled: dict[str, Node] = {}

    def has(self, api_version: str, kind: str) -> bool:
        return f"{api_version} {kind}" in self._kinds

    def lookup(self, api_version: str, kind: str) -> Node | None:
        """The compiled schema of a kind, or None when this version serves no such kind."""
        name = self._kinds.get(f"{api_version} {kind}")
        return self.definition(name) if name is not None else None

    def definition(self, name: str) -> Node | None:
        found = self._compiled.get(name)
        if found is None:
            index = self._defs.get(name)
            if index is None:
                return None
            from linter.kubeschema.compiled import compile_definition

            found = compile_definition(name, _body(self._pool, index), self.definition, self._compiled)
        return found

    def raw(self, name: str) -> dict[str, object] | None:
        """A definition's (description-free) JSON Schema body, refs shortened to names."""
        index = self._defs.get(name)
        return _body(self._pool, index) if index is not None else None

    def kinds(self) -> list[tuple[str, str]]:
        return [(k.split(" ", 1)[0], k.split(" ", 1)[1]) for k in self._kinds]


_BODIES: dict[int, dict[str, object]] = {}  # pool index -> decoded body


def _body(pool: list[str], index: int) -> dict[str, object]:
    found = _BODIES.get(index)
    if found is None:
        found = _BODIES[index] = json.loads(pool[index])
    return found


def schemas(version: str | None = None) -> VersionSchemas:
    """The schemas of a bundled version ("1.37", "latest" or None for the newest)."""
    v = resolve_version(version)
    found = _LOADED.get(v)
    if found is None:
        found = _LOADED[v] = VersionSchemas(v)
    return found


def descriptions(version: str | None = None) -> dict[str, dict[str, str]]:
    """Definition name -> {property path: description} ("" is the definition's own), for editor
    hovers. Not needed to validate; read only when asked for."""
    import gzip

    v = resolve_version(version)
    with open(os.path.join(folder(), "descriptions.json.gz"), "rb") as f:
        data = json.loads(gzip.decompress(f.read()))
    pool = data["pool"]
    return {name: pool[i] for name, i in data["index"][v].items()}


def api_version_table() -> list[dict[str, object]]:
    """The removed and deprecated API versions (schemas/kubernetes/api-versions.json)."""
    global _TABLE
    if _TABLE is None:
        with open(os.path.join(folder(), "api-versions.json"), encoding="utf-8") as f:
            _TABLE = list(json.load(f)["entries"])
    return _TABLE


def _minor(v: object) -> tuple[int, int]:
    a, _, b = str(v).partition(".")
    return int(a), int(b or 0)


class ApiStatus:
    """What the table says about one apiVersion and kind in one target version."""

    __slots__ = ("deprecated", "removed", "replacement", "state")

    def __init__(self, state: str, entry: dict[str, object]) -> None:
        self.state = state  # "removed" or "deprecated"
        self.removed = str(entry["removed"]) if entry.get("removed") else ""
        self.deprecated = str(entry["deprecated"]) if entry.get("deprecated") else ""
        self.replacement = str(entry.get("replacement") or "")


_BY_KEY: dict[tuple[str, str], dict[str, object]] | None = None


def api_status(api_version: str, kind: str, version: str) -> ApiStatus | None:
    """Whether `api_version` `kind` is removed or deprecated in `version` (a bundled "1.NN")."""
    global _BY_KEY
    if _BY_KEY is None:
        _BY_KEY = {(str(e["apiVersion"]), str(e["kind"])): e for e in api_version_table()}
    entry = _BY_KEY.get((api_version, kind))
    if entry is None:
        return None
    target = _minor(version)
    if entry.get("removed") and target >= _minor(entry["removed"]):
        status = ApiStatus("removed", entry)
    elif entry.get("deprecated") and target >= _minor(entry["deprecated"]):
        status = ApiStatus("deprecated", entry)
    else:
        return None
    if version in bundled_versions():
        status.replacement = _served_replacement(api_version, kind, version, status.replacement)
    return status


def _stability(api_version: str) -> tuple[int, int, int]:
    """v2 > v1 > v1beta2 > v1beta1 > v1alpha1."""
    import re

    m = re.search(r"v(\d+)(?:(alpha|beta)(\d+))?$", api_version)
    if not m:
        return (-1, 0, 0)
    level = {"alpha": 0, "beta": 1, None: 2}[m.group(2)]
    return (level, int(m.group(1)), int(m.group(3) or 0))


def _served_replacement(api_version: str, kind: str, version: str, given: str) -> str:
    """The table's replacement when the target version serves it; otherwise the most stable
    version of the same group and kind that it serves (a replacement can itself be removed
    later: flowcontrol v1beta1 -> v1beta3 -> v1), or "" when there is none."""
    s = schemas(version)
    if not given or s.has(given, kind):
        return given
    group = api_version.rpartition("/")[0]
    served = [a for a, k in s.kinds() if k == kind and a.rpartition("/")[0] == group and a != api_version]
    return max(served, key=_stability) if served else ""
