"""Whole-Dockerfile and stage checks that need no shell parsing: build arguments and variables
(BuildKit's UndefinedVar, UndefinedArgInFrom, InvalidDefaultArgInFrom), secrets in ARG and ENV,
platforms, the build context's .dockerignore, the final image's user, registries, labels and
unused stages. They read the IR with BuildKit's semantics, through the helpers of
`linter.checks.instructions`."""

from __future__ import annotations

import os
import re
from difflib import get_close_matches
from fnmatch import fnmatchcase

from linter.checks import Check
from linter.checks.instructions import (
    _chain,
    _copy_args,
    _raw_words_with_spans,
    _resolve,
    _scope_at,
    _stage_names,
)
from linter.ir.source import Span
from linter.parsers.dockerfile import _shell_words, _split_assignments, expand_word

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable, Iterator

    from linter.checks import Context, Hit
    from linter.ir.dockerfile import Dockerfile, Instruction, Scope, Stage


def healthcheck_missing(df: Dockerfile, ctx: Context) -> Iterator[Hit]:
    """The final stage (the image that ships) declares no HEALTHCHECK, directly or via ONBUILD."""
    if not df.stages:
        return
    final = df.stages[-1]
    if any(i.keyword == "HEALTHCHECK" for i in final.instructions):
        return
    stage: Stage | None = df.stages[final.base_stage] if final.base_stage is not None else None
    while stage is not None:
        # A stage inherits the HEALTHCHECK of the stage it builds on, and an `ONBUILD HEALTHCHECK`
        # there runs in the stage built on it, which passes it on. (The final stage's own
        # ONBUILD triggers only run in images built from the shipped one.)
        for i in stage.instructions:
            if i.keyword == "HEALTHCHECK" or (i.inner is not None and i.inner.keyword == "HEALTHCHECK"):
                return
        stage = df.stages[stage.base_stage] if stage.base_stage is not None else None
    yield final.from_instruction.keyword_span, {}


# -- helpers -----------------------------------------------------------------------------------

# Build arguments BuildKit defines before the first FROM without any ARG (defaultArgs). Inside a
# stage they are visible only once declared with `ARG NAME`.
PLATFORM_ARGS = {
    "BUILDPLATFORM": "linux/amd64",
    "BUILDOS": "linux",
    "BUILDOSVERSION": "",
    "BUILDARCH": "amd64",
    "BUILDVARIANT": "",
    "TARGETPLATFORM": "linux/amd64",
    "TARGETOS": "linux",
    "TARGETOSVERSION": "",
    "TARGETARCH": "amd64",
    "TARGETVARIANT": "",
    "TARGETSTAGE": "",
}
VAR_REF = re.compile(r"\$(?:\{([A-Za-z_][A-Za-z0-9_]*)|([A-Za-z_][A-Za-z0-9_]*))")


def _references(raw: str, esc: str) -> Iterator[tuple[str, int, int]]:
    """(name, start, end) of each `$NAME` / `${NAME...}` in raw text, skipping single-quoted
    parts and escaped `$`, as BuildKit's word expansion reads them."""
    quote = ""
    i, n = 0, len(raw)
    while i < n:
        c = raw[i]
        if quote == "'":
            if c == "'":
                quote = ""
        elif c == esc:
            i += 1
        elif c == "'" and not quote:
            quote = c
        elif c == '"':
            quote = "" if quote else c
        elif c == "$" and (m := VAR_REF.match(raw, i)) is not None:
            end = m.end()
            if m.group(1) is not None:  # ${NAME...}: up to the closing brace
                close = raw.find("}", end)
                end = close + 1 if close >= 0 else n
            yield (m.group(1) or m.group(2)), i, end
            i = end
            continue
        i += 1


def _args_span(ins: Instruction, start: int, end: int) -> Span:
    line, col = ins.position(start)
    end_line, end_col = ins.position(max(end - 1, start))
    return Span(line, col, end_line, end_col + 1)


def _root(df: Dockerfile, stage: Stage) -> Stage:
    """The first stage of the chain `stage` builds on (itself when it starts from an image)."""
    return list(_chain(df, stage))[-1]


def _from_scratch(df: Dockerfile, stage: Stage) -> bool:
    return (_root(df, stage).image_text or "").lower() == "scratch"


def _suggestion(name: str, known: set[str]) -> str | None:
    """A known name that `name` is probably a typo of."""
    for k in known:
        if k != name and k.lower() == name.lower():
            return k
    close = [k for k in sorted(known) if abs(len(k) - len(name)) <= 2]
    found = get_close_matches(name, close, n=1, cutoff=0.85)
    return found[0] if found else None


# -- BuildKit: variables -------------------------------------------------------------------------


