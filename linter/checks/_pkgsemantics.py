"""What package managers make of their command lines: which options take a value (so that the
operands can be told apart from option values), which word is the subcommand, and when a package
operand is pinned to a version. The package rules in `linter.checks.packages` read commands
through this module only.

A word whose value holds an expansion is resolved with the ARG and ENV values visible at its RUN
when they are known (an unquoted one is then split at blanks, as the shell would); when they are
not, the word is *opaque*: it may hide an option or a whole list of packages, so the rules neither
flag it nor count it as the option they look for.
"""

from __future__ import annotations

import re

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Iterable, Sequence

    from linter.ir.dockerfile import Instruction, Stage
    from linter.ir.source import Span
    from linter.shell.ast import Command, Word


class Arg:
    """One argument as the program sees it: a shell word, or one field of an unquoted word whose
    ARG/ENV expansion was split. `opaque` when its value is unknown before the build."""

    __slots__ = ("opaque", "value", "word")

    def __init__(self, value: str, word: Word, opaque: bool = False) -> None:
        self.value = value
        self.word = word
        self.opaque = opaque

    @property
    def span(self) -> Span:
        return self.word.span

    def __repr__(self) -> str:
        return f"Arg({self.value!r}{', opaque' if self.opaque else ''})"


class Spec:
    """A program's option grammar: the short letters and long names that take a value."""

    __slots__ = ("long_values", "short_values")

    def __init__(self, short_values: str = "", long_values: Iterable[str] = ()) -> None:
        self.short_values = frozenset(short_values)
        self.long_values = frozenset(long_values)


class Option:
    """An option as given: its name (`-y`, `--yes`) and its value, if it takes or has one."""

    __slots__ = ("arg", "name", "value")

    def __init__(self, name: str, value: str | None, arg: Arg) -> None:
        self.name = name
        self.value = value
        self.arg = arg

    def __repr__(self) -> str:
        return f"Option({self.name!r}, {self.value!r})"


class Invocation:
    """A package manager's command line, read: options (anywhere, grouped short flags split),
    the subcommand words, and the operands after them."""

    __slots__ = ("command", "opaque", "operands", "options", "sub", "tool")

    def __init__(self, tool: str, command: Command) -> None:
        self.tool = tool
        self.command = command
        self.options: list[Option] = []
        self.sub: list[Arg] = []  # the subcommand words (`install`; `module install`)
        self.operands: list[Arg] = []
        self.opaque = False  # some argument could not be read (an unknown expansion)

    @property
    def subcommand(self) -> str:
        return " ".join(a.value for a in self.sub)

    def has(self, *names: str) -> bool:
        return any(o.name in names for o in self.options)

    def value(self, *names: str) -> str | None:
        for o in self.options:
            if o.name in names:
                return o.value
        return None

    def values(self, *names: str) -> list[str]:
        return [o.value for o in self.options if o.name in names and o.value is not None]

    def __repr__(self) -> str:
        return f"Invocation({self.tool} {self.subcommand!r} {self.options} {self.operands})"


# -- option grammars ---------------------------------------------------------------------------

