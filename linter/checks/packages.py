"""Checks of package-manager commands in RUN: versions pinned (apt, apk, pip, npm, gem, yum, dnf,
zypper, go, cargo), non-interactive switches, caches and package lists left in the layer, whole-
system upgrades, and the build context copied before the dependencies are installed.

Command lines are read with each program's own option grammar (`linter.checks._pkgsemantics`), so
that `apt-get -o Dpkg::Options::=--force-confold install curl` has one operand, `curl`. Rules that
want a cleanup "after" an install look at the commands that follow it in the same RUN; a cache
that a `--mount=type=cache` (or tmpfs) holds never reaches the layer, and neither does anything
written in a stage that the built image does not contain.
"""

from __future__ import annotations

import re

from linter.checks import Check
from linter.checks._pkgsemantics import (
    FLOATING_GO,
    Arg,
    Invocation,
    apk_pin,
    apt_pin,
    bind_sources,
    covers,
    gem_pin,
    go_remote,
    go_version,
    invocation,
    mount_targets,
    npm_pin,
    pip_invocation,
    pip_pin,
    removed_after,
    rpm_pin,
    ships,
    values_at,
    zypper_pin,
)
from linter.checks.instructions import _copy_args

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable, Iterator

    from linter.checks import Context, Hit
    from linter.ir.dockerfile import Instruction, Stage
    from linter.ir.source import Span
    from linter.shell.ast import Command


# -- helpers -------------------------------------------------------------------------------------

# COPY sources that mean "the whole build context".
WHOLE_CONTEXT = frozenset((".", "./", "*", "./*", "./."))


def _commands(ins: Instruction) -> list[Command]:
    from linter.shell import commands_of

    return commands_of(ins)


def _after(cmd: Command) -> list[Command]:
    """The commands of the same RUN that come after `cmd` (nested ones included)."""
    cmds = _commands(cmd.instruction)
    for k, c in enumerate(cmds):
        if c is cmd:
            return cmds[k + 1 :]
    return []


def _read(cmd: Command, ctx: Context, sub_words: int = 1) -> Invocation:
    return invocation(cmd, values_at(cmd, ctx.document), sub_words)


def _listing(args: list[Arg], limit: int = 3) -> str:
    names = [a.value for a in args]
    if len(names) <= limit:
        return ", ".join(names)
    return ", ".join(names[:limit]) + f" and {len(names) - limit} more"


def _tool(cmd: Command) -> str:
    """How a message names the program: `python3 -m pip` and `uv pip` as written."""
    name = cmd.name
    args = [w.value for w in cmd.argv[1:3]]
    if name == "uv" and args[:1] == ["pip"]:
        return "uv pip"
    if name.startswith("python") and "-m" in args:
        return f"{name} -m pip"
    return name


def _unpinned(inv: Invocation, pin: Callable[[str], str | None]) -> Iterator[Hit]:
    """One hit per command, at its first unpinned package, naming them all."""
    bad = [a for a in inv.operands if not a.opaque and pin(a.value) is None]
    if bad:
        yield bad[0].span, {"tool": _tool(inv.command), "sub": inv.subcommand, "packages": _listing(bad)}


def _piped_from_yes(cmd: Command) -> bool:
    pipeline = getattr(cmd, "pipeline", None)
    if pipeline is None:
        return False
    before = []
    for c in pipeline.commands:
        if c is cmd or c is cmd.wrapper:
            break
        before.append(c.name)
    return "yes" in before


TRUE = frozenset(("1", "true", "yes", "on", "y", "t"))
FALSE = frozenset(("0", "false", "no", "off", "n", "f"))


def _apt_setting(inv: Invocation, key: str) -> str | None:
    """The value `-o Key=value` gives an apt configuration item (keys are case-insensitive)."""
    for value in inv.values("-o", "--option"):
        k, eq, v = value.partition("=")
        if eq and k.strip().lower() == key.lower():
            return v.strip().strip("\"'").lower()
    return None


def _apt_conf_before(cmd: Command, ctx: Context, key: str, values: frozenset[str]) -> bool:
    """Whether an apt.conf line `Key "value";` is written before `cmd`: earlier in its RUN, or by a
    RUN before it in its stage or the stages it builds on (`echo 'APT::Install-Recommends "0";'
    > /etc/apt/apt.conf.d/...`)."""
    pattern = re.compile(re.escape(key) + r"""\s*['"]?\s*(\w+)""", re.I)

    def sets(text: str) -> bool:
        return any(m.group(1).lower() in values for m in pattern.finditer(text))

    if sets(cmd.script.text[: cmd.start]):
        return True
    ins = cmd.instruction
    stage = ins.stage
    from linter.ir.dockerfile import Dockerfile

    df = ctx.document
    if stage is None or not isinstance(df, Dockerfile):
        return False
    chain: list[Stage] = []
    cur: Stage | None = stage
    while cur is not None and cur not in chain:
        chain.append(cur)
        cur = df.stages[cur.base_stage] if cur.base_stage is not None else None
    for s in chain:
        for i in s.instructions:
            if i is ins:
                break
            if i.keyword == "RUN" and (sets(i.args) or any(sets(h.body) for h in i.heredocs)):
                return True
    return False


