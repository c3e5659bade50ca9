"""Checks of the commands inside RUN, read through linter.shell's parse of each RUN's scripts:
pipes without pipefail, `cd`, `sudo`, commands that mean nothing in a build, wget and curl in one
stage, a replaced /bin/sh, wget's progress output, useradd's lastlog, archives copied to be
extracted, and remote scripts piped into a shell.

Checks with target `command` are handed each simple command whose name the rule's scope lists
(wrapped commands included: `sudo service x` hands `service` as well); checks with target
`instruction` or `stage` read the scripts of whole RUNs.
"""

from __future__ import annotations

import re

from linter.checks import Check

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Iterator

    from linter.checks import Context, Hit
    from linter.ir.dockerfile import Instruction, Stage
    from linter.ir.source import Span
    from linter.shell.ast import Command, Script, Word

SHELLS = frozenset(("sh", "bash", "dash", "ash", "ksh", "mksh", "zsh"))


# -- helpers -------------------------------------------------------------------------------------


def _scripts(ins: Instruction, ctx: Context) -> list[Script]:
    from linter.shell import bind, scripts_of

    if ins._shell is None and ctx.document is not None:
        bind(ctx.document)  # type: ignore[arg-type]  # the stage context of every RUN, once per file
    return scripts_of(ins)


def _commands(ins: Instruction, ctx: Context) -> list[Command]:
    return [c for s in _scripts(ins, ctx) for c in s.commands]


def _is_posix_run(ins: Instruction, ctx: Context) -> bool:
    from linter.shell import POSIX, dialect_of

    _scripts(ins, ctx)
    return dialect_of(ins) in POSIX


def _short_group_ends_with_o(v: str) -> bool:
    return len(v) > 1 and v[0] in "-+" and not v.startswith("--") and v[-1] == "o"


def _sets_pipefail(argv: list[str]) -> bool:
    """Whether a shell's argv (or a `set` command's) turns pipefail on: `-o pipefail`,
    `-euo pipefail`, `-o errexit -o pipefail`."""
    for i in range(len(argv) - 1):
        if argv[i + 1] == "pipefail" and argv[i][0:1] == "-" and _short_group_ends_with_o(argv[i]):
            return True
    return False


def _innermost(script: Script) -> dict[int, Command]:
    """For each wrapper command (by id), the command it runs (`sudo sh` -> `sh`)."""
    wrapped: dict[int, Command] = {}
    for c in script.commands:
        if c.wrapper is not None:
            wrapped[id(c.wrapper)] = c
    return wrapped


def _resolve(cmd: Command, wrapped: dict[int, Command]) -> Command:
    seen = 0
    while id(cmd) in wrapped and seen < 16:
        cmd = wrapped[id(cmd)]
        seen += 1
    return cmd


def _inside_substitution(cmd: Command) -> bool:
    """Whether the command runs inside `$(...)`, backquotes or `<(...)` of another command's word:
    its effects (a `cd`) stay there."""
    for other in cmd.script.commands:
        if other is cmd:
            continue
        for w in (*other.assignments, *other.argv):
            if w.start < cmd.start < w.end and ("$(" in w.raw or "`" in w.raw or "<(" in w.raw):
                return True
    return False


def _operands(cmd: Command, takes_value: frozenset[str] = frozenset()) -> list[Word]:
    """The non-option arguments of a command (options before `--`, and their values)."""
    out: list[Word] = []
    words = cmd.argv[1:]
    i = 0
    options = True
    while i < len(words):
        v = words[i].value
        if options and v == "--":
            options = False
        elif options and v.startswith("-") and len(v) > 1:
            if v in takes_value:
                i += 1
        else:
            out.append(words[i])
        i += 1
    return out


# -- DL4006: pipes without pipefail -------------------------------------------------------------


