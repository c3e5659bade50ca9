"""Health probes of containers, and the ports and names they are reached by: probe ports, port
names, Service target ports and the pod's DNS options."""

from __future__ import annotations

import re

from linter.checks import Check

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Iterator

    from linter.checks import Context, Hit
    from linter.ir.kubernetes import ContainerView, PodView, Resource, YMap, YNode

PROBES = ("livenessProbe", "readinessProbe", "startupProbe")
_PROBE_PARAMETERS = {
    "type": "object",
    "additionalProperties": False,
    "required": ["probe"],
    "properties": {"probe": {"enum": list(PROBES)}},
}


def probe_missing(c: ContainerView, ctx: Context) -> Iterator[Hit]:
    """The container has no such probe; `livenessProbe: null` is none (Kubernetes drops null
    fields)."""
    probe = str(ctx.params["probe"])
    if c.node.present(probe) is None:
        yield c.span, {"container": c.name, "probe": probe}


# -- ports -------------------------------------------------------------------------------------

# The handlers that reach the container over the network, all of them over TCP.
_NETWORK_HANDLERS = ("httpGet", "tcpSocket", "grpc")


def _int(node: YNode | None) -> int | None:
    from linter.ir.kubernetes import YScalar

    if isinstance(node, YScalar) and isinstance(node.value, int) and not isinstance(node.value, bool):
        return node.value
    return None


def _declared_ports(c: ContainerView) -> list[tuple[int | None, str, str]]:
    """(containerPort, name, protocol) of each port the container declares; the protocol
    defaults to TCP."""
    from linter.ir.kubernetes import YMap

    ports = c.node.seq("ports")
    out = []
    for p in ports.items if ports is not None else ():
        if not isinstance(p, YMap):
            continue
        name = p.scalar("name")
        protocol = p.scalar("protocol")
        out.append(
            (
                _int(p.get("containerPort")),
                name if isinstance(name, str) else "",
                protocol.upper() if isinstance(protocol, str) and protocol else "TCP",
            )
        )
    return out


def probe_port(c: ContainerView, ctx: Context) -> Iterator[Hit]:
    """The probe's port (httpGet, tcpSocket or grpc) is not a TCP port the container declares. A
    port name that no port of the container has cannot be resolved, and the probe always fails
    (an error); a number that none of the declared ports has is a probe aimed elsewhere than the
    container listens (a warning). A container that declares no ports is checked for names only:
    declaring ports is optional, and a probe may reach any port."""
    from linter.ir.kubernetes import YMap, YScalar

    probe_key = str(ctx.params["probe"])
    probe = c.node.map(probe_key)
    if probe is None:
        return
    declared = _declared_ports(c)
    for handler in _NETWORK_HANDLERS:
        action = probe.map(handler)
        port = action.present("port") if isinstance(action, YMap) else None
        if not isinstance(port, YScalar) or port.value is None or isinstance(port.value, bool):
            continue
        args = {"container": c.name, "probe": probe_key, "handler": handler, "port": port.text}
        digits = isinstance(port.value, str) and port.value.strip().isascii() and port.value.strip().isdigit()
        if isinstance(port.value, str) and not digits:
            name = port.value.strip()
            protocols = {proto for _, n, proto in declared if n == name}
            if not protocols:
                reason = "no port of the container has that name"
                yield port.span, {**args, "reason": reason, "severity": "error"}
            elif "TCP" not in protocols:
                reason = f"that port is {'/'.join(sorted(protocols))}, and the probe connects over TCP"
                yield port.span, {**args, "reason": reason, "severity": "error"}
            continue
        number = int(str(port.value)) if digits else _int(port)
        if number is None or not declared:
            continue
        protocols = {proto for n, _, proto in declared if n == number}
        if not protocols:
            yield port.span, {**args, "reason": "the container declares other ports"}
        elif "TCP" not in protocols:
            reason = f"that port is {'/'.join(sorted(protocols))}, and the probe connects over TCP"
            yield port.span, {**args, "reason": reason}


def probes_identical(c: ContainerView, ctx: Context) -> Iterator[Hit]:
    """The liveness probe is the readiness probe, field for field."""
    from linter.ir.kubernetes import YMap

    live, ready = c.node.present("livenessProbe"), c.node.present("readinessProbe")
    if isinstance(live, YMap) and isinstance(ready, YMap) and live.to_python() == ready.to_python():
        yield c.node.key_span("livenessProbe") or c.span, {"container": c.name}


