"""CRD schemas as the schema rules use them: compiled only as far as validation reaches, and
carried without their descriptions (but with a property that is named `description`)."""

from __future__ import annotations

import pytest

from linter.checks.kubeschema import _crd_versions
from linter.ir.source import SourceFile
from linter.kubeschema import schemas
from linter.kubeschema.compiled import compile_crd_schema, validate
from linter.parsers.yaml import parse_manifest

CRD = """\
apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: notes.example.com
spec:
  group: example.com
  names: {kind: Note, plural: notes}
  scope: Namespaced
  versions:
    - name: v1
      served: true
      storage: true
      schema:
        openAPIV3Schema:
          description: A note.
          type: object
          properties:
            spec:
              description: What the note says.
              type: object
              properties:
                description: {type: string, description: The text of the note.}
                pages: {type: integer, minimum: 1}
                archive:
                  type: object
                  properties:
                    shelf: {type: string}
"""

NOTE = """\
apiVersion: example.com/v1
kind: Note
metadata:
  name: note
spec:
  description: hello
  pages: 0
"""


def _schema() -> object:
    manifest = parse_manifest(SourceFile("crd.yaml", CRD, "kubernetes"))
    ((schema, _kind),) = _crd_versions(manifest.resources[0]).values()
    return schema


def test_descriptions_are_dropped_but_a_property_named_description_is_kept() -> None:
    schema = _schema()
    assert schema == {
        "type": "object",
        "properties": {
            "spec": {
                "type": "object",
                "properties": {
                    "description": {"type": "string"},
                    "pages": {"type": "integer", "minimum": 1},
                    "archive": {"type": "object", "properties": {"shelf": {"type": "string"}}},
                },
            }
        },
    }


def test_validation_compiles_only_what_it_reaches() -> None:
    meta = schemas().definition("io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta")
    root = compile_crd_schema(_schema(), "Note", meta)
    resource = parse_manifest(SourceFile("note.yaml", NOTE, "kubernetes")).resources[0]
    found = [(span.line, message) for span, _, _, message in validate(root, resource.node, True)]
    assert found == [(7, "0 is less than the minimum of 1")]
    archive = root.props["spec"].props["archive"]
    assert archive._source is not None  # type: ignore[attr-defined]  # never reached: not compiled
    assert archive.props["shelf"].types  # compiled on first use, like the rest
    assert archive._source is None  # type: ignore[attr-defined]


def test_a_node_whose_compilation_fails_is_left_to_compile_again(monkeypatch: pytest.MonkeyPatch) -> None:
    from linter.kubeschema import compiled

    meta = schemas().definition("io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta")
    root = compile_crd_schema(_schema(), "Note", meta)
    spec = root.props["spec"]
    real = compiled._fill_crd

    def fails(*args: object) -> None:
        raise RecursionError("deep")

    monkeypatch.setattr(compiled, "_fill_crd", fails)
    with pytest.raises(RecursionError):
        spec.props  # noqa: B018
    monkeypatch.setattr(compiled, "_fill_crd", real)
    assert sorted(spec.props) == ["archive", "description", "pages"] and spec.closed


def test_a_lazy_node_copies_and_pickles_as_a_compiled_one() -> None:
    import copy
    import pickle

    meta = schemas().definition("io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta")
    spec = compile_crd_schema(_schema(), "Note", meta).props["spec"]
    for other in (copy.copy(spec), copy.deepcopy(spec), pickle.loads(pickle.dumps(spec))):
        assert sorted(other.props) == ["archive", "description", "pages"]
        assert other.props["pages"].bounds == (("minimum", 1),)