def _from_words(stage: Stage) -> list[tuple[str, Span]]:
    out: list[tuple[str, Span]] = []
    if stage.image_word and stage.image_span is not None:
        out.append((stage.image_word, stage.image_span))
    flag = stage.from_instruction.flag("platform")
    if flag is not None and flag.value:
        out.append((flag.value, flag.span))
    return out


def undefined_arg_in_from(stage: Stage, ctx: Context) -> Iterator[Hit]:
    """A FROM (image or --platform) that uses a variable not declared by an ARG before the first
    FROM, nor one of the platform arguments BuildKit predefines there: it expands to nothing."""
    df: Dockerfile = ctx.document  # type: ignore[assignment]
    known = set(df.global_args.values) | set(PLATFORM_ARGS)
    esc = df.escape
    reported: set[str] = set()
    for word, span in _from_words(stage):
        for name, _, _ in _references(word, esc):
            if name in known or name in reported:
                continue
            reported.add(name)
            hint = _suggestion(name, known)
            yield span, {"name": name, "hint": f" (did you mean {hint}?)" if hint else ""}


def invalid_default_arg_in_from(stage: Stage, ctx: Context) -> Iterator[Hit]:
    """A FROM image that is no valid reference when built without --build-arg: an ARG used in it
    has no default (or is not declared), so it expands to nothing, as BuildKit's
    InvalidDefaultArgInFrom checks. A FROM that is invalid whatever the build arguments is a
    syntax error (DF000) instead."""
    from linter.ir.images import NOT_LOWERCASE, ImageRef

    word = stage.image_word
    if not word or "$" not in word or stage.image_span is None or stage.image_text is not None:
        return
    df: Dockerfile = ctx.document  # type: ignore[assignment]
    scope = _defaults_scope(df)
    try:
        text = expand_word(word, scope, df.escape, unset_empty=True)
    except ValueError:
        return
    if text is None:
        return
    if not text.strip():
        yield stage.image_span, {"image": word, "result": "an empty name"}
        return
    if text.lower() in _stage_names(df):
        return
    problem = ImageRef.parse(text).problem
    if problem is not None and problem != NOT_LOWERCASE:
        yield stage.image_span, {"image": word, "result": f"{text!r}, which {_as_clause(problem)}"}


def _defaults_scope(df: Dockerfile) -> Scope:
    """The global ARGs of a build with no --build-arg: each default expanded in turn with the
    ones before it, an ARG with no default unset (so `ARG X` then `ARG X=${X:-s}` gives s)."""
    from linter.ir.dockerfile import Scope
    from linter.parsers.dockerfile import expand

    scope = Scope(dict(PLATFORM_ARGS))
    for ins in df.instructions:
        if ins.keyword == "FROM":
            break
        if ins.keyword != "ARG":
            continue
        for name, value in _split_assignments(ins.args):
            if value is None:
                scope.values.setdefault(name, None)
            else:
                scope.values[name] = expand(value, scope, unset_empty=True)
    return scope


def _as_clause(problem: str) -> str:
    return problem if problem.startswith(("it ", "the ")) else f"is invalid: {problem}"


# Instructions whose arguments BuildKit expands with the stage's ARG and ENV values (those
# implementing SupportsSingleWordExpansion). ARG is left out, as BuildKit leaves it out; RUN,
# CMD and ENTRYPOINT are expanded by the shell at run time.
EXPANDED = frozenset(("ADD", "COPY", "ENV", "EXPOSE", "LABEL", "STOPSIGNAL", "USER", "VOLUME", "WORKDIR"))
EXPANDED_FLAGS = ("chown", "chmod")


def undefined_variable(df: Dockerfile, ctx: Context) -> Iterator[Hit]:
    """A variable used where BuildKit expands it, but defined by no ARG or ENV visible there.

    Offline, the base image's own environment is unknown, so a name is reported only when nothing
    could define it: a global ARG not declared again in the stage (the classic mistake), any name
    in a stage that starts from scratch, or a near-miss of a name the Dockerfile does define."""
    esc = df.escape
    everywhere = set(df.global_args.values)
    for ins in df.instructions:
        if ins.keyword in ("ARG", "ENV"):
            everywhere.update(name for name, _ in _split_assignments(ins.args, ins.keyword))
    for stage in df.stages:
        scratch = _from_scratch(df, stage)
        for ins in stage.instructions:
            if ins.keyword not in EXPANDED or "$" not in ins.args + "".join(f.value or "" for f in ins.flags):
                continue
            declared = set(_scope_at(df, stage, ins))
            visible = declared | {"PATH"}
            targets: list[tuple[str, Span]] = [
                (name, _args_span(ins, start, end)) for name, start, end in _references(ins.args, esc)
            ]
            for flag in ins.flags:
                if flag.name in EXPANDED_FLAGS and flag.value:
                    targets.extend((name, flag.span) for name, _, _ in _references(flag.value, esc))
            for name, span in targets:
                if name in visible:
                    continue
                if name in df.global_args.values:
                    hint = f"; it is an ARG of the global scope: declare `ARG {name}` in this stage to use it"
                elif (close := _suggestion(name, declared)) is not None:
                    hint = f"; did you mean {close}?"
                elif scratch and name not in everywhere:
                    hint = ""
                elif scratch:
                    hint = "; it is declared elsewhere in the Dockerfile, not in this stage"
                else:
                    continue  # may come from the base image's environment
                yield span, {"name": name, "keyword": ins.keyword, "hint": hint}