# Kubernetes' defaults for the probe timings it reads.
_PROBE_DEFAULTS = {"periodSeconds": 10, "timeoutSeconds": 1, "failureThreshold": 3, "successThreshold": 1}


def _timing(probe: YMap, field: str) -> tuple[int, YNode | None]:
    """A timing field's value (Kubernetes' default when it is not an integer) and its node when
    the probe sets it."""
    node = probe.present(field)
    number = _int(node)
    if number is None:
        return _PROBE_DEFAULTS.get(field, 0), None
    return number, node


def probe_timing(c: ContainerView, ctx: Context) -> Iterator[Hit]:
    """Probe timings that work against the probe: a timeout no shorter than the period, a liveness
    probe that restarts the container after failing for less than `min-liveness-failure-seconds`,
    an initial delay over `max-initial-delay-seconds` (a startup probe does that job), and a
    success threshold other than 1 on a liveness or startup probe (the API refuses it)."""
    min_window = int(ctx.params["min-liveness-failure-seconds"])  # type: ignore[call-overload]
    max_delay = int(ctx.params["max-initial-delay-seconds"])  # type: ignore[call-overload]
    for key in PROBES:
        probe = c.node.map(key)
        if probe is None:
            continue
        args: dict[str, object] = {"container": c.name, "probe": key}
        period, period_node = _timing(probe, "periodSeconds")
        timeout, timeout_node = _timing(probe, "timeoutSeconds")
        failures, failures_node = _timing(probe, "failureThreshold")
        successes, successes_node = _timing(probe, "successThreshold")
        delay, delay_node = _timing(probe, "initialDelaySeconds")
        if key != "readinessProbe" and successes_node is not None and successes != 1:
            reason = f"sets successThreshold: {successes}, which the API refuses on a {key} (it must be 1)"
            yield successes_node.span, {**args, "reason": reason, "severity": "error"}
        where = timeout_node or period_node
        if where is not None and period > 0 and timeout >= period:
            reason = (
                f"waits {timeout}s for an answer but probes every {period}s: "
                "timeoutSeconds should be below periodSeconds"
            )
            yield where.span, {**args, "reason": reason}
        where = failures_node or period_node
        if key == "livenessProbe" and where is not None and failures * period < min_window:
            reason = (
                f"restarts the container after {failures * period}s of failures "
                f"(failureThreshold {failures} x periodSeconds {period}), less than {min_window}s: "
                "a pause in the application (garbage collection, a slow dependency) kills it"
            )
            yield where.span, {**args, "reason": reason}
        if key != "startupProbe" and delay_node is not None and delay > max_delay:
            reason = (
                f"waits {delay}s before the first probe, more than {max_delay}s: "
                "a startupProbe covers slow starts without delaying the detection of later failures"
            )
            yield delay_node.span, {**args, "reason": reason}


# -- port names ---------------------------------------------------------------------------------

_LOWER_ALNUM_DASH = re.compile(r"[a-z0-9-]*")


def port_name_problem(name: str) -> str | None:
    """Why a port name is not an IANA service name (RFC 6335) as Kubernetes requires: at most
    15 characters of a-z, 0-9 and '-', with at least one letter, not starting or ending with '-',
    without '--'. None when it is one."""
    if not name:
        return "it is empty"
    if len(name) > 15:
        return "it is longer than 15 characters"
    if not _LOWER_ALNUM_DASH.fullmatch(name):
        return "it may hold only lower-case letters, digits and '-'"
    if not any("a" <= ch <= "z" for ch in name):
        return "it has no letter"
    if name.startswith("-") or name.endswith("-"):
        return "it starts or ends with '-'"
    if "--" in name:
        return "it has '--'"
    return None


