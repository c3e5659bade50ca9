"""Dockerfile rules DF033-DF058 beyond their rule-file examples: BuildKit's variable checks, secrets,
the build context's .dockerignore, the final image's user, registries, ADD downloads, unused
stages, platforms, labels, and the parser's `# check=` and ONBUILD problems."""

from __future__ import annotations

import pytest
from helpers import lint_text

from linter.checks.dockerfile import VALIDATORS, ignored_by, secret_name, secret_value
from linter.engine.load import parse
from linter.ir.source import SourceFile


def found(tmp_path, text: str, select: str, parameters=None, filename: str = "Dockerfile"):
    params = {select: parameters} if parameters else None
    return [(f.span.line, f.message) for f in lint_text(tmp_path, text, filename, [select], params)]


def lines(tmp_path, text: str, select: str, parameters=None, filename: str = "Dockerfile") -> list[int]:
    return [line for line, _ in found(tmp_path, text, select, parameters, filename)]


# -- DF034 / DF035 / DF036: variables ---------------------------------------------------------------


def test_platform_arguments_are_predefined_for_from(tmp_path):
    text = "FROM --platform=$BUILDPLATFORM golang:1.23 AS b\nFROM alpine:3.20-${TARGETARCH}\n"
    assert lines(tmp_path, text, "DF034") == []


def test_undefined_arg_in_from_suggests_the_declared_name(tmp_path):
    got = found(tmp_path, "ARG BASE_TAG=3.20\nFROM alpine:${BASE_TAGS}\n", "DF034")
    assert got == [(2, "FROM uses $BASE_TAGS, which no ARG before the first FROM declares, so it "
                       "expands to nothing (did you mean BASE_TAG?)")]  # fmt: skip


def test_arg_declared_after_the_first_from_is_not_global(tmp_path):
    text = "FROM alpine:3.20 AS a\nARG TAG=1\nFROM busybox:${TAG}\n"
    assert lines(tmp_path, text, "DF034") == [3]


def test_invalid_default_arg_names_a_stage(tmp_path):
    text = "ARG FLAVOR=min\nFROM alpine:3.20 AS build-min\nFROM build-${FLAVOR}\n"
    assert lines(tmp_path, text, "DF035") == []
    text = "ARG FLAVOR\nFROM alpine:3.20 AS build-\nFROM build-${FLAVOR}\n"
    assert lines(tmp_path, text, "DF035") == []  # empty FLAVOR names the stage `build-`


def test_invalid_default_arg_is_not_a_second_syntax_error(tmp_path):
    # Invalid whatever the build arguments: that is DF000's finding, not DF035's.
    assert lines(tmp_path, "ARG TAG=:bad\nFROM busybox${TAG}\n", "DF035") == []


def test_global_arg_used_in_a_stage_is_reported_with_the_fix(tmp_path):
    text = "ARG VERSION=1\nFROM alpine:3.20\nWORKDIR /opt/app-$VERSION\n"
    ((line, message),) = found(tmp_path, text, "DF036")
    assert line == 3
    assert "declare `ARG VERSION` in this stage" in message


def test_undefined_variable_span_is_the_reference(tmp_path):
    text = "ARG VERSION=1\nFROM alpine:3.20\nCOPY a-${VERSION}.tgz /opt/\n"
    (f,) = lint_text(tmp_path, text, "Dockerfile", ["DF036"])
    assert (f.span.line, f.span.column, f.span.end_column) == (3, 8, 18)  # ${VERSION}


def test_undefined_variable_in_a_scratch_stage(tmp_path):
    text = "FROM scratch\nCOPY app /bin/$APP_NAME\n"
    assert lines(tmp_path, text, "DF036") == [2]


def test_undefined_variable_inherited_from_a_base_stage(tmp_path):
    text = "FROM scratch AS base\nENV APP=/app\nFROM base\nCOPY app $APP/bin\n"
    assert lines(tmp_path, text, "DF036") == []