APT = Spec(
    "ocatP",
    (
        "option",
        "config-file",
        "target-release",
        "default-release",
        "host-architecture",
        "build-profiles",
        "solver",
        "planner",
    ),
)
APK = Spec(
    "tXp",  # -t/--virtual, -X/--repository, -p/--root
    (
        "virtual",
        "repository",
        "root",
        "arch",
        "keys-dir",
        "repositories-file",
        "cache-dir",
        "cache-max-age",
        "timeout",
        "wait",
        "progress-fd",
    ),
)
PIP = Spec(
    "rcebfitC",  # -r -c -e -b -f -i -t -C
    (
        "requirement",
        "constraint",
        "editable",
        "build",
        "find-links",
        "index-url",
        "extra-index-url",
        "target",
        "prefix",
        "root",
        "src",
        "platform",
        "python-version",
        "implementation",
        "abi",
        "no-binary",
        "only-binary",
        "progress-bar",
        "proxy",
        "upgrade-strategy",
        "cache-dir",
        "log",
        "log-file",
        "timeout",
        "retries",
        "exists-action",
        "trusted-host",
        "cert",
        "client-cert",
        "global-option",
        "install-option",
        "config-settings",
        "report",
        "python",
        "root-user-action",
        "use-feature",
        "use-deprecated",
        "keyring-provider",
        "resume-retries",
        "group",
    ),
)
NPM = Spec(
    "wC",
    (
        "prefix",
        "registry",
        "cache",
        "tag",
        "save-prefix",
        "loglevel",
        "omit",
        "include",
        "install-strategy",
        "workspace",
        "userconfig",
        "globalconfig",
        "location",
        "only",
        "before",
        "cafile",
        "ca",
        "proxy",
        "https-proxy",
        "script-shell",
        "fetch-retries",
        "fetch-timeout",
        "node-options",
    ),
)
YARN = Spec(
    "", ("cache-folder", "modules-folder", "network-timeout", "mutex", "registry", "cwd", "global-folder")
)
GEM = Spec(
    "vinsgpP",
    (
        "version",
        "install-dir",
        "bindir",
        "source",
        "file",
        "http-proxy",
        "platform",
        "trust-policy",
        "build-root",
        "document",
        "target-rbconfig",
        "config-file",
    ),
)
RPM = Spec(
    "cdeRx",
    (
        "config",
        "debuglevel",
        "errorlevel",
        "rpmverbosity",
        "randomwait",
        "installroot",
        "enablerepo",
        "disablerepo",
        "repo",
        "repoid",
        "repofrompath",
        "exclude",
        "excludepkgs",
        "color",
        "releasever",
        "setopt",
        "downloaddir",
        "destdir",
        "disableplugin",
        "enableplugin",
        "forcearch",
        "comment",
        "advisory",
        "advisories",
        "bz",
        "cve",
        "sec-severity",
        "secseverity",
        "platform-id",
        "use-host-config",
    ),
)
ZYPPER = Spec(
    "cRDCprt",
    (
        "config",
        "root",
        "reposd-dir",
        "cache-dir",
        "raw-cache-dir",
        "solv-cache-dir",
        "pkg-cache-dir",
        "plus-repo",
        "installroot",
        "repo",
        "from",
        "type",
        "download",
    ),
)
GO = Spec(
    "",
    (
        "C",
        "p",
        "o",
        "tags",
        "ldflags",
        "gcflags",
        "asmflags",
        "buildmode",
        "mod",
        "modfile",
        "overlay",
        "pgo",
        "exec",
        "toolexec",
        "compiler",
        "gccgoflags",
        "installsuffix",
        "pkgdir",
        "buildvcs",
        "covermode",
        "coverpkg",
    ),
)
CARGO = Spec(
    "jFZ",
    (
        "version",
        "vers",
        "git",
        "branch",
        "tag",
        "rev",
        "path",
        "root",
        "registry",
        "index",
        "target",
        "target-dir",
        "features",
        "profile",
        "jobs",
        "bin",
        "example",
        "config",
        "color",
    ),
)

SPECS: dict[str, Spec] = {
    "apt-get": APT,
    "apt": APT,
    "apk": APK,
    "pip": PIP,
    "npm": NPM,
    "yarn": YARN,
    "gem": GEM,
    "yum": RPM,
    "dnf": RPM,
    "microdnf": RPM,
    "zypper": ZYPPER,
    "go": GO,
    "cargo": CARGO,
}

# Go's flags are written with one dash (`-ldflags x`): read them as long options.
SINGLE_DASH_LONG = frozenset(("go",))


# -- reading a command line ---------------------------------------------------------------------


def expand_args(words: Sequence[Word], values: dict[str, str | None] | None) -> list[Arg]:
    """The words as arguments: literal words as they are; a word with an expansion resolved from
    the ARG/ENV `values` when they are known (split at blanks when unquoted), else opaque."""
    from linter.ir.dockerfile import Scope
    from linter.parsers.dockerfile import expand

    out: list[Arg] = []
    for w in words:
        if not w.has_expansion:
            out.append(Arg(w.value, w))
            continue
        text = w.value
        resolved = None
        if values is not None and "`" not in text and "$(" not in text:
            resolved = expand(text, Scope(values))
            if resolved is not None and "$" in resolved:
                resolved = None
        if resolved is None:
            out.append(Arg(text, w, opaque=True))
        elif w.quoted:
            out.append(Arg(resolved, w))
        else:
            out.extend(Arg(field, w) for field in resolved.split())
    return out


