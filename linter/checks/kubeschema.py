"""Validation against the bundled Kubernetes API schemas, removed and deprecated API versions, and
kinds with no schema. CustomResourceDefinitions in the same file validate their custom resources.

The schemas are loaded (one version) and compiled (one kind at a time) on first use, so a run that
lints only Dockerfiles never reads them, and nothing here imports jsonschema.
"""

from __future__ import annotations

import json
import os

from linter.checks import Check, Share
from linter.ir.kubernetes import YMap, YNode, YSeq

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Iterator

    from linter.checks import Context, Hit
    from linter.ir.kubernetes import Manifest, Resource
    from linter.ir.source import SourceFile
    from linter.kubeschema import VersionSchemas
    from linter.kubeschema.compiled import Node


def _bundled() -> list[str]:
    from linter.resources import schemas_dir

    try:
        with open(os.path.join(schemas_dir(), "kubernetes", "versions.json"), encoding="utf-8") as f:
            return list(json.load(f))
    except OSError:
        return []


_VERSION_PARAMETER = {
    "description": "The Kubernetes minor version to validate against; `latest` is the newest bundled.",
    "enum": ["latest", *_bundled()],
}


_VERSIONS: dict[str, str] = {}  # as written in the parameters -> the bundled version it means


def _version(ctx: Context) -> str:
    asked = str(ctx.params.get("kubernetes-version") or "latest")
    found = _VERSIONS.get(asked)
    if found is None:
        from linter.kubeschema import resolve_version

        found = _VERSIONS[asked] = resolve_version(asked)
    return found


# -- per-file state: the CRDs of the file, and the kinds already reported --------------------------


class _FileState:
    __slots__ = ("compiled", "crds", "document", "reported")

    def __init__(self, document: object) -> None:
        self.document = document
        self.crds: dict[str, tuple[object, str]] | None = None  # "group/version Kind" -> (schema, kind)
        # (key, Kubernetes version) -> (the CRD's entry it was compiled from, compiled schema)
        self.compiled: dict[tuple[str, str], tuple[object, Node]] = {}
        self.reported: set[tuple[str, str]] = set()


_STATE: list[_FileState] = []  # the file being linted (files are linted one at a time)


def _state(ctx: Context) -> _FileState:
    if _STATE and _STATE[0].document is ctx.document:
        return _STATE[0]
    state = _FileState(ctx.document)
    _STATE[:] = [state]
    return state


class _Run:
    """The CRDs of the whole run, by "group/version Kind", gathered from every parsed file before
    any is linted (see prepare): a custom resource may come before, or in another file than, its
    CRD. Beside them, their compiled schemas by (key, Kubernetes version): compiled once per run,
    not once per file that holds such a resource (on the real-world corpus, 6 compiles of its two
    CRDs' schemas became 2).

    A parallel run does not wait for every CRD before linting (see `share`): while `pending`, a
    file sees only its own CRDs, and the custom kinds it looked for elsewhere are noted in
    `wanted`, so that the files that needed a CRD of another file are linted again once all are
    known."""

    __slots__ = ("compiled", "crds", "exported", "frozen", "params", "pending", "wanted")

    def __init__(self, params: object) -> None:
        self.params = params
        self.crds: dict[str, tuple[object, str]] = {}
        self.compiled: dict[tuple[str, str], tuple[object, Node]] = {}
        self.pending = False
        # Set once the whole run's CRDs are known (adopted): a batch's own CRDs do not replace
        # them, so which CRD wins (the later file's) does not depend on where batches end.
        self.frozen = False
        self.wanted: dict[str, set[str]] = {}  # path -> keys looked for beyond the file's own CRDs
        self.exported: dict[str, object] = {}  # what `take` handed on, by key


# Kept per run, by the identity of the rule's parameters (one dict per engine, held in the _Run
# so that its id is not reused), so that runs in one process (tests, an editor) do not see each
# other's CRDs.
_RUNS: dict[int, _Run] = {}


