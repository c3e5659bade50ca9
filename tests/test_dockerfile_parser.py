"""The Dockerfile lexer and IR: stages, instructions, flags, heredocs, directives, spans, problems.

Spans are (line, column, end line, end column), 1-based, the end column exclusive."""

from __future__ import annotations

import pytest
from helpers import span_outside

from linter.ir.dockerfile import Dockerfile, Instruction, Scope
from linter.ir.source import SourceFile, Span
from linter.parsers.dockerfile import expand, parse_dockerfile


def parse(text: str) -> tuple[SourceFile, Dockerfile]:
    source = SourceFile("Dockerfile", text, "dockerfile")
    return source, parse_dockerfile(source)


def clean(text: str) -> Dockerfile:
    """Parse text that must have no problem."""
    source, df = parse(text)
    assert source.problems == [], source.problems
    return df


def problems(text: str) -> list[tuple[str, Span, str]]:
    source, _ = parse(text)
    return [(p.kind, p.span, p.message) for p in source.problems]


def keywords(df: Dockerfile) -> list[tuple[str, int]]:
    return [(i.keyword, i.span.line) for i in df.instructions]


def spans(ins: Instruction) -> tuple[tuple[int, ...], ...]:
    return ins.span.astuple(), ins.keyword_span.astuple(), ins.args_span.astuple()


# --- instructions and spans -------------------------------------------------------------------


def test_simple_instructions_and_their_spans():
    df = clean("FROM alpine:3.20\nRUN echo hi\n")
    assert keywords(df) == [("FROM", 1), ("RUN", 2)]
    run = df.instructions[1]
    assert spans(run) == ((2, 1, 2, 12), (2, 1, 2, 4), (2, 5, 2, 12))
    assert run.args == "echo hi"
    assert run.raw_keyword == "RUN"
    assert run.form == "shell"


def test_indented_instruction_columns_count_from_one():
    df = clean("FROM x\n    RUN  true\n")
    assert spans(df.instructions[1]) == ((2, 5, 2, 14), (2, 5, 2, 8), (2, 10, 2, 14))


def test_columns_count_code_points():
    df = clean('FROM x\nLABEL desc="héllo wörld" a=b\n')
    label = df.instructions[1]
    # 'LABEL desc="héllo wörld" a=b' is 28 code points long (more in UTF-8 bytes).
    assert label.span.end_column == 29
    assert label.args_span.astuple() == (2, 7, 2, 29)


@pytest.mark.parametrize("keyword", ["from", "From", "fRoM"])
def test_keywords_in_any_case(keyword):
    df = clean(f"{keyword} alpine AS base\nrun echo\nCopy a b\nOnBuild run x\n")
    assert [i.keyword for i in df.instructions] == ["FROM", "RUN", "COPY", "ONBUILD"]
    assert df.instructions[0].raw_keyword == keyword
    assert df.instructions[3].inner is not None
    assert df.instructions[3].inner.keyword == "RUN"
    assert df.stages[0].alias == "base"


def test_comments_directly_above_are_kept():
    df = clean("FROM x\n\n# first\n# second\nRUN a\n# detached\n\nRUN b\n")
    assert df.instructions[1].comments == ((3, "# first"), (4, "# second"))
    assert df.instructions[2].comments == ()


def test_file_comments_are_the_comment_lines_the_parser_reads():
    text = (
        "# syntax=docker/dockerfile:1\n"  # a parser directive, not a comment
        "# a note\n"
        "FROM alpine:3.20\n"
        "RUN <<EOF\n"
        "# shiplint global ignore=all\n"  # heredoc body: shell text, not a Dockerfile comment
        "echo hi\n"
        "EOF\n"
        "RUN apt-get update \\\n"
        "    # inside a continuation: skipped as part of the RUN\n"
        "    && true\n"
        "\n"
        "  # indented\n"
        "COPY <<-CONF /etc/app.conf\n"
        "\t# conf body\n"
        "\tCONF\n"
        "# at the end\n"
    )
    df = clean(text)
    assert df.comments == [(2, "# a note"), (12, "  # indented"), (16, "# at the end")]
    assert df.instructions[3].comments == ((12, "  # indented"),)


def test_comments_of_a_file_with_a_bom_and_crlf():
    df = clean("\ufeff# first\r\nFROM x\r\n# second\r\n")
    assert df.comments == [(1, "# first"), (3, "# second")]


def test_crlf_line_endings_give_the_same_spans():
    lf = clean('FROM x\nRUN a \\\n  b\nCMD ["x"]\n')
    crlf = clean('FROM x\r\nRUN a \\\r\n  b\r\nCMD ["x"]\r\n')
    assert [spans(i) for i in lf.instructions] == [spans(i) for i in crlf.instructions]
    assert crlf.instructions[2].json_args == ["x"]


def test_form_feed_and_line_separator_do_not_shift_lines():
    # str.splitlines() would split at \x0c and U+2028; Docker and editors do not.
    df = clean("FROM x\nRUN printf 'a\x0cb'\nLABEL d='x\u2028y'\nRUN c\n")
    assert keywords(df) == [("FROM", 1), ("RUN", 2), ("LABEL", 3), ("RUN", 4)]


def test_byte_order_mark_is_ignored():
    df = clean("\ufeffFROM x\nRUN a\n")
    assert df.instructions[0].keyword == "FROM"
    assert df.instructions[0].keyword_span.astuple() == (1, 1, 1, 5)


