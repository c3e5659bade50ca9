"""Checks of single Dockerfile instructions and their arguments, read with BuildKit's semantics:
stage inheritance (`FROM <stage>`), ARG and ENV expansion, SHELL, and what the builder rejects or
silently ignores. None of them parses the shell inside RUN."""

from __future__ import annotations

import re

from linter.checks import Check
from linter.ir.source import Span
from linter.parsers.dockerfile import _shell_words, _split_assignments, expand

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Iterator

    from linter.checks import Context, Hit
    from linter.ir.dockerfile import Dockerfile, Instruction, Stage


# -- helpers -----------------------------------------------------------------------------------


def _chain(df: Dockerfile, stage: Stage) -> Iterator[Stage]:
    """The stage, then the stage it builds on, and so on (nearest first)."""
    seen: set[int] = set()
    cur: Stage | None = stage
    while cur is not None and cur.index not in seen:
        seen.add(cur.index)
        yield cur
        cur = df.stages[cur.base_stage] if cur.base_stage is not None else None


def _before(stage: Stage, ins: Instruction) -> list[Instruction]:
    out = []
    for i in stage.instructions:
        if i is ins:
            break
        out.append(i)
    return out


def _set_in_chain(df: Dockerfile, stage: Stage, ins: Instruction, keyword: str) -> bool:
    """Whether `keyword` appears before `ins` in its stage, or anywhere in the stages it builds on."""
    if any(i.keyword == keyword for i in _before(stage, ins)):
        return True
    return any(any(i.keyword == keyword for i in s.instructions) for s in list(_chain(df, stage))[1:])


def _scope_at(df: Dockerfile, stage: Stage, ins: Instruction) -> dict[str, str | None]:
    """ARG and ENV values visible at `ins` (an approximation: the stage's values at the start,
    then each ARG and ENV before the instruction)."""
    values: dict[str, str | None] = {}
    if stage.base_stage is not None:
        base = df.stages[stage.base_stage]
        values.update(base.scope.values)
        values.update(base.env.values)
    from linter.ir.dockerfile import Scope

    for i in _before(stage, ins):
        if i.keyword == "ENV":
            before = Scope(values)
            for name, value in _split_assignments(i.args, "ENV"):
                values[name] = expand(value, before) if value is not None else None
        elif i.keyword == "ARG":
            for name, value in _split_assignments(i.args):
                if value is None:
                    values[name] = df.global_args.values.get(name)
                else:
                    values[name] = expand(value, Scope(values))
    return values


def _resolve(text: str, df: Dockerfile, stage: Stage | None, ins: Instruction) -> str | None:
    """`text` with variables expanded as at `ins`; None when a value is unknown."""
    if "$" not in text:
        return text
    from linter.ir.dockerfile import Scope

    values = _scope_at(df, stage, ins) if stage is not None else dict(df.global_args.values)
    return expand(text, Scope(values))


WINDOWS_ABS = re.compile(r"^[A-Za-z]:[\\/]|^[\\/]")


def _is_absolute(path: str) -> bool:
    """Absolute on Linux (`/x`) or on Windows (`C:\\x`, `C:/x`, `\\x`), as BuildKit's IsAbs for
    the platform the path is obviously written for."""
    return path.startswith("/") or bool(WINDOWS_ABS.match(path))


def _esc(ctx: Context) -> str:
    return getattr(ctx.document, "escape", "\\") or "\\"


def _logical_args(ins: Instruction, ctx: Context) -> tuple[str, list[tuple[int, int, int]]]:
    """The argument text of `ins` rebuilt from the source lines as the parser joins them (escape
    character at the end of a line removed, comment and blank lines inside the continuation
    skipped), with (offset in text, line, 0-based column) of each physical segment."""
    sp = ins.args_span
    lines = ctx.source.lines
    esc = _esc(ctx)
    text = ""
    segments: list[tuple[int, int, int]] = []
    for ln in range(sp.line, sp.end_line + 1):
        line = lines[ln - 1]
        if ln > sp.line and (not line.strip() or line.lstrip().startswith("#")):
            continue
        col0 = sp.column - 1 if ln == sp.line else 0
        if ln == sp.end_line:
            body = line[: sp.end_column - 1]
        else:
            body = line.rstrip(" \t")
            if body.endswith(esc):
                body = body[:-1]
        segments.append((len(text), ln, col0))
        text += body[col0:]
    return text, segments


