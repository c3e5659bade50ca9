"""Checks that relate Kubernetes objects to each other, across every file of a run.

A project check is called once per run with a summary of every object (linter/ir/inventory.py)
and yields `(object, span, args)`: the object the finding is about, the exact span in that
object's file, and the message arguments. Objects relate only within one namespace, an unset
namespace being `default` (see inventory.same_namespace). The linted files are taken to be the
whole set that is applied together: a check that looks for an object and does not find it says
so, and rules whose target may well live elsewhere (a Secret made by another tool) report at
severity info.
"""

from __future__ import annotations

import math
import os
from collections import defaultdict

from linter.checks import Check

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Iterator

    from linter.checks import Context, Hit
    from linter.ir.inventory import ObjectSummary, Selector
    from linter.ir.kubernetes import Resource
    from linter.ir.source import Span

    ProjectHit = tuple[ObjectSummary, Span, dict[str, object]]


def _index(objects: list[ObjectSummary]) -> _Index:
    """The index of a set of objects, built once for all the rules that are given that set."""
    global _LAST
    if _LAST is None or _LAST[0] is not objects or _LAST[2] != len(objects):
        _LAST = (objects, _Index(objects), len(objects))
    return _LAST[1]


class _Index:
    """The objects of a run by kind and namespace, built once per check call, with lookups that
    stay fast on a directory of thousands of objects (a scan of every pod per Service made a run
    over 50,000 generated objects take minutes)."""

    def __init__(self, objects: list[ObjectSummary]) -> None:
        self.objects = objects
        self.by_kind: dict[tuple[str, str], list[ObjectSummary]] = defaultdict(list)
        self.by_name: dict[tuple[str, str, str | None], list[ObjectSummary]] = defaultdict(list)
        self.pods: dict[str, list[ObjectSummary]] = defaultdict(list)  # objects that make pods
        self._by_label: dict[tuple[str, str, str], list[ObjectSummary]] | None = None
        self._scalers: dict[tuple[str, str, str | None], list[ObjectSummary]] | None = None
        for o in objects:
            ns = o.effective_namespace
            self.by_kind[(o.kind, ns)].append(o)
            self.by_name[(o.kind, ns, o.name)].append(o)
            if o.pod_labels is not None:
                self.pods[ns].append(o)

    def of_kind(self, kind: str, namespace: str) -> list[ObjectSummary]:
        return self.by_kind.get((kind, namespace), [])

    def named(self, kind: str, name: str, namespace: str) -> list[ObjectSummary]:
        return self.by_name.get((kind, namespace, name), [])

    def pods_matching(self, selector: Selector, namespace: str) -> list[ObjectSummary]:
        """The pod-making objects of a namespace that a selector matches, in their order."""
        candidates: list[ObjectSummary] | tuple[()] = self.pods.get(namespace, ())
        if selector.match_labels:  # only the objects with the rarest of its labels can match
            if self._by_label is None:
                self._by_label = defaultdict(list)
                for ns, pods in self.pods.items():
                    for o in pods:
                        for pair in (o.pod_labels or {}).items():
                            self._by_label[(ns, *pair)].append(o)
            by_label = self._by_label
            candidates = min(
                (by_label.get((namespace, k, v), []) for k, v in selector.match_labels.items()), key=len
            )
        return [o for o in candidates if selector.matches(o.pod_labels or {})]

    def scalers_of(self, workload: ObjectSummary) -> list[ObjectSummary]:
        """The HorizontalPodAutoscalers and KEDA ScaledObjects that scale a workload."""
        if self._scalers is None:
            self._scalers = defaultdict(list)
            for kind in ("HorizontalPodAutoscaler", "ScaledObject"):
                for (k, ns), found in self.by_kind.items():
                    if k != kind:
                        continue
                    for s in found:
                        if s.scale_target is not None:
                            self._scalers[(ns, s.scale_target.kind, s.scale_target.name)].append(s)
        return self._scalers.get((workload.effective_namespace, workload.kind, workload.name), [])