@pytest.mark.parametrize(
    "line",
    [
        "LABEL note='costs $HOME'",  # single quotes: no expansion
        "LABEL note=\\$VERSION",  # escaped
        "RUN echo $VERSION",  # the shell's business
        "ARG OTHER=$VERSION",  # BuildKit does not check ARG
    ],
)
def test_no_expansion_no_finding(tmp_path, line):
    text = f"ARG VERSION=1\nFROM scratch\n{line}\n"
    assert lines(tmp_path, text, "DF036") == []


def test_undefined_variable_in_the_chown_flag(tmp_path):
    text = "FROM scratch\nARG USER_ID=1000\nCOPY --chown=$USER_IDS:0 app /app\n"
    assert lines(tmp_path, text, "DF036") == [3]


# -- DF037: secrets -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name",
    [
        "GITHUB_TOKEN",
        "DB_PASSWORD",
        "PGPASSWORD",
        "api_key",
        "AWS_SECRET_ACCESS_KEY",
        "AUTH",
        "NPM_AUTH_TOKEN",
    ],
)
def test_secret_names(name):
    assert secret_name(name)


@pytest.mark.parametrize(
    "name",
    ["GPG_KEY", "GPG_KEYS", "PASSWORD_FILE", "PUBLIC_KEY", "TOKEN_VERSION", "KEYRING", "MONKEY", "AUTHOR"],
)
def test_names_that_are_not_secrets(name):
    assert not secret_name(name)


@pytest.mark.parametrize(
    ("value", "kind"),
    [
        ("AKIAIOSFODNN7EXAMPLE", "AWS"),
        ("ghp_" + "a" * 36, "GitHub"),
        ("https://bot:hunter2@example.com/x.git", "URL"),
        ("-----BEGIN OPENSSH PRIVATE KEY-----", "private key"),
    ],
)
def test_secret_values(value, kind):
    assert kind in (secret_value(value) or "")


@pytest.mark.parametrize(
    "value", ["https://example.com/x.git", "https://$USER:$PASS@example.com", "AKIA", "1.2.3"]
)
def test_values_that_are_not_secrets(value):
    assert secret_value(value) is None


def test_secret_in_onbuild_and_legacy_env(tmp_path):
    text = "FROM alpine:3.20\nONBUILD ARG ADMIN_PASSWORD=admin\nENV API_TOKEN abc def\n"
    assert lines(tmp_path, text, "DF037") == [2, 3]


def test_one_finding_per_secret_name(tmp_path):
    text = "FROM alpine:3.20\nENV A_TOKEN=x \\\n    MODE=prod \\\n    B_SECRET=y\n"
    assert lines(tmp_path, text, "DF037") == [2, 4]


# -- DF039: empty continuation lines ------------------------------------------------------------


def test_empty_continuation_once_per_instruction(tmp_path):
    text = "FROM alpine:3.20\nRUN a \\\n\n  b \\\n\n  c\n"
    assert lines(tmp_path, text, "DF039") == [2]


def test_empty_continuation_at_the_end_of_the_file(tmp_path):
    assert lines(tmp_path, "FROM alpine:3.20\nRUN a \\\n\n", "DF039") == [2]


# -- DF040: .dockerignore -----------------------------------------------------------------------


def test_copy_ignored_file_reads_the_dockerignore(tmp_path):
    (tmp_path / ".dockerignore").write_text("# build output\n/dist\n*.log\n")
    text = "FROM alpine:3.20\nCOPY dist/app /app\nCOPY ./debug.log src/ /x/\nADD https://e.com/a.log /x/\n"
    assert lines(tmp_path, text, "DF040") == [2, 3]


def test_dockerfile_specific_ignore_file_wins(tmp_path):
    (tmp_path / ".dockerignore").write_text("src\n")
    (tmp_path / "app.Dockerfile.dockerignore").write_text("docs\n")
    text = "FROM alpine:3.20\nCOPY src /src\nCOPY docs /docs\n"
    assert lines(tmp_path, text, "DF040", filename="app.Dockerfile") == [3]


