"""Security checks that need more than a JSON-Schema condition. Most read securityContext
fields, where the pod's securityContext gives defaults that each container's own overrides;
others read what a container is given (environment, host mounts, ports) or the pod's sysctls and
AppArmor settings."""

from __future__ import annotations

import re

from linter.checks import Check

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Iterator

    from linter.checks import CheckFn, Context, Hit
    from linter.ir.kubernetes import ContainerView, PodView, YMap, YNode
    from linter.ir.source import Span


def _effective(c: ContainerView, key: str) -> YNode | None:
    """A securityContext field as Kubernetes applies it: the container's own value, else the
    pod's."""
    for sc in (c.node.map("securityContext"), c.pod.spec.map("securityContext")):
        if sc is not None:
            node = sc.present(key)
            if node is not None:
                return node
    return None


def _int(node: YNode | None) -> int | None:
    """An integer scalar's value (YAML booleans are not ids)."""
    from linter.ir.kubernetes import YScalar

    if isinstance(node, YScalar) and isinstance(node.value, int) and not isinstance(node.value, bool):
        return node.value
    return None


def _once_per_pod(fn: CheckFn) -> CheckFn:
    """A container check whose finding may come from the pod's securityContext, reported once per
    pod: a hit at a span an earlier container of the pod already gets is that same pod-level
    setting, not a new finding."""

    def once(c: ContainerView, ctx: Context) -> Iterator[Hit]:
        earlier = c.pod.containers[: c.pod.containers.index(c)]
        seen: set[tuple[int, int]] | None = None
        for span, args in fn(c, ctx):
            if seen is None:
                seen = {(s.line, s.column) for e in earlier for s, _ in fn(e, ctx)}
            if (span.line, span.column) not in seen:
                yield span, args

    once.__doc__ = fn.__doc__
    return once


def _run_as_non_root_windows(c: ContainerView) -> Iterator[Hit]:
    """On Windows, `runAsNonRoot: true` or a `windowsOptions.runAsUserName` other than
    ContainerAdministrator keeps the container from running as the administrator."""
    from linter.ir.kubernetes import YScalar

    non_root = _effective(c, "runAsNonRoot")
    if isinstance(non_root, YScalar) and non_root.value is True:
        return
    user = _effective_in(c, "windowsOptions", "runAsUserName")
    name = user.value if isinstance(user, YScalar) else None
    if isinstance(name, str) and name.strip() and name.strip().lower() != "containeradministrator":
        return
    if user is not None:
        where, reason = user.span, f"sets windowsOptions.runAsUserName: {name}"
    elif non_root is not None:
        where, reason = non_root.span, "sets runAsNonRoot: false and no windowsOptions.runAsUserName"
    else:
        where, reason = (
            c.node.deepest("securityContext"),
            "sets neither runAsNonRoot: true nor a windowsOptions.runAsUserName other than "
            "ContainerAdministrator",
        )
    yield where, {"container": c.name, "user": "ContainerAdministrator", "reason": reason}


def _run_as_non_root(c: ContainerView, ctx: Context) -> Iterator[Hit]:
    from linter.ir.kubernetes import YScalar

    if c.pod.is_windows:
        yield from _run_as_non_root_windows(c)
        return
    user = _effective(c, "runAsUser")
    uid = _int(user)
    if user is not None and uid == 0:
        yield user.span, {"container": c.name, "user": "root", "reason": "runs as root (runAsUser: 0)"}
        return
    non_root = _effective(c, "runAsNonRoot")
    if not (isinstance(non_root, YScalar) and non_root.value is True) and not (uid is not None and uid > 0):
        # Neither makes the kubelet refuse root (runAsNonRoot: true) nor picks a user (uid > 0).
        if non_root is not None:
            where, reason = non_root.span, "sets runAsNonRoot: false"
        else:
            where, reason = (
                c.node.deepest("securityContext"),
                "sets neither runAsNonRoot nor a non-zero runAsUser",
            )
        yield where, {"container": c.name, "user": "root", "reason": reason}
        return
    group = _effective(c, "runAsGroup")
    if group is not None and _int(group) == 0:
        # A non-root user in the root group still owns every root-group file of the image.
        yield (
            group.span,
            {"container": c.name, "user": "root", "reason": "runs with the root group (runAsGroup: 0)"},
        )


run_as_non_root = _once_per_pod(_run_as_non_root)


