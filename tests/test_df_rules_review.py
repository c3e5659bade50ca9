"""Regression tests for the review of Dockerfile rules DF010-DF032: escape characters, word spans
across continuation lines, and messages."""

from __future__ import annotations

from helpers import RULES, lint_text

from linter.parsers.dockerfile import _shell_words

DF = [r.code for r in RULES if r.code.startswith("DF") and r.code != "DF000"]


def _findings(tmp_path, text: str, code: str | None = None):
    found = lint_text(tmp_path, text, "Dockerfile", select=[code] if code else DF)
    return [f for f in found if code is None or f.code == code]


def test_shell_words_escape_character():
    assert _shell_words(r"C:\app\ x") == ["C:app x"]
    assert _shell_words(r"C:\app\ x", esc="`") == ["C:\\app\\", "x"]
    assert _shell_words("a` b", esc="`") == ["a b"]
    assert _shell_words('"a`"b"', esc="`") == ['a"b']


def test_backtick_escape_keeps_backslashes(tmp_path):
    text = (
        "# escape=`\n"
        "FROM mcr.microsoft.com/windows/servercore:ltsc2022\n"
        "COPY a b C:\\app\\\n"
        "COPY x C:\\app\\\n"
    )
    assert _findings(tmp_path, text, "DF013") == []
    assert _findings(tmp_path, text, "DF023") == []


def test_word_spans_on_continuation_lines(tmp_path):
    text = "FROM nginx:1.27\nEXPOSE 80 \\\n  70000 \\\n  # comment\n  65536/udp\n"
    found = _findings(tmp_path, text, "DF026")
    assert [(f.span.line, f.span.column, f.span.end_column) for f in found] == [(3, 3, 8), (5, 3, 12)]


def test_bare_expose_is_no_port(tmp_path):
    text = "FROM nginx:1.27\nEXPOSE\n"
    found = lint_text(tmp_path, text, "Dockerfile", select=["DF026", "DF027"])
    assert not [f for f in found if f.code in ("DF026", "DF027")]


def test_copy_dest_directory_forms(tmp_path):
    text = "FROM alpine:3.20\nWORKDIR /app\nCOPY a b .\nCOPY a b ..\nCOPY a b ./\nCOPY a b /app\n"
    found = _findings(tmp_path, text, "DF013")
    assert [f.span.line for f in found] == [6]
    assert found[0].severity == "warning"


def test_env_reference_quoting(tmp_path):
    text = "FROM alpine:3.20\nENV C=1 D='$C'\nENV E=1 F=\\$E\nENV G=1 H=\"$G\"\nENV X=1 \\\n    Y=$X\n"
    found = _findings(tmp_path, text, "DF024")
    assert [f.span.line for f in found] == [4, 5]


def test_copy_from_quoted_variable(tmp_path):
    text = 'FROM alpine:3.20 AS a\nARG I=busybox:1.36\nCOPY --from="$I" /x /x\nCOPY --from=a /y /y\n'
    df014 = _findings(tmp_path, text, "DF014")
    assert [f.span.line for f in df014] == [3]
    assert "variable expansion is not supported" in df014[0].message
    assert [f.span.line for f in _findings(tmp_path, text, "DF015")] == [4]


def test_user_root_message_shows_resolved_value(tmp_path):
    text = 'FROM debian:12\nARG U=root\nUSER "${U}"\n'
    found = _findings(tmp_path, text, "DF011")
    assert len(found) == 1
    assert "runs as root:" in found[0].message


def test_label_reserved_namespace_reason(tmp_path):
    text = "FROM alpine:3.20\nLABEL io.docker.x=1 Bad_Key=2\n"
    messages = [f.message for f in _findings(tmp_path, text, "DF025")]
    assert any("io.docker.* namespace is reserved" in m for m in messages)
    assert any("Bad_Key" in m and "lower-case" in m for m in messages)


def test_from_as_on_continuation_line(tmp_path):
    text = "FROM golang:1.23 \\\n  as build\n"
    found = _findings(tmp_path, text, "DF029")
    assert [(f.span.line, f.span.column) for f in found] == [(2, 3)]
