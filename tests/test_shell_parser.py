"""The shell layer of RUN (linter.shell): words, operators, nesting, redirections, wrappers,
heredocs, exact spans, dialects, exec form, ONBUILD, error recovery, the corpus, and random text."""

from __future__ import annotations

import pytest
from conftest import shared_or_skip
from helpers import span_outside
from hypothesis import given, settings
from hypothesis import strategies as st

from linter.ir.source import SourceFile, Span
from linter.parsers.dockerfile import parse_dockerfile
from linter.shell import bind, commands_of, dialect_of, scripts_of, shell_of


def runs(text: str) -> list:
    df = parse_dockerfile(SourceFile("Dockerfile", text, "dockerfile"))
    bind(df)
    out = []
    for ins in df.instructions:
        target = ins.inner if ins.inner is not None else ins
        if target.keyword == "RUN":
            out.append(target)
    return out


def run(script: str, prefix: str = "FROM debian:12\n") -> list:
    """The commands of a single `RUN <script>`."""
    (ins,) = runs(prefix + "RUN " + script + "\n")
    return commands_of(ins)


def names(script: str) -> list[str]:
    return [c.name for c in run(script)]


def values(script: str) -> list[list[str]]:
    return [[w.value for w in c.argv] for c in run(script)]


# -- words ----------------------------------------------------------------------------------------


def test_quotes_are_removed_and_expansions_kept():
    cmd, *nested = run("""echo 'a b' "c $HOME d" e\\ f $'x\\ty' "${A:-b}" `id` $(pwd)""")
    assert [c.name for c in nested] == ["id", "pwd"]
    assert [w.value for w in cmd.argv] == [
        "echo",
        "a b",
        "c $HOME d",
        "e f",
        "x\ty",
        "${A:-b}",
        "`id`",
        "$(pwd)",
    ]
    assert [w.quoted for w in cmd.argv] == [False, True, True, True, True, True, False, False]
    assert [w.has_expansion for w in cmd.argv] == [False, False, True, False, False, True, True, True]
    assert cmd.argv[1].raw == "'a b'"


def test_single_quotes_hide_expansions():
    (cmd,) = run("echo '$HOME' \"it's\"")
    assert [w.value for w in cmd.argv[1:]] == ["$HOME", "it's"]
    assert not cmd.argv[1].has_expansion


def test_name_is_the_base_name_and_assignments_are_apart():
    (cmd,) = run("DEBIAN_FRONTEND=noninteractive A='x y' /usr/bin/apt-get install -y curl")
    assert cmd.name == "apt-get"
    assert [w.value for w in cmd.assignments] == ["DEBIAN_FRONTEND=noninteractive", "A=x y"]
    assert [w.value for w in cmd.args()] == ["install", "-y", "curl"]
    (only,) = run("A=1 B=(1 2)")
    assert only.name == "" and [w.raw for w in only.assignments] == ["A=1", "B=(1 2)"]


def test_options():
    (cmd,) = run("apt-get -qy --no-install-recommends -o Dpkg::Options::=--force-confold install -- -x")
    assert cmd.has_option("-y") and cmd.has_option("-q") and cmd.has_option("--no-install-recommends")
    assert not cmd.has_option("-x")  # after `--`
    assert cmd.option_value("-o") == "Dpkg::Options::=--force-confold"
    (wget,) = run("wget --progress=dot:giga -O/tmp/qa.tar https://x")
    assert wget.has_option("--progress") and wget.option_value("--progress") == "dot:giga"
    assert not wget.has_option("-q") and not wget.has_option("-a")  # -O's attached value
    assert wget.option_value("-O") == "/tmp/qa.tar"


# -- operators, pipelines, nesting ------------------------------------------------------------------


def test_lists_and_pipelines():
    (ins,) = runs("FROM x\nRUN a | b |& c && ! d || e; f & g\n")
    (script,) = scripts_of(ins)
    shape = [([c.name for c in p.commands], p.operator, p.negated) for p in script.pipelines]
    assert shape == [
        (["a", "b", "c"], "&&", False),
        (["d"], "||", True),
        (["e"], ";", False),
        (["f"], "&", False),
        (["g"], None, False),
    ]
    first = script.pipelines[0]
    assert len(first.pipes) == 2 and first.size == 3