def _position(segments: list[tuple[int, int, int]], offset: int) -> tuple[int, int]:
    start, line, col0 = segments[0]
    for seg in segments:
        if seg[0] <= offset:
            start, line, col0 = seg
    return line, col0 + (offset - start) + 1


def _raw_word_re(esc: str) -> re.Pattern[str]:
    e = re.escape(esc)
    return re.compile(rf"(?:\"(?:[^\"{e}]|{e}.)*\"|'[^']*'|{e}.|\S)+")


def _raw_words_with_spans(ins: Instruction, ctx: Context) -> list[tuple[str, Span]]:
    """The shell-form argument words as written (quotes and escapes kept), each with its own span,
    across continuation lines too."""
    if not ins.args:
        return []
    text, segments = _logical_args(ins, ctx)
    if not segments:
        return []
    out: list[tuple[str, Span]] = []
    for m in _raw_word_re(_esc(ctx)).finditer(text):
        line, col = _position(segments, m.start())
        end_line, end_col = _position(segments, m.end() - 1)
        out.append((m.group(), Span(line, col, end_line, end_col + 1)))
    return out


def _words_with_spans(ins: Instruction, ctx: Context) -> list[tuple[str, Span]]:
    """The shell-form argument words with their spans, quotes and escapes removed (with the
    Dockerfile's escape character)."""
    esc = _esc(ctx)
    out: list[tuple[str, Span]] = []
    for raw, span in _raw_words_with_spans(ins, ctx):
        words = _shell_words(raw, esc=esc)
        out.append((words[0] if words else "", span))
    return out


def _copy_args(ins: Instruction, ctx: Context) -> list[tuple[str, Span]]:
    """Sources and destination of COPY/ADD (JSON form or shell form), heredocs as `<<NAME`."""
    if ins.json_args is not None:
        return [(a, ins.args_span) for a in ins.json_args]
    return _words_with_spans(ins, ctx)


# -- checks ------------------------------------------------------------------------------------


def workdir_relative(df: Dockerfile, ctx: Context) -> Iterator[Hit]:
    """The first WORKDIR of a stage (and the stages it builds on) is a relative path: it is then
    relative to whatever directory the base image sets. Later relative WORKDIRs are fine, as in
    BuildKit's WorkdirRelativePath."""
    for stage in df.stages:
        if any(any(i.keyword == "WORKDIR" for i in s.instructions) for s in list(_chain(df, stage))[1:]):
            continue
        for ins in stage.instructions:
            if ins.keyword != "WORKDIR":
                continue
            raw = ins.args.strip()
            if len(raw) >= 2 and raw[0] == raw[-1] and raw[0] in "\"'":
                raw = raw[1:-1]
            path = _resolve(raw, df, stage, ins)
            if path is not None and path and not _is_absolute(path):
                yield ins.args_span, {"path": ins.args}
            break


def user_root_final(df: Dockerfile, ctx: Context) -> Iterator[Hit]:
    """The last USER of the final stage, or of the stages it builds on, is root."""
    if not df.stages:
        return
    for stage in _chain(df, df.stages[-1]):
        users = [i for i in stage.instructions if i.keyword == "USER"]
        if users:
            last = users[-1]
            words = _shell_words(last.args, split=False, esc=df.escape)
            value = _resolve(words[0].strip() if words else "", df, stage, last)
            if value is not None and value.partition(":")[0] in ("root", "0"):
                yield last.args_span, {"user": value}
            return


ARCHIVE = re.compile(r"\.(tar|tar\.gz|tgz|tar\.bz2|tbz2?|tar\.xz|txz|tar\.zst|tzst)$", re.I)
REMOTE = re.compile(r"^(https?://|git@|git://|ssh://)|\.git(#.*)?$|^github\.com/", re.I)


def add_local(ins: Instruction, ctx: Context) -> Iterator[Hit]:
    """ADD whose sources are all local files or folders that are not archives: COPY does the same
    without ADD's extra behaviour."""
    if ins.heredocs or ins.flag("checksum") or ins.flag("keep-git-dir"):
        return
    unpack = ins.flag("unpack")
    plain = unpack is not None and (unpack.value or "true").lower() == "false"
    df = ctx.document
    args = _copy_args(ins, ctx)
    if len(args) < 2:
        return
    for word, _ in args[:-1]:
        value = _resolve(word, df, ins.stage, ins)  # type: ignore[arg-type]
        if value is None or REMOTE.search(value) or "*" in value or "?" in value:
            return
        if ARCHIVE.search(value) and not plain:
            return
    yield ins.keyword_span, {}