# --- line continuations --------------------------------------------------------------------------


def test_continuation_skips_comment_and_blank_lines_as_buildkit_does():
    text = "FROM x\nRUN apt-get update \\\n  # a comment inside\n\n    && apt-get install -y curl\nUSER app\n"
    df = clean(text)
    assert keywords(df) == [("FROM", 1), ("RUN", 2), ("USER", 6)]
    run = df.instructions[1]
    assert run.args == "apt-get update     && apt-get install -y curl"
    assert run.span.astuple() == (2, 1, 5, 31)
    assert run.args_span.astuple() == (2, 5, 5, 31)


def test_continuation_at_end_of_file():
    df = clean("FROM alpine:3.5\n\nRUN something \\")
    assert keywords(df) == [("FROM", 1), ("RUN", 3)]
    assert df.instructions[1].args == "something"


def test_line_of_only_an_escape_continues():
    df = clean("FROM x\nENV E hello\\\n\\\nworld\n")
    assert keywords(df) == [("FROM", 1), ("ENV", 2)]
    assert df.instructions[1].span.end_line == 4


def test_escaped_escape_at_end_of_line_does_not_continue():
    # BuildKit's testfiles/trailing-backslash: `\\` at the end of a line is a literal backslash.
    df = clean("FROM x\nENV C trailing\\\\backslash\\\\\nENV D not appended to C\n")
    assert keywords(df) == [("FROM", 1), ("ENV", 2), ("ENV", 3)]
    assert df.stages[0].scope.values["C"] == "trailing\\backslash\\"
    assert df.stages[0].scope.values["D"] == "not appended to C"


def test_comment_ending_in_escape_does_not_continue():
    df = clean("FROM x\n# RUN Commands \\\nRUN ls\n")
    assert keywords(df) == [("FROM", 1), ("RUN", 3)]


def test_flag_span_on_a_continued_line():
    df = clean("FROM x\nCOPY \\\n  --chown=1:1 \\\n  a b\n")
    copy = df.instructions[1]
    assert copy.flag("chown") is not None
    assert copy.flag("chown").span.astuple() == (3, 3, 3, 14)
    assert copy.args_span.astuple() == (4, 3, 4, 6)


# --- parser directives ---------------------------------------------------------------------------


def test_escape_directive_backtick():
    text = (
        "# escape=`\nFROM mcr.microsoft.com/windows/servercore\n"
        "RUN dir c:\\ `\n    && echo done\nWORKDIR c:\\app\n"
    )
    df = clean(text)
    assert df.escape == "`"
    assert df.directives["escape"] == ("`", Span(1, 10, 1, 11))
    assert keywords(df) == [("FROM", 2), ("RUN", 3), ("WORKDIR", 5)]
    assert df.instructions[1].args == "dir c:\\     && echo done"
    assert df.instructions[2].args == "c:\\app"


def test_backslash_does_not_continue_under_backtick_escape():
    df = clean("# escape=`\nFROM x\nRUN a \\\nRUN b\n")
    assert keywords(df) == [("FROM", 2), ("RUN", 3), ("RUN", 4)]


def test_syntax_check_and_escape_directives():
    text = (
        "# syntax=docker/dockerfile:1\n# check=skip=JSONArgsRecommended;error=true\n# ESCAPE = `\n\nFROM x\n"
    )
    df = clean(text)
    assert df.directives["syntax"] == ("docker/dockerfile:1", Span(1, 10, 1, 29))
    assert df.directives["check"] == ("skip=JSONArgsRecommended;error=true", Span(2, 9, 2, 44))
    assert df.directives["escape"] == ("`", Span(3, 12, 3, 13))
    assert df.escape == "`"


def test_directive_after_a_comment_is_a_comment():
    # BuildKit's testfiles/escape-after-comment
    df = clean("# Comment here.\n# escape = `\n\nFROM image\nENV GOPATH \\\n\\go\n")
    assert df.directives == {}
    assert df.escape == "\\"
    assert keywords(df) == [("FROM", 4), ("ENV", 5)]


def test_directive_after_a_blank_line_or_instruction_is_a_comment():
    df = clean("\n# escape=`\nFROM x\n# syntax=docker/dockerfile:1\n")
    assert df.directives == {}
    assert df.escape == "\\"


def test_unknown_directive_ends_the_directives():
    df = clean("# foo=bar\n# escape=`\nFROM x\n")
    assert df.directives == {}
    assert df.escape == "\\"


def test_repeated_directive_is_a_problem():
    assert problems("# escape=`\n# escape=\\\nFROM x\n") == [
        ("dockerfile-syntax", Span(2, 1, 2, 11), "only one escape parser directive can be used")
    ]


def test_invalid_escape_character_is_a_problem():
    [(kind, span, message)] = problems("# escape=x\nFROM x\n")
    assert (kind, span) == ("dockerfile-syntax", Span(1, 1, 1, 11))
    assert "invalid escape character 'x'" in message


# --- flags ---------------------------------------------------------------------------------------


def test_from_platform_flag():
    df = clean("FROM --platform=$BUILDPLATFORM golang:1.22 AS build\n")
    ins = df.instructions[0]
    assert [(f.name, f.value) for f in ins.flags] == [("platform", "$BUILDPLATFORM")]
    assert ins.flags[0].span.astuple() == (1, 6, 1, 31)
    assert ins.args == "golang:1.22 AS build"
    assert df.stages[0].platform == "$BUILDPLATFORM"
    assert df.stages[0].alias == "build"
    assert df.stages[0].alias_span == Span(1, 47, 1, 52)