# -- secrets -------------------------------------------------------------------------------------

# Words that make a name look like it holds a secret, matched as whole `_`-separated words (as
# BuildKit does), and fragments matched anywhere in the name (as hadolint does, for PGPASSWORD).
SECRET_WORDS = frozenset(
    ("apikey", "auth", "credential", "credentials", "key", "password", "passwd", "pword", "secret", "token")
)
SECRET_FRAGMENTS = ("password", "passwd", "secret", "token", "api_key", "apikey", "private_key", "client_key")
# Words that say the value is not the secret itself: a public key, a key's fingerprint, the path
# of a file holding the secret, a version.
NOT_SECRET_WORDS = frozenset(
    (
        "public",
        "pub",
        "file",
        "files",
        "path",
        "dir",
        "version",
        "gpg",
        "pgp",
        "keyring",
        "keyserver",
        "fingerprint",
    )
)
# Values that are credentials whatever the name: each pattern is specific enough to be one.
SECRET_VALUES = (
    ("an AWS access key id", re.compile(r"\b(?:AKIA|ASIA|ABIA|ACCA)[A-Z0-9]{16}\b")),
    ("a GitHub token", re.compile(r"\b(?:gh[pousr]_[A-Za-z0-9]{36,}|github_pat_[A-Za-z0-9_]{40,})\b")),
    ("a GitLab token", re.compile(r"\bglpat-[A-Za-z0-9_-]{20,}")),
    ("a Slack token", re.compile(r"\bxox[abposr]-[A-Za-z0-9-]{10,}")),
    ("a Stripe secret key", re.compile(r"\b[sr]k_live_[A-Za-z0-9]{20,}")),
    ("a Google API key", re.compile(r"\bAIza[0-9A-Za-z_-]{35}\b")),
    ("an npm token", re.compile(r"\bnpm_[A-Za-z0-9]{36}\b")),
    ("a private key", re.compile(r"-----BEGIN (?:[A-Z]+ )*PRIVATE KEY-----")),
    ("a JSON Web Token", re.compile(r"\beyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}")),
    ("a URL with a password", re.compile(r"[a-z][a-z0-9+.-]*://[^/\s:@$]+:[^/\s@$]+@[^\s]")),
)


def secret_name(name: str) -> bool:
    """Whether a variable name suggests that its value is a secret."""
    words = {w for w in name.lower().split("_") if w}
    if words & NOT_SECRET_WORDS:
        return False
    low = name.lower()
    return bool(words & SECRET_WORDS) or any(f in low for f in SECRET_FRAGMENTS)


def secret_value(value: str) -> str | None:
    """What kind of credential a value looks like, if it looks like one."""
    for what, pattern in SECRET_VALUES:
        if pattern.search(value):
            return what
    return None


def secret_in_arg_env(ins: Instruction, ctx: Context) -> Iterator[Hit]:
    """ARG or ENV whose name suggests a secret, or whose value is a credential: both end up in
    the image (ENV in its config, ARG in the history of every RUN that sees it)."""
    pairs = _split_assignments(ins.args, ins.keyword)
    words = _raw_words_with_spans(ins, ctx)
    legacy = ins.keyword == "ENV" and len(pairs) == 1 and words and "=" not in words[0][0]
    for i, (name, value) in enumerate(pairs):
        span = words[0][1] if legacy else (words[i][1] if i < len(words) else ins.args_span)
        if legacy and len(words) > 1:
            span = Span(span.line, span.column, words[-1][1].end_line, words[-1][1].end_column)
        kind = secret_value(value) if value else None
        if kind is not None:
            yield span, {"keyword": ins.keyword, "name": name, "why": f"its value looks like {kind}"}
        elif secret_name(name):
            yield span, {"keyword": ins.keyword, "name": name, "why": "its name suggests a secret"}


# -- platforms -----------------------------------------------------------------------------------

TARGETPLATFORM_ONLY = re.compile(r"^\$(?:TARGETPLATFORM|\{TARGETPLATFORM\})$")
BUILDPLATFORM_ONLY = re.compile(r"^\$(?:BUILDPLATFORM|\{BUILDPLATFORM\})$")