def copy_dest_not_dir(ins: Instruction, ctx: Context) -> Iterator[Hit]:
    """COPY/ADD with several sources and a destination that is not a directory: `.`, `..` and an
    empty destination are directories (BuildKit's pathRelativeToWorkingDir), as is a path ending
    in `/` (or `\\` on Windows). ARG and ENV values are expanded first; unknown ones are skipped."""
    args = _copy_args(ins, ctx)
    sources = len(args) - 1
    if sources < 2:
        return
    dest, span = args[-1]
    value = _resolve(dest, ctx.document, ins.stage, ins)  # type: ignore[arg-type]
    if value is None or value in ("", ".", ".."):
        return
    if value.endswith("/") or (value.endswith("\\") and len(value) > 1):
        return
    yield span, {"keyword": ins.keyword, "dest": dest, "count": sources}


def _stage_names(df: Dockerfile) -> dict[str, int]:
    names: dict[str, int] = {}
    for s in df.stages:
        if s.alias:
            names.setdefault(s.alias.lower(), s.index)
    return names


IMAGE_LIKE = re.compile(r"[/:@.]")


def _from_problem(df: Dockerfile, stage: Stage, value: str) -> str | None:
    """Why BuildKit rejects `COPY --from=<value>` in `stage`, if it does."""
    if "$" in value:
        return "variable expansion is not supported for --from; define a stage with FROM and use its name"
    if value.isdigit():
        index = int(value)
        if index >= len(df.stages):
            return f"there is no stage {index} (the Dockerfile has {len(df.stages)})"
        if index > stage.index:
            return f"stage {index} is defined after this one"
        return None
    target = _stage_names(df).get(value.lower())
    if target is not None and target > stage.index:
        return "that stage is defined after this one"
    return None


def copy_from_unknown(ins: Instruction, ctx: Context) -> Iterator[Hit]:
    """`COPY --from=<value>` that BuildKit rejects (a variable, a stage index out of range, a
    stage defined later), or a name that is no stage and does not look like an image reference
    either (no registry, namespace, tag or digest): almost always a misspelt stage name, which
    BuildKit then tries to pull as `docker.io/library/<name>`. The value is not expanded: BuildKit
    does not expand variables in --from."""
    flag = ins.flag("from")
    if flag is None or not flag.value or ins.stage is None:
        return
    df: Dockerfile = ctx.document  # type: ignore[assignment]
    value = flag.value
    problem = _from_problem(df, ins.stage, value)
    if problem is not None:
        yield flag.span, {"name": value, "reason": problem}
        return
    if value.isdigit() or IMAGE_LIKE.search(value) or value.lower() in _stage_names(df):
        return
    pull = f"docker.io/library/{value}"
    yield (
        flag.span,
        {"name": value, "reason": f"names no stage of this Dockerfile; BuildKit will pull it as {pull}"},
    )


def copy_from_self(ins: Instruction, ctx: Context) -> Iterator[Hit]:
    """`COPY --from` naming the stage it is in: BuildKit fails with a circular dependency. The
    value is compared as written (BuildKit does not expand variables in --from)."""
    flag = ins.flag("from")
    stage = ins.stage
    if flag is None or not flag.value or stage is None:
        return
    value = flag.value
    if (stage.alias and value.lower() == stage.alias.lower()) or value == str(stage.index):
        yield flag.span, {"name": value}


def duplicate_stage_name(df: Dockerfile, ctx: Context) -> Iterator[Hit]:
    seen: dict[str, Stage] = {}
    for s in df.stages:
        if not s.alias or s.alias_span is None:
            continue
        key = s.alias.lower()
        first = seen.get(key)
        if first is None:
            seen[key] = s
        else:
            yield s.alias_span, {"name": s.alias, "line": first.from_instruction.span.line}


def _rejected_json(args: str) -> bool:
    if not args.startswith("["):
        return False
    import json

    try:
        return isinstance(json.loads(args), list)
    except RecursionError:
        return True
    except ValueError:
        return False