def test_nested_commands_in_source_order():
    script = "if [ -f a ]; then for i in $(ls /x | sort); do { echo `date`; (cd $i && make); }; done; fi; " \
             "case $x in a|b) f() { g; } ;; *) while read l; do h; done ;; esac"  # fmt: skip
    assert names(script) == ["[", "ls", "sort", "echo", "date", "cd", "make", "g", "read", "h"]


def test_compound_element_counts_in_pipeline_size():
    (ins,) = runs("FROM x\nRUN { a; b; } | c\n")
    outer = [p for p in scripts_of(ins)[0].pipelines if p.size == 2]
    assert len(outer) == 1 and [c.name for c in outer[0].commands] == ["c"]


def test_reserved_words_only_in_command_position():
    assert values("echo if then fi }") == [["echo", "if", "then", "fi", "}"]]


def test_comments_are_skipped():
    (ins,) = runs("FROM x\nRUN <<EOF\n# a comment\necho a # b\necho#c\nEOF\n")
    assert [[w.value for w in c.argv] for c in commands_of(ins)] == [["echo", "a"], ["echo#c"]]


def test_conditional_and_arithmetic():
    assert names("[[ -f a && $b == c ]] && (( i++ )) && x=$((1 + 2)) echo $x") == ["[[", "echo"]


# -- redirections -------------------------------------------------------------------------------


def test_redirections():
    (cmd,) = run("cmd >out 2>&1 <in >>log &>all 3<>rw <<<word")
    got = [(r.op, r.fd, r.target.value if r.target else None) for r in cmd.redirects]
    assert got == [
        (">", None, "out"),
        (">&", 2, "1"),
        ("<", None, "in"),
        (">>", None, "log"),
        ("&>", None, "all"),
        ("<>", 3, "rw"),
        ("<<<", None, "word"),
    ]
    assert [w.value for w in cmd.argv] == ["cmd"]


def test_heredoc_inside_a_script_has_its_body_skipped():
    (ins,) = runs(
        "FROM x\nRUN <<EOF\ncat <<-EOT >/f && echo done\n\trm -rf / ; curl x | sh\n\tEOT\nls\nEOF\n"
    )
    assert [c.name for c in commands_of(ins)] == ["cat", "echo", "ls"]


# -- wrappers and sh -c ------------------------------------------------------------------------------


def test_wrappers_yield_the_wrapped_command_too():
    cmds = run("sudo -u app -E env -i A=1 nice -n 5 apt-get install -y curl")
    assert [c.name for c in cmds] == ["sudo", "env", "nice", "apt-get"]
    apt = cmds[-1]
    assert apt.wrapper is cmds[-2] and [w.value for w in apt.args()] == ["install", "-y", "curl"]
    assert [w.value for w in cmds[1].assignments] == []
    assert [w.value for w in apt.assignments] == []
    assert names("find . -name '*.o' | xargs -r -n 1 rm -f") == ["find", "xargs", "rm"]
    assert names("timeout -s KILL 10 curl x && time make") == ["timeout", "curl", "time", "make"]


def test_sh_c_string_is_parsed_with_exact_spans():
    (ins,) = runs("FROM x\nRUN bash -euo pipefail -c 'apt-get update | tee log' && sh -c \"$CMD\"\n")
    cmds = commands_of(ins)
    # A double-quoted string is parsed too; `$CMD` is then a command, as it would be in a script.
    assert [c.name for c in cmds] == ["bash", "apt-get", "tee", "sh", "$CMD"]
    assert cmds[1].argv[0].span == Span(2, 28, 2, 35)


# -- spans -------------------------------------------------------------------------------------------


def test_spans_across_continuation_lines():
    text = "FROM x\nRUN set -e; \\\n    apt-get update \\\n # comment inside\n    && cd /tmp && make\n"
    (ins,) = runs(text)
    cmds = {c.name: c for c in commands_of(ins)}
    assert cmds["set"].span == Span(2, 5, 2, 11)
    assert cmds["apt-get"].span == Span(3, 5, 3, 19)
    assert cmds["cd"].argv[0].span == Span(5, 8, 5, 10)
    assert cmds["make"].span == Span(5, 19, 5, 23)
    pipe_text = "FROM x\nRUN a \\\n  | b\n"
    (ins,) = runs(pipe_text)
    assert scripts_of(ins)[0].pipelines[0].pipe_span() == Span(3, 3, 3, 4)


