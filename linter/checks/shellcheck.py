"""ShellCheck on the shell scripts of RUN instructions.

The scripts come from linter.shell (`scripts_of`): the shell form's text, heredoc bodies fed to a
shell, the script of `["sh", "-c", ...]`, each with its dialect from SHELL, the base image or a
shebang. Only POSIX-family dialects are checked (sh, bash, dash, ksh, and ash as BusyBox); never
PowerShell, cmd, zsh or an unknown shell.

`prepare` sees a whole batch of parsed Dockerfiles first and runs ShellCheck once over every
distinct script among them (linter.shellcheck); the check then only reads the results. A script
that was not prepared (the language server lints one file) is checked on first use, together
with the rest of its file.

Each comment becomes one finding at the exact place in the Dockerfile, with the alias
`shellcheck:SC<code>` (so `--ignore SC2086` and `# hadolint ignore=SC2086` silence it) and
ShellCheck's level as its severity (style is info).
"""

from __future__ import annotations

import re

from linter.checks import Check

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable, Iterator

    from linter.checks import Context, Hit
    from linter.ir.dockerfile import Dockerfile, Instruction
    from linter.ir.source import SourceFile, Span
    from linter.shell.ast import Script
    from linter.shellcheck import Comment, Job

# Build arguments every build has (BuildKit's predefined ARGs), as hadolint also assumes.
PREDEFINED = frozenset(
    f"{name}{suffix}" for name in ("HTTP", "HTTPS", "FTP", "NO", "ALL") for suffix in ("_PROXY", "_proxy")
)
_REFERENCE = re.compile(r"\$\{?([A-Za-z_][A-Za-z0-9_]*)")
_CACHE_LIMIT = 20000  # distinct scripts kept between batches

# ShellCheck's comments by the content of the file it read; None when the check failed.
_results: dict[str, list[Comment] | None] = {}


def _declared(df: Dockerfile | None, ins: Instruction, outer: Instruction | None) -> set[str]:
    """Names of the build arguments and environment variables a RUN can read that the Dockerfile
    declares: the ARGs and ENVs before it in its stage, and what the stages it builds on end
    with. (An ONBUILD RUN runs in a later build; its own stage's names are a fair guess.)"""
    from linter.parsers.dockerfile import _split_assignments

    names = set(PREDEFINED)
    at = outer if outer is not None else ins
    stage = at.stage
    if df is None or stage is None:
        return names
    if stage.base_stage is not None and 0 <= stage.base_stage < len(df.stages):
        base = df.stages[stage.base_stage]
        names.update(base.scope.values)
        names.update(base.env.values)
    for i in stage.instructions:
        if i is at:
            break
        if i.keyword in ("ARG", "ENV"):
            names.update(name for name, _ in _split_assignments(i.args, i.keyword))
    return names


class _Unit:
    """The text ShellCheck reads for one script, in pieces, each with where its offsets are in
    the Dockerfile (None: text that is there for ShellCheck's sake, whose comments are dropped).

    Mostly the script alone. A RUN whose argument line has here-documents (`RUN <<EOF bash`,
    `RUN cat <<A >a`) is run by the shell as the line followed by the bodies and their
    terminators, so ShellCheck reads that whole; a body that is a script of its own (fed to a
    shell) is checked as such, and comments on it from the argument line's check are dropped."""

    __slots__ = ("pieces", "script", "text")

    def __init__(self, script: Script, own: set[int]) -> None:
        self.script = script
        self.text = script.text
        self.pieces: list[tuple[int, int, Callable[[int], tuple[int, int]] | None]] = [
            (0, len(script.text), script.position)
        ]
        heredocs = script.instruction.heredocs if script.heredoc is None else ()
        for h in heredocs:
            body = h.body if not h.body or h.body.endswith("\n") else h.body + "\n"
            self._add("\n", None)
            self._add(body, None if id(h) in own else h.position)
            self._add(h.delimiter, None)
        if heredocs:
            self._add("\n", None)

    def _add(self, text: str, position: Callable[[int], tuple[int, int]] | None) -> None:
        start = len(self.text)
        self.text += text
        self.pieces.append((start, len(self.text), position))

    def span(self, c: Comment) -> Span | None:
        """Where a comment's text is in the Dockerfile: ShellCheck's (line, column) turned into an
        offset, mapped through the piece's positions (continuation lines, heredoc bodies,
        stripped tabs); None for a comment on text of ours."""
        from linter.ir.source import Span

        text = self.text
        starts = [0]
        pos = text.find("\n")
        while pos >= 0:
            starts.append(pos + 1)
            pos = text.find("\n", pos + 1)

        def offset(line: int, column: int) -> int:
            if line > len(starts):  # after the last line: the end of the text
                return len(text)
            begin = starts[line - 1]
            end = starts[line] - 1 if line < len(starts) else len(text)
            return min(begin + max(column, 1) - 1, end)

        start = offset(c.line, c.column)
        # A comment at the end of a line or of the text points at the last character before it.
        while start > 0 and (start >= len(text) or text[start] == "\n"):
            start -= 1
        piece = next((p for p in self.pieces if p[0] <= start < p[1]), None)
        if piece is None:
            return None
        first, stop, position = piece
        if position is None:
            return None
        line, column = position(start - first)
        last = min(offset(c.end_line, c.end_column), stop) - 1
        while last > start and text[last] == "\n":
            last -= 1
        if last <= start:
            return Span(line, column, line, column + 1)
        end_line, end_column = position(last - first)
        if (end_line, end_column) < (line, column):
            return Span(line, column, line, column + 1)
        return Span(line, column, end_line, end_column + 1)


