"""The scripts of one RUN instruction, as BuildKit hands them to a shell (see linter.shell)."""

from __future__ import annotations

import re

from linter.shell import POSIX, program_dialect, shell_dialect
from linter.shell.ast import Command, Pipeline, Script, Word
from linter.shell.parser import SHELLS, parse

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable

    from linter.ir.dockerfile import Heredoc, Instruction
    from linter.shell.ast import Redirect

# BuildKit's reHeredoc, applied to the whole command: the RUN is a single heredoc.
_SINGLE_HEREDOC = re.compile(r"(\d*)<<(-?)\s*([^<\s]+)\s*$")


def build(ins: Instruction, shell: list[str] | None, windows: bool) -> list[Script]:
    if ins.json_args is not None:
        return _exec_form(ins)
    dialect = shell_dialect(shell, windows)
    if not ins.heredocs:
        return [_script(ins.args, dialect, ins, ins.position)]
    first = ins.heredocs[0]
    if lone_heredoc(ins):
        body = first.body
        if body.startswith("#!") and not windows:
            # BuildKit writes the body to a file and runs it: the shebang picks the interpreter.
            words = body[2 : body.find("\n") if "\n" in body else len(body)].split()
            dialect = program_dialect(words[0], words[1:]) if words else "other"
        return [_script(body, dialect, ins, first.position, first)]
    # The shell runs the argument line, with the bodies as its here-documents.
    line = Script(ins.args, dialect, ins, ins.position)
    scripts = [line]
    if dialect not in POSIX:
        return scripts
    redirects = parse(line)
    unmatched = list(ins.heredocs)
    for r in redirects:
        delim = r.target.value if r.target is not None else None
        for h in unmatched:
            if h.delimiter == delim:
                r.heredoc = h
                unmatched.remove(h)
                break
    for r in redirects:
        fed = r.heredoc
        if fed is None or r.fd not in (None, 0):
            continue
        body_dialect = _stdin_shell(line, r)
        if body_dialect is not None:
            scripts.append(_script(fed.body, body_dialect, ins, fed.position, fed))
    return scripts


def lone_heredoc(ins: Instruction) -> bool:
    """Whether the RUN is a single heredoc and nothing else (`RUN <<EOF`): its body is then the
    script (BuildKit's dispatchRun)."""
    return len(ins.heredocs) == 1 and _SINGLE_HEREDOC.fullmatch(ins.args) is not None


def _script(
    text: str,
    dialect: str,
    ins: Instruction,
    position: Callable[[int], tuple[int, int]],
    heredoc: Heredoc | None = None,
) -> Script:
    script = Script(text, dialect, ins, position, heredoc)
    if dialect in POSIX:
        parse(script)
    return script


def _stdin_shell(line: Script, r: Redirect) -> str | None:
    """The dialect of the shell that reads the here-document `r` as its script, if the command
    it feeds is one (`bash`, `sh -s`, `sudo -E bash -x`); None otherwise (`python3`, `cat`,
    `bash -c '...'`, `sh script.sh`)."""
    owner = None
    for cmd in line.commands:
        if r in cmd.redirects:
            owner = cmd  # the last one: the innermost wrapped command
    if owner is None:
        return None
    name = owner.name
    if name not in SHELLS:
        return None
    for w in owner.args():
        v = w.value
        if v.startswith("-") or v.startswith("+"):
            if "c" in v[1:] and v[0] == "-" and not v.startswith("--"):
                return None  # the script is the -c string; stdin is data
            continue
        if v == "pipefail" or v in _SET_O_NAMES:
            continue
        return None  # a script file operand
    return program_dialect(name)


_SET_O_NAMES = frozenset(("errexit", "nounset", "xtrace", "pipefail", "noglob", "posix", "verbose"))


# -- exec form ---------------------------------------------------------------------------------