def privilege_escalation(c: ContainerView, ctx: Context) -> Iterator[Hit]:
    """`allowPrivilegeEscalation` is not `false`. A privileged container, or one that adds
    SYS_ADMIN, is left alone: the API refuses `false` with either, and the privileged-container
    and dangerous-capabilities rules report the cause."""
    from linter.ir.kubernetes import YScalar

    sc = c.node.map("securityContext")
    if sc is not None:
        privileged = sc.present("privileged")
        if isinstance(privileged, YScalar) and privileged.value is True:
            return
        if "SYS_ADMIN" in {_cap(i) for i in _caps(c, "add")}:
            return
    node = sc.present("allowPrivilegeEscalation") if sc is not None else None
    if isinstance(node, YScalar) and node.value is False:
        return
    yield (node.span if node is not None else c.node.deepest("securityContext")), {"container": c.name}


def _effective_in(c: ContainerView, key: str, sub: str) -> YNode | None:
    """A field of a securityContext sub-object (`windowsOptions.hostProcess`) as Kubernetes applies
    it: the container's own value, else the pod's."""
    for sc in (c.node.map("securityContext"), c.pod.spec.map("securityContext")):
        inner = sc.map(key) if sc is not None else None
        if inner is not None:
            node = inner.present(sub)
            if node is not None:
                return node
    return None


def _cap(node: YNode) -> str:
    """A capability name as the container runtimes read it: case-insensitive, with or without
    the `CAP_` prefix."""
    from linter.ir.kubernetes import YScalar

    text = str(node.value) if isinstance(node, YScalar) and node.value is not None else ""
    return text.strip().upper().removeprefix("CAP_")


def _caps(c: ContainerView, which: str) -> list[YNode]:
    """The items of the container's `securityContext.capabilities.add` or `.drop`. The pod's
    securityContext has no capabilities: Kubernetes sets them per container only."""
    sc = c.node.map("securityContext")
    caps = sc.map("capabilities") if sc is not None else None
    seq = caps.seq(which) if caps is not None else None
    return list(seq.items) if seq is not None else []


def capabilities_added(c: ContainerView, ctx: Context) -> Iterator[Hit]:
    wanted = {str(x).upper().removeprefix("CAP_") for x in ctx.params["capabilities"]}  # type: ignore[attr-defined]
    for item in _caps(c, "add"):
        name = _cap(item)
        if name in wanted:
            yield item.span, {"container": c.name, "capability": name}


def capabilities_not_dropped(c: ContainerView, ctx: Context) -> Iterator[Hit]:
    dropped = {_cap(i) for i in _caps(c, "drop")}
    if "ALL" in dropped:
        return
    required = [str(x).upper().removeprefix("CAP_") for x in ctx.params["capabilities"]]  # type: ignore[attr-defined]
    missing = [x for x in required if x not in dropped]
    if missing:
        where = c.node.deepest("securityContext", "capabilities", "drop")
        detail = f"it keeps {', '.join(missing)}" if dropped else "it drops none"
        yield where, {"container": c.name, "detail": detail}


def capability_kept(c: ContainerView, ctx: Context) -> Iterator[Hit]:
    """One capability (NET_RAW by default) that a container configuring its capabilities keeps:
    it adds it (by name, or as ALL), or its `drop` names neither it nor ALL. The runtimes drop
    after adding, except that a dropped ALL empties the set first; so an added ALL with the
    capability dropped keeps nothing. A container with no non-empty `add` or `drop` is left to
    the drop-ALL rule."""
    cap = str(ctx.params["capability"]).upper().removeprefix("CAP_")
    adds = [(item, name) for item in _caps(c, "add") if (name := _cap(item))]
    drops = {name for item in _caps(c, "drop") if (name := _cap(item))}
    if not adds and not drops:
        return
    not_dropped = not {cap, "ALL"} & drops
    for item, name in adds:
        if name == cap or (name == "ALL" and (not_dropped or "ALL" in drops)):
            yield item.span, {"container": c.name, "capability": cap, "reason": f"adds {name}"}
    if not_dropped:
        where = c.node.deepest("securityContext", "capabilities", "drop")
        yield where, {"container": c.name, "capability": cap, "reason": f"does not drop {cap}"}


