"""The fast condition evaluator must agree with jsonschema wherever it claims to evaluate a
schema itself: same verdict, and errors on the same paths."""

from __future__ import annotations

import itertools

import pytest
from jsonschema import Draft202012Validator

from linter.checks.schema_condition import Condition, is_fast

SCHEMAS = [
    {"properties": {"hostNetwork": {"not": {"const": True}}}},
    {"required": ["resources"], "properties": {"resources": {"required": ["limits"]}}},
    {"properties": {"securityContext": {"properties": {"privileged": {"const": False}}}}},
    {"properties": {"replicas": {"type": "integer", "minimum": 2}}},
    {"properties": {"ports": {"items": {"properties": {"hostPort": {"maximum": 0}}}}}},
    {"properties": {"image": {"pattern": "^[^:]+:[0-9]"}}},
    {"anyOf": [{"required": ["a"]}, {"required": ["b"]}]},
    {"oneOf": [{"required": ["a"]}, {"required": ["b"]}]},
    {"allOf": [{"required": ["a"]}, {"properties": {"a": {"enum": [1, "x", None]}}}]},
    {"properties": {"caps": {"type": "array", "minItems": 1, "maxItems": 2}}},
    {"properties": {"name": {"type": "string", "minLength": 2, "maxLength": 5}}},
    {"additionalProperties": False, "properties": {"a": True}},
    {"additionalProperties": {"type": "string"}},
    {"properties": {"n": {"exclusiveMinimum": 0, "exclusiveMaximum": 10}}},
    {"properties": {"v": {"type": ["number", "null"]}}},
    {"properties": {"b": {"type": "boolean"}, "i": {"type": "integer"}}},
    {"minProperties": 1, "maxProperties": 2},
]
VALUES = [
    {},
    {"hostNetwork": True},
    {"hostNetwork": 1},
    {"hostNetwork": False},
    {"resources": {}},
    {"resources": {"limits": {"cpu": "1"}}},
    {"securityContext": {"privileged": True}},
    {"securityContext": {"privileged": 0}},
    {"replicas": 1},
    {"replicas": 3},
    {"replicas": 2.0},
    {"replicas": True},
    {"ports": [{"hostPort": 0}, {"hostPort": 8080}]},
    {"image": "nginx:1.27"},
    {"image": "nginx"},
    {"a": 1},
    {"a": "x", "b": 2},
    {"a": 1.0},
    {"a": True},
    {"b": None},
    {"caps": []},
    {"caps": ["A", "B", "C"]},
    {"name": "x"},
    {"name": "abc"},
    {"n": 0},
    {"n": 5},
    {"v": None},
    {"v": "s"},
    {"b": 1, "i": 1.5},
    {"b": False, "i": 3},
    {"a": 1, "b": 2, "c": 3},
    [],
    "text",
]


@pytest.mark.parametrize(("schema", "value"), list(itertools.product(SCHEMAS, VALUES)))
def test_fast_path_agrees_with_jsonschema(schema, value):
    assert is_fast(schema)
    ours = list(Condition(schema).errors(value))
    theirs = list(Draft202012Validator(schema).iter_errors(value))
    assert bool(ours) == bool(theirs), (ours, [e.message for e in theirs])
    if schema.get("additionalProperties") is False:
        return  # jsonschema reports the parent; shiplint points at each extra key, on purpose
    assert sorted(map(str, (p for p, _ in ours))) == sorted(str(list(e.absolute_path)) for e in theirs)


def test_other_keywords_go_to_jsonschema():
    schema = {"properties": {"a": {"multipleOf": 2}}}
    assert not is_fast(schema)
    cond = Condition(schema)
    assert [p for p, _ in cond.errors({"a": 3})] == [["a"]]
    assert list(cond.errors({"a": 4})) == []