def test_run_mount_flag():
    df = clean("FROM x\nRUN --mount=type=cache,target=/root/.cache pip install -r req.txt\n")
    run = df.instructions[1]
    mount = run.flag("mount")
    assert mount is not None
    assert mount.value == "type=cache,target=/root/.cache"
    assert mount.span.astuple() == (2, 5, 2, 43)
    assert run.args == "pip install -r req.txt"
    assert run.args_span.astuple() == (2, 44, 2, 66)
    assert run.flag("network") is None


def test_copy_flags_with_and_without_values():
    df = clean("FROM x\nCOPY --from=build --chown=1:1 --link /out /app\n")
    copy = df.instructions[1]
    assert [(f.name, f.value) for f in copy.flags] == [("from", "build"), ("chown", "1:1"), ("link", None)]
    assert [f.span.astuple() for f in copy.flags] == [(2, 6, 2, 18), (2, 19, 2, 30), (2, 31, 2, 37)]
    assert copy.args == "/out /app"
    assert copy.args_span.astuple() == (2, 38, 2, 47)


def test_quoted_flag_value_keeps_its_spaces():
    df = clean('FROM x\nRUN --mount="type=secret,id=a b" cat /run/secrets/a\n')
    run = df.instructions[1]
    assert run.flag("mount").value == "type=secret,id=a b"
    assert run.args == "cat /run/secrets/a"


def test_double_dash_ends_the_flags():
    # BuildKit's testfiles/flags: `--` ends the flags and is not an argument.
    df = clean("FROM x\nCOPY --chown=1 -- foo /tmp/\nCOPY -- --odd-name /tmp/\n")
    assert df.instructions[1].args == "foo /tmp/"
    assert [f.name for f in df.instructions[1].flags] == ["chown"]
    assert df.instructions[2].args == "--odd-name /tmp/"
    assert df.instructions[2].flags == ()


def test_flags_are_read_on_any_instruction_as_buildkit_does():
    # BuildKit's testfiles/flags: `CMD --doit [ "a", "b" ]` parses, with a flag and JSON form.
    df = clean('FROM x\nCMD --doit [ "a", "b" ]\n')
    cmd = df.instructions[1]
    assert [(f.name, f.value) for f in cmd.flags] == [("doit", None)]
    assert cmd.json_args == ["a", "b"]


def test_a_dash_inside_arguments_is_no_flag():
    df = clean("FROM x\nRUN ls --all\n")
    assert df.instructions[1].flags == ()
    assert df.instructions[1].args == "ls --all"


# --- heredocs ------------------------------------------------------------------------------------


def test_run_heredoc():
    df = clean("FROM x\nRUN <<EOF\napt-get update\napt-get install -y curl\nEOF\nUSER app\n")
    assert keywords(df) == [("FROM", 1), ("RUN", 2), ("USER", 6)]
    [doc] = df.instructions[1].heredocs
    assert doc.delimiter == "EOF"
    assert doc.body == "apt-get update\napt-get install -y curl\n"
    assert (doc.strip_tabs, doc.quoted) == (False, False)
    assert doc.span == Span(2, 5, 2, 10)
    assert doc.body_span == Span(3, 1, 5, 4)
    # The instruction itself is the line that holds the marker.
    assert df.instructions[1].span == Span(2, 1, 2, 10)


def test_heredoc_with_dash_strips_leading_tabs():
    df = clean("FROM x\nRUN <<-EOT\n\techo a\n\t\techo b\n\tEOT\nCMD x\n")
    [doc] = df.instructions[1].heredocs
    assert doc.strip_tabs is True
    assert doc.body == "echo a\necho b\n"
    assert doc.body_span == Span(3, 1, 5, 5)
    assert keywords(df)[-1] == ("CMD", 6)


def test_heredoc_without_dash_keeps_tabs_and_needs_an_exact_terminator():
    df = clean("FROM x\nRUN <<EOT\n\techo a\n\tEOT\nEOT\n")
    [doc] = df.instructions[1].heredocs
    assert doc.body == "\techo a\n\tEOT\n"


@pytest.mark.parametrize("marker", ['<<"EOF"', "<<'EOF'"])
def test_quoted_heredoc_delimiter(marker):
    df = clean(f"FROM x\nRUN {marker}\necho $HOME\nEOF\n")
    [doc] = df.instructions[1].heredocs
    assert doc.delimiter == "EOF"
    assert doc.quoted is True
    assert doc.body == "echo $HOME\n"


def test_two_heredocs_in_one_instruction():
    df = clean(
        "FROM x\nCOPY <<robots.txt <<humans.txt /usr/share/nginx/html/\n"
        "User-agent: *\nrobots.txt\nhello\nhumans.txt\nUSER a\n"
    )
    first, second = df.instructions[1].heredocs
    assert (first.delimiter, first.body, first.body_span) == (
        "robots.txt",
        "User-agent: *\n",
        Span(3, 1, 4, 11),
    )
    assert (second.delimiter, second.body, second.body_span) == ("humans.txt", "hello\n", Span(5, 1, 6, 11))
    assert keywords(df)[-1] == ("USER", 7)


def test_copy_heredoc_to_a_path():
    df = clean("FROM x\nCOPY <<EOF /etc/app.conf\nkey=value\nEOF\n")
    copy = df.instructions[1]
    assert copy.args == "<<EOF /etc/app.conf"
    assert [h.body for h in copy.heredocs] == ["key=value\n"]


