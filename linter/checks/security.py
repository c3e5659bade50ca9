"""Security context checks that need more than a JSON-Schema condition: the pod's
securityContext gives defaults that each container's own securityContext overrides."""

from __future__ import annotations

import re

from linter.checks import Check

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Iterator

    from linter.checks import Context, Hit
    from linter.ir.kubernetes import ContainerView, YMap, YNode


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


def run_as_non_root(c: ContainerView, ctx: Context) -> Iterator[Hit]:
    from linter.ir.kubernetes import YScalar

    user = _effective(c, "runAsUser")
    uid = _int(user)
    if user is not None and uid == 0:
        yield user.span, {"container": c.name, "reason": "runs as root (runAsUser: 0)"}
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
        yield where, {"container": c.name, "reason": reason}
        return
    group = _effective(c, "runAsGroup")
    if group is not None and _int(group) == 0:
        # A non-root user in the root group still owns every root-group file of the image.
        yield group.span, {"container": c.name, "reason": "runs with the root group (runAsGroup: 0)"}


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
    """One capability (NET_RAW by default) added, or not dropped by a container that configures
    its capabilities. A container that configures none is left to the drop-ALL rule."""
    cap = str(ctx.params["capability"]).upper().removeprefix("CAP_")
    for item in _caps(c, "add"):
        if _cap(item) in (cap, "ALL"):
            yield item.span, {"container": c.name, "capability": cap, "reason": f"adds {_cap(item)}"}
    sc = c.node.map("securityContext")
    if sc is None or sc.present("capabilities") is None:
        return
    if not {cap, "ALL"} & {_cap(i) for i in _caps(c, "drop")}:
        where = c.node.deepest("securityContext", "capabilities", "drop")
        yield where, {"container": c.name, "capability": cap, "reason": f"does not drop {cap}"}


def host_process(c: ContainerView, ctx: Context) -> Iterator[Hit]:
    from linter.ir.kubernetes import YScalar

    node = _effective_in(c, "windowsOptions", "hostProcess")
    if isinstance(node, YScalar) and node.value is True:
        yield node.span, {"container": c.name}


def service_account_token(c: ContainerView, ctx: Context) -> Iterator[Hit]:
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


def sensitive_env(c: ContainerView, ctx: Context) -> Iterator[Hit]:
    """Env vars whose literal `value` looks like a secret: by name, or a private key by value.
    `valueFrom` and a bare `$(OTHER_VAR)` reference hold no literal."""
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
        elif any(p.search(name) for p in names):
            yield value.span, {"container": c.name, "name": name, "what": "a literal value"}


def _host_mounts(c: ContainerView) -> Iterator[tuple[YMap, str, str]]:
    """(volumeMount, volume name, normalised host path) of each hostPath volume the container
    mounts."""
    import posixpath

    from linter.ir.kubernetes import YMap

    volumes: dict[str, str] = {}
    seq = c.pod.spec.seq("volumes")
    for v in seq.items if seq is not None else ():
        host = v.map("hostPath") if isinstance(v, YMap) else None
        path = host.scalar("path") if host is not None else None
        if isinstance(v, YMap) and isinstance(path, str) and path:
            volumes[str(v.scalar("name"))] = posixpath.normpath(path).replace("//", "/")
    mounts = c.node.seq("volumeMounts")
    for m in mounts.items if mounts is not None and volumes else ():
        if isinstance(m, YMap) and str(m.scalar("name")) in volumes:
            name = str(m.scalar("name"))
            yield m, name, volumes[name]


def sensitive_host_mount(c: ContainerView, ctx: Context) -> Iterator[Hit]:
    import posixpath

    paths = {str(p).rstrip("/") or "/" for p in ctx.params["paths"]}  # type: ignore[attr-defined]
    sockets = {str(s) for s in ctx.params["sockets"]}  # type: ignore[attr-defined]
    for m, volume, path in _host_mounts(c):
        if path in paths or posixpath.basename(path) in sockets:
            yield m.first_key_span(), {"container": c.name, "path": path, "volume": volume}


def writable_host_mount(c: ContainerView, ctx: Context) -> Iterator[Hit]:
    from linter.ir.kubernetes import YScalar

    for m, volume, path in _host_mounts(c):
        ro = m.present("readOnly")
        if not (isinstance(ro, YScalar) and ro.value is True):
            where = m.key_span("readOnly") or m.first_key_span()
            yield where, {"container": c.name, "path": path, "volume": volume}


def _strings(minimum: int = 0) -> dict[str, object]:
    return {"type": "array", "minItems": minimum, "items": {"type": "string", "minLength": 1}}


CHECKS = {
    "run-as-non-root": Check(run_as_non_root, ("container",)),
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
            "properties": {"paths": _strings(), "sockets": _strings()},
        },
    ),
    "writable-host-mount": Check(writable_host_mount, ("container",)),
}