def cmd_shell_form(df: Dockerfile, ctx: Context) -> Iterator[Hit]:
    """CMD or ENTRYPOINT in shell form, where no SHELL instruction has been given (in the stage or
    the stages it builds on): the process runs under `/bin/sh -c` and does not get signals. As
    BuildKit's JSONArgsRecommended, a SHELL instruction counts as a deliberate choice."""
    for ins in df.instructions:
        if ins.keyword not in ("CMD", "ENTRYPOINT") or ins.json_args is not None or not ins.args:
            continue
        if _rejected_json(ins.args):
            continue  # a JSON list of non-strings: a syntax error (DF000), not shell form
        stage = ins.stage
        if stage is not None and _set_in_chain(df, stage, ins, "SHELL"):
            continue
        yield ins.args_span, {"keyword": ins.keyword}


def from_platform_constant(stage: Stage, ctx: Context) -> Iterator[Hit]:
    flag = stage.from_instruction.flag("platform")
    if flag is None or not flag.value or "$" in flag.value:
        return
    parts = flag.value.split("/")
    name = (stage.alias or "").lower()
    if name and any(p and p.lower() in name for p in parts[:2]):
        return
    yield flag.span, {"platform": flag.value}


def instruction_before_from(df: Dockerfile, ctx: Context) -> Iterator[Hit]:
    """Only ARG (and comments, parser directives) may come before the first FROM."""
    for ins in df.instructions:
        if ins.keyword == "FROM":
            return
        if ins.keyword != "ARG":
            yield ins.keyword_span, {"keyword": ins.keyword}


def maintainer(ins: Instruction, ctx: Context) -> Iterator[Hit]:
    yield ins.keyword_span, {}


ONCE = ("CMD", "ENTRYPOINT", "HEALTHCHECK")


def overridden_instruction(df: Dockerfile, ctx: Context) -> Iterator[Hit]:
    """CMD, ENTRYPOINT or HEALTHCHECK given more than once in a stage: every one but the last has
    no effect. The finding is on the ineffective one, as in BuildKit. Instructions before the
    first FROM (which BuildKit refuses anyway) are taken as one group."""
    groups = [[i for i in df.instructions if i.stage is None]] + [s.instructions for s in df.stages]
    for group in groups:
        yield from _overridden(group)


def _overridden(instructions: list[Instruction]) -> Iterator[Hit]:
    last: dict[str, Instruction] = {}
    for ins in instructions:
        if ins.keyword in ONCE:
            prev = last.get(ins.keyword)
            if prev is not None:
                yield prev.keyword_span, {"keyword": ins.keyword, "line": ins.span.line}
            last[ins.keyword] = ins


SEPARATORS = re.compile(r"&&|\|\||;|\||\$\(|`")
QUOTED = re.compile(r"'[^']*'|\"(?:[^\"\\]|\\.)*\"")


def _single_command(ins: Instruction) -> bool:
    """Whether a RUN is one simple command: no list (`&&`, `||`, `;`), pipe, command substitution
    or heredoc. A textual test (quotes aside), so that this rule needs no shell parsing."""
    if ins.heredocs:
        return False
    if ins.json_args is not None:
        return True
    return SEPARATORS.search(QUOTED.sub("", ins.args)) is None


def consecutive_run(stage: Stage, ctx: Context) -> Iterator[Hit]:
    """A RUN of one simple command right after another such RUN with the same flags (comment lines
    in between do not count). RUNs that already chain several commands are left alone: joining
    them buys little and costs readability and layer caching."""
    prev: Instruction | None = None
    for ins in stage.instructions:
        if (
            ins.keyword == "RUN"
            and prev is not None
            and prev.keyword == "RUN"
            and sorted((f.name, f.value or "") for f in prev.flags)
            == sorted((f.name, f.value or "") for f in ins.flags)
            and _single_command(prev)
            and _single_command(ins)
        ):
            yield ins.keyword_span, {"line": prev.span.line}
        prev = ins