def test_exclusions_turn_the_check_off(tmp_path):
    (tmp_path / ".dockerignore").write_text("*\n!src\n")
    assert lines(tmp_path, "FROM alpine:3.20\nCOPY other /x\n", "DF040") == []


def test_no_ignore_file_no_finding(tmp_path):
    assert lines(tmp_path, "FROM alpine:3.20\nCOPY anything /x\n", "DF040") == []


@pytest.mark.parametrize(
    ("patterns", "path", "expected"),
    [
        (["**/*.log"], "a/b/c.log", "**/*.log"),
        (["**/*.log"], "c.log", "**/*.log"),
        (["node_modules"], "node_modules/x/index.js", "node_modules"),
        (["*/temp*"], "a/temp1", "*/temp*"),
        (["*/temp*"], "a/b/temp1", None),
        (["doc?"], "docs", "doc?"),
        (["[a-c].txt"], "b.txt", "[a-c].txt"),
        (["src"], "srcs", None),
    ],
)
def test_ignore_pattern_matching(patterns, path, expected):
    assert ignored_by(patterns, path) == expected


# -- DF041 / DF042: the final image ---------------------------------------------------------------


def test_user_not_numeric_follows_the_stage_chain(tmp_path):
    text = "FROM alpine:3.20 AS base\nUSER app\nFROM base\nRUN true\n"
    assert lines(tmp_path, text, "DF041") == [2]
    text = "FROM alpine:3.20 AS build\nUSER app\nFROM alpine:3.20\nRUN true\n"
    assert lines(tmp_path, text, "DF041") == []


@pytest.mark.parametrize("user", ["root", "1000", "1000:app", "$UID", "${APP_USER}"])
def test_user_numeric_root_or_variable(tmp_path, user):
    assert lines(tmp_path, f"FROM alpine:3.20\nUSER {user}\n", "DF041") == []


def test_user_name_on_windows_is_fine(tmp_path):
    text = "FROM mcr.microsoft.com/windows/nanoserver:ltsc2022\nUSER ContainerUser\n"
    assert lines(tmp_path, text, "DF041") == []


def test_copy_whole_filesystem_of_an_image(tmp_path):
    text = "FROM alpine:3.20\nCOPY --from=tonistiigi/xx:1.6 / /\nCOPY --from=tools /x /\n"
    assert lines(tmp_path, text, "DF042") == [2]


# -- DF043: registries ----------------------------------------------------------------------------


def test_untrusted_registry_everywhere_an_image_can_be_named(tmp_path):
    text = (
        "FROM corp.example/base:1 AS build\n"
        "RUN --mount=type=bind,from=quay.io/org/tool:1,target=/t true\n"
        "RUN --mount=type=bind,from=build,target=/b true\n"
        "FROM node:22\n"
        "ONBUILD COPY --from=gcr.io/x/y:1 /a /a\n"
    )
    got = lines(tmp_path, text, "DF043", {"trusted-registries": ["corp.example"]})
    assert got == [2, 4, 5]
    assert lines(tmp_path, text, "DF043", {"trusted-registries": ["*.example", "corp.example", "docker.io",
                                                                   "quay.io", "gcr.io"]}) == []  # fmt: skip


def test_scratch_is_always_trusted(tmp_path):
    assert lines(tmp_path, "FROM scratch\n", "DF043", {"trusted-registries": ["corp.example"]}) == []


# -- DF044: ADD downloads -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("source", "flagged"),
    [
        ("https://example.com/a.tgz", True),
        ("git@github.com:org/repo.git#main", True),
        ("https://github.com/org/repo.git#" + "a" * 40, False),
        ("https://github.com/org/repo.git?ref=v1.0", True),
        ("local.tgz", False),
    ],
)
def test_add_unverified(tmp_path, source, flagged):
    got = lines(tmp_path, f"FROM alpine:3.20\nADD {source} /x/\n", "DF044")
    assert got == ([2] if flagged else [])