_LAST: tuple[list[ObjectSummary], _Index, int] | None = None


def _policy_selects(policy: ObjectSummary, labels: dict[str, str]) -> bool:
    # `podSelector` is required; an empty one (or one the API would default) selects every pod.
    return policy.pod_selector is None or policy.pod_selector.matches(labels)


def _percent(value: int | str | None) -> float | None:
    if isinstance(value, str) and value.endswith("%"):
        try:
            return float(value[:-1])
        except ValueError:
            return None
    return None


# -- Services, Ingresses and their pods --------------------------------------------------------


def dangling_service(objects: list[ObjectSummary], ctx: Context) -> Iterator[ProjectHit]:
    """A Service whose selector matches the pods of no workload in its namespace. A Service
    without a selector (its endpoints are managed by hand) and an ExternalName Service are
    exempt."""
    from linter.ir.inventory import Selector

    index = _index(objects)
    for svc in objects:
        if svc.kind != "Service" or svc.service_selector is None or svc.service_type == "ExternalName":
            continue
        selector = Selector(svc.service_selector, (), svc.span)
        if not index.pods_matching(selector, svc.effective_namespace):
            yield svc, svc.selector_span or svc.span, {"selector": selector.text()}


def service_target_port(objects: list[ObjectSummary], ctx: Context) -> Iterator[ProjectHit]:
    """A Service port whose target is not a port of the pods the Service selects: a port name
    that no container of those pods declares (the Service then has no endpoint for it), or a
    number that none declares while every one of them declares its ports."""
    from linter.ir.inventory import POD_TEMPLATE_PATHS, Selector

    index = _index(objects)
    for svc in objects:
        if svc.kind != "Service" or svc.service_selector is None or svc.service_type == "ExternalName":
            continue
        pods = index.pods_matching(Selector(svc.service_selector, (), svc.span), svc.effective_namespace)
        if not pods:
            continue  # dangling-service reports it
        if any(pod.kind not in POD_TEMPLATE_PATHS for pod in pods):
            continue  # pods an operator makes: their ports are not written here
        for port in svc.service_ports:
            target = port.target
            if target is None:
                continue
            if isinstance(target, str):
                if any(p.name == target for pod in pods for p in pod.container_ports):
                    continue
                what = f"port name '{target}'"
            else:
                # Declaring a container port is informational: a container may listen on any port.
                # A number is only doubted when every selected pod lists its ports.
                if not all(pod.container_ports for pod in pods):
                    continue
                if any(p.number == target for pod in pods for p in pod.container_ports):
                    continue
                what = f"port {target}"
            args: dict[str, object] = {
                "target": what,
                "workloads": ", ".join(sorted({p.object_id for p in pods})),
            }
            if not isinstance(target, str):
                args["severity"] = "info"  # the process may listen on a port it does not declare
            yield svc, port.target_span, args


def dangling_ingress(objects: list[ObjectSummary], ctx: Context) -> Iterator[ProjectHit]:
    """An Ingress backend naming a Service that is not in its namespace, or a port (number or
    name) that the Service does not have. Backends to other resources are not checked."""
    index = _index(objects)
    for ing in objects:
        if ing.kind != "Ingress":
            continue
        for b in ing.backends:
            services = index.named("Service", b.service, ing.effective_namespace)
            if not services:
                yield ing, b.span, {"reason": f"Service '{b.service}' is not in the linted files"}
                continue
            if b.port is None:
                continue
            if isinstance(b.port, int):
                found = any(p.port == b.port for s in services for p in s.service_ports)
                what = f"port {b.port}"
            else:
                found = any(p.name == b.port for s in services for p in s.service_ports)
                what = f"a port named '{b.port}'"
            if not found:
                yield ing, b.port_span or b.span, {"reason": f"Service '{b.service}' has no {what}"}


# -- autoscaling -------------------------------------------------------------------------------