def _counts(ins: Instruction, ctx: Context) -> bool:
    """Whether what the RUN leaves behind matters: its stage ends up in the built image, or the
    rule's `all-stages` parameter asks for every stage."""
    return bool(ctx.params.get("all-stages")) or ships(ctx.document, ins.stage)


def _ships(cmd: Command, ctx: Context) -> bool:
    return _counts(cmd.instruction, ctx)


def _mounted(ins: Instruction, *paths: str) -> bool:
    """Whether a cache or tmpfs mount of the RUN holds one of `paths`."""
    return any(covers(m, p) for m in mount_targets(ins) for p in paths)


def _last_of(cmd: Command, same: Callable[[Command], bool]) -> bool:
    """Whether no later command of the RUN is another of the kind `same` accepts."""
    return not any(same(c) for c in _after(cmd))


# -- apt ------------------------------------------------------------------------------------------

APT_TOOLS = ("apt-get", "apt")
APT_PROMPTING = frozenset(
    (
        "install",
        "remove",
        "purge",
        "upgrade",
        "dist-upgrade",
        "full-upgrade",
        "autoremove",
        "autopurge",
        "build-dep",
        "reinstall",
        "satisfy",
    )
)


def apt_unpinned(cmd: Command, ctx: Context) -> Iterator[Hit]:
    """`apt-get install` (or `apt install`) of a package without `=version`."""
    if cmd.name not in APT_TOOLS:
        return
    inv = _read(cmd, ctx)
    if inv.subcommand == "install":
        yield from _unpinned(inv, apt_pin)


def _apt_quiet_level(inv: Invocation) -> int:
    level = 0
    for o in inv.options:
        if o.name in ("-q", "--quiet"):
            if o.value is not None and o.value.isdigit():
                level = int(o.value)
            else:
                level += 1
    return level


def apt_no_yes(cmd: Command, ctx: Context) -> Iterator[Hit]:
    """An apt-get command that asks for confirmation (install, remove, upgrade, ...) without
    `-y`/`--yes`/`--assume-yes`, `-qq` (quiet level 2 implies yes), `-o APT::Get::Assume-Yes=true`,
    or `yes |` in front: a build has no one to answer the prompt, so apt aborts."""
    if cmd.name not in APT_TOOLS:
        return
    inv = _read(cmd, ctx)
    if inv.subcommand not in APT_PROMPTING:
        return
    if inv.has("-y", "--yes", "--assume-yes") or _apt_quiet_level(inv) >= 2:
        return
    if inv.has("-s", "--simulate", "--dry-run", "--just-print", "--no-act", "--recon"):
        return
    if (_apt_setting(inv, "APT::Get::Assume-Yes") or "") in TRUE or _piped_from_yes(cmd):
        return
    if _apt_conf_before(cmd, ctx, "APT::Get::Assume-Yes", TRUE):
        return
    yield cmd.argv[0].span, {"tool": cmd.name, "sub": inv.subcommand}


def apt_recommends(cmd: Command, ctx: Context) -> Iterator[Hit]:
    """`apt-get install` without `--no-install-recommends` (or `-o APT::Install-Recommends=false`,
    or an apt.conf line written earlier that turns recommends off)."""
    if cmd.name not in APT_TOOLS:
        return
    inv = _read(cmd, ctx)
    if inv.subcommand != "install":
        return
    if inv.has("--no-install-recommends"):
        return
    if (inv.value("--install-recommends") or "").lower() in FALSE:
        return
    if (_apt_setting(inv, "APT::Install-Recommends") or "") in FALSE:
        return
    if _apt_conf_before(cmd, ctx, "APT::Install-Recommends", FALSE):
        return
    yield cmd.argv[0].span, {"tool": cmd.name}


def apt_used(cmd: Command, ctx: Context) -> Iterator[Hit]:
    """`apt`, the interactive front end, in a script."""
    if cmd.name == "apt":
        inv = _read(cmd, ctx)
        yield cmd.argv[0].span, {"sub": inv.subcommand or "apt"}