def read(
    command: Command,
    tool: str,
    args: Sequence[Arg],
    sub_words: int = 1,
    spec: Spec | None = None,
) -> Invocation:
    """Read `args` (the command's arguments after the program, or after `-m pip`) with the tool's
    option grammar. The first `sub_words` operands are the subcommand."""
    spec = spec or SPECS.get(tool) or Spec()
    inv = Invocation(tool, command)
    single_dash_long = tool in SINGLE_DASH_LONG
    i, n = 0, len(args)
    ended = False
    while i < n:
        a = args[i]
        v = a.value
        i += 1
        if a.opaque:
            inv.opaque = True
            if not v.startswith("-") and len(inv.sub) >= sub_words:
                inv.operands.append(a)
            continue
        if ended or v == "-" or not v.startswith("-"):
            if len(inv.sub) < sub_words and not ended:
                inv.sub.append(a)
            else:
                inv.operands.append(a)
            continue
        if v == "--":
            ended = True
            continue
        if v.startswith("--") or single_dash_long:
            name, eq, value = v.lstrip("-").partition("=")
            if eq:
                inv.options.append(Option("--" + name, value, a))
            elif name in spec.long_values and i < n:
                inv.options.append(Option("--" + name, args[i].value, a))
                i += 1
            else:
                inv.options.append(Option("--" + name, None, a))
            continue
        # grouped short flags: `-qy`, `-ovalue`, `-o value`
        j = 1
        while j < len(v):
            c = v[j]
            if c in spec.short_values:
                rest = v[j + 1 :]
                if rest.startswith("="):
                    rest = rest[1:]
                if rest:
                    inv.options.append(Option("-" + c, rest, a))
                elif i < n:
                    inv.options.append(Option("-" + c, args[i].value, a))
                    i += 1
                else:
                    inv.options.append(Option("-" + c, None, a))
                break
            if v[j + 1 : j + 2] == "=":  # `-q=2`
                inv.options.append(Option("-" + c, v[j + 2 :], a))
                break
            inv.options.append(Option("-" + c, None, a))
            j += 1
    return inv


PYTHON = re.compile(r"^python(\d+(\.\d+)?)?$")
PIP_NAME = re.compile(r"^pip(\d+(\.\d+)?)?$")


def pip_invocation(command: Command, values: dict[str, str | None] | None) -> Invocation | None:
    """`pip ...`, `pip3.11 ...`, `python3 -m pip ...` and `uv pip ...`, read as pip; None for
    anything else."""
    name = command.name
    args = expand_args(command.argv[1:], values)
    if PIP_NAME.match(name):
        return read(command, "pip", args)
    if name == "uv" and args and args[0].value == "pip":
        return read(command, "pip", args[1:])
    if PYTHON.match(name):
        return _python_module_pip(command, args)
    return None


def _python_module_pip(command: Command, args: list[Arg]) -> Invocation | None:
    """`python3 [options] -m pip ...`: the interpreter's short options come first (grouped, `-X`
    and `-W` with a value); a script, `-c` or another module is not pip."""
    i = 0
    while i < len(args):
        v = args[i].value
        if v.startswith("--") or not v.startswith("-") or v == "-":
            return None
        for j in range(1, len(v)):
            c = v[j]
            if c == "m":
                attached = v[j + 1 :]
                module = attached or (args[i + 1].value if i + 1 < len(args) else "")
                rest = args[i + 1 :] if attached else args[i + 2 :]
                return read(command, "pip", rest) if PIP_NAME.match(module) else None
            if c == "c":
                return None
            if c in "XW":
                if not v[j + 1 :]:
                    i += 1  # the value is the next word
                break
        i += 1
    return None


def invocation(command: Command, values: dict[str, str | None] | None, sub_words: int = 1) -> Invocation:
    """The command read with its own program's option grammar."""
    args = expand_args(command.argv[1:], values)
    tool = command.name
    if tool == "cargo" and args and args[0].value.startswith("+"):
        args = args[1:]  # `cargo +nightly install`: the toolchain
    return read(command, tool, args, sub_words)


# -- versions ------------------------------------------------------------------------------------


def _looks_like_path(v: str) -> bool:
    return v.startswith(("/", "./", "../", "~/")) or v in (".", "..")