def redundant_target_platform(stage: Stage, ctx: Context) -> Iterator[Hit]:
    flag = stage.from_instruction.flag("platform")
    if flag is not None and flag.value and TARGETPLATFORM_ONLY.match(flag.value.strip()):
        yield flag.span, {"platform": flag.value}


def final_stage_build_platform(df: Dockerfile, ctx: Context) -> Iterator[Hit]:
    """The image that ships starts from a base pulled for the build platform
    (`FROM --platform=$BUILDPLATFORM image` in the final stage or a stage it builds on): in a
    multi-platform build, every platform's image then holds the build machine's binaries.
    `scratch` holds none, so a scratch stage filled with cross-compiled files is fine."""
    if not df.stages:
        return
    for stage in _chain(df, df.stages[-1]):
        if stage.base_stage is not None:
            continue
        flag = stage.from_instruction.flag("platform")
        if flag is None or not flag.value or not BUILDPLATFORM_ONLY.match(flag.value.strip()):
            return
        if stage.image is None:  # scratch, or a base that is unknown until build time
            return
        yield flag.span, {"image": stage.image_text or stage.image_word}


def empty_continuation(df: Dockerfile, ctx: Context) -> Iterator[Hit]:
    """An empty line inside a line continuation (BuildKit's NoEmptyContinuation), once per
    instruction, as BuildKit reports it; the finding is on the line that continues onto it."""
    lines = ctx.source.lines
    esc = df.escape
    for ins in df.instructions:
        first, last = ins.span.line, ins.span.end_line
        # A continuation at the end of the file runs into the empty lines after it.
        if last < len(lines) and lines[last - 1].rstrip(" \t").endswith(esc) and not lines[last].strip():
            last += 1
        for n in range(first + 1, last + 1):
            if n <= len(lines) and not lines[n - 1].strip():
                above = n - 1
                while above > first and not lines[above - 1].strip():
                    above -= 1
                text = lines[above - 1].rstrip()
                yield Span(above, len(text), above, len(text) + 1), {}
                break


# -- the build context ---------------------------------------------------------------------------

REMOTE_SOURCE = re.compile(r"^(?:https?://|git@|git://|ssh://)", re.I)


def _dockerignore(dockerfile: str) -> tuple[str, list[str]] | None:
    """(file name, patterns) of the ignore file BuildKit reads for this Dockerfile when the build
    context is the Dockerfile's folder: `<Dockerfile name>.dockerignore` first, then
    `.dockerignore`. None when there is neither."""
    folder = os.path.dirname(os.path.abspath(dockerfile))
    for name in (os.path.basename(dockerfile) + ".dockerignore", ".dockerignore"):
        path = os.path.join(folder, name)
        try:
            with open(path, encoding="utf-8", errors="replace") as f:
                text = f.read(1 << 20)
        except OSError:
            continue
        return name, _ignore_patterns(text)
    return None


def _ignore_patterns(text: str) -> list[str]:
    """A .dockerignore's patterns as BuildKit's ignorefile.ReadAll reads them: comments and blank
    lines dropped, each pattern trimmed and cleaned, a leading `/` removed."""
    out = []
    for line in text.splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        neg = line.startswith("!")
        body = line[1:].strip() if neg else line
        body = os.path.normpath(body).replace("\\", "/").lstrip("/") if body else body
        if body:
            out.append(("!" if neg else "") + body)
    return out


def _pattern_regex(pattern: str) -> re.Pattern[str]:
    """A .dockerignore pattern (Go's filepath.Match syntax, plus `**` for any number of folders)
    as a regular expression over slash-separated paths."""
    out = ["^"]
    i, n = 0, len(pattern)
    while i < n:
        c = pattern[i]
        if c == "*":
            if pattern.startswith("**", i):
                i += 2
                if pattern.startswith("/", i):
                    i += 1
                    out.append("(?:.*/)?")
                else:
                    out.append(".*")
                continue
            out.append("[^/]*")
        elif c == "?":
            out.append("[^/]")
        elif c == "[":
            close = pattern.find("]", i + 1)
            if close < 0:
                out.append(re.escape(c))
            else:
                body = pattern[i + 1 : close]
                if body.startswith("^"):
                    body = "!" + body[1:]
                out.append(
                    "[" + ("^" + body[1:] if body.startswith("!") else body).replace("\\", "\\\\") + "]"
                )
                i = close
        elif c == "\\" and i + 1 < n:
            i += 1
            out.append(re.escape(pattern[i]))
        else:
            out.append(re.escape(c))
        i += 1
    out.append("$")
    try:
        return re.compile("".join(out))
    except re.error:
        return re.compile(re.escape(pattern) + "$")


def ignored_by(patterns: list[str], path: str) -> str | None:
    """The pattern that excludes `path` or one of its parent folders, if one does."""
    parts = path.split("/")
    prefixes = ["/".join(parts[: i + 1]) for i in range(len(parts))]
    for pattern in patterns:
        rx = _pattern_regex(pattern)
        if any(rx.match(p) for p in prefixes):
            return pattern
    return None


