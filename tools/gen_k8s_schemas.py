#!/usr/bin/env python3
"""Generate schemas/kubernetes/ from the JSON Schemas of the PyPI package kubernetes-validate.

Development-time only: nothing under linter/ imports this script. It reads an installed copy of
kubernetes-validate (Apache-2.0), keeps the last `--versions` minor versions, and writes:

  api.json.gz           every definition of every kept version, descriptions stripped, refs
                        shortened to the definition's name, and deduplicated across versions: a
                        pool of distinct bodies (each a JSON text, decoded when first needed)
                        plus, per version, definition name -> pool index and "apiVersion kind" ->
                        definition name
  descriptions.json.gz  the descriptions, for editor hovers, deduplicated the same way
  api-versions.json     removed and deprecated API versions; entries with "source": "guide" are
                        maintained by hand (Kubernetes' deprecation guide) and kept, entries with
                        "source": "schemas" are recomputed from the versions kubernetes-validate
                        ships (a kind/apiVersion present in one version and absent from every later
                        one was removed in the first version without it)
  versions.json         the bundled versions, newest last (read by the check's parameter schema)
  LICENSE-kubernetes-validate, NOTICE.md

    python3 -m venv /tmp/kv && /tmp/kv/bin/pip install kubernetes-validate
    .venv/bin/python tools/gen_k8s_schemas.py --from /tmp/kv/lib/python3.*/site-packages/kubernetes_validate

See docs/schemas.md.
"""

from __future__ import annotations

import argparse
import glob
import gzip
import json
import os
import re
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.join(ROOT, "schemas", "kubernetes")
# Keywords the validator needs; everything else (descriptions, formats, x-kubernetes-* hints,
# $schema/$id) is dropped from the bodies.
KEEP = frozenset(("type", "properties", "additionalProperties", "items", "required", "enum", "$ref", "oneOf"))
_VERSION_DIR = re.compile(r"^v(\d+)\.(\d+)\.\d+-local-strict$")


def find_package(given: str | None) -> str:
    if given:
        return given
    try:
        import kubernetes_validate  # type: ignore[import-not-found]

        return os.path.dirname(kubernetes_validate.__file__)
    except ImportError:
        pass
    pattern = os.path.expanduser("~/.cache/shiplint-peers/lib/python3*/site-packages/kubernetes_validate")
    found = sorted(glob.glob(pattern))
    if not found:
        sys.exit("kubernetes-validate not found: install it into a venv and pass --from PATH")
    return found[-1]


def package_version(pkg: str) -> str:
    metas = glob.glob(os.path.join(os.path.dirname(pkg), "kubernetes_validate-*.dist-info", "METADATA"))
    for meta in metas:
        with open(meta, encoding="utf-8") as f:
            for line in f:
                if line.startswith("Version:"):
                    return line.split(":", 1)[1].strip()
    return "unknown"


def license_text(pkg: str) -> str:
    for path in glob.glob(
        os.path.join(os.path.dirname(pkg), "kubernetes_validate-*.dist-info", "**", "LICENSE*"),
        recursive=True,
    ):
        if os.path.isfile(path):
            with open(path, encoding="utf-8") as f:
                return f.read()
    sys.exit("kubernetes-validate's LICENSE not found in its dist-info")


def available(pkg: str) -> list[tuple[int, int]]:
    out = []
    for name in os.listdir(os.path.join(pkg, "kubernetes-json-schema")):
        m = _VERSION_DIR.match(name)
        if m:
            out.append((int(m.group(1)), int(m.group(2))))
    return sorted(out)


def load_defs(pkg: str, v: tuple[int, int]) -> dict[str, dict[str, object]]:
    path = os.path.join(pkg, "kubernetes-json-schema", f"v{v[0]}.{v[1]}.0-local-strict", "_definitions.json")
    with open(path, encoding="utf-8") as f:
        data = json.load(f)
    defs: dict[str, dict[str, object]] = data.get("$defs") or data["definitions"]
    return defs