APT_LISTS = ("/var/lib/apt/lists",)


def apt_lists(ins: Instruction, ctx: Context) -> Iterator[Hit]:
    """A RUN that runs `apt-get update` and does not delete /var/lib/apt/lists afterwards: the
    package lists (tens of megabytes) stay in the layer. Quiet when a cache or tmpfs mount holds
    the lists, and in stages the built image does not contain."""
    # Only an update writes the lists; `apt-get install` alone reads what an earlier layer made.
    updates = [c for c in _commands(ins) if c.name in APT_TOOLS and _read(c, ctx).subcommand == "update"]
    if not updates or not _counts(ins, ctx) or _mounted(ins, *APT_LISTS):
        return
    last = updates[-1]
    if removed_after(last, APT_LISTS, ctx.document):
        return
    yield last.argv[0].span, {"tool": last.name}


# -- whole-system upgrades -----------------------------------------------------------------------

UPGRADES: dict[str, frozenset[str]] = {
    "apt-get": frozenset(("upgrade", "dist-upgrade", "full-upgrade")),
    "apt": frozenset(("upgrade", "dist-upgrade", "full-upgrade")),
    "apk": frozenset(("upgrade",)),
    "dnf": frozenset(
        ("upgrade", "update", "distro-sync", "dsync", "upgrade-minimal", "update-minimal", "up")
    ),
    "yum": frozenset(("upgrade", "update", "distro-sync", "upgrade-minimal", "update-minimal")),
    "microdnf": frozenset(("upgrade", "update", "distro-sync")),
    "zypper": frozenset(("update", "up", "patch")),
}


def upgrade_all(cmd: Command, ctx: Context) -> Iterator[Hit]:
    """A whole-system upgrade (`apt-get upgrade`, `apk upgrade`, `dnf upgrade` with no package
    named): what the image contains then depends on the day it was built, not on the base image's
    tag. Upgrading named packages is left alone (`zypper dist-upgrade` has its own rule)."""
    subs = UPGRADES.get(cmd.name)
    if subs is None:
        return
    inv = _read(cmd, ctx)
    if inv.subcommand in subs and not inv.operands and inv.sub:
        yield inv.sub[0].span, {"tool": cmd.name, "sub": inv.subcommand}


# -- apk ------------------------------------------------------------------------------------------


def apk_unpinned(cmd: Command, ctx: Context) -> Iterator[Hit]:
    """`apk add` of a package without `=version` (or `~`, `<`, `>` constraints)."""
    if cmd.name != "apk":
        return
    inv = _read(cmd, ctx)
    if inv.subcommand == "add":
        yield from _unpinned(inv, apk_pin)


APK_CACHE = ("/var/cache/apk", "/etc/apk/cache")


def apk_cache(cmd: Command, ctx: Context) -> Iterator[Hit]:
    """`apk add` without `--no-cache`: the package index stays in /var/cache/apk. Quiet when the
    same RUN deletes /var/cache/apk afterwards, when a cache or tmpfs mount holds it, and in
    stages the built image does not contain."""
    if cmd.name != "apk":
        return
    inv = _read(cmd, ctx)
    if inv.subcommand != "add" or inv.has("--no-cache", "--no-network"):
        return  # without the network, apk fetches no index to keep
    if _mounted(cmd.instruction, APK_CACHE[0]) or removed_after(cmd, APK_CACHE[:1], ctx.document):
        return
    if not _ships(cmd, ctx):
        return
    yield cmd.argv[0].span, {"tool": cmd.name}


# -- pip ------------------------------------------------------------------------------------------

PIP_WRAPPERS = ("pipx", "pipenv")


def _pip(cmd: Command, ctx: Context) -> Invocation | None:
    values = values_at(cmd, ctx.document)
    if cmd.name in PIP_WRAPPERS:
        return invocation(cmd, values)
    return pip_invocation(cmd, values)


def pip_unpinned(ins: Instruction, ctx: Context) -> Iterator[Hit]:
    """`pip install` (also `python3 -m pip`, `uv pip`, `pipx install`, `pipenv install`) of a
    requirement without a version specifier. Requirement files (`-r`), constraint files (`-c`,
    which pin what they name), local paths, archives, URLs and VCS URLs with a revision are fine."""
    for cmd in _commands(ins):
        inv = _pip(cmd, ctx)
        if inv is None or inv.subcommand != "install":
            continue
        if inv.has("-c", "--constraint"):
            continue
        yield from _unpinned(inv, pip_pin)


PIP_CACHE = "/.cache/pip"


