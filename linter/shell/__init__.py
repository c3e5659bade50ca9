"""The shell inside RUN: which scripts a RUN runs, in which shell dialect, parsed once.

    scripts_of(ins)   the scripts of a RUN (cached on the instruction), [] for other instructions
    commands_of(ins)  every simple command of those scripts, in source order, nested ones included
    dialect_of(ins)   the dialect of the shell that runs a shell-form RUN

What a RUN's scripts are follows BuildKit (dockerfile2llb's dispatchRun):

- Shell form, `RUN cmd`: the argument text is one script, run by the stage's shell: the last
  `SHELL` of the stage, else of the stages it builds on (`FROM <stage>`), else `/bin/sh -c`, or
  `cmd /S /C` when the base image is plainly Windows (`mcr.microsoft.com/windows/...`,
  `servercore`, `nanoserver`).
- A heredoc alone, `RUN <<EOF`: the body is the script, run by the stage's shell; a body that
  starts with `#!` is run as a file by that interpreter instead (`#!/bin/bash`: a bash script;
  `#!/usr/bin/env python3`: a script of dialect "other", not parsed).
- Any other heredoc RUN, `RUN python3 <<EOF`, `RUN <<EOF bash`, `RUN cat <<A >a && cat <<B >b`:
  the argument line is the script (the stage's shell reads the bodies as here-documents), and a
  body is a script too when the command it feeds is a shell reading its standard input (`bash`,
  `sh -s`, `sudo bash`), in that shell's dialect.
- Exec form, `RUN ["apt-get", "install", "x"]`: no shell. One command is built from the JSON
  strings (in a script of dialect "exec", each word's span the exact JSON string); in
  `RUN ["/bin/sh", "-c", "script"]` the string is parsed as a script of that shell, its spans
  mapped through the JSON escapes.

Scripts of a dialect that is not POSIX (powershell, cmd, other) are kept, with no commands.
A file-wide `# hadolint shell=NAME` (or `# shiplint shell=NAME`) comment sets the default shell,
as hadolint's pragma does, for stages that have no SHELL.

Wrappers. A command run through another program is also a command of its own, so that a rule
on `apt-get` sees `sudo apt-get install x`: the wrapper command (`sudo`, with all its words) comes
first, then a command for the wrapped program (`apt-get install x`, its `wrapper` set to the
`sudo` command). The wrappers are sudo, doas, env, nice, nohup, time, timeout, xargs, exec, gosu,
su-exec, chroot, stdbuf, ionice, setpriv and busybox; their options are skipped (`sudo -u app`,
`env -i A=1`, `nice -n 10`, `timeout -s KILL 10`). `sh -c '...'` (and bash, dash, ash, ksh, zsh,
with any options) parses its script string as nested commands of the same script, when that
string is a literal whose text is its value (single-quoted, or double-quoted without backslash
or backquote), so that their spans are exact; a string built at run time is left alone.

`ONBUILD RUN` instructions (`ins.inner`) work as well: their shell is the one the image ends with.
The stage context (SHELL of the stages built on, the base image) comes from `bind(df)`, which the
engine calls once per Dockerfile before handing out instructions; without it, only the
instruction's own stage is looked at.
"""

from __future__ import annotations

import re

TYPE_CHECKING = False
if TYPE_CHECKING:
    from linter.ir.dockerfile import Dockerfile, Instruction
    from linter.shell.ast import Command, Script

POSIX = frozenset(("sh", "bash", "dash", "ash", "ksh", "zsh"))


class _Context:
    """What decides a RUN's shell: the SHELL argv in effect (None: the default) and whether the
    base image is Windows; and, once built, the RUN's scripts. Kept in `ins._shell`."""

    __slots__ = ("scripts", "shell", "windows")

    def __init__(self, shell: list[str] | None, windows: bool) -> None:
        self.shell = shell
        self.windows = windows
        self.scripts: list[Script] | None = None


def _cached(ins: Instruction) -> _Context:
    cached = ins._shell
    if isinstance(cached, _Context):
        return cached
    context = _context(ins)
    ins._shell = context
    return context


def scripts_of(ins: Instruction) -> list[Script]:
    """The shell scripts a RUN runs (see the module's docstring); [] for another instruction.
    Built once and cached on the instruction."""
    cached = ins._shell
    if isinstance(cached, _Context) and cached.scripts is not None:
        return cached.scripts
    if ins.keyword != "RUN":
        return []
    from linter.shell.build import build

    context = _cached(ins)
    context.scripts = build(ins, context.shell, context.windows)
    return context.scripts


def commands_of(ins: Instruction) -> list[Command]:
    """Every simple command of every script of the RUN, in source order, nested ones included
    (inside `$(...)`, backquotes, subshells, groups, if/while/for/case bodies, functions, `sh -c`
    strings, and wrapped commands); [] when the RUN's shell is not POSIX."""
    scripts = scripts_of(ins)
    if len(scripts) == 1:
        return scripts[0].commands
    return [c for s in scripts for c in s.commands]