def copy_relative_no_workdir(df: Dockerfile, ctx: Context) -> Iterator[Hit]:
    """COPY or ADD to a relative destination before any WORKDIR in the stage or the stages it builds
    on: the files land wherever the base image's working directory is. `scratch` starts at `/`."""
    for stage in df.stages:
        root = stage.base_stage
        while root is not None and df.stages[root].base_stage is not None:
            root = df.stages[root].base_stage
        base = df.stages[root] if root is not None else stage
        if (base.image_text or "").lower() == "scratch":
            continue
        if any(any(i.keyword == "WORKDIR" for i in s.instructions) for s in list(_chain(df, stage))[1:]):
            continue
        for ins in stage.instructions:
            if ins.keyword == "WORKDIR":
                break
            if ins.keyword not in ("COPY", "ADD"):
                continue
            args = _copy_args(ins, ctx)
            if len(args) < 2:
                continue
            dest, span = args[-1]
            value = _resolve(dest, df, stage, ins)
            if value is not None and not _is_absolute(value):
                yield span, {"keyword": ins.keyword, "dest": dest}


VAR_REF = re.compile(r"\$(?:\{([A-Za-z_][A-Za-z0-9_]*)|([A-Za-z_][A-Za-z0-9_]*))")


def _references(raw: str, esc: str) -> Iterator[str]:
    """Names referenced by `$NAME` / `${NAME}` in raw text, skipping single-quoted parts and
    escaped `$`."""
    quote = ""
    i, n = 0, len(raw)
    while i < n:
        c = raw[i]
        if quote == "'":
            if c == "'":
                quote = ""
        elif c == esc:
            i += 1  # the next character is literal (inside double quotes too, for `$`)
        elif c == "'" and not quote:
            quote = c
        elif c == '"':
            quote = "" if quote else c
        elif c == "$" and (m := VAR_REF.match(raw, i)) is not None:
            yield m.group(1) or m.group(2)
            i = m.end()
            continue
        i += 1


def env_same_statement(ins: Instruction, ctx: Context) -> Iterator[Hit]:
    """ENV A=1 B=$A: BuildKit expands the whole instruction before it sets any variable, so B gets
    the value A had before this line, not 1. `$` in single quotes or escaped is no reference."""
    pairs = _split_assignments(ins.args, "ENV")
    if len(pairs) < 2:
        return
    esc = _esc(ctx)
    raws = [w for w, _ in _raw_words_with_spans(ins, ctx)]
    if len(raws) != len(pairs):
        return
    defined: set[str] = set()
    for (name, value), raw in zip(pairs, raws, strict=True):
        if value:
            for ref in _references(raw.partition("=")[2], esc):
                if ref in defined and ref != name:
                    yield ins.args_span, {"name": ref, "target": name}
                    return
        defined.add(name)


LABEL_KEY = re.compile(r"^[a-z0-9](?:[a-z0-9]|[.-](?=[a-z0-9]))*$")
RESERVED_LABEL_NAMESPACES = ("com.docker.", "io.docker.", "org.dockerproject.")


def label_key_invalid(ins: Instruction, ctx: Context) -> Iterator[Hit]:
    for key, _ in _split_assignments(ins.args, "LABEL"):
        if "$" in key:
            continue
        reason = None
        if key.startswith(RESERVED_LABEL_NAMESPACES):
            ns = ".".join(key.split(".", 2)[:2])
            reason = f"the {ns}.* namespace is reserved for Docker"
        elif not LABEL_KEY.match(key):
            reason = "keys should be lower-case reverse-DNS (letters, digits, '.' and '-')"
        if reason:
            yield ins.args_span, {"key": key, "reason": reason}


def expose_invalid(ins: Instruction, ctx: Context) -> Iterator[Hit]:
    """EXPOSE items that are not `port[-port][/protocol]` with ports 0-65535 (BuildKit parses them
    as unsigned 16-bit numbers) and protocol tcp, udp or sctp; host addresses and host ports belong
    to `docker run -p`, not to the image."""
    if not ins.args:
        return
    for word, span in _words_with_spans(ins, ctx):
        if "$" in word:
            continue
        port, _, proto = word.partition("/")
        reason = None
        if ":" in port:
            reason = "name only the container port; host ports and addresses belong to `docker run -p`"
        elif not re.fullmatch(r"\d+(-\d+)?", port):
            reason = "not a port number or range"
        else:
            nums = [int(p) for p in port.split("-")]
            if any(n > 65535 for n in nums):
                reason = "ports range from 0 to 65535"
            elif len(nums) == 2 and nums[1] < nums[0]:
                reason = "the range ends before it starts"
        if reason is None and proto and proto.lower() not in ("tcp", "udp", "sctp"):
            reason = "the protocol is tcp, udp or sctp"
        if reason:
            yield span, {"item": word, "reason": reason}