def dangling_autoscaler(objects: list[ObjectSummary], ctx: Context) -> Iterator[ProjectHit]:
    """A HorizontalPodAutoscaler (or KEDA ScaledObject) whose scaleTargetRef names no object of
    that kind and name in its namespace."""
    index = _index(objects)
    for hpa in objects:
        target = hpa.scale_target
        if target is None or hpa.kind not in ("HorizontalPodAutoscaler", "ScaledObject"):
            continue
        if not index.named(target.kind, target.name, hpa.effective_namespace):
            yield hpa, target.span, {"target": f"{target.kind}/{target.name}"}


def autoscaled_replicas(objects: list[ObjectSummary], ctx: Context) -> Iterator[ProjectHit]:
    """A workload that sets `spec.replicas` while an autoscaler scales it: every apply resets the
    count the autoscaler chose."""
    index = _index(objects)
    for w in objects:
        if w.replicas is None or w.replicas_span is None:
            continue
        scalers = index.scalers_of(w)
        if scalers:
            yield w, w.replicas_span, {"replicas": w.replicas, "scaler": scalers[0].object_id}


# -- disruption budgets ------------------------------------------------------------------------


def pdb_selects_nothing(objects: list[ObjectSummary], ctx: Context) -> Iterator[ProjectHit]:
    """A PodDisruptionBudget that covers the pods of no workload in its namespace: it has no
    selector, an empty one where that means none (policy/v1beta1), or one that matches no pod
    template."""
    index = _index(objects)
    for pdb in objects:
        if pdb.kind != "PodDisruptionBudget":
            continue
        if pdb.selector is None:
            yield pdb, pdb.selector_span or pdb.spec_span or pdb.span, {"reason": "it sets no selector"}
            continue
        if pdb.selector.empty:
            if pdb.api_version != "policy/v1":
                yield (
                    pdb,
                    pdb.selector_span or pdb.span,
                    {"reason": f"an empty selector selects nothing in {pdb.api_version}"},
                )
            continue
        if not index.pods_matching(pdb.selector, pdb.effective_namespace):
            reason = f"its selector {pdb.selector.text()} matches no pod template"
            yield pdb, pdb.selector_span or pdb.span, {"reason": reason}


def pdb_blocks_evictions(objects: list[ObjectSummary], ctx: Context) -> Iterator[ProjectHit]:
    """A PodDisruptionBudget that lets no pod be evicted: `maxUnavailable` of 0 or 0%,
    `minAvailable` of 100% or more, or a `minAvailable` at least the replica count of a workload it
    covers. The count is the lowest minimum of the autoscalers that scale the workload, else its
    explicit `spec.replicas`; a workload with neither is not judged, since its count is set
    elsewhere."""
    from linter.ir.inventory import SCALABLE_KINDS

    index = _index(objects)
    for pdb in objects:
        if pdb.kind != "PodDisruptionBudget":
            continue
        max_unavailable = pdb.max_unavailable
        if pdb.max_unavailable_span is not None and (max_unavailable == 0 or _percent(max_unavailable) == 0):
            yield (
                pdb,
                pdb.max_unavailable_span,
                {"reason": f"maxUnavailable: {max_unavailable} allows no eviction"},
            )
            continue
        minimum, span = pdb.min_available, pdb.min_available_span
        if minimum is None or span is None:
            continue
        percent = _percent(minimum)
        if percent is not None and percent >= 100:
            yield pdb, span, {"reason": f"minAvailable: {minimum} allows no eviction"}
            continue
        if percent is None and not isinstance(minimum, int):
            continue
        if pdb.selector is None:
            continue
        if pdb.selector.empty:
            covered = index.pods.get(pdb.effective_namespace, []) if pdb.api_version == "policy/v1" else []
        else:
            covered = index.pods_matching(pdb.selector, pdb.effective_namespace)
        for w in covered:
            if w.kind not in SCALABLE_KINDS:
                continue
            scalers = index.scalers_of(w)
            if scalers:
                count = min(s.min_replicas or 0 for s in scalers)
                source = f"the minimum of {scalers[0].object_id}"
            elif w.replicas is not None:
                count, source = w.replicas, "its replicas"
            else:
                continue
            if count <= 0:
                continue
            required = math.ceil(percent * count / 100) if percent is not None else int(minimum)
            if required >= count:
                reason = (
                    f"minAvailable: {minimum} keeps all {count} pods of {w.object_id} ({source}) "
                    "from eviction"
                )
                yield pdb, span, {"reason": reason}