def test_heredoc_with_file_descriptor():
    df = clean("FROM x\nRUN 3<<EOF cat /dev/fd/3\nbody\nEOF\n")
    assert [h.delimiter for h in df.instructions[1].heredocs] == ["EOF"]


def test_heredoc_inside_onbuild():
    df = clean("FROM x\nONBUILD RUN <<EOF\necho built\nEOF\nUSER a\n")
    onbuild = df.instructions[1]
    assert onbuild.inner is not None
    assert [h.body for h in onbuild.inner.heredocs] == ["echo built\n"]
    assert keywords(df) == [("FROM", 1), ("ONBUILD", 2), ("USER", 5)]


@pytest.mark.parametrize(
    "run",
    [
        'RUN echo "<<EOF"',  # quoted: text, not a heredoc
        "RUN cat<<EOF",  # glued to a word, as BuildKit's word-based lexer reads it
        "RUN echo $((1<<2))",
        'RUN ["sh", "-c", "cat <<EOF"]',  # JSON form has no heredocs
        "CMD cat <<EOF",  # only RUN, COPY and ADD take heredocs
    ],
)
def test_not_a_heredoc(run):
    df = clean(f"FROM x\n{run}\nUSER a\n")
    assert df.instructions[1].heredocs == ()
    assert keywords(df) == [("FROM", 1), (run.split()[0], 2), ("USER", 3)]


def test_unterminated_heredoc_is_a_problem_and_spans_stay_in_the_file():
    source, df = parse("FROM x\nRUN <<EOF\necho a\n")
    assert [(p.kind, p.span) for p in source.problems] == [("dockerfile-syntax", Span(2, 5, 2, 10))]
    assert df.instructions[1].heredocs[0].body_span == Span(3, 1, 3, 7)
    source, df = parse("FROM x\nRUN <<EOF")
    [doc] = df.instructions[1].heredocs
    assert doc.body_span.end_line <= len(source.lines)
    assert [p.kind for p in source.problems] == ["dockerfile-syntax"]


# --- ONBUILD -------------------------------------------------------------------------------------


def test_onbuild_wraps_an_instruction():
    df = clean("FROM x\nONBUILD COPY --from=builder --chown=app . /app\n")
    onbuild = df.instructions[1]
    assert onbuild.keyword == "ONBUILD"
    assert onbuild.args == "COPY --from=builder --chown=app . /app"
    assert onbuild.flags == ()
    inner = onbuild.inner
    assert inner is not None
    assert inner.keyword == "COPY"
    assert inner.keyword_span == Span(2, 9, 2, 13)
    assert [(f.name, f.value) for f in inner.flags] == [("from", "builder"), ("chown", "app")]
    assert inner.args == ". /app"
    assert inner.args_span == Span(2, 41, 2, 47)


def test_onbuild_json_form():
    df = clean('FROM x\nONBUILD RUN ["echo", "test"]\n')
    assert df.instructions[1].inner.json_args == ["echo", "test"]
    assert df.instructions[1].json_args is None


@pytest.mark.parametrize(
    ("line", "kind", "message"),
    [
        # hadolint's DL3043 (DF033): reported as its own problem kind, not as a syntax error.
        ("ONBUILD ONBUILD RUN x", "dockerfile-onbuild", "ONBUILD is not allowed inside ONBUILD"),
        ("ONBUILD FROM x", "dockerfile-onbuild", "FROM is not allowed inside ONBUILD"),
        ("ONBUILD MAINTAINER me", "dockerfile-onbuild", "MAINTAINER is not allowed inside ONBUILD"),
        ("ONBUILD", "dockerfile-syntax", "ONBUILD needs an instruction"),
        ("ONBUILD BOGUS x", "dockerfile-syntax", "unknown instruction 'BOGUS'"),
    ],
)
def test_onbuild_problems(line, kind, message):
    source, df = parse(f"FROM x\n{line}\n")
    assert [(p.kind, p.span.line, p.message) for p in source.problems] == [(kind, 2, message)]
    assert df.instructions[1].inner is None


# --- JSON and shell form -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("line", "json_args"),
    [
        ('CMD ["a", "b"]', ["a", "b"]),
        ("CMD []", []),
        ('CMD [""]', [""]),
        ('CMD\t[\t"a",\t"b"\t]\t', ["a", "b"]),
        ('ENTRYPOINT ["/bin/app", "--flag"]', ["/bin/app", "--flag"]),
        ('RUN ["apt-get", "update"]', ["apt-get", "update"]),
        ('SHELL ["/bin/bash", "-c"]', ["/bin/bash", "-c"]),
        ('COPY ["a b", "/c/"]', ["a b", "/c/"]),
        ('ADD ["src", "/dst"]', ["src", "/dst"]),
        ('VOLUME ["/data"]', ["/data"]),
        ('CMD ["\\" \\\\ \\/ \\n"]', ['" \\ / \n']),
        (
            'HEALTHCHECK --timeout=3s CMD ["curl", "-f", "http://localhost/"]',
            ["curl", "-f", "http://localhost/"],
        ),
        # Not JSON: shell form, as Docker reads it.
        ("CMD ['a', 'b']", None),
        ('CMD ["unterminated]', None),
        ('CMD ["a"', None),
        ('CMD "[\\"echo\\", \\"hi\\"]"', None),
        ('ENTRYPOINT ["a"] extra', None),
        ("CMD echo [a]", None),
        ("HEALTHCHECK CMD curl -f http://localhost/ || exit 1", None),
        ("HEALTHCHECK NONE", None),
        ('ENV A ["x"]', None),  # ENV has no JSON form
    ],
)
def test_json_or_shell_form(line, json_args):
    df = clean(f"FROM x\n{line}\n")
    ins = df.instructions[1]
    assert ins.json_args == json_args
    assert ins.form == ("json" if json_args is not None else "shell")