def pipe_without_pipefail(ins: Instruction, ctx: Context) -> Iterator[Hit]:
    """A RUN with a pipe whose shell does not have pipefail on: from the SHELL in effect (this
    stage's, or the one inherited through `FROM <stage>`), a `set -o pipefail` earlier in the
    same script, or a `bash -o pipefail -c '...'` around the pipe. A stage whose shell is not
    POSIX (PowerShell, cmd) is skipped. One finding per RUN, at its first such `|`."""
    from linter.shell import shell_of

    if not _is_posix_run(ins, ctx):
        return
    stage_pipefail = _sets_pipefail(shell_of(ins) or [])
    for script in _scripts(ins, ctx):
        if not script.is_posix:
            continue
        if stage_pipefail and _run_by_stage_shell(script):
            continue
        for p in script.pipelines:
            if len(p.pipes) == 0 or _pipefail_at(script, p.pipes[0]):
                continue
            yield p.pipe_span(0), {}
            return


def _run_by_stage_shell(script: Script) -> bool:
    """The RUN's argument line and a lone heredoc body without a shebang are run by the stage's
    shell; a heredoc fed to `bash` and an exec-form `sh -c` string are not."""
    from linter.shell.build import lone_heredoc

    ins = script.instruction
    if ins.json_args is not None:
        return False
    h = script.heredoc
    return h is None or (lone_heredoc(ins) and not h.body.startswith("#!"))


def _pipefail_at(script: Script, offset: int) -> bool:
    for cmd in script.commands:
        if cmd.start >= offset:
            break
        argv = [w.value for w in cmd.argv]
        if cmd.name == "set" and _sets_pipefail(argv):
            return True
        # bash -o pipefail -c '... | ...' (or the same in exec form)
        if cmd.name in SHELLS and _sets_pipefail(argv) and cmd.end > offset:
            return True
    if script.instruction.json_args is not None and script.heredoc is None:
        return _sets_pipefail(script.instruction.json_args)
    return False


# -- DL3003, DL3004: cd and sudo -----------------------------------------------------------------


def _first_of_run(cmd: Command, ctx: Context, name: str, skip_substitutions: bool) -> bool:
    for c in _commands(cmd.instruction, ctx):
        if c.name == name and not (skip_substitutions and _inside_substitution(c)):
            return c is cmd
    return False


def cd_in_run(cmd: Command, ctx: Context) -> Iterator[Hit]:
    """`cd` in a RUN, once per RUN, at its first `cd`. A `cd` inside a command substitution
    (`DIR="$(cd "$(dirname "$0")" && pwd)"`) changes nothing outside it and is not flagged."""
    if not cmd.argv or _inside_substitution(cmd):
        return
    if _first_of_run(cmd, ctx, "cd", True):
        yield cmd.argv[0].span, {}


def sudo_in_run(cmd: Command, ctx: Context) -> Iterator[Hit]:
    """`sudo` in a RUN, once per RUN, at its first `sudo`."""
    if cmd.argv and _first_of_run(cmd, ctx, "sudo", False):
        yield cmd.argv[0].span, {}


# -- DL3001: commands that mean nothing in a build ------------------------------------------------

MEANINGLESS: list[str] = ["free", "kill", "mount", "ps", "service", "shutdown", "ssh", "top", "vim"]


def meaningless_command(ins: Instruction, ctx: Context) -> Iterator[Hit]:
    """Commands listed in the `commands` parameter (interactive tools, service managers, process
    and system tools), wherever they run in the RUN, wrapped ones included."""
    names = set(ctx.params.get("commands", MEANINGLESS))  # type: ignore[call-overload]
    for cmd in _commands(ins, ctx):
        if cmd.name in names:
            yield cmd.argv[0].span, {"command": cmd.name}


# -- DL4001: wget and curl in one stage ----------------------------------------------------------