def compact(schema: object) -> object:
    """The body the validator reads: descriptions and hints dropped, `#/$defs/X` -> `X`, and a
    oneOf of plain types (IntOrString, Quantity) turned into a union of types: with
    `"type": [..., "null"]` in both branches a null would match both and fail a oneOf, while the
    API server accepts it."""
    if isinstance(schema, list):
        return [compact(s) for s in schema]
    if not isinstance(schema, dict):
        return schema
    out: dict[str, object] = {}
    for key, value in schema.items():
        if key not in KEEP:
            continue
        if key == "$ref":
            out[key] = str(value).rsplit("/", 1)[-1]
        elif key == "properties":
            out[key] = {name: compact(sub) for name, sub in value.items()}  # type: ignore[union-attr]
        elif key == "oneOf" and all(isinstance(s, dict) and set(s) == {"type"} for s in value):  # type: ignore[union-attr]
            types: list[str] = []
            for s in value:  # type: ignore[union-attr]
                t = s["type"]
                for name in t if isinstance(t, list) else [t]:
                    if name not in types:
                        types.append(name)
            out["type"] = types
        else:
            out[key] = compact(value)
    if "$ref" in out:  # a property holding only a ref (and its description)
        return {"$ref": out["$ref"]}
    return out


def descriptions(schema: object, prefix: str = "", out: dict[str, str] | None = None) -> dict[str, str]:
    """Descriptions by property path: "" for the definition, "spec", "spec.items[]"..."""
    out = {} if out is None else out
    if not isinstance(schema, dict):
        return out
    text = schema.get("description")
    if isinstance(text, str) and text:
        out[prefix] = text
    for name, sub in (schema.get("properties") or {}).items():
        descriptions(sub, f"{prefix}.{name}" if prefix else name, out)
    if isinstance(schema.get("items"), dict):
        descriptions(schema["items"], prefix + "[]", out)
    return out


def gvks(body: dict[str, object]) -> list[tuple[str, str]]:
    out = []
    for g in body.get("x-kubernetes-group-version-kind") or []:  # type: ignore[union-attr]
        api = f"{g['group']}/{g['version']}" if g.get("group") else str(g["version"])
        out.append((api, str(g["kind"])))
    return out


class Pool:
    def __init__(self) -> None:
        self.items: list[object] = []
        self.index: dict[str, int] = {}

    def add(self, item: object) -> int:
        key = json.dumps(item, sort_keys=True, separators=(",", ":"))
        found = self.index.get(key)
        if found is None:
            found = self.index[key] = len(self.items)
            self.items.append(item)
        return found


def _stability(api_version: str) -> tuple[int, int, int]:
    """Sort key: v1 > v1beta2 > v1beta1 > v1alpha1; higher major first."""
    m = re.search(r"v(\d+)(?:(alpha|beta)(\d+))?$", api_version)
    if not m:
        return (0, 0, 0)
    level = {"alpha": 0, "beta": 1, None: 2}[m.group(2)]
    return (level, int(m.group(1)), int(m.group(3) or 0))


def derived_removals(history: dict[str, set[tuple[str, str]]], order: list[str]) -> list[dict[str, object]]:
    out = []
    for i in range(len(order) - 1):
        before, after = history[order[i]], history[order[i + 1]]
        for api, kind in sorted(before - after):
            if any((api, kind) in history[v] for v in order[i + 1 :]):
                continue  # gone for a while and back: not a removal
            group = api.rsplit("/", 1)[0] if "/" in api else ""
            candidates = [
                a for a, k in after if k == kind and (a.rsplit("/", 1)[0] if "/" in a else "") == group
            ]
            replacement = max(candidates, key=_stability) if candidates else ""
            out.append({
                "apiVersion": api,
                "kind": kind,
                "deprecated": None,
                "removed": order[i + 1],
                "replacement": replacement,
                "source": "schemas",
            })  # fmt: skip
    return out