def _pip_no_cache_value(value: str | None) -> bool:
    # pip reads PIP_NO_CACHE_DIR as a boolean and, for backward compatibility, turns the cache off
    # for a false value too: any value it accepts disables the cache.
    return value is not None and value.strip().lower() in TRUE | FALSE


def pip_cache(ins: Instruction, ctx: Context) -> Iterator[Hit]:
    """`pip install` without `--no-cache-dir`: pip keeps every wheel it downloaded or built in
    ~/.cache/pip, in the layer. Quiet when PIP_NO_CACHE_DIR is set (ENV, ARG, the command's own
    assignments, or `export` earlier in the RUN), when a cache or tmpfs mount holds the cache
    folder, when the RUN deletes it or runs `pip cache purge` afterwards, and in stages the built
    image does not contain."""
    if not _counts(ins, ctx):
        return
    cmds = _commands(ins)
    mounts = mount_targets(ins)
    for k, cmd in enumerate(cmds):
        if cmd.name in PIP_WRAPPERS:
            continue
        values = values_at(cmd, ctx.document)
        inv = pip_invocation(cmd, values)
        if inv is None or inv.subcommand != "install":
            continue
        if _pip_no_cache_value(values.get("PIP_NO_CACHE_DIR")):
            continue
        if any(o.name.startswith("--no-cach") and "--no-cache-dir".startswith(o.name) for o in inv.options):
            continue
        own = cmd.assignments + (cmd.wrapper.argv if cmd.wrapper is not None else [])
        if any(
            _pip_no_cache_value(w.value.partition("=")[2])
            for w in own
            if w.value.startswith("PIP_NO_CACHE_DIR=")
        ):
            continue
        cache_dir = inv.value("--cache-dir") or values.get("PIP_CACHE_DIR")
        if cache_dir and (any(covers(m, cache_dir) for m in mounts) or cache_dir == "/dev/null"):
            continue
        if any(
            m.rstrip("/").endswith(("/.cache", PIP_CACHE)) or m.rstrip("/") in ("/root", "/home")
            for m in mounts
        ):
            continue
        later = cmds[k + 1 :]
        if any(
            c.name == "rm"
            and any(PIP_CACHE in w.value or w.value.rstrip("/*").endswith("/.cache") for w in c.argv[1:])
            for c in later
        ) or (cache_dir and removed_after(cmd, (cache_dir,), ctx.document)):
            continue
        if any(c.name not in PIP_WRAPPERS and _pip_cache_purge(c, values) for c in later):
            continue
        yield cmd.argv[0].span, {"tool": _tool(cmd)}


def _pip_cache_purge(cmd: Command, values: dict[str, str | None]) -> bool:
    inv = pip_invocation(cmd, values)
    return (
        inv is not None
        and inv.subcommand == "cache"
        and bool(inv.operands)
        and inv.operands[0].value in ("purge", "remove")
    )


# -- npm and yarn ---------------------------------------------------------------------------------

NPM_INSTALL = frozenset(
    ("install", "i", "in", "ins", "inst", "insta", "instal", "isnt", "isnta", "isntal", "isntall", "add")
)


def npm_unpinned(cmd: Command, ctx: Context) -> Iterator[Hit]:
    """`npm install <pkg>` without `@version`. `npm install` with no package installs what
    package.json and the lock file say, and is fine; so are folders, tarballs and git URLs with a
    `#ref`. `@latest` is not a version."""
    if cmd.name != "npm":
        return
    inv = _read(cmd, ctx)
    if inv.subcommand in NPM_INSTALL:
        yield from _unpinned(inv, npm_pin)


YARN_INSTALLS = frozenset(("", "install", "add"))


def _yarn_install(c: Command, ctx: Context) -> bool:
    if c.name != "yarn":
        return False
    inv = _read(c, ctx)
    if inv.subcommand == "global":
        return bool(inv.operands) and inv.operands[0].value == "add"
    return inv.subcommand in YARN_INSTALLS


def _yarn_cache_clean(c: Command, ctx: Context) -> bool:
    if c.name != "yarn":
        return False
    inv = _read(c, ctx)
    return inv.subcommand == "cache" and bool(inv.operands) and inv.operands[0].value == "clean"