def _host_process(c: ContainerView, ctx: Context) -> Iterator[Hit]:
    from linter.ir.kubernetes import YScalar

    node = _effective_in(c, "windowsOptions", "hostProcess")
    if isinstance(node, YScalar) and node.value is True:
        yield node.span, {"container": c.name}


host_process = _once_per_pod(_host_process)


def _service_account_token(c: ContainerView, ctx: Context) -> Iterator[Hit]:
    """The kubelet mounts the pod's service account token into each container. The pod's
    `automountServiceAccountToken` wins; left unset, the ServiceAccount's applies, and the token
    is mounted unless that ServiceAccount, when it is in the same file, says false."""
    from linter.ir.kubernetes import YScalar

    spec = c.pod.spec
    node = spec.present("automountServiceAccountToken")
    if node is not None:
        if isinstance(node, YScalar) and node.value is False:
            return
        yield node.span, {"container": c.name, "reason": "sets automountServiceAccountToken: true"}
        return
    named = spec.scalar("serviceAccountName") or spec.scalar("serviceAccount")
    account = str(named) if named else "default"
    namespace = c.pod.resource.namespace
    for r in getattr(ctx.document, "resources", ()):
        if r.kind != "ServiceAccount" or r.name != account:
            continue
        if r.namespace and namespace and r.namespace != namespace:
            continue
        value = r.node.present("automountServiceAccountToken")
        if isinstance(value, YScalar) and value.value is False:
            return
        break
    yield (
        c.span,
        {
            "container": c.name,
            "reason": f"leaves automountServiceAccountToken unset, and ServiceAccount '{account}' does not "
            "set it to false in this file",
        },
    )


service_account_token = _once_per_pod(_service_account_token)


_CONFINED = ("RuntimeDefault", "Localhost")


def _profile_set(node: YNode | None) -> bool:
    from linter.ir.kubernetes import YMap

    return isinstance(node, YMap) and node.scalar("type") in _CONFINED


def linux_hardening(c: ContainerView, ctx: Context) -> Iterator[Hit]:
    """Polaris's linuxHardening: a seccomp, AppArmor or SELinux profile applies to the container
    (its own, else the pod's), or it drops some capabilities without adding ALL."""
    from linter.ir.kubernetes import YMap, YScalar

    if _profile_set(_effective(c, "seccompProfile")) or _profile_set(_effective(c, "appArmorProfile")):
        return
    selinux = _effective(c, "seLinuxOptions")
    if isinstance(selinux, YMap) and any(
        not (isinstance(v, YScalar) and v.value in (None, "")) for _, v in selinux.entries.values()
    ):
        return
    annotation = c.pod.template_annotations.get(
        f"container.apparmor.security.beta.kubernetes.io/{c.name}", ""
    )
    if annotation.startswith(("runtime/default", "localhost/")):
        return
    drops = _caps(c, "drop")
    if drops and "ALL" not in {_cap(i) for i in _caps(c, "add")}:
        return
    yield c.node.deepest("securityContext"), {"container": c.name}


DEFAULT_SECRET_NAMES = [
    "password",
    "passwd",
    "secret",
    "token",
    "bearer",
    "api_?key",
    "private_?key",
    "^AZURE_.+KEY$",
    "^OCI_CLI_KEY_CONTENT$",
]
_PRIVATE_KEY = re.compile(r"-BEGIN\s+(?:[A-Z0-9]+\s+)*PRIVATE KEY-", re.IGNORECASE)
_ENV_REFERENCE = re.compile(r"\$\([A-Za-z_][A-Za-z0-9_.-]*\)")
# Names that say the value is about a secret, not the secret: where it is, what it is called, how
# long it lives, whether it is on.
_NOT_A_SECRET_NAME = re.compile(
    r"(?:_(?:FILE|PATH|DIR|URL|URI|NAME|REF|TTL|TIMEOUT|ENABLED|LENGTH|SIZE|HOST|PORT|USER|USERNAME|KEY_ID)$"
    r"|^(?:ENABLE|DISABLE)_)",
    re.IGNORECASE,
)
_NOT_A_SECRET_VALUE = re.compile(r"(?:true|false|yes|no|on|off|[+-]?\d+)", re.IGNORECASE)
_URL = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*://([^/?#]*)")


def _plain_value(text: str) -> bool:
    """A value no secret looks like: a boolean, an integer, an absolute path, or a URL that
    carries no user information."""
    text = text.strip()
    if _NOT_A_SECRET_VALUE.fullmatch(text) or (text.startswith("/") and " " not in text):
        return True
    url = _URL.match(text)
    return url is not None and "@" not in url.group(1)


