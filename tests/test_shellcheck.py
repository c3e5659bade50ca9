"""DF300: ShellCheck on RUN scripts, batched over distinct scripts, mapped back to exact positions."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest
from helpers import lint_text
from test_cli import run_main

import linter.checks.shellcheck as check_module
import linter.shellcheck as runner
from linter.engine.load import load, parse

pytestmark = pytest.mark.skipif(runner.binary() is None, reason="shellcheck is not installed")


@pytest.fixture(autouse=True)
def fresh_state():
    """No results, binary or notices carried over from another test."""
    runner.reset()
    check_module._results.clear()
    yield
    runner.reset()
    check_module._results.clear()


@pytest.fixture
def popen_calls(monkeypatch):
    """The argv of every process started through subprocess.Popen (still started for real)."""
    calls: list[list[str]] = []
    real = subprocess.Popen

    def counting(argv, *args, **kwargs):
        calls.append(list(argv))
        return real(argv, *args, **kwargs)

    monkeypatch.setattr(subprocess, "Popen", counting)
    return calls


def shellcheck_findings(tmp_path: Path, text: str, filename: str = "Dockerfile"):
    return [f for f in lint_text(tmp_path, text, filename, select=["DF300"]) if f.code == "DF300"]


def by_code(findings, code: str):
    return [f for f in findings if f"shellcheck:{code}" in f.aliases]


def parsed(tmp_path: Path, name: str, text: str):
    path = tmp_path / name
    path.write_text(text)
    source = load(str(path), "dockerfile", 1 << 20).source
    return source, parse(source)


# -- positions ---------------------------------------------------------------------------------


def test_position_on_a_continuation_line_with_tabs(tmp_path):
    text = "FROM debian:12\nRUN apt-get update && \\\n\tcp a.conf $HOME/x \\\n    && echo done\n"
    [f] = by_code(shellcheck_findings(tmp_path, text), "SC2086")
    # `$HOME` on line 3, after a tab (one column, as editors and SARIF count) and `cp a.conf `.
    assert f.span.astuple() == (3, 12, 3, 17)
    assert f.message == "SC2086: Double quote to prevent globbing and word splitting."


def test_position_after_a_comment_line_inside_the_continuation(tmp_path):
    text = 'FROM debian:12\nRUN set -e; \\\n# a comment\n    for f in $(ls /etc); do echo "$f"; done\n'
    [f] = by_code(shellcheck_findings(tmp_path, text), "SC2045")
    assert f.span.astuple() == (4, 14, 4, 24)
    assert f.severity == "error"


def test_position_in_a_heredoc_body(tmp_path):
    text = "FROM debian:12\nRUN <<EOF\nset -e\n  cp a $HOME/b\nEOF\n"
    [f] = by_code(shellcheck_findings(tmp_path, text), "SC2086")
    assert f.span.astuple() == (4, 8, 4, 13)


def test_position_in_a_tab_stripped_heredoc_body(tmp_path):
    text = "FROM debian:12\nRUN <<-EOF\n\tset -e\n\t\tcp a $HOME/b\n\tEOF\n"
    [f] = by_code(shellcheck_findings(tmp_path, text), "SC2086")
    assert f.span.astuple() == (4, 8, 4, 13)


def test_heredoc_fed_to_a_command_is_read_with_the_command_line(tmp_path):
    # The shell reads `<<EOT bash`, the body and `EOT` as one script: no "end token not found".
    text = "FROM debian:12\nRUN <<EOT bash\n    set -ex\n    echo $HOME\nEOT\n"
    found = shellcheck_findings(tmp_path, text)
    assert [(f.span.line, f.span.column) for f in found] == [(4, 10)]
    assert "shellcheck:SC2086" in found[0].aliases
    # The body is checked once, as the bash script it is, not again as data of the command line.
    text = 'FROM debian:12\nRUN <<EOT bash\necho "$foo"\nEOT\n'
    found = shellcheck_findings(tmp_path, text)
    assert [(f.span.line, f.span.column, f.message.split(":")[0]) for f in found] == [(3, 7, "SC2154")]


def test_unquoted_heredoc_data_is_checked_quoted_is_not(tmp_path):
    text = "FROM debian:12\nRUN cat <<A >/a && cat <<'B' >/b\nhome is $homedir\nA\nliteral $other\nB\n"
    found = shellcheck_findings(tmp_path, text)
    assert [(f.span.line, f.span.column) for f in by_code(found, "SC2154")] == [(3, 9)]


def test_spans_stay_inside_their_lines_at_the_end_of_the_script(tmp_path):
    text = 'FROM debian:12\nRUN echo "unterminated \\\n    more\n'
    found = shellcheck_findings(tmp_path, text)
    assert found, "a parse error is a finding"
    lines = text.split("\n")
    for f in found:
        assert 1 <= f.span.column <= len(lines[f.span.line - 1]) + 1
        assert 1 <= f.span.end_column <= len(lines[f.span.end_line - 1]) + 1
        assert (f.span.line, f.span.column) < (f.span.end_line, f.span.end_column)


# -- dialects ----------------------------------------------------------------------------------


def test_default_shell_is_posix_sh(tmp_path):
    found = shellcheck_findings(tmp_path, "FROM debian:12\nRUN [[ -d /opt ]] && echo yes\n")
    assert [f.message.split(":")[0] for f in found] == ["SC3010"]


def test_shell_instruction_sets_the_dialect(tmp_path):
    text = 'FROM debian:12\nSHELL ["/bin/bash", "-o", "pipefail", "-c"]\nRUN [[ -d /opt ]] && echo yes\n'
    assert shellcheck_findings(tmp_path, text) == []


def test_shell_is_inherited_from_the_stage_built_on(tmp_path):
    text = 'FROM debian:12 AS base\nSHELL ["/bin/bash", "-c"]\nFROM base\nRUN [[ -d /opt ]] && echo yes\n'
    assert shellcheck_findings(tmp_path, text) == []
    # The check on its own, on a file nothing has prepared or walked, sees the inherited SHELL too.
    from linter.checks import Context

    source, df = parsed(tmp_path, "Dockerfile.alone", text)
    assert list(check_module.shellcheck(df.instructions[-1], Context({}, source, df))) == []


def test_heredoc_shebang_sets_the_dialect(tmp_path):
    text = "FROM debian:12\nRUN <<EOF\n#!/bin/bash\n[[ -d /opt ]] && echo yes\nEOF\n"
    assert shellcheck_findings(tmp_path, text) == []


def test_ash_is_checked_as_busybox(tmp_path):
    shell = 'SHELL ["/bin/ash", "-eo", "pipefail", "-c"]\n'
    run = 'RUN set -o pipefail; echo "$HOME" | cat\n'
    # BusyBox ash has pipefail; POSIX sh does not (SC3040).
    assert shellcheck_findings(tmp_path, "FROM alpine:3.20\n" + shell + run) == []
    found = shellcheck_findings(tmp_path, "FROM alpine:3.20\n" + run)
    assert [f.message.split(":")[0] for f in found] == ["SC3040"]
    assert runner.dialect_for("ash") == "busybox"


def test_powershell_and_cmd_are_never_analysed(tmp_path, popen_calls):
    powershell = (
        "FROM mcr.microsoft.com/windows/servercore:ltsc2022\n"
        'SHELL ["powershell", "-Command"]\n'
        "RUN $ErrorActionPreference = 'Stop'; Write-Host $env:PATH; if ($x) { exit 1 }\n"
    )
    cmd = "FROM mcr.microsoft.com/windows/nanoserver:ltsc2022\nRUN echo %PATH% && if exist C:\\x (echo $a)\n"
    assert shellcheck_findings(tmp_path, powershell) == []
    assert shellcheck_findings(tmp_path, cmd) == []
    assert popen_calls == []


def test_exec_form_runs_no_shell_but_sh_c_does(tmp_path):
    assert shellcheck_findings(tmp_path, 'FROM debian:12\nRUN ["echo", "$HOME"]\n') == []
    found = shellcheck_findings(tmp_path, 'FROM debian:12\nRUN ["/bin/sh", "-c", "cp a $HOME/b"]\n')
    assert [f.message.split(":")[0] for f in found] == ["SC2086"]
    assert found[0].span.line == 2


def test_declared_arg_and_env_names_count_as_assigned(tmp_path):
    text = "FROM debian:12\nARG version\nENV app_home=/opt\nRUN echo $version $app_home $other\n"
    found = shellcheck_findings(tmp_path, text)
    # Only the undeclared name is reported (unassigned, and unquoted).
    assert sorted(f.message.split(":")[0] for f in found) == ["SC2086", "SC2154"]
    assert {f.span.column for f in found} == {29}


def test_an_arg_declared_after_the_run_does_not_count(tmp_path):
    text = 'FROM debian:12\nRUN echo "$version"\nARG version\n'
    found = shellcheck_findings(tmp_path, text)
    assert [f.message for f in found] == ["SC2154: version is referenced but not assigned."]


def test_shellcheck_directives_in_the_script_are_respected(tmp_path):
    text = "FROM debian:12\nRUN <<EOF\n# shellcheck disable=SC2086\ncp a $HOME/b\nEOF\n"
    assert shellcheck_findings(tmp_path, text) == []


def test_shellcheck_opts_of_the_environment_are_ignored(tmp_path, monkeypatch):
    monkeypatch.setenv("SHELLCHECK_OPTS", "--exclude=SC2086")
    found = shellcheck_findings(tmp_path, "FROM debian:12\nRUN cp a $HOME/b\n")
    assert [f.message.split(":")[0] for f in found] == ["SC2086"]


def test_onbuild_run_is_checked(tmp_path):
    found = shellcheck_findings(tmp_path, "FROM debian:12\nONBUILD RUN cp a $HOME/b\n")
    assert [(f.span.line, f.span.column) for f in found] == [(2, 18)]


# -- severity, aliases, suppression ------------------------------------------------------------


def test_findings_carry_shellcheck_alias_and_level(tmp_path):
    text = "FROM debian:12\nRUN cd /tmp; echo $(ls) $HOME\n"
    found = shellcheck_findings(tmp_path, text)
    levels = {f.message.split(":")[0]: f.severity for f in found}
    assert levels == {"SC2164": "warning", "SC2046": "warning", "SC2086": "info"}
    for f in found:
        code = f.message.split(":")[0]
        assert f.aliases[-1] == f"shellcheck:{code}"


def write(tmp_path: Path, name: str, text: str) -> str:
    (tmp_path / name).write_text(text)
    return name


def test_ignore_a_shellcheck_code_through_its_alias(tmp_path):
    name = write(tmp_path, "Dockerfile", "FROM debian:12\nRUN cd /tmp; cp a $HOME/b\n")
    r = run_main("check", "--format", "json", "--select", "DF300", name, cwd=tmp_path)
    codes = sorted(a for f in json.loads(r.stdout)["findings"] for a in f["aliases"])
    assert codes == ["shellcheck:SC2086", "shellcheck:SC2164"]
    r = run_main("check", "--format", "json", "--select", "DF300", "--ignore", "SC2086", name, cwd=tmp_path)
    codes = sorted(a for f in json.loads(r.stdout)["findings"] for a in f["aliases"])
    assert codes == ["shellcheck:SC2164"]
    assert r.stderr == ""


def test_config_severity_overrides_shellcheck_levels(tmp_path):
    write(tmp_path, ".shiplint.yaml", "severity:\n  DF300: error\n")
    name = write(tmp_path, "Dockerfile", "FROM debian:12\nRUN cp a $HOME/b\n")
    r = run_main("check", "--format", "json", "--select", "DF300", name, cwd=tmp_path)
    assert [f["severity"] for f in json.loads(r.stdout)["findings"]] == ["error"]


# -- batching ----------------------------------------------------------------------------------


def test_prepare_checks_each_distinct_script_once_in_one_process(tmp_path, popen_calls):
    items = [
        parsed(tmp_path, f"Dockerfile.{n}", f"FROM debian:12\nRUN cp a $HOME/b\nRUN echo {n} $(ls)\n")
        for n in range(3)
    ]
    check_module.prepare(items, {})
    assert len(popen_calls) == 1
    scripts = [a for a in popen_calls[0] if a.endswith(".sh")]
    assert len(scripts) == 4  # `cp a $HOME/b` three times is one script; three `echo N $(ls)`
    # Linting afterwards reads the results: no more processes.
    from helpers import RULES

    from linter.config import Config
    from linter.engine.run import Engine

    engine = Engine(RULES, Config({}), ["DF300"])
    for source, document in items:
        found = engine.lint(source, document)
        assert sorted(f.message.split(":")[0] for f in found) == ["SC2046", "SC2086"]
    assert len(popen_calls) == 1


def test_a_large_batch_runs_two_processes_side_by_side(tmp_path, popen_calls, monkeypatch):
    monkeypatch.setattr(runner.os, "cpu_count", lambda: 2)
    text = "FROM debian:12\n" + "".join(f"RUN echo {n} $HOME\n" for n in range(runner.SPLIT_MIN_SCRIPTS))
    check_module.prepare([parsed(tmp_path, "Dockerfile", text)], {})
    assert len(popen_calls) == 2
    files = [a for argv in popen_calls for a in argv if a.endswith(".sh")]
    assert len(files) == len(set(files)) == runner.SPLIT_MIN_SCRIPTS


def test_unprepared_file_is_checked_whole_on_first_use(tmp_path, popen_calls):
    text = "FROM debian:12\nRUN cp a $HOME/b\nRUN echo $(ls)\nRUN echo fine\n"
    found = shellcheck_findings(tmp_path, text)
    assert sorted({f.span.line for f in found}) == [2, 3]
    assert len(popen_calls) == 1


def test_temporary_files_are_removed(tmp_path, monkeypatch):
    import tempfile

    scratch = tmp_path / "scratch"
    scratch.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(scratch))
    assert shellcheck_findings(tmp_path, "FROM debian:12\nRUN cp a $HOME/b\n")
    assert list(scratch.iterdir()) == []


# -- no binary, a failing binary ---------------------------------------------------------------

TWO_FILES = {
    "Dockerfile": "FROM debian:12\nRUN cp a $HOME/b\n",
    "Dockerfile.dev": "FROM debian:12\nRUN echo $(ls)\nUSER root\n",
}


def run_two_files(tmp_path: Path):
    for name, text in TWO_FILES.items():
        write(tmp_path, name, text)
    return run_main("check", "--format", "json", *TWO_FILES, cwd=tmp_path)


def test_lookup_finds_nothing_without_path_or_a_binary_beside_python(tmp_path, monkeypatch):
    monkeypatch.setenv("PATH", str(tmp_path))
    monkeypatch.setattr(runner.sys, "executable", str(tmp_path / "python"))
    assert runner.binary() is None


def test_missing_binary_is_one_notice_and_other_rules_still_run(tmp_path, monkeypatch):
    monkeypatch.setenv("PATH", str(tmp_path))
    monkeypatch.setattr(runner.sys, "executable", str(tmp_path / "python"))
    r = run_two_files(tmp_path)
    assert r.stderr.splitlines() == [runner.MISSING_NOTICE]
    got = json.loads(r.stdout)["findings"]
    assert got, "the other rules' findings are there"
    assert not [f for f in got if f["code"] == "DF300"]


def test_prepare_without_files_gives_the_notice_once_for_the_workers_to_inherit(
    tmp_path, monkeypatch, capsys
):
    monkeypatch.setenv("PATH", str(tmp_path))
    monkeypatch.setattr(runner.sys, "executable", str(tmp_path / "python"))
    check_module.prepare([], {})  # in the parent, before a pool forks
    assert capsys.readouterr().err.splitlines() == [runner.MISSING_NOTICE]
    check_module.prepare([parsed(tmp_path, "Dockerfile", "FROM debian:12\nRUN cp a $HOME/b\n")], {})
    assert capsys.readouterr().err == ""


def fake_shellcheck(tmp_path: Path, body: str) -> str:
    exe = tmp_path / "bin" / "shellcheck"
    exe.parent.mkdir(exist_ok=True)
    exe.write_text("#!/bin/sh\n" + body)
    exe.chmod(0o755)
    return str(exe)


@pytest.mark.parametrize(
    ("body", "words"),
    [
        ("exit 3\n", "failed (exit status 3)"),
        ("echo 'not json'; exit 1\n", "failed (exit status 1)"),
        ("kill -9 $$\n", "failed (exit status -9)"),
    ],
)
def test_failing_binary_is_one_notice_and_no_findings(tmp_path, monkeypatch, body, words):
    exe = fake_shellcheck(tmp_path, body)
    monkeypatch.setattr(runner, "binary", lambda: exe)
    r = run_two_files(tmp_path)
    [line] = r.stderr.splitlines()
    assert words in line and "Traceback" not in r.stderr
    got = json.loads(r.stdout)["findings"]
    assert got and not [f for f in got if f["code"] == "DF300"]


def test_exit_status_2_keeps_the_comments_it_wrote(tmp_path, monkeypatch):
    """ShellCheck exits 2 when it could not read some files; what it said about the others holds."""
    comment = {"file": "0.sh", "line": 2, "endLine": 2, "column": 6, "endColumn": 11}
    comment.update(level="info", code=2086, message="Double quote.")
    exe = fake_shellcheck(tmp_path, f"echo '{json.dumps({'comments': [comment]})}'; exit 2\n")
    monkeypatch.setattr(runner, "binary", lambda: exe)
    write(tmp_path, "Dockerfile", "FROM debian:12\nRUN echo $HOME\n")
    r = run_main("check", "--format", "json", "--select", "DF300", "Dockerfile", cwd=tmp_path)
    assert "failed (exit status 2)" in r.stderr
    [f] = json.loads(r.stdout)["findings"]
    assert (f["line"], f["column"], f["end_column"], f["message"]) == (2, 10, 15, "SC2086: Double quote.")


def test_hanging_binary_is_stopped_at_the_timeout(tmp_path, monkeypatch):
    exe = fake_shellcheck(tmp_path, "exec sleep 30\n")
    monkeypatch.setattr(runner, "binary", lambda: exe)
    monkeypatch.setattr(runner, "TIMEOUT_BASE", 0.3)
    monkeypatch.setattr(runner, "TIMEOUT_PER_SCRIPT", 0.0)
    r = run_two_files(tmp_path)
    [line] = r.stderr.splitlines()
    assert "was stopped" in line
    assert not [f for f in json.loads(r.stdout)["findings"] if f["code"] == "DF300"]


def test_binary_reads_only_the_temporary_copies(tmp_path, monkeypatch):
    """The argv names files in the private directory, relative to it; no -x, no rc file."""
    log = tmp_path / "argv.log"
    exe = fake_shellcheck(tmp_path, f'pwd > {log}; echo "$@" >> {log}; echo \'{{"comments":[]}}\'\n')
    monkeypatch.setattr(runner, "binary", lambda: exe)
    assert shellcheck_findings(tmp_path, "FROM debian:12\nRUN cp a $HOME/b\n") == []
    cwd, argv = log.read_text().splitlines()
    assert "shiplint-shellcheck-" in cwd and not Path(cwd).exists()
    words = argv.split()
    assert "--norc" in words and "-x" not in words and "--external-sources" not in words
    assert [w for w in words if not w.startswith("-")] == ["0.sh"]


def test_a_file_wide_directive_at_the_top_of_a_heredoc_still_applies(tmp_path):
    # The script reads a declared ENV, so shiplint adds `export FOO=1` for ShellCheck: after the
    # script's leading comments, or the directive would cover one command only.
    from helpers import lint_text

    text = (
        "FROM alpine:3.20\nENV FOO=1\nRUN <<EOF\n# shellcheck disable=SC2006\n\necho $FOO\necho `date`\nEOF\n"
    )
    found = lint_text(tmp_path, text, "Dockerfile", select=["DF300"])
    assert "shellcheck:SC2006" not in [f.aliases[-1] for f in found]
    found = lint_text(
        tmp_path, text.replace("# shellcheck disable=SC2006\n", ""), "Dockerfile", select=["DF300"]
    )
    assert ("shellcheck:SC2006", 6) in [(f.aliases[-1], f.span.line) for f in found]


def test_scripts_too_big_for_shellcheck_are_not_sent(tmp_path):
    # ShellCheck took over 30 s on such scripts, and a stopped process loses the comments of the
    # other scripts of its batch.
    from linter.checks.shellcheck import MAX_SCRIPT_COMMANDS, _too_big
    from linter.engine.load import load, parse
    from linter.shell import scripts_of

    path = tmp_path / "Dockerfile"
    long = " && ".join(["true"] * (MAX_SCRIPT_COMMANDS + 1))
    deep = "echo " + "$(echo " * 60 + "x" + ")" * 60
    path.write_text(f"FROM alpine:3.20\nRUN {long}\nRUN {deep}\nRUN echo ok && true\n")
    df = parse(load(str(path), "dockerfile", 10**7).source)
    runs = [ins for ins in df.instructions if ins.keyword == "RUN"]
    assert [_too_big(scripts_of(ins)[0]) for ins in runs] == [True, True, False]