def pdb_eviction_policy(r: Resource, ctx: Context) -> Iterator[Hit]:
    """A policy/v1 PodDisruptionBudget that leaves `unhealthyPodEvictionPolicy` unset (a
    per-object check)."""
    if r.api_version != "policy/v1":
        return
    spec = r.node.map("spec")
    if spec is not None and spec.present("unhealthyPodEvictionPolicy") is not None:
        return
    yield (r.node.key_span("spec") or r.node.key_span("kind") or r.span), {}


def workload_without_pdb(objects: list[ObjectSummary], ctx: Context) -> Iterator[ProjectHit]:
    """A Deployment or StatefulSet (the kinds in `kinds`) that may run several replicas (an
    explicit `replicas` of 2 or more, or none) and whose pods no PodDisruptionBudget covers."""
    kinds = set(ctx.params.get("kinds") or ())  # type: ignore[call-overload]
    index = _index(objects)
    covered: set[int] = set()  # the pod-making objects some budget covers, by id
    for pdb in objects:
        if pdb.kind != "PodDisruptionBudget" or pdb.selector is None:
            continue
        if pdb.selector.empty:
            if pdb.api_version == "policy/v1":
                covered.update(id(w) for w in index.pods.get(pdb.effective_namespace, []))
        else:
            covered.update(id(w) for w in index.pods_matching(pdb.selector, pdb.effective_namespace))
    for w in objects:
        if w.kind not in kinds or w.pod_labels is None:
            continue
        if w.replicas is not None and w.replicas < 2:
            continue
        if id(w) not in covered:
            yield w, w.span, {}


# -- network policies --------------------------------------------------------------------------


def networkpolicy_selects_nothing(objects: list[ObjectSummary], ctx: Context) -> Iterator[ProjectHit]:
    """A NetworkPolicy whose podSelector matches the pods of no workload in its namespace. An
    empty podSelector (every pod of the namespace) is not judged."""
    index = _index(objects)
    for pol in objects:
        if pol.kind != "NetworkPolicy" or pol.pod_selector is None or pol.pod_selector.empty:
            continue
        if not index.pods_matching(pol.pod_selector, pol.effective_namespace):
            yield pol, pol.selector_span or pol.span, {"selector": pol.pod_selector.text()}


def networkpolicy_peer_selects_nothing(objects: list[ObjectSummary], ctx: Context) -> Iterator[ProjectHit]:
    """A `from` or `to` peer of a NetworkPolicy with a podSelector (and no namespaceSelector)
    that matches the pods of no workload in the policy's namespace."""
    index = _index(objects)
    for pol in objects:
        if pol.kind != "NetworkPolicy":
            continue
        for peer in pol.peer_selectors:
            if peer.empty or index.pods_matching(peer, pol.effective_namespace):
                continue
            yield pol, peer.span, {"selector": peer.text()}


def pod_not_isolated(objects: list[ObjectSummary], ctx: Context) -> Iterator[ProjectHit]:
    """A workload whose pods no NetworkPolicy of their namespace isolates, for each direction
    in `directions` (Ingress, Egress)."""
    directions: list[str] = list(ctx.params.get("directions") or ())  # type: ignore[call-overload]
    index = _index(objects)
    for w in objects:
        if w.pod_labels is None or not w.has_containers:
            continue
        policies = index.of_kind("NetworkPolicy", w.effective_namespace)
        open_ = [
            d
            for d in directions
            if not any(d in p.policy_types and _policy_selects(p, w.pod_labels) for p in policies)
        ]
        if not open_:
            continue
        if len(open_) == len(directions) and not any(_policy_selects(p, w.pod_labels) for p in policies):
            reason = "no NetworkPolicy selects its pods"
        else:
            reason = "no NetworkPolicy restricts its " + " or ".join(d.lower() for d in open_) + " traffic"
        yield w, w.span, {"reason": reason}