def yarn_cache(cmd: Command, ctx: Context) -> Iterator[Hit]:
    """`yarn install` (or plain `yarn`, `yarn add`) with no `yarn cache clean` after it in the same
    RUN: yarn's cache stays in the layer. Quiet when a cache or tmpfs mount holds the cache
    folder, when the RUN deletes it, and in stages the built image does not contain."""
    if not _yarn_install(cmd, ctx) or not _last_of(cmd, lambda c: _yarn_install(c, ctx)):
        return
    later = _after(cmd)
    if any(_yarn_cache_clean(c, ctx) for c in later):
        return
    ins = cmd.instruction
    values = values_at(cmd, ctx.document)
    inv = _read(cmd, ctx)
    folder = inv.value("--cache-folder") or values.get("YARN_CACHE_FOLDER")
    mounts = mount_targets(ins)
    if folder and any(covers(m, folder) for m in mounts):
        return
    if any("yarn" in m or m.rstrip("/").endswith("/.cache") for m in mounts):
        return
    if any(
        c.name == "rm" and any("yarn" in w.value and "cache" in w.value for w in c.argv[1:]) for c in later
    ):
        return
    if folder and removed_after(cmd, (folder,), ctx.document):
        return
    if not _ships(cmd, ctx):
        return
    sub = inv.subcommand if inv.subcommand != "global" else "global add"
    yield cmd.argv[0].span, {"tool": cmd.name, "command": " ".join(("yarn", sub)).strip()}


# -- gem ------------------------------------------------------------------------------------------


def gem_unpinned(cmd: Command, ctx: Context) -> Iterator[Hit]:
    """`gem install <gem>` without `<gem>:<version>` or `-v`/`--version`."""
    if cmd.name != "gem":
        return
    inv = _read(cmd, ctx)
    if inv.subcommand not in ("install", "i") or inv.has("-v", "--version") or inv.has("-g", "--file"):
        return
    yield from _unpinned(inv, gem_pin)


# -- yum, dnf, microdnf ---------------------------------------------------------------------------

RPM_TWO_LEVEL = frozenset(("module", "group", "groups"))
RPM_PROMPTING = frozenset(
    (
        "install",
        "groupinstall",
        "localinstall",
        "reinstall",
        "remove",
        "erase",
        "update",
        "upgrade",
        "downgrade",
        "distro-sync",
        "dsync",
        "autoremove",
        "swap",
        "upgrade-minimal",
        "update-minimal",
        "groupupdate",
        "groupremove",
        "group install",
        "group remove",
        "group upgrade",
        "group update",
        "groups install",
        "module install",
        "module enable",
        "module remove",
        "module reset",
        "module switch-to",
        "module update",
        "module upgrade",
    )
)
RPM_FETCHING = frozenset(
    (
        "install",
        "groupinstall",
        "localinstall",
        "reinstall",
        "update",
        "upgrade",
        "downgrade",
        "distro-sync",
        "dsync",
        "makecache",
        "upgrade-minimal",
        "update-minimal",
        "groupupdate",
        "group install",
        "group upgrade",
        "groups install",
        "module install",
        "module enable",
        "module update",
    )
)
RPM_CACHES = ("/var/cache/yum", "/var/cache/dnf", "/var/cache/libdnf5")
DNF_TOOLS = ("dnf", "microdnf", "dnf5", "dnf-3")


def _rpm(cmd: Command, ctx: Context) -> Invocation:
    inv = _read(cmd, ctx)
    if inv.subcommand in RPM_TWO_LEVEL and inv.operands:
        inv.sub.append(inv.operands.pop(0))
    return inv


def _rpm_no_yes(cmd: Command, ctx: Context, tools: tuple[str, ...]) -> Iterator[Hit]:
    if cmd.name not in tools:
        return
    inv = _rpm(cmd, ctx)
    if inv.subcommand not in RPM_PROMPTING:
        return
    if inv.has("-y", "--assumeyes", "--yes", "--assume-yes") or _piped_from_yes(cmd):
        return
    if any(
        v.replace(" ", "").lower() in ("assumeyes=1", "assumeyes=true", "assumeyes=yes")
        for v in inv.values("--setopt")
    ):
        return
    yield cmd.argv[0].span, {"tool": cmd.name, "sub": inv.subcommand}


def yum_no_yes(cmd: Command, ctx: Context) -> Iterator[Hit]:
    """A yum command that asks for confirmation without `-y`/`--assumeyes`."""
    yield from _rpm_no_yes(cmd, ctx, ("yum",))


def dnf_no_yes(cmd: Command, ctx: Context) -> Iterator[Hit]:
    """A dnf or microdnf command that asks for confirmation without `-y`/`--assumeyes`."""
    yield from _rpm_no_yes(cmd, ctx, DNF_TOOLS)


def _rpm_fetches(c: Command, ctx: Context, tools: tuple[str, ...]) -> bool:
    return c.name in tools and _rpm(c, ctx).subcommand in RPM_FETCHING