def sensitive_env(c: ContainerView, ctx: Context) -> Iterator[Hit]:
    """Env vars whose literal `value` looks like a secret: by name, or a private key by value.
    `valueFrom` and a bare `$(OTHER_VAR)` reference hold no literal. Names that point at a secret
    or describe it (`_FILE`, `_PATH`, `_TTL`, `ENABLE_` and the like), and values no secret looks
    like (booleans, integers, absolute paths, URLs without user information), pass."""
    from linter.ir.kubernetes import YMap, YScalar

    env = c.node.seq("env")
    if env is None:
        return
    names = [re.compile(str(p), re.IGNORECASE) for p in ctx.params["names"]]  # type: ignore[attr-defined]
    for item in env.items:
        if not isinstance(item, YMap):
            continue
        value = item.present("value")
        if not isinstance(value, YScalar) or value.value in (None, ""):
            continue
        name = str(item.scalar("name") or "")
        text = str(value.value)
        if _ENV_REFERENCE.fullmatch(text.strip()):
            continue
        if _PRIVATE_KEY.search(text):
            yield value.span, {"container": c.name, "name": name, "what": "a private key"}
        elif (
            any(p.search(name) for p in names)
            and not _NOT_A_SECRET_NAME.search(name)
            and not isinstance(value.value, bool | int | float)
            and not _plain_value(text)
        ):
            yield value.span, {"container": c.name, "name": name, "what": "a literal value"}


def _host_mounts(c: ContainerView) -> Iterator[tuple[YMap, str, str]]:
    """(volumeMount, volume name, normalised host path) of each hostPath volume the container
    mounts. Volumes and mounts without a name (a non-empty string) match nothing."""
    import posixpath

    from linter.ir.kubernetes import YMap

    volumes: dict[str, str] = {}
    seq = c.pod.spec.seq("volumes")
    for v in seq.items if seq is not None else ():
        if not isinstance(v, YMap):
            continue
        name = v.scalar("name")
        host = v.map("hostPath")
        path = host.scalar("path") if host is not None else None
        if isinstance(name, str) and name and isinstance(path, str) and path:
            volumes[name] = posixpath.normpath(path).replace("//", "/")
    mounts = c.node.seq("volumeMounts")
    for m in mounts.items if mounts is not None and volumes else ():
        name = m.scalar("name") if isinstance(m, YMap) else None
        if isinstance(m, YMap) and isinstance(name, str) and name in volumes:
            yield m, name, volumes[name]


def sensitive_host_mount(c: ContainerView, ctx: Context) -> Iterator[Hit]:
    """A hostPath mount whose path is one of `paths`, or is or lies below one of `prefixes`, or
    whose file name is one of `sockets`."""
    import posixpath

    paths = {str(p).rstrip("/") or "/" for p in ctx.params["paths"]}  # type: ignore[attr-defined]
    prefixes = [str(p).rstrip("/") for p in ctx.params.get("prefixes", ())]  # type: ignore[attr-defined]
    sockets = {str(s) for s in ctx.params["sockets"]}  # type: ignore[attr-defined]
    for m, volume, path in _host_mounts(c):
        if (
            path in paths
            or any(p and (path == p or path.startswith(p + "/")) for p in prefixes)
            or posixpath.basename(path) in sockets
        ):
            yield m.first_key_span(), {"container": c.name, "path": path, "volume": volume}


def writable_host_mount(c: ContainerView, ctx: Context) -> Iterator[Hit]:
    from linter.ir.kubernetes import YScalar

    for m, volume, path in _host_mounts(c):
        ro = m.present("readOnly")
        if not (isinstance(ro, YScalar) and ro.value is True):
            where = m.key_span("readOnly") or m.first_key_span()
            yield where, {"container": c.name, "path": path, "volume": volume}


def _low_id(c: ContainerView, ctx: Context) -> Iterator[Hit]:
    """A runAsUser or runAsGroup (the container's own, else the pod's) from 1 up to below
    `minimum`. 0 is root, which run-as-root reports."""
    minimum = int(ctx.params["minimum"])  # type: ignore[call-overload]
    for key in ("runAsUser", "runAsGroup"):
        node = _effective(c, key)
        value = _int(node)
        if node is not None and value is not None and 0 < value < minimum:
            yield node.span, {"container": c.name, "key": key, "id": value, "minimum": minimum}