@pytest.mark.parametrize(
    "line",
    [
        'CMD ["echo", 1]',
        'CMD [ "echo", [ "nested json" ] ]',  # BuildKit's testfiles-negative/shykes-nested-json
        'COPY ["a", null]',
        'HEALTHCHECK CMD ["curl", true]',
    ],
)
def test_json_array_of_non_strings_is_a_problem(line):
    source, df = parse(f"FROM x\n{line}\n")
    assert [(p.kind, p.span.line) for p in source.problems] == [("dockerfile-syntax", 2)]
    assert "only strings" in source.problems[0].message
    assert df.instructions[1].json_args is None


def test_deeply_nested_json_is_a_problem_not_a_crash():
    source, df = parse("FROM alpine:3.20\nCMD " + "[" * 100_000 + "]" * 100_000 + "\n")
    assert [(p.kind, p.span.line) for p in source.problems] == [("dockerfile-syntax", 2)]
    assert df.instructions[1].json_args is None


@pytest.mark.parametrize("line", ["CMD [NaN]", 'CMD ["a", Infinity]', "CMD [-Infinity]"])
def test_json_constants_go_does_not_know_are_shell_form(line):
    df = clean(f"FROM x\n{line}\n")
    assert df.instructions[1].json_args is None


# --- problems ------------------------------------------------------------------------------------


def test_unknown_instruction_is_a_problem_at_its_keyword():
    source, df = parse("FROM x\n  BOGUS thing\nRUN ok\n")
    assert [(p.kind, p.span) for p in source.problems] == [("dockerfile-syntax", Span(2, 3, 2, 8))]
    assert "BOGUS" in source.problems[0].message
    assert keywords(df) == [("FROM", 1), ("RUN", 3)]


def test_env_without_value_is_a_problem():
    # BuildKit's testfiles-negative/env_no_value
    assert problems("FROM busybox\n\nENV PATH\n") == [
        ("dockerfile-syntax", Span(3, 5, 3, 9), "ENV PATH has no value")
    ]


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("LABEL version", "LABEL version has no value"),
        ("ENV A=1 B", "ENV: 'B' is not of the form key=value"),
        ("ENV =x", "ENV: a name cannot be blank"),
        ("USER", "USER needs arguments"),
        ("FROM a b c d", "FROM takes an image and an optional 'AS name'"),
        ("FROM a as", "FROM takes an image and an optional 'AS name'"),
        ("FROM a FOR b", "FROM takes an image and an optional 'AS name'"),
    ],
)
def test_argument_problems(line, message):
    assert [m for _, _, m in problems(f"FROM x\n{line}\n")] == [message]


def test_empty_from_is_one_problem_and_no_image():
    source, df = parse("FROM x\nFROM\n")
    assert [p.message for p in source.problems] == ["FROM needs arguments"]
    assert df.stages[1].image_text is None
    assert df.stages[1].image is None


@pytest.mark.parametrize("text", ["# only\n# comments\n", "", "\n\n", "# escape=`\n"])
def test_file_without_instructions_is_a_problem(text):
    assert [(k, m) for k, _, m in problems(text)] == [("dockerfile-syntax", "the file has no instructions")]


@pytest.mark.parametrize(
    "line",
    [
        "ENV name value",
        "ENV name=value name2=value2",
        'ENV name="value value1"',
        "ENV name=value\\ value2",
        "LABEL maintainer someone <a@b.c>",
        'LABEL a="1" b=2',
        "ARG foo bar=baz",
        "HEALTHCHECK",
        "HEALTHCHECK CMD",
        "CMD",
        "ENTRYPOINT",
        "EXPOSE 80/tcp 443",
        "STOPSIGNAL SIGTERM",
        "MAINTAINER someone",
        "WORKDIR /app",
        "VOLUME /a /b",
    ],
)
def test_valid_arguments_have_no_problem(line):
    assert problems(f"FROM x\n{line}\n") == []


# --- stages, images and scopes -------------------------------------------------------------------


def test_stage_image_reference():
    df = clean(f"FROM registry:5000/team/app:1.2@sha256:{'b' * 64} AS base\nRUN true\n")
    [stage] = df.stages
    assert stage.image is not None
    assert (stage.image.registry, stage.image.repository, stage.image.tag) == (
        "registry:5000",
        "team/app",
        "1.2",
    )
    assert stage.image.digest == "sha256:" + "b" * 64
    assert stage.image_text == f"registry:5000/team/app:1.2@sha256:{'b' * 64}"
    assert stage.alias == "base"
    assert stage.alias_span == Span(1, 108, 1, 112)
    assert stage.from_instruction is df.instructions[0]
    assert stage.instructions == [df.instructions[1]]
    assert df.instructions[1].stage is stage


def test_registry_with_port_has_no_tag():
    df = clean("FROM registry:5000/app\n")
    image = df.stages[0].image
    assert (image.registry, image.repository, image.tag, image.pinned) == (
        "registry:5000",
        "app",
        None,
        False,
    )