def test_add_url_through_an_arg(tmp_path):
    text = "FROM alpine:3.20\nARG URL=https://example.com/a.tgz\nADD $URL /x/\n"
    assert lines(tmp_path, text, "DF044") == [3]


# -- DF045 / DF046: stages and platforms --------------------------------------------------------------


def test_stage_chosen_by_an_arg_counts_as_used(tmp_path):
    text = (
        "ARG MODE\n"
        "FROM alpine:3.20 AS run-fast\n"
        "FROM alpine:3.20 AS run-slow\n"
        "FROM alpine:3.20 AS unrelated\n"
        "FROM run-${MODE}\n"
    )
    assert lines(tmp_path, text, "DF045") == [4]


def test_stage_used_only_by_an_unused_stage_is_unused(tmp_path):
    text = "FROM alpine:3.20 AS a\nFROM a AS b\nFROM alpine:3.20\n"
    assert lines(tmp_path, text, "DF045") == [1, 2]


def test_final_stage_on_the_build_platform_through_a_base_stage(tmp_path):
    text = "FROM --platform=$BUILDPLATFORM node:22 AS base\nFROM base\nRUN true\n"
    assert lines(tmp_path, text, "DF046") == [1]
    text = "FROM --platform=${BUILDPLATFORM} scratch\nCOPY app /\n"
    assert lines(tmp_path, text, "DF046") == []


# -- labels ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "good", "bad"),
    [
        ("url", "https://example.com/x", "example.com"),
        ("rfc3339", "2024-02-29T23:59:59.5+02:00", "2023-02-29T00:00:00Z"),
        ("spdx", "(MIT OR Apache-2.0) AND LicenseRef-corp", "MIT OR"),
        ("hash", "0" * 40, "abc123"),
        ("semver", "1.0.0-rc.1+build.5", "1.0"),
        ("email", "a.b@example.co.uk", "Team <a@b.c>"),
    ],
)
def test_label_validators(kind, good, bad):
    assert VALIDATORS[kind](good)
    assert not VALIDATORS[kind](bad)


def test_label_schema_from_a_prefix_selector(tmp_path):
    """One `parameters` entry for the prefix DF05 configures all the label rules."""
    text = 'FROM alpine:3.20\nLABEL maintainer="" url=nope extra=1\n'
    schema = {"label-schema": {"maintainer": "email", "url": "url", "version": "semver"}}
    from helpers import RULES

    from linter.config import Config
    from linter.engine.load import load
    from linter.engine.run import Engine

    path = tmp_path / "Dockerfile"
    path.write_text(text)
    engine = Engine(RULES, Config({"parameters": {"DF05": schema}}), ["DF05"])
    source = load(str(path), "dockerfile", 1 << 20).source
    got = sorted((f.code, f.span.line) for f in engine.lint(source, parse(source)))
    assert got == [("DF050", 1), ("DF051", 2), ("DF052", 2), ("DF053", 2)]


# -- the parser ------------------------------------------------------------------------------------


def problems(text: str) -> list[tuple[str, int, str]]:
    source = SourceFile("Dockerfile", text, "dockerfile")
    parse(source)
    return [(p.kind, p.span.line, p.message) for p in source.problems]


@pytest.mark.parametrize("directive", ["skip=all", "skip=A,B;error=true", "error=False", "experimental=all"])
def test_valid_check_directives(directive):
    assert problems(f"# check={directive}\nFROM alpine:3.20\n") == []


@pytest.mark.parametrize("directive", ["skip", "ignore=all", "error=yes"])
def test_invalid_check_directive_is_a_syntax_error(directive):
    ((kind, line, _),) = problems(f"# check={directive}\nFROM alpine:3.20\n")
    assert (kind, line) == ("dockerfile-syntax", 1)


def test_onbuild_trigger_problem_has_its_own_kind():
    assert problems("FROM x\nONBUILD FROM y\n") == [
        ("dockerfile-onbuild", 2, "FROM is not allowed inside ONBUILD")
    ]