def write_gz(path: str, data: object) -> None:
    raw = json.dumps(data, separators=(",", ":"), sort_keys=True).encode("utf-8")
    # mtime=0: the same input gives the same bytes, so regenerating changes nothing needlessly.
    with open(path, "wb") as f, gzip.GzipFile(fileobj=f, mode="wb", compresslevel=9, mtime=0) as gz:
        gz.write(raw)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--from", dest="pkg", help="the kubernetes_validate package folder")
    ap.add_argument("--versions", type=int, default=8, help="how many minor versions to bundle (default 8)")
    ap.add_argument("--out", default=OUT)
    args = ap.parse_args()
    pkg = find_package(args.pkg)
    every = available(pkg)
    kept = every[-args.versions :]
    names = [f"{a}.{b}" for a, b in every]
    kept_names = [f"{a}.{b}" for a, b in kept]
    print(
        f"kubernetes-validate {package_version(pkg)} at {pkg}: {names[0]}..{names[-1]}, keeping "
        f"{', '.join(kept_names)}",
        file=sys.stderr,
    )

    bodies, texts = Pool(), Pool()
    index: dict[str, dict[str, object]] = {}
    text_index: dict[str, dict[str, int]] = {}
    history: dict[str, set[tuple[str, str]]] = {}
    for v, name in zip(every, names):
        defs = load_defs(pkg, v)
        served = set()
        for body in defs.values():
            found = gvks(body)
            if len(found) == 1:  # DeleteOptions and WatchEvent name every group: not objects
                served.update(found)
        history[name] = served
        if name not in kept_names:
            continue
        def_index: dict[str, int] = {}
        kinds: dict[str, str] = {}
        desc_index: dict[str, int] = {}
        for def_name, body in sorted(defs.items()):
            def_index[def_name] = bodies.add(compact(body))
            d = descriptions(body)
            if d:
                desc_index[def_name] = texts.add(d)
            found = gvks(body)
            if len(found) == 1:
                kinds[f"{found[0][0]} {found[0][1]}"] = def_name
        index[name] = {"defs": def_index, "kinds": kinds}
        text_index[name] = desc_index

    os.makedirs(args.out, exist_ok=True)
    source = f"kubernetes-validate {package_version(pkg)}"
    write_gz(
        os.path.join(args.out, "api.json.gz"),
        {
            "format": 2,
            "source": source,
            "versions": kept_names,
            # Each body as its own JSON text: a process decodes only the definitions it compiles.
            "pool": [json.dumps(b, separators=(",", ":"), sort_keys=True) for b in bodies.items],
            "index": index,
        },
    )
    write_gz(
        os.path.join(args.out, "descriptions.json.gz"),
        {"format": 1, "source": source, "pool": texts.items, "index": text_index},
    )
    with open(os.path.join(args.out, "versions.json"), "w", encoding="utf-8") as f:
        json.dump(kept_names, f)
        f.write("\n")

    table_path = os.path.join(args.out, "api-versions.json")
    table: dict[str, object] = {"entries": []}
    if os.path.exists(table_path):
        with open(table_path, encoding="utf-8") as f:
            table = json.load(f)
    guide = [e for e in table["entries"] if e.get("source") == "guide"]  # type: ignore[union-attr]
    known = {(e["apiVersion"], e["kind"]) for e in guide}
    derived = [e for e in derived_removals(history, names) if (e["apiVersion"], e["kind"]) not in known]
    table["entries"] = sorted(guide + derived, key=lambda e: (e["apiVersion"], e["kind"]))
    with open(table_path, "w", encoding="utf-8") as f:
        json.dump(table, f, indent=1)
        f.write("\n")

    with open(os.path.join(args.out, "LICENSE-kubernetes-validate"), "w", encoding="utf-8") as f:
        f.write(license_text(pkg))
    with open(os.path.join(args.out, "NOTICE.md"), "w", encoding="utf-8") as f:
        f.write(
            "# Kubernetes API schemas\n\n"
            f"api.json.gz and descriptions.json.gz are derived from the JSON Schemas shipped by the PyPI\n"
            f"package kubernetes-validate ({source}, https://github.com/willthames/kubernetes-validate),\n"
            "Copyright (C) 2018 Will Thames, licensed under the Apache License, Version 2.0 (see\n"
            "LICENSE-kubernetes-validate). Those schemas are generated from the Kubernetes OpenAPI\n"
            "specification (Copyright The Kubernetes Authors, Apache-2.0). Changes: descriptions moved to\n"
            "a separate file, formats and x-kubernetes-* hints dropped, definitions deduplicated across\n"
            "versions, IntOrString and Quantity written as a union of types. Regenerate with\n"
            "tools/gen_k8s_schemas.py (docs/schemas.md).\n"
        )
    for name in ("api.json.gz", "descriptions.json.gz", "api-versions.json"):
        print(f"{name}: {os.path.getsize(os.path.join(args.out, name)):,} bytes", file=sys.stderr)
    print(
        f"{len(bodies.items)} distinct definition bodies, {len(texts.items)} distinct description sets, "
        f"{len(derived)} removals derived from the schemas",
        file=sys.stderr,
    )


if __name__ == "__main__":
    main()