def test_scratch_and_earlier_stage_are_not_images():
    df = clean(
        "FROM golang:1.22 AS Build\nRUN go build\n"
        "FROM scratch\nCOPY --from=build /out /\n"
        "FROM build AS test\n"
        "FROM BUILD\n"
        "FROM later\n"
        "FROM golang:1.22 AS later\n"
    )
    scratch, from_alias, from_upper, later = df.stages[1], df.stages[2], df.stages[3], df.stages[4]
    assert (scratch.image, scratch.base_stage, scratch.image_text) == (None, None, "scratch")
    assert (from_alias.image, from_alias.base_stage) == (None, 0)
    assert (from_upper.image, from_upper.base_stage) == (None, 0)  # stage names ignore case
    # A name defined only by a later stage is an image, as BuildKit resolves it.
    assert later.base_stage is None
    assert later.image is not None
    assert later.image.repository == "later"
    assert [s.index for s in df.stages] == [0, 1, 2, 3, 4, 5]


def test_image_word_and_span():
    df = clean("FROM --platform=$BUILDPLATFORM golang:1.22 AS build\nFROM scratch\n")
    assert (df.stages[0].image_word, df.stages[0].image_span) == ("golang:1.22", Span(1, 32, 1, 43))
    assert (df.stages[1].image_word, df.stages[1].image_span) == ("scratch", Span(2, 6, 2, 13))


def test_image_span_across_a_line_continuation():
    df = clean("FROM busy\\\nbox AS x\n")
    stage = df.stages[0]
    assert stage.image_word == "busybox"
    assert stage.image_span == Span(1, 6, 2, 4)
    assert stage.image is not None
    assert stage.image.repository == "busybox"
    assert stage.alias_span == Span(2, 8, 2, 9)


def test_image_span_after_a_flag_on_its_own_line():
    df = clean("FROM \\\n  --platform=linux/amd64 \\\n  node:22 \\\n  AS app\n")
    assert (df.stages[0].image_word, df.stages[0].image_span) == ("node:22", Span(3, 3, 3, 10))


def test_from_without_arguments_has_no_image_word():
    _, df = parse("FROM\n")
    assert (df.stages[0].image_word, df.stages[0].image_span) == (None, None)


@pytest.mark.parametrize(
    ("text", "span", "message"),
    [
        ("FROM ${\n", Span(1, 6, 1, 8), "invalid image reference '${': unterminated variable"),
        (
            "ARG V=3\nFROM python:${V\n",
            Span(2, 6, 2, 16),
            "invalid image reference 'python:${V': unterminated variable",
        ),
        ("FROM 'alpine\n", Span(1, 6, 1, 13), 'invalid image reference "\'alpine": unterminated quote'),
        ("FROM :3.20\n", Span(1, 6, 1, 11), "invalid image reference ':3.20': the repository name is empty"),
        (
            "FROM @sha256:abc AS x\n",
            Span(1, 6, 1, 17),
            "invalid image reference '@sha256:abc': the repository name is empty",
        ),
        ("FROM alpine:\n", Span(1, 6, 1, 13), "invalid image reference 'alpine:': the tag is empty"),
        (
            "FROM alpine:3.20@sha256:abc\n",
            Span(1, 6, 1, 28),
            "invalid image reference 'alpine:3.20@sha256:abc': "
            "'sha256:abc' is not a valid digest (algorithm:hex)",
        ),
        (
            'ARG B="python 3"\nFROM $B\n',
            Span(2, 6, 2, 8),
            "invalid image reference '$B' (resolves to 'python 3'): it contains whitespace",
        ),
        (
            'ARG E=""\nFROM ${E}\n',
            Span(2, 6, 2, 10),
            "invalid image reference '${E}' (resolves to ''): the repository name is empty",
        ),
        (
            "FROM my_registry.io/app:1\n",
            Span(1, 6, 1, 26),
            "invalid image reference 'my_registry.io/app:1': 'my_registry.io' is not a valid registry host",
        ),
        (
            "FROM team/a..b:1\n",
            Span(1, 6, 1, 17),
            "invalid image reference 'team/a..b:1': 'team/a..b' is not a valid repository name",
        ),
        (
            "FROM team/\\\napp:bad!tag\n",
            Span(1, 6, 2, 12),
            "invalid image reference 'team/app:bad!tag': 'bad!tag' is not a valid tag",
        ),
    ],
)
def test_invalid_image_reference_is_a_problem_and_no_image(text, span, message):
    assert problems(text) == [("dockerfile-syntax", span, message)]
    _, df = parse(text)
    assert df.stages[-1].image is None


def test_unknown_base_is_no_invalid_reference():
    # Unknown until build time: nothing to validate, nothing to report.
    df = clean("ARG TAG\nFROM python:${TAG}\nFROM ${UNDECLARED}x\n")
    assert [s.image for s in df.stages] == [None, None]


def test_quotes_in_the_image_word_are_removed_as_buildkit_does():
    # jenkinsci/docker writes `FROM alpine:"${ALPINE_TAG}"`; BuildKit's lexer drops the quotes.
    df = clean('ARG TAG=3.20\nFROM alpine:"${TAG}" AS a\nFROM "a"\nFROM alp\\ine:"1"\'.2\'\n')
    assert [s.image_text for s in df.stages] == ["alpine:3.20", "a", "alpine:1.2"]
    assert [s.image_word for s in df.stages] == ['alpine:"${TAG}"', '"a"', "alp\\ine:\"1\"'.2'"]
    assert df.stages[0].image.tag == "3.20"
    assert df.stages[1].base_stage == 0  # a quoted stage name still names the stage