def _run(params: object) -> _Run:
    found = _RUNS.get(id(params))
    if found is None or found.params is not params:
        found = _RUNS[id(params)] = _Run(params)
    return found


def prepare(items: list[tuple[SourceFile, object]], params: dict[str, object]) -> None:
    """Gather the CustomResourceDefinitions of a batch of parsed files."""
    for source, document in items:
        if source.kind != "kubernetes" or document is None:
            continue
        if "CustomResourceDefinition" not in source.text:
            continue
        run = _run(params)
        if run.frozen:
            return
        for r in document.resources:  # type: ignore[attr-defined]
            if _is_crd(r):
                run.crds.update(_crd_versions(r))


class _Share(Share):
    """How a parallel run carries the CRDs between processes (see linter.checks.Share)."""

    @staticmethod
    def defer(params: dict[str, object], on: bool) -> None:
        run = _run(params)
        run.pending = on
        run.frozen = False
        run.wanted.clear()

    @staticmethod
    def take(params: dict[str, object]) -> object:
        run = _run(params)
        new = {k: v for k, v in run.crds.items() if run.exported.get(k) is not v}
        run.exported.update(new)
        wanted, run.wanted = run.wanted, {}
        return new, wanted

    @staticmethod
    def adopt(params: dict[str, object], taken: list[object]) -> set[str]:
        run = _run(params)
        wanted: dict[str, set[str]] = {}
        for item in taken:  # in the order of the files, as a sequential run gathers them
            crds: dict[str, tuple[object, str]]
            files: dict[str, set[str]]
            crds, files = item  # type: ignore[misc]
            run.crds.update(crds)
            for path, keys in files.items():
                wanted.setdefault(path, set()).update(keys)
        run.frozen = True
        return {path for path, keys in wanted.items() if not keys.isdisjoint(run.crds)}


def _is_crd(r: Resource) -> bool:
    return r.kind == "CustomResourceDefinition" and r.api_version.startswith("apiextensions.k8s.io/")


def _crds(ctx: Context) -> dict[str, tuple[object, str]]:
    """The custom resources that CustomResourceDefinitions define, by "group/version Kind": each
    served version's openAPIV3Schema. The file's own CRDs win over those of other files."""
    state = _state(ctx)
    if state.crds is None:
        run = _run(ctx.params)
        state.crds = {} if run.pending else dict(run.crds)
        manifest: Manifest | None = ctx.document  # type: ignore[assignment]
        for r in manifest.resources if manifest is not None else ():
            if _is_crd(r):
                state.crds.update(_crd_versions(r))
    return state.crds


def _crd(ctx: Context, key: str) -> tuple[object, str] | None:
    """The CRD entry (schema, kind) for a custom resource's key, noting a miss while the run's
    CRDs are not all known."""
    found = _crds(ctx).get(key)
    if found is None:
        run = _run(ctx.params)
        if run.pending:
            run.wanted.setdefault(ctx.source.path, set()).add(key)
    return found


def _crd_versions(r: Resource) -> dict[str, tuple[object, str]]:
    out: dict[str, tuple[object, str]] = {}
    spec = r.node.map("spec")
    names = spec.map("names") if spec else None
    group, kind = (spec.scalar("group"), names.scalar("kind")) if spec and names else (None, None)
    versions = spec.seq("versions") if spec else None
    if not isinstance(group, str) or not isinstance(kind, str) or versions is None:
        return out
    for v in versions.items:
        if not isinstance(v, YMap) or not isinstance(v.scalar("name"), str) or v.scalar("served") is False:
            continue
        schema = v.map("schema")
        open_api = schema.map("openAPIV3Schema") if schema else None
        out[f"{group}/{v.scalar('name')} {kind}"] = (_schema(open_api) if open_api else None, kind)
    return out


# In a schema object, the keys whose values are schemas, maps of them, or lists of them.
_SUBSCHEMA = frozenset(("items", "additionalProperties", "not", "additionalItems"))
_SUBSCHEMA_MAPS = frozenset(("properties", "patternProperties", "definitions"))
_SUBSCHEMA_LISTS = frozenset(("allOf", "anyOf", "oneOf"))