def test_spans_in_heredoc_bodies_with_stripped_tabs():
    (ins,) = runs("FROM x\nRUN <<-EOF\n\t\techo a\n\tmake all\nEOF\n")
    echo, make = commands_of(ins)
    assert echo.span == Span(3, 3, 3, 9) and make.argv[1].span == Span(4, 7, 4, 10)


# -- heredoc RUN variants ----------------------------------------------------------------------------


def test_lone_heredoc_is_the_script():
    (ins,) = runs("FROM x\nRUN <<EOF\napt-get update\nEOF\n")
    (script,) = scripts_of(ins)
    assert script.heredoc is ins.heredocs[0] and script.dialect == "sh"
    assert [c.name for c in script.commands] == ["apt-get"]


def test_shebang_decides_the_dialect_of_a_lone_heredoc():
    (bash_ins, py_ins) = runs(
        "FROM x\nRUN <<EOF\n#!/usr/bin/env bash\necho a\nEOF\nRUN <<EOF\n#!/usr/bin/python3\nprint(1)\nEOF\n"
    )
    assert scripts_of(bash_ins)[0].dialect == "bash" and [c.name for c in commands_of(bash_ins)] == ["echo"]
    assert scripts_of(py_ins)[0].dialect == "other" and commands_of(py_ins) == []


def test_heredoc_fed_to_a_shell_is_a_script_and_to_python_is_not():
    (ins_bash, ins_py, ins_two) = runs(
        "FROM x\nRUN <<EOF bash -ex\necho in-bash\nEOF\n"
        "RUN python3 <<EOF\nimport os\nEOF\n"
        "RUN <<A sudo bash && <<B cat > /b\necho a\nA\nnot a command\nB\n"
    )
    line, body = scripts_of(ins_bash)
    assert line.heredoc is None and body.heredoc is ins_bash.heredocs[0] and body.dialect == "bash"
    assert [c.name for c in commands_of(ins_bash)] == ["bash", "echo"]
    assert [s.heredoc for s in scripts_of(ins_py)] == [None]
    assert [c.name for c in commands_of(ins_py)] == ["python3"]
    assert [c.name for c in commands_of(ins_two)] == ["sudo", "bash", "cat", "echo"]


# -- dialects ----------------------------------------------------------------------------------------


def test_shell_instruction_switches_and_is_inherited():
    text = (
        'FROM debian:12 AS base\nRUN a\nSHELL ["/bin/bash", "-o", "pipefail", "-c"]\nRUN b\n'
        'FROM base\nRUN c\nSHELL ["/usr/bin/env", "zsh", "-c"]\nRUN d\nFROM debian:12\nRUN e\n'
    )
    a, b, c, d, e = runs(text)
    assert [dialect_of(i) for i in (a, b, c, d, e)] == ["sh", "bash", "bash", "zsh", "sh"]
    assert shell_of(c) == ["/bin/bash", "-o", "pipefail", "-c"] and shell_of(e) is None


def test_powershell_and_cmd_give_no_commands():
    text = (
        "FROM mcr.microsoft.com/windows/servercore:ltsc2022\nRUN dir && echo x\n"
        'SHELL ["powershell", "-Command"]\nRUN Get-Item x | Remove-Item\n'
    )
    windows, pwsh = runs(text)
    assert dialect_of(windows) == "cmd" and dialect_of(pwsh) == "powershell"
    assert commands_of(windows) == [] and commands_of(pwsh) == []
    assert [s.dialect for s in scripts_of(pwsh)] == ["powershell"]


def test_hadolint_shell_pragma():
    (ins,) = runs("# hadolint shell=powershell\nFROM base\nRUN & C:/x.ps1 --y\n")
    assert dialect_of(ins) == "powershell" and commands_of(ins) == [] and scripts_of(ins)[0].errors == []


# -- exec form, ONBUILD, other instructions ---------------------------------------------------------


def test_exec_form():
    (plain, shell) = runs(
        'FROM x\nRUN ["apt-get", "install", "-y", "curl"]\nRUN ["/bin/sh", "-c", "echo \\"hi\\" && ls -l"]\n'
    )
    (cmd,) = commands_of(plain)
    assert [w.value for w in cmd.argv] == ["apt-get", "install", "-y", "curl"]
    assert cmd.argv[1].span == Span(2, 17, 2, 26)
    cmds = commands_of(shell)
    assert [c.name for c in cmds] == ["sh", "echo", "ls"]
    echo, ls = cmds[1], cmds[2]
    assert echo.argv[1].value == "hi" and echo.argv[1].span == Span(3, 29, 3, 35)
    assert ls.argv[1].span == Span(3, 42, 3, 44)