def wget_and_curl(stage: Stage, ctx: Context) -> Iterator[Hit]:
    """Both wget and curl run in one stage: each RUN that runs one of them once the stage has run
    both is flagged, at its first wget or curl. ONBUILD RUNs are counted on their own, as they run
    in another build."""
    for onbuild in (False, True):
        seen: dict[str, int] = {}
        for i in stage.instructions:
            ins = i.inner if onbuild else i
            if ins is None or ins.keyword != "RUN":
                continue
            tools = [c for c in _commands(ins, ctx) if c.name in ("wget", "curl")]
            for c in tools:
                seen.setdefault(c.name, i.span.line)
            if tools and len(seen) == 2:
                first = tools[0]
                other = "curl" if first.name == "wget" else "wget"
                yield first.argv[0].span, {"tool": first.name, "other": other, "line": seen[other]}


# -- DL4005: ln to /bin/sh -----------------------------------------------------------------------

_LN_VALUES = frozenset(("-S", "--suffix", "-t", "--target-directory"))


def ln_bin_sh(cmd: Command, ctx: Context) -> Iterator[Hit]:
    """`ln` whose link is /bin/sh (or /usr/bin/sh): it replaces the shell every later RUN uses.
    /bin/sh as the target of a link (`ln -s /bin/sh /usr/local/bin/sh`) changes nothing."""
    if cmd.has_option("-t", "--target-directory"):
        return
    ops = _operands(cmd, _LN_VALUES)
    if len(ops) >= 2 and ops[-1].value.rstrip("/") in ("/bin/sh", "/usr/bin/sh"):
        yield ops[-1].span, {"link": ops[-1].value}


# -- DL3047: wget's progress output --------------------------------------------------------------


def wget_progress(cmd: Command, ctx: Context) -> Iterator[Hit]:
    """wget without `--progress`, `-q`/`--quiet`, `-nv`/`--no-verbose`, or a log file (`-o`,
    `-a`): without a terminal its progress is a line of dots per few kilobytes, which bloats the
    build log."""
    if cmd.has_option(
        "--progress", "-q", "--quiet", "-o", "--output-file", "-a", "--append-output", "--no-verbose"
    ):
        return
    if any(w.value == "-nv" for w in cmd.options()):
        return
    yield cmd.argv[0].span, {}


# -- DL3046: useradd with a high UID -------------------------------------------------------------


def useradd_high_uid(cmd: Command, ctx: Context) -> Iterator[Hit]:
    """`useradd -u N` with N above 99999 and without `-l`/`--no-log-init`: the lastlog and
    faillog files are sparse files sized by the highest UID, and an image layer stores them
    whole. A UID from a variable is taken from the ARG or ENV that sets it, when the Dockerfile
    gives it a value; otherwise it is not known here and is not flagged."""
    if cmd.has_option("-l", "--no-log-init"):
        return
    found = _uid_word(cmd)
    if found is None:
        return
    word, value = found
    m = _VARIABLE.fullmatch(value)
    stage = cmd.instruction.stage
    if m is not None and stage is not None:
        # `-u $APP_UID`: the ARG or ENV value the stage gives it (as the stage ends), when known.
        value = stage.scope.values.get(m.group(1) or m.group(2)) or value
    if value.isdigit() and int(value) > int(ctx.params.get("max-uid", 99999)):  # type: ignore[call-overload]
        yield word.span, {"uid": value}


_VARIABLE = re.compile(r"\$(?:\{([A-Za-z_][A-Za-z0-9_]*)\}|([A-Za-z_][A-Za-z0-9_]*))")


def _uid_word(cmd: Command) -> tuple[Word, str] | None:
    opts = cmd.options()
    for i, w in enumerate(opts):
        v = w.value
        if v in ("-u", "--uid"):
            return (opts[i + 1], opts[i + 1].value) if i + 1 < len(opts) else None
        if v.startswith("--uid="):
            return w, v[len("--uid=") :]
        if v.startswith("-u") and len(v) > 2 and not v.startswith("--"):
            return w, v[2:]
    return None


# -- DL3010: a local archive copied and then extracted --------------------------------------------