low_id = _once_per_pod(_low_id)


def _effective_key(c: ContainerView, key: str) -> tuple[Span, YNode] | None:
    """Like _effective, with the span of the key that sets the field."""
    for sc in (c.node.map("securityContext"), c.pod.spec.map("securityContext")):
        if sc is not None and sc.present(key) is not None:
            span = sc.key_span(key)
            node = sc.get(key)
            assert span is not None and node is not None
            return span, node
    return None


def _annotation_span(c: ContainerView, key: str) -> Span | None:
    meta = c.pod.template.map("metadata")
    notes = meta.map("annotations") if meta is not None else None
    return notes.key_span(key) if notes is not None else None


APPARMOR_ANNOTATION = "container.apparmor.security.beta.kubernetes.io/"


def _seccomp_profile(c: ContainerView, ctx: Context) -> Iterator[Hit]:
    """No seccomp profile of type RuntimeDefault or Localhost applies to the container: its own
    seccompProfile, else the pod's. The old `seccomp.security.alpha.kubernetes.io` annotations do
    not count: current Kubernetes releases no longer apply them."""
    from linter.ir.kubernetes import YMap

    found = _effective_key(c, "seccompProfile")
    if found is None:
        reason = "no seccompProfile applies to it"
        yield c.node.deepest("securityContext"), {"container": c.name, "reason": reason}
        return
    key_span, node = found
    if _profile_set(node):
        return
    kind = node.scalar("type") if isinstance(node, YMap) else None
    where = (node.key_span("type") if isinstance(node, YMap) else None) or key_span
    reason = f"its seccompProfile has type {kind}" if kind else "its seccompProfile names no type"
    yield where, {"container": c.name, "reason": reason}


seccomp_profile = _once_per_pod(_seccomp_profile)


# SELinux types the Pod Security Standards' baseline profile allows (besides leaving it unset).
SELINUX_TYPES = frozenset(("container_t", "container_init_t", "container_kvm_t", "container_engine_t"))


def _confinement_disabled(c: ContainerView, ctx: Context) -> Iterator[Hit]:
    """Settings that turn confinement off: a seccomp or AppArmor profile of type Unconfined (for
    AppArmor, the field, else the deprecated annotation), and SELinux options that set a type
    outside the baseline's list, or a user or role."""
    from linter.ir.kubernetes import YMap, YScalar

    args = {"container": c.name}
    for field in ("seccompProfile", "appArmorProfile"):
        found = _effective_key(c, field)
        node = found[1] if found is not None else None
        kind = node.get("type") if isinstance(node, YMap) else None
        if isinstance(kind, YScalar) and kind.value == "Unconfined":
            yield kind.span, {**args, "detail": f"sets {field}.type: Unconfined"}
    if _effective_key(c, "appArmorProfile") is None:
        key = APPARMOR_ANNOTATION + c.name
        if c.pod.template_annotations.get(key, "").strip() == "unconfined":
            detail = f"has the annotation {key}: unconfined"
            yield _annotation_span(c, key) or c.span, {**args, "detail": detail}
    found = _effective_key(c, "seLinuxOptions")
    options = found[1] if found is not None else None
    if isinstance(options, YMap):
        for field in ("type", "user", "role"):
            node = options.present(field)
            value = node.value if isinstance(node, YScalar) else None
            if node is None or value in (None, "") or (field == "type" and value in SELINUX_TYPES):
                continue
            yield node.span, {**args, "detail": f"sets seLinuxOptions.{field}: {value}"}


confinement_disabled = _once_per_pod(_confinement_disabled)