def _rpm_cleans(c: Command, ctx: Context) -> bool:
    if c.name not in ("yum", *DNF_TOOLS):
        return False
    inv = _rpm(c, ctx)
    if inv.subcommand != "clean":
        return False
    what = {a.value for a in inv.operands}
    return "all" in what or {"metadata", "packages"} <= what


def _rpm_clean(cmd: Command, ctx: Context, tools: tuple[str, ...]) -> Iterator[Hit]:
    if not _rpm_fetches(cmd, ctx, tools) or not _last_of(cmd, lambda c: _rpm_fetches(c, ctx, tools)):
        return
    later = _after(cmd)
    if any(_rpm_cleans(c, ctx) for c in later) or removed_after(cmd, RPM_CACHES, ctx.document):
        return
    if _mounted(cmd.instruction, *RPM_CACHES):
        return
    if not _ships(cmd, ctx):
        return
    yield cmd.argv[0].span, {"tool": cmd.name, "sub": _rpm(cmd, ctx).subcommand}


def yum_clean(cmd: Command, ctx: Context) -> Iterator[Hit]:
    """The last yum install/update of a RUN with no `yum clean all` (or removal of /var/cache/yum)
    after it: the metadata and packages stay in the layer."""
    yield from _rpm_clean(cmd, ctx, ("yum",))


def dnf_clean(cmd: Command, ctx: Context) -> Iterator[Hit]:
    """The last dnf or microdnf install/update of a RUN with no `dnf clean all` (or removal of
    /var/cache/dnf) after it."""
    yield from _rpm_clean(cmd, ctx, DNF_TOOLS)


def _rpm_unpinned(cmd: Command, ctx: Context, tools: tuple[str, ...]) -> Iterator[Hit]:
    if cmd.name not in tools:
        return
    inv = _rpm(cmd, ctx)
    if inv.subcommand in ("install", "reinstall", "module install"):
        yield from _unpinned(inv, rpm_pin)


def yum_unpinned(cmd: Command, ctx: Context) -> Iterator[Hit]:
    """`yum install` of a package without `-version`."""
    yield from _rpm_unpinned(cmd, ctx, ("yum",))


def dnf_unpinned(cmd: Command, ctx: Context) -> Iterator[Hit]:
    """`dnf install` or `microdnf install` of a package without `-version`."""
    yield from _rpm_unpinned(cmd, ctx, DNF_TOOLS)


# -- zypper ---------------------------------------------------------------------------------------

ZYPPER_PROMPTING = frozenset(
    (
        "install",
        "in",
        "remove",
        "rm",
        "source-install",
        "si",
        "patch",
        "update",
        "up",
        "dist-upgrade",
        "dup",
        "install-new-recommends",
        "inr",
    )
)
ZYPPER_FETCHING = frozenset(
    (
        "install",
        "in",
        "update",
        "up",
        "dist-upgrade",
        "dup",
        "patch",
        "source-install",
        "si",
        "install-new-recommends",
        "inr",
    )
)
ZYPPER_CACHE = ("/var/cache/zypp",)


def zypper_no_confirm(cmd: Command, ctx: Context) -> Iterator[Hit]:
    """A zypper command that asks for confirmation without the global `-n`/`--non-interactive`
    (before the command) or the command's `-y`/`--no-confirm`."""
    if cmd.name != "zypper":
        return
    inv = _read(cmd, ctx)
    if inv.subcommand not in ZYPPER_PROMPTING or inv.has("-y", "--no-confirm") or _piped_from_yes(cmd):
        return
    first = inv.sub[0] if inv.sub else None
    for o in inv.options:
        if first is not None and o.arg.word.start >= first.word.start:
            break
        if o.name in ("-n", "--non-interactive"):
            return
    yield cmd.argv[0].span, {"tool": cmd.name, "sub": inv.subcommand}


def zypper_dist_upgrade(cmd: Command, ctx: Context) -> Iterator[Hit]:
    """`zypper dist-upgrade` (`dup`), which may switch the distribution's packages to other
    versions and vendors."""
    if cmd.name != "zypper":
        return
    inv = _read(cmd, ctx)
    if inv.subcommand in ("dist-upgrade", "dup"):
        yield inv.sub[0].span, {"sub": inv.subcommand}


def _zypper_fetches(c: Command, ctx: Context) -> bool:
    return c.name == "zypper" and _read(c, ctx).subcommand in ZYPPER_FETCHING