# What ADD unpacks: tar archives, plain or compressed with gzip, bzip2 or xz. A zip file or a
# compressed single file is copied as it is, so ADD is no replacement for unzip or gunzip.
_TAR = re.compile(r"\.(?:tar|tar\.gz|tgz|tar\.bz2|tbz2?|tar\.xz|txz)$", re.IGNORECASE)


def copy_then_extract(stage: Stage, ctx: Context) -> Iterator[Hit]:
    """A local tar archive copied by COPY and extracted by `tar -x` in a later RUN of the same
    stage: `ADD` unpacks it in one step and one layer (the copied archive stays in the COPY's
    layer even when the RUN deletes it). Not when `tar` drops path components or picks members,
    which ADD cannot do."""
    spans: dict[str, Span] = {}
    for ins in stage.instructions:
        if ins.keyword == "COPY" and ins.flag("from") is None:
            for name, span in _copy_archives(ins):
                spans.setdefault(name, span)
        elif ins.keyword == "RUN" and spans:
            for cmd in _commands(ins, ctx):
                if cmd.name != "tar" or not _tar_extracts(cmd):
                    continue
                for w in _operands(cmd, _TAR_VALUES):
                    base = w.value.replace("\\", "/").rsplit("/", 1)[-1]
                    if base in spans:
                        yield spans.pop(base), {"archive": base, "line": cmd.span.line}


_TAR_VALUES = frozenset(("-C", "--directory", "-T", "--files-from", "-X", "--exclude-from", "--exclude"))


def _tar_extracts(cmd: Command) -> bool:
    if cmd.has_option("--strip-components", "--wildcards"):
        return False
    words = [w.value for w in cmd.args()]
    if any(v in ("--extract", "--get") for v in words):
        return True
    first = words[0] if words else ""
    # `tar xzf a.tgz` (old style: the first word is the option letters) or `tar -xzf`.
    return (first[:1] != "-" and "x" in first and first.isalpha()) or any(
        v.startswith("-") and not v.startswith("--") and "x" in v for v in words
    )


def _copy_archives(ins: Instruction) -> Iterator[tuple[str, Span]]:
    """(base name, span) of the tar archives a COPY copies, or of its destination when it names
    an archive (`COPY app.tgz /tmp/app.tar.gz`)."""
    from linter.ir.source import Span

    words: list[tuple[str, Span]]
    if ins.json_args is not None:
        words = [(v, ins.args_span) for v in ins.json_args]
    else:
        words = []
        for m in re.finditer(r"\S+", ins.args):
            line, col = ins.position(m.start())
            end_line, end_col = ins.position(m.end() - 1)
            words.append((m.group().strip("\"'"), Span(line, col, end_line, end_col + 1)))
    if len(words) < 2 or any(w.startswith("<<") for w, _ in words):
        return
    dest, dest_span = words[-1]
    dest_base = dest.rstrip("/").replace("\\", "/").rsplit("/", 1)[-1]
    if _TAR.search(dest_base) and not dest.endswith("/"):
        yield dest_base, dest_span
        return
    for src, span in words[:-1]:
        base = src.replace("\\", "/").rsplit("/", 1)[-1]
        if _TAR.search(base):
            yield base, span


# -- a remote script piped into a shell ----------------------------------------------------------

DOWNLOADERS = frozenset(("curl", "wget"))
_CHECKSUMS = frozenset(
    ("sha256sum", "sha512sum", "sha384sum", "sha224sum", "sha1sum", "md5sum", "shasum", "b2sum")
)


def _verifies(cmd: Command) -> bool:
    """A checksum or signature check: `sha256sum -c`, `gpg --verify`, `gpgv`, `cosign verify`."""
    name = cmd.name
    if name in _CHECKSUMS:
        return cmd.has_option("-c", "--check")
    if name in ("gpg", "gpg2"):
        return cmd.has_option("--verify")
    if name in ("gpgv", "gpgv2"):
        return True
    if name == "cosign":
        return any(w.value.startswith("verify") for w in cmd.args())
    if name == "minisign":
        return cmd.has_option("-V")
    return False