def copy_ignored_file(ins: Instruction, ctx: Context) -> Iterator[Hit]:
    """COPY or ADD from the build context of a path the .dockerignore excludes: the build fails
    with "not found", or silently copies less. As in BuildKit, nothing is checked when the ignore
    file has exclusions (`!pattern`), which are too hard to judge statically."""
    if ins.flag("from") is not None or ins.stage is None:
        return
    configured = ctx.params.get("ignore-patterns")
    if configured is not None:
        name, patterns = "the ignore patterns", _ignore_patterns("\n".join(configured))  # type: ignore[arg-type]
    else:
        path = ctx.source.path
        if not path or path == "-" or not os.path.isfile(path):
            return
        found = _dockerignore(path)
        if found is None:
            return
        name, patterns = found
    if not patterns or any(p.startswith("!") for p in patterns):
        return
    args = _copy_args(ins, ctx)
    heredoc_markers = {h.span.astuple() for h in ins.heredocs}
    for word, span in args[:-1]:
        if span.astuple() in heredoc_markers or word.startswith("<<"):
            continue
        value = _resolve(word, ctx.document, ins.stage, ins)  # type: ignore[arg-type]
        if value is None or REMOTE_SOURCE.match(value):
            continue
        src = os.path.normpath(value).replace("\\", "/").lstrip("/")
        if not src or src == ".":
            continue
        pattern = ignored_by(patterns, src)
        if pattern is not None:
            yield span, {"keyword": ins.keyword, "source": word, "pattern": pattern, "file": name}


# -- the final image -----------------------------------------------------------------------------

WINDOWS_IMAGE = re.compile(r"windows|nanoserver|servercore", re.I)


def _windows(df: Dockerfile, stage: Stage) -> bool:
    return bool(WINDOWS_IMAGE.search(_root(df, stage).image_text or ""))


def user_not_numeric(df: Dockerfile, ctx: Context) -> Iterator[Hit]:
    """The final image runs as a user given by name (`USER app`), not by number: Kubernetes'
    `runAsNonRoot` cannot verify a name and refuses to start the container. Names from a
    variable, `root` (DF011's business) and Windows images (which have no numeric ids) are left
    alone."""
    if not df.stages:
        return
    final = df.stages[-1]
    if _windows(df, final):
        return
    for stage in _chain(df, final):
        users = [i for i in stage.instructions if i.keyword == "USER"]
        if not users:
            continue
        last = users[-1]
        words = _shell_words(last.args, split=False, esc=df.escape)
        value = words[0].strip() if words else ""
        user = value.partition(":")[0]
        if user and "$" not in user and not user.isdigit() and user != "root":
            yield last.args_span, {"user": user}
        return


def copy_whole_filesystem(ins: Instruction, ctx: Context) -> Iterator[Hit]:
    """`COPY --from=<image or stage> / /`: the source's whole filesystem lands on this one,
    replacing /etc/passwd, libraries and whatever else both have. A source stage that starts from
    scratch holds only what was put there, so it is fine."""
    flag = ins.flag("from")
    if flag is None or not flag.value or ins.stage is None:
        return
    args = _copy_args(ins, ctx)
    if len(args) != 2 or args[0][0].rstrip("/.") != "" or args[1][0].rstrip("/.") != "":
        return
    if not args[0][0].startswith("/") or not args[1][0].startswith("/"):
        return
    df: Dockerfile = ctx.document  # type: ignore[assignment]
    value = flag.value
    index = int(value) if value.isdigit() else _stage_names(df).get(value.lower())
    if index is not None and index < len(df.stages) and _from_scratch(df, df.stages[index]):
        return
    yield ins.span if ins.span.line == ins.span.end_line else ins.keyword_span, {"source": value}


# -- registries ----------------------------------------------------------------------------------

DOCKER_HUB = ("docker.io", "index.docker.io", "registry-1.docker.io", "hub.docker.com")


def _trusted(registry: str, trusted: list[str]) -> bool:
    names = DOCKER_HUB if registry in DOCKER_HUB else (registry,)
    return any(fnmatchcase(name.lower(), t.lower()) for name in names for t in trusted)


def _mount_from(flag_value: str) -> str | None:
    for part in flag_value.split(","):
        key, eq, value = part.partition("=")
        if eq and key.strip() == "from":
            return value.strip()
    return None