def _schema(node: YNode) -> object:
    """An openAPIV3Schema as plain data, without its descriptions: validation never reads them,
    and they are most of a large CRD (carried between processes in a parallel run). A property
    that happens to be named `description` is kept."""
    if not isinstance(node, YMap):
        return node.to_python()
    out: dict[str, object] = {}
    for key, (_, value) in node.entries.items():
        if key == "description":
            continue
        if key in _SUBSCHEMA:
            out[key] = _schema(value)
        elif key in _SUBSCHEMA_MAPS and isinstance(value, YMap):
            out[key] = {name: _schema(v) for name, (_, v) in value.entries.items()}
        elif key in _SUBSCHEMA_LISTS and isinstance(value, YSeq):
            out[key] = [_schema(v) for v in value.items]
        else:
            out[key] = value.to_python()
    return out


def _crd_schema(ctx: Context, schemas: VersionSchemas, key: str) -> Node | bool | None:
    """The compiled schema of a custom resource defined in this file; True when its CRD gives no
    schema (anything goes), None when no CRD of the file defines it."""
    found = _crd(ctx, key)
    if found is None:
        return None
    schema, kind = found
    if schema is None:
        return True
    run = _run(ctx.params)
    compiled = run.compiled
    if run.crds.get(key) is not found:  # defined in this file: compiled for this file only
        compiled = _state(ctx).compiled
    cached = compiled.get((key, schemas.version))
    if cached is not None and cached[0] is found:  # (a later batch may define the key again)
        return cached[1]
    from linter.kubeschema.compiled import compile_crd_schema

    meta = schemas.definition("io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta")
    node = compile_crd_schema(schema, kind, meta)
    compiled[(key, schemas.version)] = (found, node)
    return node


# -- user schema folders ----------------------------------------------------------------------

_USER: dict[tuple[str, str], Node | None] = {}  # (file, Kubernetes version) -> compiled schema


def _user_schema(ctx: Context, schemas: VersionSchemas, api_version: str, kind: str) -> Node | None:
    """A custom resource's schema from the config's schema folders, laid out as the public CRD
    catalogs are: `{group}/{kind}_{version}.json`, the kind in lower case (or as written)."""
    folders = ctx.params.get("schema-folders") or []
    group, _, version = api_version.rpartition("/")
    if not group or not isinstance(folders, list):
        return None
    for folder in folders:
        for name in (f"{kind.lower()}_{version}.json", f"{kind}_{version}.json"):
            path = os.path.join(str(folder), group, name)
            key = (path, schemas.version)
            if key not in _USER:
                _USER[key] = _load_user_schema(path, kind, schemas)
            if _USER[key] is not None:
                return _USER[key]
    return None


def _load_user_schema(path: str, kind: str, schemas: VersionSchemas) -> Node | None:
    from linter.kubeschema.compiled import compile_crd_schema

    try:
        with open(path, encoding="utf-8") as f:
            schema = json.load(f)
    except (OSError, ValueError):
        return None  # absent (the usual case) or unreadable: no schema from this folder
    meta = schemas.definition("io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta")
    return compile_crd_schema(schema, kind, meta)


# -- checks -------------------------------------------------------------------------------------


def schema_violation(r: Resource, ctx: Context) -> Iterator[Hit]:
    """The resource breaks the schema of its kind (bundled, or from a CRD of the same file)."""
    from linter.kubeschema import api_status, schemas
    from linter.kubeschema.compiled import validate

    version = _version(ctx)
    s = schemas(version)
    schema: Node | bool | None = s.lookup(r.api_version, r.kind)
    if schema is None:
        if api_status(r.api_version, r.kind, version) is not None:
            return  # removed: KS011 says so; there is no schema to check against
        schema = _crd_schema(ctx, s, f"{r.api_version} {r.kind}")
        if schema is None:
            schema = _user_schema(ctx, s, r.api_version, r.kind)
    if schema is None or schema is True or schema is False:
        return
    strict = ctx.params.get("strict", True) is not False
    for span, path, problem, message in validate(schema, r.node, strict):
        yield span, {"detail": f"{path}: {message}", "path": path, "problem": problem, "version": version}