def dialect_of(ins: Instruction) -> str:
    """The dialect of the shell that runs the instruction's shell form: "sh", "bash", "dash",
    "ash", "ksh", "zsh", "powershell", "cmd" or "other"."""
    context = _cached(ins)
    return shell_dialect(context.shell, context.windows)


def shell_of(ins: Instruction) -> list[str] | None:
    """The SHELL argv in effect for the instruction (its stage's last SHELL before it, or the one
    inherited through `FROM <stage>`); None when it is the platform's default shell."""
    return _cached(ins).shell


def shell_dialect(shell: list[str] | None, windows: bool = False) -> str:
    """The dialect of a SHELL argv (None: the platform's default shell)."""
    if not shell:
        return "cmd" if windows else "sh"
    return program_dialect(shell[0], shell[1:])


def program_dialect(program: str, rest: list[str] | None = None) -> str:
    """The dialect of an interpreter named by a path (`/bin/bash`, `C:\\...\\pwsh.exe`); through
    `env` (`/usr/bin/env bash`, `env -S bash -e`) the program it runs."""
    base = program.replace("\\", "/").rsplit("/", 1)[-1].lower()
    if base.endswith(".exe"):
        base = base[:-4]
    if base == "env" and rest:
        words = [w for w in rest if not w.startswith("-") and "=" not in w]
        if words:
            return program_dialect(words[0], words[1:])
    if base in ("powershell", "pwsh"):
        return "powershell"
    if base == "cmd":
        return "cmd"
    if base in POSIX:
        return base
    if base == "mksh":
        return "ksh"
    return "other"


def bind(df: Dockerfile) -> None:
    """Record, on each RUN of `df` (ONBUILD RUN included), the shell context it runs in: the SHELL
    in effect, inherited through `FROM <stage>`, and whether the base image is Windows. Cheap; a
    RUN whose scripts were already built keeps them."""
    default = _pragma_shell(df)
    for stage in df.stages:
        chain = _chain(df, stage.index)
        shell: list[str] | None = default
        for base in reversed(chain[1:]):  # the furthest base first: nearer SHELLs win
            shell = _last_shell(df.stages[base].instructions, None) or shell
        windows = _is_windows_stage(df.stages[chain[-1]] if chain else stage)
        for ins in stage.instructions:
            if ins.keyword == "SHELL" and ins.json_args:
                shell = ins.json_args
            elif ins.keyword == "RUN":
                _bind(ins, shell, windows)
        # ONBUILD triggers run in the child build, on the image this stage ends with.
        for ins in stage.instructions:
            inner = ins.inner
            if inner is not None and inner.keyword == "RUN":
                _bind(inner, shell, windows)


def _bind(ins: Instruction, shell: list[str] | None, windows: bool) -> None:
    cached = ins._shell
    if (
        isinstance(cached, _Context)
        and cached.scripts is not None
        and (cached.shell, cached.windows) == (shell, windows)
    ):
        return  # built already, in this very context
    ins._shell = _Context(shell, windows)


_PRAGMA = re.compile(r"#\s*(?:hadolint|shiplint)\s+shell\s*=\s*(\S+)")


def _pragma_shell(df: Dockerfile) -> list[str] | None:
    """The shell a `# hadolint shell=powershell` comment names, if the file has one."""
    for _, text in df.comments:
        if "shell" in text:
            m = _PRAGMA.match(text.strip())
            if m is not None:
                return [m.group(1)]
    return None


def _chain(df: Dockerfile, index: int) -> list[int]:
    """Stage indices from `index` through the stages it builds on (nearest first)."""
    out: list[int] = []
    cur: int | None = index
    while cur is not None and cur not in out and 0 <= cur < len(df.stages):
        out.append(cur)
        cur = df.stages[cur].base_stage
    return out


def _last_shell(instructions: list[Instruction], stop: Instruction | None) -> list[str] | None:
    found = None
    for i in instructions:
        if i is stop:
            break
        if i.keyword == "SHELL" and i.json_args:
            found = i.json_args
    return found


def _context(ins: Instruction) -> _Context:
    """The context of a RUN without `bind`: the SHELLs of its own stage only."""
    stage = ins.stage
    if stage is None:
        return _Context(None, False)
    shell = _last_shell(stage.instructions, ins)
    windows = stage.base_stage is None and _is_windows_stage(stage)
    return _Context(shell, windows)


def _is_windows_stage(stage: object) -> bool:
    """Whether a stage's base image is plainly a Windows image."""
    text = getattr(stage, "image_text", None) or getattr(stage, "image_word", None) or ""
    lower = text.lower()
    if "servercore" in lower or "nanoserver" in lower:
        return True
    name = lower.partition("@")[0]
    return name.startswith(("mcr.microsoft.com/windows", "microsoft/windows"))