def dangling_servicemonitor(objects: list[ObjectSummary], ctx: Context) -> Iterator[ProjectHit]:
    """A ServiceMonitor whose selector matches no Service in the namespaces it looks in (its
    namespaceSelector's names, any namespace with `any: true`, else its own)."""
    services = [o for o in objects if o.kind == "Service"]
    for mon in objects:
        if mon.kind != "ServiceMonitor" or mon.group != "monitoring.coreos.com":
            continue
        spaces = mon.monitor_namespaces
        found = any(
            (spaces is None or s.effective_namespace in spaces)
            and (mon.selector is None or mon.selector.matches(s.labels))
            for s in services
        )
        if found:
            continue
        selector = mon.selector.text() if mon.selector is not None else "(everything)"
        where = "any namespace" if spaces is None else "namespace " + ", ".join(sorted(spaces))
        yield mon, mon.selector_span or mon.spec_span or mon.span, {"selector": selector, "namespaces": where}


# -- references by name ------------------------------------------------------------------------


def service_account_not_found(objects: list[ObjectSummary], ctx: Context) -> Iterator[ProjectHit]:
    """A pod's serviceAccountName (or deprecated serviceAccount) naming a ServiceAccount that is
    not in its namespace, unless listed in `ignore`."""
    ignore = set(ctx.params.get("ignore") or ())  # type: ignore[call-overload]
    index = _index(objects)
    for w in objects:
        for ref in w.references:
            if ref.kind != "ServiceAccount" or ref.name in ignore:
                continue
            if not index.named("ServiceAccount", ref.name, w.effective_namespace):
                yield w, ref.span, {"account": ref.name}


def reference_not_found(objects: list[ObjectSummary], ctx: Context) -> Iterator[ProjectHit]:
    """A ConfigMap, Secret or PersistentVolumeClaim that a pod needs and that is not in its
    namespace, or a key that a ConfigMap or Secret of the linted files does not hold (reported at
    severity warning: the pod cannot start). References marked `optional: true` are exempt, as
    are names listed in `ignore`, and keys of an object that holds no data at all (its data is
    filled in by something else)."""
    ignore = set(ctx.params.get("ignore") or ())  # type: ignore[call-overload]
    index = _index(objects)
    for w in objects:
        seen: set[tuple[str, str, str | None, tuple[int, int]]] = set()
        for ref in w.references:
            if ref.kind == "ServiceAccount" or ref.optional or ref.name in ignore:
                continue
            found = index.named(ref.kind, ref.name, w.effective_namespace)
            # One finding per place: a volume that lists keys refers once per key.
            mark = (ref.kind, ref.name, ref.key if found else None, (ref.span.line, ref.span.column))
            if mark in seen:
                continue
            seen.add(mark)
            if not found:
                what = f"{ref.kind} '{ref.name}' ({ref.where}) is not in the linted files"
                yield w, ref.span, {"reason": what}
                continue
            if ref.key is None:
                continue
            holders = [o.data_keys for o in found if o.data_keys]
            if holders and not any(ref.key in keys for keys in holders):
                reason = f"{ref.kind} '{ref.name}' has no key '{ref.key}' ({ref.where})"
                yield w, ref.span, {"reason": reason, "severity": "warning"}


# -- duplicates --------------------------------------------------------------------------------