def apt_pin(v: str) -> str | None:
    """Why an apt operand needs no pin (None when it is unpinned): `pkg=version` (a `*` glob in
    the version is a partial pin apt accepts), or a local `.deb` file. `pkg/release` only picks a
    release, whose version still moves."""
    if "=" in v:
        return "pinned"
    if v.endswith(".deb") or _looks_like_path(v):
        return "file"
    if v.endswith(("-", "+")) and len(v) > 1 and v[-2] != "+":
        return "not installed"  # `pkg-` removes, in an install
    return None


def apk_pin(v: str) -> str | None:
    """`pkg=1.2-r0`, `pkg~1.2`, `pkg>1.2`, `pkg<2`, or a local `.apk` file."""
    name = v.split("@", 1)[0] if not v.startswith("@") else v
    if any(c in name for c in "=~<>"):
        return "pinned"
    if v.endswith(".apk") or _looks_like_path(v):
        return "file"
    return None


VCS = re.compile(r"^(git|hg|svn|bzr)(\+[a-z-]+)?://|^git\+|^git@", re.I)
PIP_SPECIFIER = re.compile(r"(===|==|~=|!=|<=|>=|<|>)")
PIP_ARCHIVE = (".whl", ".tar.gz", ".tgz", ".tar.bz2", ".tar.xz", ".zip")


def _vcs_has_ref(v: str) -> bool:
    """A VCS URL that names a revision: `git+https://host/repo.git@v1.2` (the `@` after the host,
    not a `user@host`)."""
    rest = v.split("://", 1)[1] if "://" in v else v.split(":", 1)[-1]
    path = rest.split("/", 1)[1] if "/" in rest else ""
    return "@" in path.split("#", 1)[0]


def pip_pin(v: str) -> str | None:
    """A requirement with a version specifier (`==`, `~=`, `>=`, ...), a direct reference
    (`pkg @ url`), a local path or archive, an archive URL, or a VCS URL naming a revision."""
    if VCS.match(v):
        return "pinned" if _vcs_has_ref(v) else None
    if PIP_SPECIFIER.search(v) or "@" in v:
        return "pinned"
    if v.endswith(PIP_ARCHIVE) or _looks_like_path(v) or "/" in v or "://" in v:
        return "file"
    return None


NPM_FLOATING_TAGS = frozenset(("latest", "next", "*", "x", ""))


def npm_pin(v: str) -> str | None:
    """`pkg@1.2.3` (a range or a tag other than `latest` counts, as the author chose it), a git URL
    or GitHub shorthand with a `#ref`, a tarball, or a folder."""
    if v.startswith(("git://", "git+", "github:", "gitlab:", "bitbucket:", "gist:")) or (
        "/" in v and not v.startswith("@") and "://" not in v and not _looks_like_path(v)
    ):
        return "pinned" if "#" in v else None
    if (
        v.endswith((".tgz", ".tar", ".tar.gz"))
        or _looks_like_path(v)
        or v.startswith(("file:", "http://", "https://"))
    ):
        return "file"
    body = v[1:] if v.startswith("@") else v
    if "@" in body:
        tag = body.split("@", 1)[1]
        return None if tag.lower() in NPM_FLOATING_TAGS else "pinned"
    return None


def gem_pin(v: str) -> str | None:
    """`gem:1.2.3`, or a local `.gem` file."""
    if ":" in v:
        return "pinned"
    if v.endswith(".gem") or _looks_like_path(v):
        return "file"
    return None


VERSION_PART = re.compile(r"^[A-Za-z0-9._~^:+*?\[\]]+$")  # globs too: gcc-11.4*


def rpm_pin(v: str) -> str | None:
    """An rpm package with a version (`name-1.2.3`, `name-1.2-3.el9`: some part after the first
    dash is a version, starting with a digit), a comparison (`'name >= 1.2'`), a module stream
    (`@name:stream`, `name:stream`), an `.rpm` file or URL, a path (a file the package provides), or
    a group (`@group`), which has no version."""
    if v.endswith(".rpm") or "://" in v or _looks_like_path(v):
        return "file"
    if any(op in v for op in ("=", "<", ">")):
        return "pinned"
    if v.startswith("@"):
        return "pinned" if ":" in v else "group"
    if ":" in v and "-" not in v:
        return "pinned"  # a module stream
    parts = v.split("-")
    if len(parts) > 1:
        rest = parts[1:]
        if all(VERSION_PART.match(p) for p in rest) and any(p[:1].isdigit() for p in rest):
            return "pinned"
    return None