def untrusted_registry(df: Dockerfile, ctx: Context) -> Iterator[Hit]:
    """Images pulled from a registry that is not among `trusted-registries`: FROM, COPY --from and
    RUN --mount=from= naming an image rather than a stage. Inactive until registries are
    configured. Patterns may use `*` (`*.corp.example`); `docker.io` covers Docker Hub."""
    from linter.ir.images import NOT_LOWERCASE, ImageRef

    trusted: list[str] = list(ctx.params.get("trusted-registries") or [])  # type: ignore[call-overload]
    if not trusted:
        return
    names = _stage_names(df)
    shown = ", ".join(trusted)

    def judge(text: str, span: Span) -> Iterator[Hit]:
        if "$" in text or text.isdigit() or text.lower() in names or text.lower() in ("scratch", "context"):
            return
        ref = ImageRef.parse(text)
        if ref.problem not in (None, NOT_LOWERCASE):
            return
        registry = (ref.registry or "docker.io").lower()
        if not _trusted(registry, trusted):
            yield span, {"image": text, "registry": registry, "trusted": shown}

    for stage in df.stages:
        if stage.base_stage is None and stage.image is not None and stage.image_span is not None:
            yield from judge(stage.image_text or stage.image.raw, stage.image_span)
    for ins in df.instructions:
        for i in (ins, ins.inner) if ins.inner is not None else (ins,):
            if i.keyword in ("COPY", "ADD"):
                flag = i.flag("from")
                if flag is not None and flag.value:
                    yield from judge(flag.value, flag.span)
            elif i.keyword == "RUN":
                for flag in i.flags:
                    if flag.name == "mount" and flag.value and (src := _mount_from(flag.value)):
                        yield from judge(src, flag.span)


# -- ADD from the network ------------------------------------------------------------------------

GIT_SOURCE = re.compile(
    r"^(?:git@|git://|ssh://)|\.git(?:[#?].*)?$|^https?://[^/]*github\.com/[^/]+/[^/#?]+(?:[#?].*)?$", re.I
)
COMMIT = re.compile(r"^[0-9a-f]{40}(?:[0-9a-f]{24})?$")


def add_unverified(ins: Instruction, ctx: Context) -> Iterator[Hit]:
    """ADD of a URL without `--checksum`, or of a git repository at a branch or tag rather than a
    commit: whatever the server returns on the day of the build goes into the image."""
    if ins.flag("checksum") is not None or ins.heredocs:
        return
    args = _copy_args(ins, ctx)
    for word, span in args[:-1]:
        value = _resolve(word, ctx.document, ins.stage, ins)  # type: ignore[arg-type]
        if value is None:
            continue
        git = bool(GIT_SOURCE.search(value) and REMOTE_SOURCE.match(value)) or value.lower().startswith(
            "github.com/"
        )
        if git:
            ref = ""
            if "#" in value:
                ref = value.split("#", 1)[1].split(":", 1)[0]
            elif "ref=" in value:
                ref = value.split("ref=", 1)[1].split("&", 1)[0]
            if not COMMIT.match(ref.lower()):
                yield (
                    span,
                    {"source": word, "why": "fetches a git branch or tag, which can move; pin a commit"},
                )
        elif value.lower().startswith(("http://", "https://")):
            yield span, {"source": word, "why": "downloads without --checksum, so any content is accepted"}


# -- stages --------------------------------------------------------------------------------------


def _stage_deps(df: Dockerfile, stage: Stage) -> set[int]:
    """The stages `stage` needs: its base, and the stages its COPY --from and RUN --mount from=
    name (ONBUILD triggers included, which run in the stages built on it)."""
    deps: set[int] = set()
    names = _stage_names(df)
    if stage.base_stage is not None:
        deps.add(stage.base_stage)
    elif stage.image_text is None and stage.image_word and "$" in stage.image_word:
        # `FROM build-${FLAVOR}`: the base is one of the stages the pattern can name.
        parts = re.split(r"\$\{[^}]*\}|\$[A-Za-z_][A-Za-z0-9_]*", stage.image_word.lower())
        pattern = re.compile(".*".join(re.escape(p) for p in parts) + "$")
        deps.update(i for name, i in names.items() if pattern.match(name))
    refs: list[str] = []
    for ins in stage.instructions:
        for i in (ins, ins.inner) if ins.inner is not None else (ins,):
            flag = i.flag("from")
            if flag is not None and flag.value:
                refs.append(flag.value)
            for f in i.flags:
                if f.name == "mount" and f.value and (src := _mount_from(f.value)):
                    refs.append(src)
    for ref in refs:
        index = int(ref) if ref.isdigit() else names.get(ref.lower())
        if index is not None and index < len(df.stages):
            deps.add(index)
    return deps


def unused_stage(df: Dockerfile, ctx: Context) -> Iterator[Hit]:
    """A stage the final stage does not need, directly or through other stages: a default build
    skips it. It may be a target of its own (`--target`), hence only information."""
    if len(df.stages) < 2:
        return
    reachable: set[int] = set()
    todo = [len(df.stages) - 1]
    while todo:
        i = todo.pop()
        if i in reachable:
            continue
        reachable.add(i)
        todo.extend(_stage_deps(df, df.stages[i]))
    for stage in df.stages[:-1]:
        if stage.index not in reachable:
            name = stage.alias or str(stage.index)
            span = stage.alias_span or stage.image_span or stage.from_instruction.keyword_span
            yield span, {"name": name}