def duplicate_object(objects: list[ObjectSummary], ctx: Context) -> Iterator[ProjectHit]:
    """An object defined again in another file of the same directory (same API group, kind,
    namespace and name): whichever is applied last silently replaces the other. The first
    definition (by path, then line) is not reported; duplicates within one file are another
    rule's."""
    from linter.ir.inventory import CLUSTER_SCOPED_KINDS

    groups: dict[tuple[str, str, str, str, str], list[ObjectSummary]] = defaultdict(list)
    for o in objects:
        if o.name is None:
            continue
        ns = "" if o.kind in CLUSTER_SCOPED_KINDS else o.effective_namespace
        groups[(os.path.dirname(os.path.abspath(o.path)), o.group, o.kind, ns, o.name)].append(o)
    real: dict[str, str] = {}  # path -> the file it names (resolved once per file)

    def resolved(path: str) -> str:
        r = real.get(path)
        if r is None:
            r = real[path] = os.path.realpath(path)
        return r

    for found in groups.values():
        if len(found) < 2 or len({resolved(o.path) for o in found}) < 2:  # one file, or a link to it
            continue
        found.sort(key=lambda o: (o.path, o.span.line))
        first = found[0]
        for o in found[1:]:
            if resolved(o.path) == resolved(first.path):
                continue
            where = f"{first.path}:{(first.name_span or first.span).line}"
            yield o, o.name_span or o.span, {"first": where}


def _strings(description: str) -> dict[str, object]:
    return {"type": "array", "items": {"type": "string", "minLength": 1}, "description": description}


def _params(**properties: dict[str, object]) -> dict[str, object]:
    return {"type": "object", "additionalProperties": False, "properties": properties}


PROJECT = ("project",)

CHECKS = {
    "dangling-service": Check(dangling_service, PROJECT),  # type: ignore[arg-type]
    "service-target-port": Check(service_target_port, PROJECT),  # type: ignore[arg-type]
    "dangling-ingress": Check(dangling_ingress, PROJECT),  # type: ignore[arg-type]
    "dangling-autoscaler": Check(dangling_autoscaler, PROJECT),  # type: ignore[arg-type]
    "autoscaled-replicas": Check(autoscaled_replicas, PROJECT),  # type: ignore[arg-type]
    "pdb-selects-nothing": Check(pdb_selects_nothing, PROJECT),  # type: ignore[arg-type]
    "pdb-blocks-evictions": Check(pdb_blocks_evictions, PROJECT),  # type: ignore[arg-type]
    "pdb-eviction-policy": Check(pdb_eviction_policy, ("resource",)),
    "workload-without-pdb": Check(
        workload_without_pdb,  # type: ignore[arg-type]
        PROJECT,
        {
            **_params(kinds=_strings("The workload kinds that need a PodDisruptionBudget.")),
            "required": ["kinds"],
        },
    ),
    "networkpolicy-selects-nothing": Check(networkpolicy_selects_nothing, PROJECT),  # type: ignore[arg-type]
    "networkpolicy-peer-selects-nothing": Check(networkpolicy_peer_selects_nothing, PROJECT),  # type: ignore[arg-type]
    "pod-not-isolated": Check(
        pod_not_isolated,  # type: ignore[arg-type]
        PROJECT,
        {
            **_params(
                directions={
                    "type": "array",
                    "items": {"enum": ["Ingress", "Egress"]},
                    "minItems": 1,
                    "uniqueItems": True,
                    "description": "The traffic directions a NetworkPolicy must restrict.",
                }
            ),
            "required": ["directions"],
        },
    ),
    "dangling-servicemonitor": Check(dangling_servicemonitor, PROJECT),  # type: ignore[arg-type]
    "service-account-not-found": Check(
        service_account_not_found,  # type: ignore[arg-type]
        PROJECT,
        _params(ignore=_strings("ServiceAccount names that exist in every namespace.")),
    ),
    "reference-not-found": Check(
        reference_not_found,  # type: ignore[arg-type]
        PROJECT,
        _params(ignore=_strings("ConfigMap, Secret and claim names made outside the linted files.")),
    ),
    "duplicate-object": Check(duplicate_object, PROJECT),  # type: ignore[arg-type]
}