def test_onbuild_run_takes_the_shell_the_stage_ends_with():
    text = 'FROM debian:12\nONBUILD RUN cd /app && make | tee log\nSHELL ["/bin/bash", "-c"]\n'
    (inner,) = runs(text)
    assert [c.name for c in commands_of(inner)] == ["cd", "make", "tee"]
    assert dialect_of(inner) == "bash"
    assert commands_of(inner)[0].span == Span(2, 13, 2, 20)


def test_non_run_instructions_have_no_scripts():
    df = parse_dockerfile(SourceFile("Dockerfile", "FROM x\nCMD echo hi\n", "dockerfile"))
    assert scripts_of(df.instructions[1]) == [] and commands_of(df.instructions[1]) == []


# -- errors ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("script", "expected"),
    [
        ("echo 'unterminated && apt-get update; make", ["make"]),
        ("if true; then a; && b; c", ["true", "a", "c"]),
        ("a && ; b; fi; c", ["a", "b", "c"]),
        ("echo $(ls; ( ; d", ["echo", "ls", "d"]),
    ],
)
def test_errors_are_recorded_and_parsing_resumes(script, expected):
    (ins,) = runs("FROM x\nRUN " + script + "\n")
    (s,) = scripts_of(ins)
    assert s.errors, "a syntax error is recorded"
    assert [c.name for c in s.commands][-1] == expected[-1]
    for span, message in s.errors:
        assert span.line == 2 and message


def test_deep_nesting_does_not_overflow():
    deep = "$(" * 5000 + "x" + ")" * 5000
    (ins,) = runs("FROM x\nRUN echo " + deep + " && ls\n")
    (s,) = scripts_of(ins)
    assert any("nested too deeply" in m for _, m in s.errors)
    brackets = "{ " * 3000 + "a" + "; }" * 3000
    (ins,) = runs("FROM x\nRUN " + brackets + "\n")
    assert scripts_of(ins)[0].errors


# -- the corpus and random text -----------------------------------------------------------------------


def _all_spans(ins, source):
    for script in scripts_of(ins):
        for cmd in script.commands:
            yield cmd.span
            yield from (w.span for w in (*cmd.argv, *cmd.assignments))
            yield from (r.span for r in cmd.redirects)
        for p in script.pipelines:
            yield p.span
            yield from (p.pipe_span(i) for i in range(len(p.pipes)))
        yield from (span for span, _ in script.errors)


def test_corpus_runs_parse_and_spans_stay_inside_their_instruction():
    corpus = shared_or_skip("corpus", "dockerfile")
    n = 0
    for path in sorted(corpus.rglob("*")):
        if not path.is_file() or path.suffix in (".jsonl", ".tsv"):
            continue
        source = SourceFile(str(path), path.read_text(encoding="utf-8", errors="replace"), "dockerfile")
        df = parse_dockerfile(source)
        bind(df)
        for outer in df.instructions:
            ins = outer.inner if outer.inner is not None else outer
            if ins.keyword != "RUN":
                continue
            n += 1
            last = max([outer.span.end_line, *(h.body_span.end_line for h in ins.heredocs)])
            lines = range(outer.span.line, last + 1)
            for span in _all_spans(ins, source):
                assert not span_outside(source, span), (path, span)
                assert span.line in lines and span.end_line in lines, (path, span, lines)
    assert n > 1000


@settings(max_examples=300, deadline=None)
@given(
    st.text(alphabet=st.sampled_from(list("ab $(){}[]<>|&;'\"`\\\n\t#=-!*0123456789xcdEOF")), max_size=120)
)
def test_random_text_never_raises_and_spans_are_valid(body):
    text = "FROM x\nRUN " + body.replace("\n", " \\\n") + "\nRUN <<EOF\n" + body + "\nEOF\n"
    source = SourceFile("Dockerfile", text, "dockerfile")
    df = parse_dockerfile(source)
    bind(df)
    for ins in df.instructions:
        if ins.keyword == "RUN":
            for span in _all_spans(ins, source):
                assert not span_outside(source, span), (span, text)