# -- comments ------------------------------------------------------------------------------------

INLINE_PRAGMA = re.compile(r"#\s*(?:hadolint|shiplint)\s+ignore\s*=")


def inline_ignore_pragma(df: Dockerfile, ctx: Context) -> Iterator[Hit]:
    """Inline suppressions (`# hadolint ignore=`, `# shiplint ignore=`), for teams that keep every
    exception in the config file."""
    for line, text in df.comments:
        m = INLINE_PRAGMA.search(text)
        if m:
            yield Span(line, m.start() + 1, line, len(text.rstrip()) + 1), {}


def definition_description(df: Dockerfile, ctx: Context) -> Iterator[Hit]:
    """A comment block right above a named FROM or an ARG is that definition's description (what
    `docker buildx build --call=outline` shows) only when it starts with the name; BuildKit's
    experimental InvalidDefinitionDescription."""
    for ins in df.instructions:
        if not ins.comments:
            continue
        if ins.keyword == "FROM":
            stage = next((s for s in df.stages if s.from_instruction is ins), None)
            names = [stage.alias] if stage is not None and stage.alias else []
        elif ins.keyword == "ARG":
            names = [n for n, _ in _split_assignments(ins.args)]
        else:
            continue
        if len(names) != 1:
            continue
        line, text = ins.comments[0]
        words = text.lstrip().lstrip("#").split()
        if words and words[0] != names[0]:
            yield Span(line, 1, line, len(text.rstrip()) + 1), {"name": names[0], "keyword": ins.keyword}


# -- labels (hadolint's label-schema) ----------------------------------------------------------------

LABEL_TYPES = ("text", "url", "rfc3339", "spdx", "hash", "semver", "email")


def _labels(ins: Instruction, ctx: Context) -> list[tuple[str, str | None, Span]]:
    pairs = _split_assignments(ins.args, "LABEL")
    words = _raw_words_with_spans(ins, ctx)
    if len(pairs) == 1 and words and "=" not in words[0][0]:
        return [(pairs[0][0], pairs[0][1], words[0][1])]
    return [(k, v, words[i][1] if i < len(words) else ins.args_span) for i, (k, v) in enumerate(pairs)]


def _schema(ctx: Context) -> dict[str, str]:
    raw = ctx.params.get("label-schema") or {}
    return {str(k): str(v) for k, v in raw.items()}  # type: ignore[attr-defined]


def label_missing(df: Dockerfile, ctx: Context) -> Iterator[Hit]:
    """A label of the schema that the final image does not set (labels of the stages it builds on
    count)."""
    schema = _schema(ctx)
    if not schema or not df.stages:
        return
    final = df.stages[-1]
    have: set[str] = set()
    for stage in _chain(df, final):
        for ins in stage.instructions:
            if ins.keyword == "LABEL":
                have.update(k for k, _, _ in _labels(ins, ctx))
    for key in schema:
        if key not in have:
            yield final.from_instruction.keyword_span, {"label": key}


def label_not_in_schema(ins: Instruction, ctx: Context) -> Iterator[Hit]:
    schema = _schema(ctx)
    if not schema:
        return
    for key, _, span in _labels(ins, ctx):
        if key not in schema and "$" not in key:
            yield span, {"label": key}


def label_empty(ins: Instruction, ctx: Context) -> Iterator[Hit]:
    schema = _schema(ctx)
    for key, value, span in _labels(ins, ctx):
        if key in schema and not (value or "").strip():
            yield span, {"label": key}


def _valid_url(v: str) -> bool:
    from urllib.parse import urlsplit

    try:
        parts = urlsplit(v)
    except ValueError:
        return False
    return bool(parts.scheme and parts.netloc) and not any(c.isspace() for c in v)


def _valid_rfc3339(v: str) -> bool:
    from datetime import datetime

    m = re.fullmatch(r"(\d{4}-\d{2}-\d{2})[Tt ](\d{2}:\d{2}:\d{2})(\.\d+)?([Zz]|[+-]\d{2}:\d{2})", v)
    if m is None:
        return False
    try:
        datetime.strptime(f"{m.group(1)} {m.group(2)}", "%Y-%m-%d %H:%M:%S")
    except ValueError:
        return False
    return True


SPDX_ID = r"(?:LicenseRef-[A-Za-z0-9.-]+|[A-Za-z0-9][A-Za-z0-9.-]*\+?)"