def _units(df: Dockerfile | None, ins: Instruction, outer: Instruction | None) -> list[tuple[_Unit, Job]]:
    """What ShellCheck reads for each script of a RUN that it checks."""
    from linter.shell import scripts_of
    from linter.shellcheck import Job, dialect_for

    scripts = scripts_of(ins)
    own = {id(s.heredoc) for s in scripts if s.heredoc is not None}
    out = []
    declared: set[str] | None = None
    for script in scripts:
        dialect = dialect_for(script.dialect)
        if dialect is None or not script.text.strip():
            continue
        if _too_big(script):
            from linter.shellcheck import notice

            line = script.position(0)[0]
            where = f"{df.source.path}:{line}" if df is not None else f"line {line}"
            notice(f"shiplint: {where}: script too large or deeply nested for ShellCheck; not checked")
            continue
        unit = _Unit(script, own)
        # The names the script reads that the Dockerfile declares count as assigned a plain
        # value, as hadolint has them: no SC2154 for them, and no SC2086 either (ShellCheck knows
        # `1` does not split), so an ENV meant to split (`apk add $BUILD_DEPS`) is not reported.
        wanted = set(_REFERENCE.findall(unit.text))
        if wanted:
            if declared is None:
                declared = _declared(df, ins, outer)
            wanted &= declared
        out.append((unit, Job(unit.text, dialect, wanted)))
    return out


# Past these, ShellCheck can take minutes on one script (measured: 5,000 `&&`, 3,000 nested `if`),
# and a stopped process loses the comments of every script it was given with it.
MAX_SCRIPT_CHARS = 200_000
MAX_SCRIPT_COMMANDS = 2_000


def _too_big(script: Script) -> bool:
    if len(script.text) > MAX_SCRIPT_CHARS or len(script.commands) > MAX_SCRIPT_COMMANDS:
        return True
    return any("nested too deeply" in message for _, message in script.errors)


def _runs(df: Dockerfile) -> Iterator[tuple[Instruction, Instruction | None]]:
    """Each RUN of the file with the ONBUILD that holds it, if any."""
    for ins in df.instructions:
        if ins.keyword == "RUN":
            yield ins, None
        elif ins.inner is not None and ins.inner.keyword == "RUN":
            yield ins.inner, ins


def _jobs_of(df: Dockerfile) -> list[Job]:
    from linter.shell import bind

    bind(df)  # the stage context of each RUN (SHELL, Windows base), before its scripts are built
    return [job for ins, outer in _runs(df) for _, job in _units(df, ins, outer)]


def _check_all(jobs: list[Job]) -> None:
    """Run ShellCheck on the jobs whose content has no results yet, each distinct content once."""
    from linter.shellcheck import check

    todo: dict[str, Job] = {}
    for job in jobs:
        if job.content not in _results:
            todo.setdefault(job.content, job)
    if not todo:
        return
    if len(_results) + len(todo) > _CACHE_LIMIT:
        _results.clear()
    pending = list(todo.values())
    for job, comments in zip(pending, check(pending)):
        _results[job.content] = comments


def prepare(items: list[tuple[SourceFile, object]], params: dict[str, object]) -> None:
    """Check every distinct script of a batch of files in one go.

    With no files, only find the binary, and say once if there is none: a process that is about
    to fork workers calls it so, and the workers inherit what it found and said."""
    from linter.ir.dockerfile import Dockerfile
    from linter.shellcheck import MISSING_NOTICE, binary, notice

    if not items:
        if binary() is None:
            notice(MISSING_NOTICE)
        return
    jobs: list[Job] = []
    for _, document in items:
        if isinstance(document, Dockerfile):
            try:
                jobs.extend(_jobs_of(document))
            except Exception:  # a defect on one file: it is reported when that file is linted
                continue
    _check_all(jobs)


def shellcheck(ins: Instruction, ctx: Context) -> Iterator[Hit]:
    """ShellCheck's comments on the scripts of one RUN."""
    from linter.ir.dockerfile import Dockerfile

    df = ctx.document if isinstance(ctx.document, Dockerfile) else None
    if df is not None and ins._shell is None:  # neither prepared nor bound by the engine's walk
        from linter.shell import bind

        bind(df)
    outer = None
    if ins.stage is None and df is not None:  # an ONBUILD's RUN: find the ONBUILD
        outer = next((i for i in df.instructions if i.inner is ins), None)
    units = _units(df, ins, outer)
    if any(job.content not in _results for _, job in units):  # not prepared: do the whole file
        _check_all((_jobs_of(df) if df is not None else []) + [job for _, job in units])
    for unit, job in units:
        for c in _results.get(job.content) or ():
            span = unit.span(c)
            if span is None:
                continue
            code = f"SC{c.code}"
            args: dict[str, object] = {
                "code": code,
                "text": c.message,
                "alias": f"shellcheck:{code}",
                "severity": c.severity,
            }
            yield span, args


CHECKS = {"shellcheck": Check(shellcheck, ("instruction",), prepare=prepare)}