def zypper_pin(v: str) -> str | None:
    """`name=1.2`, `name>=1.2`, `name<2`, or an `.rpm` file or URL."""
    if any(op in v for op in ("=", "<", ">")):
        return "pinned"
    if v.endswith(".rpm") or "://" in v or _looks_like_path(v):
        return "file"
    return None


FLOATING_GO = frozenset(("latest", "none", "upgrade", "patch", "master", "main", "head", "HEAD"))


def go_remote(v: str) -> bool:
    """A module path on some host (`golang.org/x/tools/cmd/x`): its first element has a dot. Local
    paths, `./...` patterns, `.go` files and standard-library or main-module packages are not."""
    if _looks_like_path(v) or v.endswith(".go") or v.startswith("-"):
        return False
    first = v.split("@", 1)[0].split("/", 1)[0]
    return "." in first


def go_version(v: str) -> str | None:
    """The `@version` of a `go install`/`go get` argument, if any."""
    return v.split("@", 1)[1] if "@" in v else None


# -- Dockerfile context --------------------------------------------------------------------------


def scope_values(ins: Instruction, df: object) -> dict[str, str | None]:
    """The ARG and ENV values visible at `ins` (its stage's, and those of the stages it builds on);
    a value of None is declared but unknown."""
    from linter.ir.dockerfile import Dockerfile

    if not isinstance(df, Dockerfile):
        return {}
    stage = ins.stage
    if stage is None or ins not in stage.instructions:
        return dict(df.global_args.values)
    from linter.checks.instructions import _scope_at

    return _scope_at(df, stage, ins)


def mount_targets(ins: Instruction, kinds: tuple[str, ...] = ("cache", "tmpfs")) -> list[str]:
    """The targets of the RUN's `--mount`s of these types (`type=cache,target=/var/cache/apt`);
    what is written there never reaches the layer."""
    out: list[str] = []
    for f in ins.flags:
        if f.name != "mount" or not f.value:
            continue
        fields: dict[str, str] = {}
        for part in f.value.split(","):
            key, eq, value = part.partition("=")
            fields[key.strip().lower()] = value.strip().strip("\"'") if eq else ""
        if fields.get("type", "bind") not in kinds:
            continue
        target = fields.get("target") or fields.get("dst") or fields.get("destination")
        if target:
            out.append(target)
    return out


def bind_sources(ins: Instruction) -> list[str]:
    """The sources and targets of the RUN's bind mounts."""
    out: list[str] = []
    for f in ins.flags:
        if f.name != "mount" or not f.value:
            continue
        fields = dict(p.partition("=")[::2] for p in f.value.split(","))
        if fields.get("type", "bind") == "bind":
            out.extend(
                v for k, v in fields.items() if k in ("source", "src", "target", "dst", "destination") and v
            )
    return out


def covers(mount: str, path: str) -> bool:
    """Whether a mount at `mount` holds `path` (the mount point itself or something under it)."""
    m = mount.rstrip("/") or "/"
    p = path.rstrip("/") or "/"
    return p == m or p.startswith(m + "/") or m == "/"


def ships(df: object, stage: Stage | None) -> bool:
    """Whether the stage's layers end up in the image the Dockerfile builds by default: the last
    stage and the stages it builds on (`FROM <stage>`). A stage only copied from (`COPY
    --from`) leaves its layers behind. An instruction outside any stage (ONBUILD's inner RUN
    runs in a child image) counts as shipped."""
    from linter.ir.dockerfile import Dockerfile

    if stage is None or not isinstance(df, Dockerfile) or not df.stages:
        return True
    cur: Stage | None = df.stages[-1]
    seen: set[int] = set()
    while cur is not None and cur.index not in seen:
        if cur is stage:
            return True
        seen.add(cur.index)
        cur = df.stages[cur.base_stage] if cur.base_stage is not None else None
    return False


# values_at's results for the commands of the Dockerfile linted last: {id(command): values}. The
# document is kept so that the ids stay valid; a new document starts a new table.
_VALUES: tuple[object, dict[int, dict[str, str | None]]] = (None, {})