def _valid_spdx(v: str) -> bool:
    """An SPDX license expression by its grammar (ids joined by AND, OR, WITH, in parentheses).
    The license list itself is not bundled, so any well-formed id passes."""
    tokens = re.findall(r"\(|\)|[^\s()]+", v)
    depth, expect_id = 0, True
    for t in tokens:
        if expect_id:
            if t == "(":
                depth += 1
                continue
            if t in ("AND", "OR", "WITH", ")") or not re.fullmatch(SPDX_ID, t):
                return False
            expect_id = False
        elif t == ")":
            depth -= 1
            if depth < 0:
                return False
        elif t in ("AND", "OR", "WITH"):
            expect_id = True
        else:
            return False
    return bool(tokens) and depth == 0 and not expect_id


SEMVER = re.compile(
    r"(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)"
    r"(?:-((?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*)(?:\.(?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*))*))?"
    r"(?:\+([0-9a-zA-Z-]+(?:\.[0-9a-zA-Z-]+)*))?"
)
GIT_HASH = re.compile(r"[0-9a-f]{40}|[0-9a-f]{64}")
EMAIL = re.compile(r"[^@\s<>]+@[^@\s<>.]+(?:\.[^@\s<>.]+)+")


def _valid_hash(v: str) -> bool:
    return bool(GIT_HASH.fullmatch(v))


def _valid_semver(v: str) -> bool:
    return bool(SEMVER.fullmatch(v))


def _valid_email(v: str) -> bool:
    return bool(EMAIL.fullmatch(v))


VALIDATORS: dict[str, Callable[[str], bool]] = {
    "url": _valid_url,
    "rfc3339": _valid_rfc3339,
    "spdx": _valid_spdx,
    "hash": _valid_hash,
    "semver": _valid_semver,
    "email": _valid_email,
}


def _label_format(kind: str) -> Check:
    def check(ins: Instruction, ctx: Context) -> Iterator[Hit]:
        schema = _schema(ctx)
        valid = VALIDATORS[kind]
        for key, value, span in _labels(ins, ctx):
            if schema.get(key) != kind or not value or "$" in value:
                continue
            if not valid(value.strip()):
                yield span, {"label": key, "value": value}

    return Check(check, ("instruction",), LABEL_SCHEMA_PARAMS)


LABEL_SCHEMA_PARAMS: dict[str, object] = {
    "type": "object",
    "additionalProperties": False,
    "properties": {
        "label-schema": {
            "type": "object",
            "description": "Label name -> the type of its value, as hadolint's label-schema.",
            "additionalProperties": {"enum": list(LABEL_TYPES)},
        }
    },
}

CHECKS = {
    "healthcheck-missing": Check(healthcheck_missing, ("dockerfile",)),
    "undefined-arg-in-from": Check(undefined_arg_in_from, ("stage",)),
    "invalid-default-arg-in-from": Check(invalid_default_arg_in_from, ("stage",)),
    "undefined-variable": Check(undefined_variable, ("dockerfile",)),
    "secret-in-arg-env": Check(secret_in_arg_env, ("instruction",)),
    "redundant-target-platform": Check(redundant_target_platform, ("stage",)),
    "final-stage-build-platform": Check(final_stage_build_platform, ("dockerfile",)),
    "empty-continuation": Check(empty_continuation, ("dockerfile",)),
    "copy-ignored-file": Check(
        copy_ignored_file,
        ("instruction",),
        {
            "type": "object",
            "additionalProperties": False,
            "properties": {
                "ignore-patterns": {
                    "anyOf": [{"type": "null"}, {"type": "array", "items": {"type": "string"}}],
                    "description": "Patterns to use instead of reading the .dockerignore (null: read it).",
                }
            },
        },
    ),
    "user-not-numeric": Check(user_not_numeric, ("dockerfile",)),
    "copy-whole-filesystem": Check(copy_whole_filesystem, ("instruction",)),
    "untrusted-registry": Check(
        untrusted_registry,
        ("dockerfile",),
        {
            "type": "object",
            "additionalProperties": False,
            "properties": {
                "trusted-registries": {"type": "array", "items": {"type": "string", "minLength": 1}}
            },
        },
    ),
    "add-unverified": Check(add_unverified, ("instruction",)),
    "unused-stage": Check(unused_stage, ("dockerfile",)),
    "inline-ignore-pragma": Check(inline_ignore_pragma, ("dockerfile",)),
    "definition-description": Check(definition_description, ("dockerfile",)),
    "label-missing": Check(label_missing, ("dockerfile",), LABEL_SCHEMA_PARAMS),
    "label-not-in-schema": Check(label_not_in_schema, ("instruction",), LABEL_SCHEMA_PARAMS),
    "label-empty": Check(label_empty, ("instruction",), LABEL_SCHEMA_PARAMS),
    **{f"label-{kind}": _label_format(kind) for kind in VALIDATORS},
}