def _reads_script_from_stdin(cmd: Command) -> bool:
    """A shell run without `-c` and without a script file: it runs what its standard input
    holds (`sh`, `bash -s -- --flag`, `sudo -E bash -`)."""
    words = [w.value for w in cmd.args()]
    i = 0
    stdin = False
    while i < len(words):
        v = words[i]
        if v in ("-", "--"):
            return True
        if v[:1] in ("-", "+") and len(v) > 1 and not v.startswith("--"):
            if "c" in v[1:] and v[0] == "-":
                return False
            stdin = stdin or "s" in v[1:]
            i += 2 if v[-1] in "oO" else 1
            continue
        if v.startswith("--"):
            i += 1
            continue
        return stdin  # a script file, unless -s made the operands its arguments
    return True


def _downloads_inside(word: Word, downloads: list[Command]) -> Command | None:
    for d in downloads:
        if word.start < d.start < word.end:
            return d
    return None


def remote_script_to_shell(ins: Instruction, ctx: Context) -> Iterator[Hit]:
    """A script fetched by curl or wget and run by a shell with no checksum or signature check in
    the RUN: `curl -fsSL URL | sh`, `wget -qO- URL | sudo bash`, `bash <(curl URL)`,
    `sh -c "$(curl URL)"`, `eval "$(wget -O- URL)"`, `. <(curl URL)`."""
    scripts = [s for s in _scripts(ins, ctx) if s.is_posix]
    if any(_verifies(c) for s in scripts for c in s.commands):
        return
    for script in scripts:
        downloads = [c for c in script.commands if c.name in DOWNLOADERS]
        if not downloads:
            continue
        wrapped = _innermost(script)
        reported: set[int] = set()
        for p in script.pipelines:
            fetcher: Command | None = None
            for element in p.commands:
                inner = _resolve(element, wrapped)
                if inner.name in DOWNLOADERS:
                    fetcher = inner
                elif fetcher is not None and inner.name in SHELLS and _reads_script_from_stdin(inner):
                    reported.add(id(inner))
                    yield element.span, {"fetcher": fetcher.name, "shell": inner.name}
                    break
        for cmd in script.commands:
            if id(cmd) in reported or (cmd.wrapper is not None and id(cmd.wrapper) in reported):
                continue
            if cmd.name in SHELLS or cmd.name in ("eval", "source", "."):
                for w in cmd.args():
                    if "$(" not in w.raw and "`" not in w.raw and not w.raw.startswith("<("):
                        continue
                    d = _downloads_inside(w, downloads)
                    if d is not None and (
                        cmd.name not in SHELLS or w.raw.startswith("<(") or cmd.has_option("-c")
                    ):
                        yield cmd.span, {"fetcher": d.name, "shell": cmd.name}
                        break


CHECKS = {
    "pipe-without-pipefail": Check(pipe_without_pipefail, ("instruction",)),
    "cd-in-run": Check(cd_in_run, ("command",)),
    "sudo-in-run": Check(sudo_in_run, ("command",)),
    "meaningless-command": Check(
        meaningless_command,
        ("instruction",),
        {
            "type": "object",
            "additionalProperties": False,
            "properties": {"commands": {"type": "array", "items": {"type": "string", "minLength": 1}}},
        },
    ),
    "wget-and-curl": Check(wget_and_curl, ("stage",)),
    "ln-bin-sh": Check(ln_bin_sh, ("command",)),
    "wget-progress": Check(wget_progress, ("command",)),
    "useradd-high-uid": Check(
        useradd_high_uid,
        ("command",),
        {
            "type": "object",
            "additionalProperties": False,
            "properties": {"max-uid": {"type": "integer", "minimum": 0}},
        },
    ),
    "copy-then-extract": Check(copy_then_extract, ("stage",)),
    "remote-script-to-shell": Check(remote_script_to_shell, ("instruction",)),
}