def zypper_clean(cmd: Command, ctx: Context) -> Iterator[Hit]:
    """The last zypper install/update of a RUN with no `zypper clean` after it."""
    if not _zypper_fetches(cmd, ctx) or not _last_of(cmd, lambda c: _zypper_fetches(c, ctx)):
        return
    later = _after(cmd)
    if any(c.name == "zypper" and _read(c, ctx).subcommand in ("clean", "cc") for c in later):
        return
    if (
        removed_after(cmd, ZYPPER_CACHE, ctx.document)
        or _mounted(cmd.instruction, *ZYPPER_CACHE)
        or not _ships(cmd, ctx)
    ):
        return
    yield cmd.argv[0].span, {"tool": cmd.name, "sub": _read(cmd, ctx).subcommand}


def zypper_unpinned(cmd: Command, ctx: Context) -> Iterator[Hit]:
    """`zypper install` of a package without `=version` (or `>=`, `<`, ...)."""
    if cmd.name != "zypper":
        return
    inv = _read(cmd, ctx)
    if inv.subcommand not in ("install", "in"):
        return
    kind = inv.value("-t", "--type")
    if kind is not None and kind != "package":
        return  # patterns, patches and products have no version to pin
    yield from _unpinned(inv, zypper_pin)


# -- go and cargo ---------------------------------------------------------------------------------


def _go_module_context(cmd: Command, ctx: Context) -> bool:
    """Whether the command runs inside a Go module whose go.mod fixes versions: `go install tool`,
    a go.mod bind-mounted into the RUN, or copied in earlier in the stage (or the stages it builds
    on)."""
    if any(s.rstrip("/").endswith("go.mod") for s in bind_sources(cmd.instruction)):
        return True
    ins = cmd.instruction
    stage = ins.stage
    from linter.ir.dockerfile import Dockerfile

    df = ctx.document
    if stage is None or not isinstance(df, Dockerfile):
        return False
    cur: Stage | None = stage
    seen: set[int] = set()
    while cur is not None and cur.index not in seen:
        seen.add(cur.index)
        for i in cur.instructions:
            if i is ins:
                break
            if i.keyword in ("COPY", "ADD") and i.flag("from") is None and not i.heredocs:
                sources = [w for w, _ in _copy_args(i, ctx)[:-1]]
                if any(w in WHOLE_CONTEXT or w.rsplit("/", 1)[-1] == "go.mod" for w in sources):
                    return True
        cur = df.stages[cur.base_stage] if cur.base_stage is not None else None
    return False


def go_unpinned(cmd: Command, ctx: Context) -> Iterator[Hit]:
    """`go install`, `go get` or `go run` of a remote package without `@version`, or at a moving
    one (`@latest`, `@master`). Inside a module (a go.mod copied or mounted in, `go install tool`)
    `go install` and `go run` take the version go.mod requires; `go get` still moves it to the
    newest release unless a version is given."""
    if cmd.name != "go":
        return
    inv = _read(cmd, ctx)
    sub = inv.subcommand
    if sub not in ("install", "get", "run"):
        return
    operands = [a for a in inv.operands if not a.opaque]
    if sub == "run":
        operands = operands[:1]
    in_module = sub != "get" and (any(a.value == "tool" for a in operands) or _go_module_context(cmd, ctx))
    bad: list[Arg] = []
    for a in operands:
        if not go_remote(a.value):
            continue
        version = go_version(a.value)
        if (version is None and not in_module) or (version is not None and version in FLOATING_GO):
            bad.append(a)
    if bad:
        yield bad[0].span, {"tool": "go", "sub": sub, "packages": _listing(bad)}


def cargo_unpinned(cmd: Command, ctx: Context) -> Iterator[Hit]:
    """`cargo install <crate>` without `--version` or `<crate>@<version>`; from git, without
    `--rev` or `--tag` (a branch moves). `--path` installs are local."""
    if cmd.name != "cargo":
        return
    inv = _read(cmd, ctx)
    if inv.subcommand != "install" or inv.has("--path") or inv.has("--list"):
        return
    if inv.has("--git"):
        if not inv.has("--rev", "--tag"):
            git = next(o for o in inv.options if o.name == "--git")
            yield git.arg.span, {"tool": "cargo", "sub": "install", "packages": git.value or "--git"}
        return
    if inv.has("--version", "--vers"):
        return
    yield from _unpinned(inv, lambda v: "pinned" if "@" in v else None)


# -- the build context copied before the dependencies ---------------------------------------------