def _api_value_span(r: Resource) -> object:
    entry = r.node.entries.get("apiVersion")
    return entry[1].span if entry else r.span


def _status(r: Resource, ctx: Context, state: str) -> Iterator[Hit]:
    from linter.kubeschema import api_status

    version = _version(ctx)
    status = api_status(r.api_version, r.kind, version)
    if status is None or status.state != state:
        return
    if status.replacement:
        advice = f"use {status.replacement}"
    else:
        advice = f"Kubernetes {version} serves no replacement"
    yield (
        _api_value_span(r),
        {  # type: ignore[misc]
            "api_version": r.api_version,
            "kind": r.kind,
            "removed": status.removed or "a future version",
            "deprecated": status.deprecated,
            "replacement": status.replacement,
            "advice": advice,
            "version": version,
        },
    )


def removed_api(r: Resource, ctx: Context) -> Iterator[Hit]:
    """The resource's apiVersion is no longer served by the target Kubernetes version."""
    return _status(r, ctx, "removed")


def deprecated_api(r: Resource, ctx: Context) -> Iterator[Hit]:
    """The resource's apiVersion is deprecated in the target Kubernetes version."""
    return _status(r, ctx, "deprecated")


# shiplint's own files (the cluster model of `shiplint simulate`) have apiVersion and kind too, but
# are not Kubernetes objects.
_OWN_GROUPS = frozenset(("shiplint", "shiplint.dev"))


def missing_schema(r: Resource, ctx: Context) -> Iterator[Hit]:
    """No schema for the kind: not bundled for the target version, not removed (KS011 reports
    that), and not defined by a CRD of the same file. Once per apiVersion and kind per file."""
    from linter.kubeschema import api_status, schemas

    if not r.api_version or not r.kind or r.api_version.partition("/")[0] in _OWN_GROUPS:
        return
    version = _version(ctx)
    s = schemas(version)
    if s.has(r.api_version, r.kind) or api_status(r.api_version, r.kind, version) is not None:
        return
    if _crd(ctx, f"{r.api_version} {r.kind}") is not None or _user_schema(ctx, s, r.api_version, r.kind):
        return
    state = _state(ctx)
    key = (r.api_version, r.kind)
    if key in state.reported:
        return
    state.reported.add(key)
    entry = r.node.entries.get("kind")
    span = entry[0].span if entry else r.span
    yield span, {"api_version": r.api_version, "kind": r.kind, "version": version}


_VERSION_ONLY = {
    "type": "object",
    "additionalProperties": False,
    "properties": {"kubernetes-version": _VERSION_PARAMETER},
}
_SCHEMA_FOLDERS = {
    "description": "Folders of custom resource schemas, laid out as {group}/{kind}_{version}.json.",
    "type": "array",
    "items": {"type": "string"},
}

CHECKS = {
    "schema-violation": Check(
        schema_violation,
        ("resource",),
        {
            "type": "object",
            "additionalProperties": False,
            "properties": {
                "kubernetes-version": _VERSION_PARAMETER,
                "strict": {"type": "boolean", "description": "Unknown fields are errors."},
                "schema-folders": _SCHEMA_FOLDERS,
            },
        },
        prepare,
        _Share,
    ),
    "removed-api": Check(removed_api, ("resource",), _VERSION_ONLY),
    "deprecated-api": Check(deprecated_api, ("resource",), _VERSION_ONLY),
    "missing-schema": Check(
        missing_schema,
        ("resource",),
        {
            "type": "object",
            "additionalProperties": False,
            "properties": {"kubernetes-version": _VERSION_PARAMETER, "schema-folders": _SCHEMA_FOLDERS},
        },
        prepare,
        _Share,
    ),
}