def apparmor_invalid(pod: PodView, ctx: Context) -> Iterator[Hit]:
    """AppArmor settings the API server refuses: an annotation naming no container of the pod or
    a profile other than runtime/default, unconfined or localhost/<name>, and an appArmorProfile
    whose localhostProfile does not go with its type."""
    from linter.ir.kubernetes import YScalar

    meta = pod.template.map("metadata")
    notes = meta.map("annotations") if meta is not None else None
    names = {c.name for c in pod.containers}
    for key, (key_node, value) in notes.entries.items() if notes is not None else ():
        if not key.startswith(APPARMOR_ANNOTATION):
            continue
        container = key[len(APPARMOR_ANNOTATION) :]
        if container not in names:
            yield key_node.span, {"detail": f"the annotation {key} names no container of the pod"}
            continue
        profile = value.value if isinstance(value, YScalar) else None
        text = str(profile).strip() if profile is not None else ""
        if text not in ("", "runtime/default", "unconfined") and not (
            text.startswith("localhost/") and len(text) > len("localhost/")
        ):
            detail = (
                f"the annotation {key} names the profile '{text}', which is not runtime/default, "
                "unconfined or localhost/<profile>"
            )
            yield value.span, {"detail": detail}
    contexts = [("the pod", pod.spec.map("securityContext"))] + [
        (f"container '{c.name}'", c.node.map("securityContext")) for c in pod.containers
    ]
    for who, sc in contexts:
        profile_node = sc.map("appArmorProfile") if sc is not None else None
        if sc is None or profile_node is None:
            continue
        kind = profile_node.scalar("type")
        local = profile_node.present("localhostProfile")
        local_text = local.value if isinstance(local, YScalar) else None
        if kind == "Localhost" and not (isinstance(local_text, str) and local_text.strip()):
            where = local.span if local is not None else sc.key_span("appArmorProfile") or profile_node.span
            yield where, {"detail": f"{who} sets appArmorProfile.type Localhost without a localhostProfile"}
        elif kind != "Localhost" and local is not None:
            yield local.span, {"detail": f"{who} sets appArmorProfile.localhostProfile with type {kind}"}


def sysctl_name(name: str) -> str:
    """A sysctl name with '.' as the separator: the kubelet also accepts '/' (`kernel/shm_rmid_forced`),
    in which case a '.' is part of a component (`net/ipv4/conf/eth0.100/forwarding`)."""
    name = name.strip()
    first = min((i for i in (name.find("."), name.find("/")) if i >= 0), default=-1)
    if first >= 0 and name[first] == "/":
        return name.replace(".", "\0").replace("/", ".").replace("\0", "/")
    return name


def unsafe_sysctls(pod: PodView, ctx: Context) -> Iterator[Hit]:
    """Each sysctl of the pod's securityContext that is not in `allowed` (the rule lists the ones
    Kubernetes considers safe: namespaced, and isolated from other pods and the node; the kubelet
    refuses pods with others unless its --allowed-unsafe-sysctls lets them through)."""
    from linter.ir.kubernetes import YMap, YScalar

    allowed = {sysctl_name(str(a)) for a in ctx.params["allowed"]}  # type: ignore[attr-defined]
    sc = pod.spec.map("securityContext")
    sysctls = sc.seq("sysctls") if sc is not None else None
    for item in sysctls.items if sysctls is not None else ():
        node = item.present("name") if isinstance(item, YMap) else None
        name = node.value if isinstance(node, YScalar) and isinstance(node.value, str) else ""
        if node is not None and name.strip() and sysctl_name(name) not in allowed:
            yield node.span, {"sysctl": name.strip()}


def secret_env(c: ContainerView, ctx: Context) -> Iterator[Hit]:
    """Secrets read into environment variables: `env[].valueFrom.secretKeyRef`, and
    `envFrom[].secretRef`."""
    from linter.ir.kubernetes import YMap

    env = c.node.seq("env")
    for item in env.items if env is not None else ():
        source = item.map("valueFrom") if isinstance(item, YMap) else None
        if not isinstance(item, YMap) or source is None or source.present("secretKeyRef") is None:
            continue
        ref = source.map("secretKeyRef")
        secret = ref.scalar("name") if ref is not None else None
        yield (
            source.key_span("secretKeyRef") or item.first_key_span(),
            {"container": c.name, "what": f"variable {item.scalar('name')}", "secret": secret or "?"},
        )
    env_from = c.node.seq("envFrom")
    for item in env_from.items if env_from is not None else ():
        if isinstance(item, YMap) and item.present("secretRef") is not None:
            ref = item.map("secretRef")
            secret = ref.scalar("name") if ref is not None else None
            yield (
                item.key_span("secretRef") or item.first_key_span(),
                {"container": c.name, "what": "every key as a variable", "secret": secret or "?"},
            )