DEPENDENCY_INSTALLS: dict[str, frozenset[str]] = {
    "apt-get": frozenset(("install", "build-dep")),
    "apt": frozenset(("install",)),
    "apk": frozenset(("add",)),
    "npm": NPM_INSTALL | {"ci"},
    "pnpm": frozenset(("install", "i", "add")),
    "yarn": frozenset(("", "install", "add")),
    "bundle": frozenset(("", "install")),
    "bundler": frozenset(("", "install")),
    "composer": frozenset(("install", "require")),
    "poetry": frozenset(("install",)),
    "pipenv": frozenset(("install", "sync")),
    "gem": frozenset(("install", "i")),
    "dnf": frozenset(("install",)),
    "microdnf": frozenset(("install",)),
    "yum": frozenset(("install",)),
    "zypper": frozenset(("install", "in")),
    "conda": frozenset(("install",)),
    "mamba": frozenset(("install",)),
}


def _installs_dependencies(cmd: Command, values: dict[str, str | None]) -> bool:
    name = cmd.name
    if name == "go":
        inv = invocation(cmd, values)
        return inv.subcommand == "mod" and bool(inv.operands) and inv.operands[0].value == "download"
    if name == "uv":
        inv = invocation(cmd, values)
        return inv.subcommand == "sync"
    pip = pip_invocation(cmd, values)
    if pip is not None:
        if pip.subcommand != "install":
            return False
        if pip.has("-r", "--requirement"):
            return True
        # `pip install .` installs the project itself, which needs its sources.
        return bool(pip.operands) and not any(pip_pin(a.value) == "file" for a in pip.operands)
    subs = DEPENDENCY_INSTALLS.get(name)
    if subs is None:
        return False
    inv = invocation(cmd, values)
    return inv.subcommand in subs


def copy_before_install(stage: Stage, ctx: Context) -> Iterator[Hit]:
    """`COPY . .` (the whole build context) before a RUN that installs dependencies, in the same
    stage: any change to any source file invalidates the cache of that install, which then runs
    again on every build. Copy the dependency manifests alone first, install, then copy the rest."""
    pending: tuple[Instruction, Span] | None = None
    for ins in stage.instructions:
        if (
            ins.keyword in ("COPY", "ADD")
            and pending is None
            and ins.flag("from") is None
            and not ins.heredocs
        ):
            args = _copy_args(ins, ctx)
            for word, where in args[:-1]:
                if word in WHOLE_CONTEXT:
                    pending = (ins, where)
                    break
        elif ins.keyword == "RUN" and pending is not None:
            for cmd in _commands(ins):
                if _installs_dependencies(cmd, values_at(cmd, ctx.document)):
                    copy, where = pending
                    yield where, {"keyword": copy.keyword, "line": cmd.argv[0].span.line, "tool": cmd.name}
                    pending = None
                    break


# -- registry -------------------------------------------------------------------------------------

STAGES = {
    "type": "object",
    "additionalProperties": False,
    "properties": {"all-stages": {"type": "boolean"}},
}

CHECKS = {
    "apt-unpinned": Check(apt_unpinned, ("command",)),
    "apt-lists": Check(apt_lists, ("instruction",), STAGES),
    "apt-no-yes": Check(apt_no_yes, ("command",)),
    "apt-recommends": Check(apt_recommends, ("command",)),
    "apt-used": Check(apt_used, ("command",)),
    "upgrade-all": Check(upgrade_all, ("command",)),
    "apk-unpinned": Check(apk_unpinned, ("command",)),
    "apk-cache": Check(apk_cache, ("command",), STAGES),
    "pip-unpinned": Check(pip_unpinned, ("instruction",)),
    "pip-cache": Check(pip_cache, ("instruction",), STAGES),
    "npm-unpinned": Check(npm_unpinned, ("command",)),
    "yarn-cache": Check(yarn_cache, ("command",), STAGES),
    "gem-unpinned": Check(gem_unpinned, ("command",)),
    "yum-no-yes": Check(yum_no_yes, ("command",)),
    "yum-clean": Check(yum_clean, ("command",), STAGES),
    "yum-unpinned": Check(yum_unpinned, ("command",)),
    "dnf-no-yes": Check(dnf_no_yes, ("command",)),
    "dnf-clean": Check(dnf_clean, ("command",), STAGES),
    "dnf-unpinned": Check(dnf_unpinned, ("command",)),
    "zypper-no-confirm": Check(zypper_no_confirm, ("command",)),
    "zypper-dist-upgrade": Check(zypper_dist_upgrade, ("command",)),
    "zypper-clean": Check(zypper_clean, ("command",), STAGES),
    "zypper-unpinned": Check(zypper_unpinned, ("command",)),
    "go-unpinned": Check(go_unpinned, ("command",)),
    "cargo-unpinned": Check(cargo_unpinned, ("command",)),
    "copy-before-install": Check(copy_before_install, ("stage",)),
}