def _exec_form(ins: Instruction) -> list[Script]:
    args = ins.json_args or []
    holder = Script(ins.args, "exec", ins, ins.position)
    strings = _json_strings(ins.args, args)
    words: list[Word] = []
    for k, value in enumerate(args):
        if strings is not None:
            start, end, _ = strings[k]
            raw = ins.args[start:end]
        else:
            start, end, raw = 0, len(ins.args), ins.args
        words.append(Word(raw, value, start, end, True, False, holder))
    scripts = [holder]
    if not words:
        return scripts
    cmd = Command(words, [], [], words[0].start, words[-1].end, holder)
    pipeline = Pipeline(holder, cmd.start)
    pipeline.end = cmd.end
    pipeline.commands.append(cmd)
    pipeline.size = 1
    cmd.pipeline = pipeline
    holder.pipelines.append(pipeline)
    holder.commands.append(cmd)
    # ["/bin/sh", "-c", "script"]: the string is a script of that shell.
    if cmd.name in SHELLS:
        k = 1
        has_c = False
        while k < len(args) and args[k].startswith("-") and len(args[k]) > 1:
            has_c = has_c or "c" in args[k][1:]
            k += 2 if args[k][-1] in "oO" else 1
        if has_c and k < len(args):
            offsets = strings[k][2] if strings is not None else None
            base = strings[k][0] + 1 if strings is not None else 0

            def position(
                offset: int, offsets: list[int] | None = offsets, base: int = base
            ) -> tuple[int, int]:
                if offsets is None:
                    return ins.position(0)
                return ins.position(base + offsets[min(offset, len(offsets) - 1)])

            def end_position(
                end: int, offsets: list[int] | None = offsets, base: int = base
            ) -> tuple[int, int]:
                if offsets is None:
                    line, col = ins.position(0)
                    return line, col + 1
                line, col = ins.position(base + offsets[min(end, len(offsets) - 1)] - 1)
                return line, col + 1

            script = Script(args[k], program_dialect(args[0]), ins, position, None, end_position)
            if script.dialect in POSIX:
                parse(script)
            scripts.append(script)
    return scripts


def _json_strings(text: str, values: list[str]) -> list[tuple[int, int, list[int]]] | None:
    """(start, end, offsets) of each JSON string literal of `text`, `offsets[i]` being the offset
    (from just after the opening quote) of the source of the value's i-th character, plus one
    entry for its end. None when the literals do not decode to `values`."""
    out: list[tuple[int, int, list[int]]] = []
    i, n = 0, len(text)
    while i < n:
        if text[i] != '"':
            i += 1
            continue
        start = i
        i += 1
        chars: list[str] = []
        offsets: list[int] = []
        while i < n and text[i] != '"':
            offsets.append(i - start - 1)
            if text[i] == "\\" and i + 1 < n:
                e = text[i + 1]
                if e == "u" and i + 6 <= n:
                    code = int(text[i + 2 : i + 6], 16) if _HEX4.fullmatch(text, i + 2, i + 6) else 0xFFFD
                    if (
                        0xD800 <= code < 0xDC00
                        and text.startswith("\\u", i + 6)
                        and _HEX4.fullmatch(text, i + 8, i + 12)
                    ):
                        low = int(text[i + 8 : i + 12], 16)
                        code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00)
                        i += 6
                    chars.append(chr(code) if code <= 0x10FFFF else "\ufffd")
                    i += 6
                else:
                    chars.append(_JSON_ESCAPES.get(e, e))
                    i += 2
            else:
                chars.append(text[i])
                i += 1
        offsets.append(i - start - 1)
        i += 1
        out.append((start, min(i, n), offsets))
        if "".join(chars) != (values[len(out) - 1] if len(out) <= len(values) else None):
            return None
    return out if len(out) == len(values) else None


_HEX4 = re.compile(r"[0-9A-Fa-f]{4}")
_JSON_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", "b": "\b", "f": "\f", "/": "/", "\\": "\\", '"': '"'}