def values_at(command: Command, df: object) -> dict[str, str | None]:
    """The variables known where `command` runs: the ARG and ENV values of its RUN, then the
    plain assignments (`debs="a b"`, `export X=1`) of the commands before it in the same RUN, in
    order. An assignment whose value cannot be worked out makes the variable unknown. Worked out
    once per RUN."""
    global _VALUES
    if _VALUES[0] is not df:
        _VALUES = (df, {})
    table = _VALUES[1]
    found = table.get(id(command))
    if found is None:
        _fill_values(command.instruction, df, table)
        found = table.get(id(command))
    return dict(found) if found is not None else scope_values(command.instruction, df)


def _fill_values(ins: Instruction, df: object, table: dict[int, dict[str, str | None]]) -> None:
    from linter.ir.dockerfile import Scope
    from linter.parsers.dockerfile import expand
    from linter.shell import commands_of

    values = scope_values(ins, df)
    for c in commands_of(ins):
        table[id(c)] = dict(values)
        if c.argv and c.name not in ("export", "declare", "local", "readonly", "typeset"):
            continue
        words = c.assignments if not c.argv else [w for w in c.argv[1:] if "=" in w.value]
        for w in words:
            name, _, value = w.value.partition("=")
            if not re.match(r"^[A-Za-z_][A-Za-z0-9_]*$", name):
                continue
            known = value if not w.has_expansion else expand(value, Scope(values))
            if known is not None and ("$" in known or "`" in known):
                known = None
            values[name] = known


def workdir_at(ins: Instruction, df: object) -> str | None:
    """The working directory a RUN starts in, when the Dockerfile says it (the last absolute
    WORKDIR before it, in its stage or the stages it builds on, with relative ones joined)."""
    from linter.ir.dockerfile import Dockerfile

    stage = ins.stage
    if stage is None or not isinstance(df, Dockerfile):
        return None
    chain: list[Stage] = []
    cur: Stage | None = stage
    while cur is not None and cur not in chain:
        chain.append(cur)
        cur = df.stages[cur.base_stage] if cur.base_stage is not None else None
    dirs: list[str] = []
    for s in reversed(chain):
        for i in s.instructions:
            if i is ins:
                break
            if i.keyword == "WORKDIR":
                dirs.append(i.args.strip().strip("\"'"))
    cwd: str | None = None
    for d in dirs:
        if "$" in d:
            cwd = None
        elif d.startswith("/"):
            cwd = d
        elif cwd is not None:
            cwd = cwd.rstrip("/") + "/" + d
    return cwd


def _join(cwd: str | None, path: str) -> str | None:
    if path.startswith("/"):
        return path
    if cwd is None:
        return None
    parts: list[str] = [p for p in cwd.split("/") if p]
    for p in path.split("/"):
        if p in ("", "."):
            continue
        if p == "..":
            if parts:
                parts.pop()
        else:
            parts.append(p)
    return "/" + "/".join(parts)


def removed_after(command: Command, paths: tuple[str, ...], df: object) -> bool:
    """Whether a command after `command` in its RUN deletes one of `paths`: `rm` of the path, of
    its contents (`path/*`) or of a folder holding it, relative paths read against the `cd`s
    before (and the WORKDIR the RUN starts in); or `apt-get dist-clean` for apt's lists."""
    from linter.shell import commands_of

    cwd = workdir_at(command.instruction, df)
    after = False
    for c in commands_of(command.instruction):
        if c is command:
            after = True
            continue
        if c.name == "cd":
            operands = [w for w in c.argv[1:] if not w.value.startswith("-")]
            if not operands or operands[0].has_expansion:
                cwd = None
            else:
                cwd = _join(cwd, operands[0].value)
            continue
        if not after:
            continue
        if (
            c.name in ("apt-get", "apt")
            and any(w.value in ("dist-clean", "distclean") for w in c.argv[1:])
            and any(covers("/var/lib/apt/lists", p) for p in paths)
        ):
            return True
        if c.name != "rm":
            continue
        for w in c.argv[1:]:
            v = w.value
            if v.startswith("-") or w.has_expansion:
                continue
            if v.endswith("*"):
                v = v.rstrip("*")
                if v and not v.endswith("/"):
                    continue  # `lists/partial*` is not the folder
            rel = v.rstrip("/")
            target = _join(cwd, rel) if rel else ("/" if v.startswith("/") else cwd)
            if target is not None and any(covers(target, p) for p in paths):
                return True
    return False