def test_single_quotes_do_not_expand_in_the_image_word():
    source, df = parse("ARG TAG=3.20\nFROM 'alpine:${TAG}'\n")
    assert df.stages[0].image_text == "alpine:${TAG}"
    assert df.stages[0].image is None
    assert [p.message for p in source.problems] == [
        "invalid image reference \"'alpine:${TAG}'\" (resolves to 'alpine:${TAG}'): "
        "'${TAG}' is not a valid tag"
    ]


def test_upper_case_repository_is_tolerated():
    # Docker refuses it, but real files (checkov's fixtures) use it: it stays an image to judge.
    df = clean("FROM baseImage\nFROM MyRegistry.io/Team/App:1\n")
    assert [s.image.repository for s in df.stages] == ["baseImage", "Team/App"]


def test_alias_span_on_a_continued_from_line():
    df = clean("FROM golang \\\n    AS build\n")
    assert df.stages[0].alias == "build"
    assert df.stages[0].alias_span == Span(2, 8, 2, 13)


def test_global_arg_resolves_in_from():
    df = clean("ARG BASE=python:latest\nFROM ${BASE}\n")
    stage = df.stages[0]
    assert stage.image_text == "python:latest"
    assert (stage.image.repository, stage.image.tag, stage.image.pinned) == ("python", "latest", False)
    assert df.instructions[0].stage is None
    assert df.global_args.values == {"BASE": "python:latest"}


def test_global_arg_default_uses_earlier_global_args():
    df = clean("ARG REGISTRY=ghcr.io\nARG IMAGE=${REGISTRY}/org/app:1\nFROM $IMAGE\n")
    image = df.stages[0].image
    assert df.stages[0].image_text == "ghcr.io/org/app:1"
    assert (image.registry, image.repository, image.tag) == ("ghcr.io", "org/app", "1")


@pytest.mark.parametrize(
    "text",
    [
        "FROM ${UNDECLARED}\n",
        "FROM python:$UNDECLARED\n",
        "ARG TAG\nFROM python:${TAG}\n",  # declared without a default: known only at build time
        "ARG V\nARG TAG=${V}\nFROM python:$TAG\n",
        "FROM x\nARG TAG=3\nFROM python:$TAG\n",  # an ARG inside a stage is not global
    ],
)
def test_unresolvable_base_is_unknown_not_empty(text):
    df = clean(text)
    stage = df.stages[-1]
    assert stage.image_text is None
    assert stage.image is None
    assert stage.base_stage is None


def test_default_forms_in_from():
    df = clean("ARG V\nARG W=${V:-3.12}\nARG X=${UNSET:-3.11}\nFROM python:${X}\nFROM python:${V:-1}\n")
    assert df.stages[0].image_text == "python:3.11"
    assert df.stages[1].image_text is None  # V is declared and has no known value
    assert df.global_args.values == {"V": None, "W": None, "X": "3.11"}


def test_stage_scope_holds_args_and_env():
    df = clean(
        "ARG VERSION=1.0\nFROM x\nARG VERSION\nARG OTHER\n"
        'ENV A=1 B="two words"\nENV LEGACY the value\nENV C=${A}-$VERSION\n'
    )
    assert df.stages[0].scope.values == {
        "VERSION": "1.0",  # a re-declared global ARG takes the global default
        "OTHER": None,
        "A": "1",
        "B": "two words",
        "LEGACY": "the value",
        "C": "1-1.0",
    }


def test_env_pairs_are_expanded_against_the_scope_before_the_instruction():
    # The Dockerfile reference's own example: def is hello, not bye; ghi is bye.
    df = clean("FROM x\nENV abc=hello\nENV abc=bye def=$abc\nENV ghi=$abc\n")
    assert df.stages[0].scope.values == {"abc": "bye", "def": "hello", "ghi": "bye"}
    df = clean("FROM x\nENV A=1\nENV A=2 B=$A C=${B:-none}\n")
    assert df.stages[0].scope.values == {"A": "2", "B": "1", "C": "none"}
    assert df.stages[0].env.values == {"A": "2", "B": "1", "C": "none"}


def test_env_pair_naming_a_variable_declared_in_the_same_instruction_is_unknown():
    df = clean("FROM x\nENV A=1 B=$A\n")
    assert df.stages[0].scope.values == {"A": "1", "B": None}


def test_arg_defaults_are_expanded_in_turn_as_buildkit_does():
    # BuildKit (v0.14 and later) expands each default after the pairs before it are declared.
    df = clean("FROM x\nARG A=1\nARG A=2 B=$A\nARG C=${B}3 D=$C\n")
    assert df.stages[0].scope.values == {"A": "2", "B": "2", "C": "23", "D": "23"}
    assert df.stages[0].env.values == {}