def port_names(r: Resource, ctx: Context) -> Iterator[Hit]:
    """Container port names that are not IANA service names or repeat within a container, and
    Service target ports that are neither such a name nor a number from 1 to 65535. The API server
    refuses each."""
    from linter.ir.kubernetes import PodView, YMap, YScalar

    pod = PodView.of(r)
    if pod is not None:
        for c in pod.containers:
            ports = c.node.seq("ports")
            seen: set[str] = set()
            for p in ports.items if ports is not None else ():
                name = p.present("name") if isinstance(p, YMap) else None
                if not isinstance(name, YScalar):
                    continue
                text = name.text if not isinstance(name.value, str) else name.value
                problem = port_name_problem(text)
                args = {"what": f"port name '{text}' of container '{c.name}'"}
                if problem:
                    yield name.span, {**args, "reason": problem}
                elif text in seen:
                    yield name.span, {**args, "reason": "another port of the container has that name"}
                seen.add(text)
        return
    if r.kind != "Service":
        return
    spec = r.node.map("spec")
    ports = spec.seq("ports") if spec is not None else None
    for p in ports.items if ports is not None else ():
        target = p.present("targetPort") if isinstance(p, YMap) else None
        if not isinstance(target, YScalar) or isinstance(target.value, bool):
            continue
        args = {"what": f"targetPort '{target.text}' of Service '{r.name}'"}
        if isinstance(target.value, int):
            if not 1 <= target.value <= 65535:
                yield target.span, {**args, "reason": "a port number must be from 1 to 65535"}
        elif isinstance(target.value, str):
            problem = port_name_problem(target.value)
            if problem:
                yield target.span, {**args, "reason": problem}


# -- DNS ----------------------------------------------------------------------------------------


def _option_text(name: object, value: object) -> str:
    return str(name) if value is None else f"{name}:{value}"


def dns_options(pod: PodView, ctx: Context) -> Iterator[Hit]:
    """Each option of `options` ({name, value}) that the pod's `dnsConfig.options` does not set to
    that value. A value of null asks only for the option's name."""
    from linter.ir.kubernetes import YMap

    wanted = [o for o in ctx.params["options"] if isinstance(o, dict)]  # type: ignore[attr-defined]
    if not wanted:
        return
    shown = [_option_text(o.get("name"), o.get("value")) for o in wanted]
    required = ", ".join(shown)
    config = pod.spec.map("dnsConfig")
    if config is None:
        where = pod.spec.key_span("dnsConfig") or pod.template.key_span("spec") or pod.spec.span
        yield where, {"detail": "sets no dnsConfig", "required": required}
        return
    options = config.seq("options")
    if options is None or not options.items:
        where = pod.spec.key_span("dnsConfig") or pod.spec.span
        yield where, {"detail": "sets no dnsConfig.options", "required": required}
        return
    have: dict[str, tuple[YMap, str | None]] = {}
    for o in options.items:
        if isinstance(o, YMap) and isinstance(o.scalar("name"), str):
            value = o.scalar("value")
            have[str(o.scalar("name"))] = (o, None if value is None else str(value))
    for option, text in zip(wanted, shown, strict=True):
        name, value = str(option.get("name")), option.get("value")
        found = have.get(name)
        if found is None:
            detail = f"does not set the DNS option {text}"
            yield config.key_span("options") or config.span, {"detail": detail, "required": required}
        elif value is not None and found[1] != str(value):
            node = found[0].get("value")
            where = node.span if node is not None else found[0].first_key_span()
            detail = f"sets the DNS option {_option_text(name, found[1])}"
            yield where, {"detail": detail, "required": required}


CHECKS = {
    "probe-missing": Check(probe_missing, ("container",), _PROBE_PARAMETERS),
    "probe-port": Check(probe_port, ("container",), _PROBE_PARAMETERS),
    "probes-identical": Check(probes_identical, ("container",)),
    "probe-timing": Check(
        probe_timing,
        ("container",),
        {
            "type": "object",
            "additionalProperties": False,
            "required": ["min-liveness-failure-seconds", "max-initial-delay-seconds"],
            "properties": {
                "min-liveness-failure-seconds": {"type": "integer", "minimum": 0},
                "max-initial-delay-seconds": {"type": "integer", "minimum": 0},
            },
        },
    ),
    "port-names": Check(port_names, ("resource",)),
    "dns-options": Check(
        dns_options,
        ("pod",),
        {
            "type": "object",
            "additionalProperties": False,
            "required": ["options"],
            "properties": {
                "options": {
                    "type": "array",
                    "items": {
                        "type": "object",
                        "additionalProperties": False,
                        "required": ["name"],
                        "properties": {
                            "name": {"type": "string", "minLength": 1},
                            "value": {"type": ["string", "null"]},
                        },
                    },
                }
            },
        },
    ),
}