def duplicate_env(c: ContainerView, ctx: Context) -> Iterator[Hit]:
    """An env var name the container's `env` lists before: the last one wins, silently."""
    from linter.ir.kubernetes import YMap, YScalar

    env = c.node.seq("env")
    first: dict[str, int] = {}
    for item in env.items if env is not None else ():
        node = item.present("name") if isinstance(item, YMap) else None
        if not isinstance(node, YScalar) or node.value in (None, ""):
            continue
        name = str(node.value)
        if name in first:
            yield node.span, {"container": c.name, "name": name, "line": first[name]}
        else:
            first[name] = node.span.line


def container_port(c: ContainerView, ctx: Context) -> Iterator[Hit]:
    """A declared port that is one of `ports` with the protocol `protocol` (TCP when unset)."""
    from linter.ir.kubernetes import YMap

    wanted = {int(p) for p in ctx.params["ports"]}  # type: ignore[attr-defined]
    protocol = str(ctx.params["protocol"]).upper()
    ports = c.node.seq("ports")
    for p in ports.items if ports is not None else ():
        if not isinstance(p, YMap):
            continue
        node = p.get("containerPort")
        number = _int(node)
        proto = p.scalar("protocol")
        proto_text = proto.upper() if isinstance(proto, str) and proto else "TCP"
        if node is not None and number in wanted and proto_text == protocol:
            yield node.span, {"container": c.name, "port": number, "protocol": proto_text}


def _strings(minimum: int = 0) -> dict[str, object]:
    return {"type": "array", "minItems": minimum, "items": {"type": "string", "minLength": 1}}


CHECKS = {
    "run-as-non-root": Check(run_as_non_root, ("container",)),
    "privilege-escalation": Check(privilege_escalation, ("container",)),
    "capabilities-added": Check(
        capabilities_added,
        ("container",),
        {
            "type": "object",
            "additionalProperties": False,
            "required": ["capabilities"],
            "properties": {"capabilities": _strings(1)},
        },
    ),
    "capabilities-not-dropped": Check(
        capabilities_not_dropped,
        ("container",),
        {
            "type": "object",
            "additionalProperties": False,
            "required": ["capabilities"],
            "properties": {"capabilities": _strings(1)},
        },
    ),
    "capability-kept": Check(
        capability_kept,
        ("container",),
        {
            "type": "object",
            "additionalProperties": False,
            "required": ["capability"],
            "properties": {"capability": {"type": "string", "minLength": 1}},
        },
    ),
    "host-process": Check(host_process, ("container",)),
    "service-account-token": Check(service_account_token, ("container",)),
    "linux-hardening": Check(linux_hardening, ("container",)),
    "sensitive-env": Check(
        sensitive_env,
        ("container",),
        {
            "type": "object",
            "additionalProperties": False,
            "required": ["names"],
            "properties": {"names": _strings()},
        },
    ),
    "sensitive-host-mount": Check(
        sensitive_host_mount,
        ("container",),
        {
            "type": "object",
            "additionalProperties": False,
            "required": ["paths", "sockets"],
            "properties": {"paths": _strings(), "prefixes": _strings(), "sockets": _strings()},
        },
    ),
    "writable-host-mount": Check(writable_host_mount, ("container",)),
    "low-id": Check(
        low_id,
        ("container",),
        {
            "type": "object",
            "additionalProperties": False,
            "required": ["minimum"],
            "properties": {"minimum": {"type": "integer", "minimum": 1}},
        },
    ),
    "seccomp-profile": Check(seccomp_profile, ("container",)),
    "confinement-disabled": Check(confinement_disabled, ("container",)),
    "apparmor-invalid": Check(apparmor_invalid, ("pod",)),
    "unsafe-sysctls": Check(
        unsafe_sysctls,
        ("pod",),
        {
            "type": "object",
            "additionalProperties": False,
            "required": ["allowed"],
            "properties": {"allowed": _strings()},
        },
    ),
    "secret-env": Check(secret_env, ("container",)),
    "duplicate-env": Check(duplicate_env, ("container",)),
    "container-port": Check(
        container_port,
        ("container",),
        {
            "type": "object",
            "additionalProperties": False,
            "required": ["ports", "protocol"],
            "properties": {
                "ports": {
                    "type": "array",
                    "minItems": 1,
                    "items": {"type": "integer", "minimum": 1, "maximum": 65535},
                },
                "protocol": {"enum": ["TCP", "UDP", "SCTP"]},
            },
        },
    ),
}