def expose_proto_casing(ins: Instruction, ctx: Context) -> Iterator[Hit]:
    if not ins.args:
        return
    for word, span in _words_with_spans(ins, ctx):
        _, slash, proto = word.partition("/")
        if slash and proto.lower() in ("tcp", "udp", "sctp") and proto != proto.lower():
            yield span, {"item": word}


def stage_name_casing(stage: Stage, ctx: Context) -> Iterator[Hit]:
    if (
        stage.alias
        and stage.alias_span is not None
        and "$" not in stage.alias
        and stage.alias != stage.alias.lower()
    ):
        yield stage.alias_span, {"name": stage.alias}


def from_as_casing(stage: Stage, ctx: Context) -> Iterator[Hit]:
    """`AS` in another case than `FROM`, wherever the words are (continuation lines too)."""
    if stage.alias_span is None:
        return
    ins = stage.from_instruction
    kw = ins.raw_keyword
    words = _raw_words_with_spans(ins, ctx)
    if len(words) < 3 or words[1][0].lower() != "as":
        return
    as_word, span = words[1]
    if (kw.isupper() and not as_word.isupper()) or (kw.islower() and not as_word.islower()):
        yield span, {"as": as_word, "from": kw}


def instruction_casing(df: Dockerfile, ctx: Context) -> Iterator[Hit]:
    """Keywords in a mixture of cases: those that differ from the majority (upper case on a tie)."""
    kws = [i for i in df.instructions]
    kws += [i.inner for i in df.instructions if i.inner is not None]
    lower = sum(1 for i in kws if i.raw_keyword.islower())
    upper = sum(1 for i in kws if i.raw_keyword.isupper())
    want_lower = lower > upper
    for i in sorted(kws, key=lambda i: (i.keyword_span.line, i.keyword_span.column)):
        ok = i.raw_keyword.islower() if want_lower else i.raw_keyword.isupper()
        if not ok:
            yield i.keyword_span, {"keyword": i.raw_keyword, "casing": "lower" if want_lower else "upper"}


RESERVED_STAGE_NAMES = frozenset(("scratch", "context"))


def reserved_stage_name(stage: Stage, ctx: Context) -> Iterator[Hit]:
    if stage.alias and stage.alias_span is not None and stage.alias.lower() in RESERVED_STAGE_NAMES:
        yield stage.alias_span, {"name": stage.alias}


def legacy_key_value(ins: Instruction, ctx: Context) -> Iterator[Hit]:
    words = ins.args.split(None, 1)
    if len(words) == 2 and "=" not in words[0]:
        yield ins.args_span, {"keyword": ins.keyword, "name": words[0]}


CHECKS = {
    "workdir-relative": Check(workdir_relative, ("dockerfile",)),
    "user-root-final": Check(user_root_final, ("dockerfile",)),
    "add-local": Check(add_local, ("instruction",)),
    "copy-dest-not-dir": Check(copy_dest_not_dir, ("instruction",)),
    "copy-from-unknown": Check(copy_from_unknown, ("instruction",)),
    "copy-from-self": Check(copy_from_self, ("instruction",)),
    "duplicate-stage-name": Check(duplicate_stage_name, ("dockerfile",)),
    "cmd-shell-form": Check(cmd_shell_form, ("dockerfile",)),
    "from-platform-constant": Check(from_platform_constant, ("stage",)),
    "instruction-before-from": Check(instruction_before_from, ("dockerfile",)),
    "maintainer": Check(maintainer, ("instruction",)),
    "overridden-instruction": Check(overridden_instruction, ("dockerfile",)),
    "consecutive-run": Check(consecutive_run, ("stage",)),
    "copy-relative-no-workdir": Check(copy_relative_no_workdir, ("dockerfile",)),
    "env-same-statement": Check(env_same_statement, ("instruction",)),
    "label-key-invalid": Check(label_key_invalid, ("instruction",)),
    "expose-invalid": Check(expose_invalid, ("instruction",)),
    "expose-proto-casing": Check(expose_proto_casing, ("instruction",)),
    "stage-name-casing": Check(stage_name_casing, ("stage",)),
    "from-as-casing": Check(from_as_casing, ("stage",)),
    "instruction-casing": Check(instruction_casing, ("dockerfile",)),
    "reserved-stage-name": Check(reserved_stage_name, ("stage",)),
    "legacy-key-value": Check(legacy_key_value, ("instruction",)),
}