def test_a_stage_built_on_another_starts_from_its_scope():
    df = clean(
        "ARG G=g\n"
        "FROM alpine:3.20 AS base\n"
        "ARG V=1\n"
        "ENV E=2\n"
        "ENV A=env\n"
        "ARG A=arg\n"
        "FROM base AS child\n"
        "ENV F=$E-$V-$A\n"
        "FROM child\n"
        "ENV H=$F\n"
        "FROM alpine:3.20\n"
        "ENV I=${E:-unset}-${V:-unset}\n"
    )
    base, child, grandchild, other = df.stages
    assert base.scope.values == {"V": "1", "E": "2", "A": "arg"}
    # ENV and ARG values carry over to a stage built on this one; the ENVs (the image config)
    # are applied last, so ENV A wins over the later ARG A.
    assert child.scope.values == {"V": "1", "E": "2", "A": "env", "F": "2-1-env"}
    assert child.env.values == {"E": "2", "A": "env", "F": "2-1-env"}
    assert grandchild.scope.values["H"] == "2-1-env"
    # An unrelated stage sees none of it, nor the global ARG it does not re-declare.
    assert other.scope.values == {"I": "unset-unset"}
    assert base.scope.values == {"V": "1", "E": "2", "A": "arg"}  # copied, not shared


def test_scope_copy_is_independent():
    scope = Scope({"A": "1"})
    other = scope.copy()
    other.values["A"] = "2"
    assert scope.values == {"A": "1"}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("$B", "b"),
        ("${B}", "b"),
        ("x${B}y$B", "xbyb"),
        ("${E:-d}", "d"),
        ("${E-d}", ""),
        ("${B:+alt}", "alt"),
        ("${E:+alt}", ""),
        ("${E+alt}", "alt"),
        ("${UNSET:-d}", "d"),
        ("${UNSET:+alt}", ""),
        ("${UNSET}", None),
        ("$N", None),
        ("${N:-d}", None),
        ("no variables", "no variables"),
    ],
)
def test_expand(text, expected):
    assert expand(text, Scope({"B": "b", "E": "", "N": None})) == expected


# --- BuildKit's own parser fixtures, inline ------------------------------------------------------


def test_buildkit_continue_indent():
    # testfiles/continueIndent (first instructions)
    df = clean(
        "FROM ubuntu:14.04\n\nRUN echo hello\\\n  world\\\n  goodnight  \\\n  moon\\\n  light\\\nning\n"
        "RUN echo hello  \\\n  world\nRUN echo hi \\\n \\\n world \\\n\\\n good\\\n\\\nnight\n"
    )
    assert keywords(df) == [("FROM", 1), ("RUN", 3), ("RUN", 9), ("RUN", 11)]
    assert df.instructions[1].args == "echo hello  world  goodnight    moon  lightning"


def test_buildkit_lk4d4_edge_cases():
    df = clean(
        'FROM busybox:buildroot-2014.02\n\nONBUILD RUN ["echo", "test"]\nONBUILD RUN echo test\n'
        '# RUN Commands \\\n# linebreak in comment \\\nRUN ["ls", "-la"]\n'
        "RUN    sh -c 'echo root:testpass \\\n        > /tmp/passwd'\n"
        "ENV SCUBA 1 DUBA 3\nEXPOSE 9000 5000 6000\n"
    )
    assert keywords(df) == [
        ("FROM", 1),
        ("ONBUILD", 3),
        ("ONBUILD", 4),
        ("RUN", 7),
        ("RUN", 8),
        ("ENV", 10),
        ("EXPOSE", 11),
    ]
    assert df.stages[0].scope.values["SCUBA"] == "1 DUBA 3"


# --- robustness ----------------------------------------------------------------------------------

RICH = (
    "# syntax=docker/dockerfile:1\n"
    "# escape=\\\n"
    "\n"
    "ARG BASE=python:3.12\n"
    "FROM --platform=$BUILDPLATFORM ${BASE} AS build\n"
    "RUN --mount=type=cache,target=/root/.cache \\\n"
    "    # comment inside\n"
    "    pip install -r requirements.txt\n"
    "COPY --from=build --chown=1:1 --link <<EOF /etc/conf\n"
    "key=value\n"
    "EOF\n"
    'RUN <<-"EOT" bash\n'
    '\techo "$HOME"\n'
    "\tEOT\n"
    "ONBUILD COPY . /app\n"
    'HEALTHCHECK --interval=5s CMD ["curl", "-f", "http://localhost/"]\n'
    'ENV A=1 B="x y"\n'
    "LABEL a=b\n"
    'CMD ["python", "app.py"]\n'
)


def test_every_prefix_of_a_rich_file_parses_with_spans_inside_it():
    df = clean(RICH)
    assert [i.keyword for i in df.instructions] == [
        "ARG", "FROM", "RUN", "COPY", "RUN", "ONBUILD", "HEALTHCHECK", "ENV", "LABEL", "CMD",
    ]  # fmt: skip
    for cut in range(len(RICH) + 1):
        source, df = parse(RICH[:cut])
        for ins in df.instructions:
            for i in (ins, ins.inner) if ins.inner else (ins,):
                spans = [i.span, i.keyword_span, i.args_span, *(f.span for f in i.flags)]
                spans += [s for h in i.heredocs for s in (h.span, h.body_span)]
                assert not [s for s in spans if span_outside(source, s)], (cut, i)
        for stage in df.stages:
            assert stage.alias_span is None or not span_outside(source, stage.alias_span), cut
        assert all(p.span.line <= max(len(source.lines), 1) for p in source.problems), cut


def test_pattern_expansions_are_unknown_not_literal():
    # BuildKit supports ${VAR#pattern}, ${VAR%pattern} and ${VAR/a/b}; shiplint does not work
    # them out, so the base image is unknown (not flagged) rather than a literal "${...}" text.
    _, df = parse("ARG P=linux/amd64\nFROM alpine:${P#linux/}\n")
    assert df.stages[0].image_text is None
    assert df.stages[0].image is None
