"""kube-scheduler's default profile, replayed pod by pod and vectorised over the nodes with numpy.

NodeAffinity's PreFilter first narrows the nodes when every required term names them with
matchFields metadata.name In (a DaemonSet pod's pinning); the other nodes are not filtered and
count under "didn't satisfy plugin(s) [NodeAffinity]" (schedule_one.go findNodesThatFitPod).
Filters run in the default profile's order, and a node is rejected by the first plugin that fails
it (the framework stops at the first failing Filter, RunFilterPlugins); NodeResourcesFit reports
every insufficient resource of a node at once, so a node may count under several reasons, as in
kube-scheduler's histogram. Scoring uses the default plugin weights (apis/config/v1
default_plugins.go):
TaintToleration 3, NodeAffinity 2, PodTopologySpread 2, InterPodAffinity 2, NodeResourcesFit
(LeastAllocated over cpu and memory) 1, NodeResourcesBalancedAllocation 1, ImageLocality 1.
Each plugin scores 0..100 on the nodes that passed the filters: the resource plugins and
ImageLocality directly, the others through their NormalizeScore (TaintToleration and NodeAffinity
helper.DefaultNormalizeScore, PodTopologySpread and InterPodAffinity their own); the framework
then sums score * weight. Ties, which kube-scheduler breaks at random (selectHost's
reservoir sampling), go to the node whose name sorts first.

Measured: a per-node Python loop doing only the resource fit and two scores ran at about 410
pods/s at 5,000 nodes (bench/simulate.py's scenarios need 2,000): hence numpy.
"""

from __future__ import annotations

import math

import numpy as np

from linter.simulate.pods import (
    UNSCHEDULABLE_TAINT,
    NodeTerm,
    Pod,
    PodTerm,
    Selector,
    Spread,
    node_affinity_matches,
    selector_matches,
    term_matches_pod,
    tolerated,
)

TYPE_CHECKING = False
if TYPE_CHECKING:
    from numpy.typing import NDArray

    from linter.simulate.cluster import Cluster

    Mask = NDArray[np.bool_]
    Ints = NDArray[np.int64]

HOSTNAME = "kubernetes.io/hostname"
ZONE = "topology.kubernetes.io/zone"
MAX_SCORE = 100
WEIGHTS = {
    "TaintToleration": 3,
    "NodeAffinity": 2,
    "PodTopologySpread": 2,
    "InterPodAffinity": 2,
    "NodeResourcesFit": 1,
    "NodeResourcesBalancedAllocation": 1,
    "ImageLocality": 1,
}
# The plugins' reasons, as kube-scheduler words them.
R_UNSCHEDULABLE = "node(s) were unschedulable"
R_NODE_NAME = "node(s) didn't match the requested node name"
R_TAINT = "node(s) had untolerated taint(s)"
R_AFFINITY = "node(s) didn't match Pod's node affinity/selector"
R_PORTS = "node(s) didn't have free ports for the requested pod ports"
R_TOO_MANY_PODS = "Too many pods"
R_SPREAD = "node(s) didn't match pod topology spread constraints"
R_SPREAD_LABEL = "node(s) didn't match pod topology spread constraints (missing required label)"
R_POD_AFFINITY = "node(s) didn't match pod affinity rules"
R_POD_ANTI = "node(s) didn't match pod anti-affinity rules"
R_EXISTING_ANTI = "node(s) didn't satisfy existing pods anti-affinity rules"
# NodeAffinity's PreFilter narrows the nodes to those named by matchFields metadata.name In (as a
# DaemonSet pod's affinity does); schedule_one.go findNodesThatFitPod gives the others this status
# (framework/runtime RunPreFilterPlugins returns the plugins that narrowed the nodes).
R_PREFILTER_AFFINITY = "node(s) didn't satisfy plugin(s) [NodeAffinity]"
# NodeAffinity.PreFilter's errReasonConflict: the metadata.name terms name no node at all.
R_AFFINITY_CONFLICT = "pod affinity terms conflict"
# Reasons that reject the pod at PreFilter: FitError.Error() prints them without a count.
PREFILTER_REJECTIONS = frozenset((R_AFFINITY_CONFLICT,))
# System default spreading (PodTopologySpreadArgs.defaultingType System).
SYSTEM_DEFAULT = ((HOSTNAME, 3), (ZONE, 5))
# ImageLocality's thresholds.
MB = 1024 * 1024
MIN_IMAGE = 23 * MB
MAX_IMAGE = 1000 * MB


def insufficient(resource: str) -> str:
    return f"Insufficient {resource}"


def fit_message(total: int, reasons: dict[str, int]) -> str:
    """FitError.Error(): `0/N nodes are available: ` then `count reason` sorted as strings; a
    PreFilter rejection is printed alone, without counts."""
    if len(reasons) == 1 and next(iter(reasons)) in PREFILTER_REJECTIONS:
        return f"0/{total} nodes are available: {next(iter(reasons))}."
    parts = sorted(f"{n} {r}" for r, n in reasons.items())
    msg = f"0/{total} nodes are available:"
    if parts:
        msg += f" {', '.join(parts)}."
    return msg


class Placement:
    __slots__ = ("bypassed", "message", "node", "pod", "reasons", "status")

    def __init__(
        self, pod: Pod, node: str | None, status: str, reasons: dict[str, int], message: str
    ) -> None:
        self.pod = pod
        self.node = node
        self.status = status
        self.reasons = reasons
        self.message = message
        self.bypassed = False


class State:
    """The nodes as arrays, with the pods placed so far."""

    def __init__(self, cluster: Cluster, pods: list[Pod]) -> None:
        nodes = cluster.nodes
        self.nodes = nodes
        self.n = n = len(nodes)
        self.names = [x.name for x in nodes]
        self.index = {name: i for i, name in enumerate(self.names)}
        rank = sorted(range(n), key=lambda i: self.names[i])
        self.rank = np.empty(n, dtype=np.int64)
        self.rank[rank] = np.arange(n)
        names: dict[str, None] = dict.fromkeys(("cpu", "memory", "ephemeral-storage", "pods"))
        for x in nodes:
            names.update(dict.fromkeys(x.allocatable))
        for p in pods:
            names.update(dict.fromkeys(p.requests))
        for p, _ in cluster.existing:
            names.update(dict.fromkeys(p.requests))
        self.resources = list(names)
        self.col = {r: i for i, r in enumerate(self.resources)}
        self.alloc = np.zeros((n, len(self.resources)), dtype=np.int64)
        for i, x in enumerate(nodes):
            for r, v in x.allocatable.items():
                self.alloc[i, self.col[r]] = v
        self.alloc = np.asfortranarray(self.alloc)
        self.req = np.zeros_like(self.alloc)
        self.free = self.alloc.copy()  # allocatable - requested, kept up to date by bind()
        cpu, mem = self.col["cpu"], self.col["memory"]
        # Float copies for scoring: the quotients are exact enough below 2**53 (about 9 PB).
        self.f_cpu = self.alloc[:, cpu].astype(np.float64)
        self.f_mem = self.alloc[:, mem].astype(np.float64)
        self.nz_cpu = np.zeros(n, dtype=np.int64)
        self.nz_mem = np.zeros(n, dtype=np.int64)
        self.unschedulable = np.array([x.unschedulable for x in nodes], dtype=bool)
        sets: dict[tuple[tuple[str, str, str], ...], int] = {}
        self.taint_set = np.array([sets.setdefault(x.taints, len(sets)) for x in nodes], dtype=np.int64)
        self.taint_sets = list(sets)
        self.has_prefer = any(t[2] == "PreferNoSchedule" for ts in self.taint_sets for t in ts)
        self.ports: dict[int, list[tuple[str, str, int]]] = {}
        self.placed: list[tuple[Pod, int]] = []
        self.bound: list[int] = []  # node of every bind, in order (what changed since a cache)
        self.score_cache: dict[tuple[int, int, int, int], tuple[Ints, int]] = {}
        self.on_node: list[list[Pod]] = [[] for _ in range(n)]
        self._labels: dict[str, tuple[Ints, dict[str, int]]] = {}
        self._masks: dict[object, Mask] = {}
        self._names: dict[tuple[NodeTerm, ...], tuple[Mask | None, bool]] = {}
        self._sel: dict[tuple[frozenset[str] | None, Selector | None], Ints] = {}
        self._match: dict[tuple[object, int, str], bool] = {}
        # Pods holding affinity terms, by (kind, weight, term): how many on each node.
        self.holders: dict[tuple[str, int, PodTerm], Ints] = {}
        self._images: dict[str, Ints] = {}
        self.any_images = any(x.images for x in nodes)
        for p, node in cluster.existing:
            self.bind(p, self.index[node])

    # ---- cached per-node facts ----

    def labels(self, key: str) -> tuple[Ints, dict[str, int]]:
        """The label `key` of every node as codes (-1: the node has no such label)."""
        got = self._labels.get(key)
        if got is None:
            vocab: dict[str, int] = {}
            codes = np.array(
                [
                    vocab.setdefault(v, len(vocab)) if (v := x.labels.get(key)) is not None else -1
                    for x in self.nodes
                ],
                dtype=np.int64,
            )
            got = self._labels[key] = (codes, vocab)
        return got

    def node_mask(self, pod: Pod) -> Mask:
        """NodeAffinity's filter: nodeSelector and required node affinity terms."""
        key = ("aff", tuple(sorted(pod.node_selector.items())), pod.node_required)
        got = self._masks.get(key)
        if got is None:
            mask = np.ones(self.n, dtype=bool)
            for k, v in pod.node_selector.items():
                codes, vocab = self.labels(k)
                mask &= codes == vocab.get(v, -2)
            if pod.node_required is not None:
                any_term = np.zeros(self.n, dtype=bool)
                for term in pod.node_required:
                    any_term |= self.term_mask(term)
                mask &= any_term
            got = self._masks[key] = mask
        return got

    def term_mask(self, term: tuple[Selector, Selector]) -> Mask:
        key = ("term", term)
        got = self._masks.get(key)
        if got is not None:
            return got
        exprs, fields = term
        mask = np.ones(self.n, dtype=bool)
        if not exprs and not fields:
            mask[:] = False
        for k, op, values in exprs:
            codes, vocab = self.labels(k)
            if op in ("In", "NotIn"):
                hit = np.isin(codes, [vocab[v] for v in values if v in vocab])
                mask &= hit if op == "In" else ~hit
            elif op == "Exists":
                mask &= codes >= 0
            elif op == "DoesNotExist":
                mask &= codes < 0
            elif op in ("Gt", "Lt") and len(values) == 1 and _is_int(values[0]):
                bound = int(values[0])
                ok = np.array(
                    [_is_int(v) and (int(v) > bound if op == "Gt" else int(v) < bound) for v in self._raw(k)],
                    dtype=bool,
                )
                mask &= ok
            else:
                mask[:] = False
        for k, op, values in fields:
            if k != "metadata.name" or len(values) != 1 or op not in ("In", "NotIn"):
                mask[:] = False
                continue
            hit = np.zeros(self.n, dtype=bool)
            if values[0] in self.index:
                hit[self.index[values[0]]] = True
            mask &= hit if op == "In" else ~hit
        self._masks[key] = mask
        return mask

    def name_candidates(self, pod: Pod) -> tuple[Mask | None, bool]:
        """NodeAffinity.PreFilter: when every required term has matchFields `metadata.name In`,
        only the nodes those name (the union over terms of each term's intersection) are
        evaluated; (None, False) when every node is. (mask, True) when the union is empty: the
        pod is rejected with errReasonConflict."""
        if not pod.node_required:
            return None, False
        got = self._names.get(pod.node_required)
        if got is None:
            names: set[str] = set()
            narrowed = True
            for _, fields in pod.node_required:
                term: set[str] | None = None
                for k, op, values in fields:
                    if k == "metadata.name" and op == "In":
                        term = set(values) if term is None else term & set(values)
                if term is None:
                    narrowed = False  # a term without a name requirement: every node is eligible
                    break
                names |= term
            if not narrowed:
                got = (None, False)
            else:
                mask = np.zeros(self.n, dtype=bool)
                for name in names:
                    if name in self.index:
                        mask[self.index[name]] = True
                got = (mask, not names)
            self._names[pod.node_required] = got
        return got

    def _raw(self, key: str) -> list[str]:
        return [x.labels.get(key, "") for x in self.nodes]

    def taint_ok(self, pod: Pod) -> Mask:
        """TaintToleration's filter: every NoSchedule and NoExecute taint tolerated."""
        key = ("taint", pod.tolerations)
        got = self._masks.get(key)
        if got is None:
            ok = np.array(
                [
                    all(t[2] not in ("NoSchedule", "NoExecute") or tolerated(pod.tolerations, t) for t in ts)
                    for ts in self.taint_sets
                ],
                dtype=bool,
            )
            got = self._masks[key] = ok[self.taint_set]
        return got

    def prefer_count(self, pod: Pod) -> Ints:
        """TaintToleration's score: PreferNoSchedule taints not tolerated (by tolerations whose
        effect is empty or PreferNoSchedule)."""
        tols = tuple(t for t in pod.tolerations if t[3] in ("", "PreferNoSchedule"))
        per_set = np.array(
            [
                sum(1 for t in ts if t[2] == "PreferNoSchedule" and not tolerated(tols, t))
                for ts in self.taint_sets
            ],
            dtype=np.int64,
        )
        return per_set[self.taint_set]

    def matches(self, key: tuple[frozenset[str] | None, Selector | None], pod: Pod) -> bool:
        mk = (key, id(pod.labels), pod.namespace)
        got = self._match.get(mk)
        if got is None:
            ns, sel = key
            got = (ns is None or pod.namespace in ns) and selector_matches(sel, pod.labels)
            self._match[mk] = got
        return got

    def counts(self, namespaces: frozenset[str] | None, selector: Selector | None) -> Ints:
        """How many placed pods on each node match the selector in the namespaces."""
        key = (namespaces, selector)
        got = self._sel.get(key)
        if got is None:
            got = np.zeros(self.n, dtype=np.int64)
            for p, i in self.placed:
                if self.matches(key, p):
                    got[i] += 1
            self._sel[key] = got
        return got

    def by_domain(self, key: str, per_node: Ints, where: Mask | None = None) -> NDArray[np.float64]:
        """Per node, the sum of `per_node` over the nodes sharing its value of label `key`
        (0 where the node has no such label), counting only nodes in `where`."""
        codes, vocab = self.labels(key)
        has = codes >= 0 if where is None else (codes >= 0) & where
        dom = np.bincount(codes[has], weights=per_node[has], minlength=len(vocab) + 1)
        out: NDArray[np.float64] = dom[np.where(codes >= 0, codes, len(vocab))].astype(np.float64)
        out[codes < 0] = 0
        return out

    def image_scores(self, image: str) -> Ints:
        got = self._images.get(image)
        if got is None:
            sizes = np.array([x.images.get(image, 0) for x in self.nodes], dtype=np.int64)
            have = int(np.count_nonzero(sizes))
            # scaledImageScore: size * (nodes with the image / all nodes), truncated
            got = (sizes.astype(np.float64) * (have / max(self.n, 1))).astype(np.int64)
            self._images[image] = got
        return got

    # ---- binding ----

    def vector(self, pod: Pod) -> Ints:
        v = np.zeros(len(self.resources), dtype=np.int64)
        for r, a in pod.requests.items():
            v[self.col[r]] = a
        v[self.col["pods"]] = 1
        return v

    def bind(self, pod: Pod, i: int) -> None:
        v = self.vector(pod)
        self.req[i] += v
        self.free[i] -= v
        self.nz_cpu[i] += pod.nonzero_cpu
        self.nz_mem[i] += pod.nonzero_memory
        if pod.host_ports:
            self.ports.setdefault(i, []).extend(pod.host_ports)
        self.placed.append((pod, i))
        self.bound.append(i)
        self.on_node[i].append(pod)
        for key, arr in self._sel.items():
            if self.matches(key, pod):
                arr[i] += 1
        for kind, weight, terms in (
            ("anti", 0, [(0, t) for t in pod.anti_req]),
            ("aff", 1, [(1, t) for t in pod.affinity_req]),
            ("paff", 0, list(pod.affinity_pref)),
            ("panti", 0, list(pod.anti_pref)),
        ):
            for w, term in terms:
                hk = (kind, w if kind in ("paff", "panti") else weight, term)
                if hk not in self.holders:
                    self.holders[hk] = np.zeros(self.n, dtype=np.int64)
                self.holders[hk][i] += 1


def _is_int(s: str) -> bool:
    body = s[1:] if s[:1] in "+-" else s
    return body.isascii() and body.isdigit()


def port_conflict(used: list[tuple[str, str, int]], wanted: tuple[tuple[str, str, int], ...]) -> bool:
    """HostPortInfo.CheckConflict: the same protocol and port, and the same IP or either 0.0.0.0."""
    for ip, proto, port in wanted:
        for uip, uproto, uport in used:
            if port == uport and proto == uproto and (ip == uip or "0.0.0.0" in (ip, uip)):
                return True
    return False


class Scheduler:
    def __init__(self, cluster: Cluster, pods: list[Pod]) -> None:
        self.state = State(cluster, pods)

    # ---- filters ----

    def filter(self, pod: Pod) -> tuple[Mask, dict[str, int]]:
        """The nodes that pass every filter, and the reason histogram of the others."""
        s = self.state
        alive = np.ones(s.n, dtype=bool)
        hist: dict[str, int] = {}

        def cut(bad: Mask, reason: str) -> None:
            newly = alive & bad
            c = int(np.count_nonzero(newly))
            if c:
                hist[reason] = hist.get(reason, 0) + c
                alive[newly] = False

        # PreFilter: NodeAffinity may narrow the nodes to those named by metadata.name; the
        # filters run only on those, and the others count under R_PREFILTER_AFFINITY.
        names, conflict = s.name_candidates(pod)
        if conflict:
            cut(np.ones(s.n, dtype=bool), R_AFFINITY_CONFLICT)
            return alive, hist
        if names is not None:
            cut(~names, R_PREFILTER_AFFINITY)
        # 1. NodeUnschedulable: a cordoned node, unless the pod tolerates its unschedulable taint.
        if not tolerated(pod.tolerations, (UNSCHEDULABLE_TAINT, "", "NoSchedule")):
            cut(s.unschedulable, R_UNSCHEDULABLE)
        # 2. NodeName.
        if pod.node_name:
            bad = np.ones(s.n, dtype=bool)
            if pod.node_name in s.index:
                bad[s.index[pod.node_name]] = False
            cut(bad, R_NODE_NAME)
        # 3. TaintToleration.
        cut(~s.taint_ok(pod), R_TAINT)
        # 4. NodeAffinity.
        if pod.node_selector or pod.node_required is not None:
            cut(~s.node_mask(pod), R_AFFINITY)
        # 5. NodePorts.
        if pod.host_ports and s.ports:
            bad = np.zeros(s.n, dtype=bool)
            for i, used in s.ports.items():
                bad[i] = port_conflict(used, pod.host_ports)
            cut(bad, R_PORTS)
        # 6. NodeResourcesFit: every insufficient resource of a node is a reason.
        self._fit(pod, alive, hist)
        # 7. PodTopologySpread (DoNotSchedule constraints).
        hard = [c for c in pod.spread if c.hard]
        if hard:
            self._spread_filter(pod, hard, cut)
        # 8. InterPodAffinity.
        self._affinity_filter(pod, cut)
        return alive, hist

    def _fit(self, pod: Pod, alive: Mask, hist: dict[str, int]) -> None:
        s = self.state
        free = s.free
        bads: list[tuple[Mask, str]] = [(free[:, s.col["pods"]] < 1, R_TOO_MANY_PODS)]
        for r, a in pod.requests.items():
            if a > 0:
                bads.append((free[:, s.col[r]] < a, insufficient(r)))
        failed = np.zeros(s.n, dtype=bool)
        for bad, reason in bads:
            hit = alive & bad
            c = int(np.count_nonzero(hit))
            if c:
                hist[reason] = hist.get(reason, 0) + c
                failed |= hit
        alive &= ~failed

    def _eligible(self, pod: Pod, c: Spread) -> Mask:
        """matchNodeInclusionPolicies: nodeAffinityPolicy Honor and nodeTaintsPolicy Honor."""
        s = self.state
        mask = np.ones(s.n, dtype=bool)
        if c.honor_affinity and (pod.node_selector or pod.node_required is not None):
            mask &= s.node_mask(pod)
        if c.honor_taints:
            mask &= s.taint_ok(pod)
        return mask

    def _spread_filter(self, pod: Pod, hard: list[Spread], cut: object) -> None:
        """PodTopologySpread.Filter: for each constraint, a node's domain count (matching pods in
        the pod's namespace on eligible nodes), plus 1 if the pod matches itself, minus the
        smallest domain count (0 while there are fewer domains than minDomains) must not exceed
        maxSkew. Eligible nodes have every constraint's topology key and pass the inclusion
        policies; a node without the key is rejected as missing the label."""
        s = self.state
        haskeys = np.ones(s.n, dtype=bool)
        for c in hard:
            haskeys &= s.labels(c.key)[0] >= 0
        for c in hard:
            codes, vocab = s.labels(c.key)
            eligible = haskeys & self._eligible(pod, c)
            counts = s.counts(frozenset((pod.namespace,)), c.selector)
            dom = np.bincount(codes[eligible], weights=counts[eligible], minlength=len(vocab))
            present = np.zeros(len(vocab), dtype=bool)
            present[codes[eligible]] = True
            ndom = int(np.count_nonzero(present))
            minimum = 0.0 if ndom < c.min_domains or ndom == 0 else float(dom[present].min())
            self_match = 1 if selector_matches(c.selector, pod.labels) else 0
            cut(codes < 0, R_SPREAD_LABEL)  # type: ignore[operator]
            node_count = np.where(codes >= 0, dom[np.maximum(codes, 0)] if len(vocab) else 0, 0)
            cut(node_count + self_match - minimum > c.max_skew, R_SPREAD)  # type: ignore[operator]

    def _affinity_filter(self, pod: Pod, cut: object) -> None:
        s = self.state
        if pod.affinity_req:
            # satisfyPodAffinity: every term's topology key on the node, and in that domain a pod
            # matching all the terms; unless no such pod exists anywhere and the pod matches all
            # its own terms (the first pod of a group with affinity to itself).
            terms = pod.affinity_req
            all_match = np.zeros(s.n, dtype=np.int64)
            for q, i in s.placed:
                if all(term_matches_pod(t, q) for t in terms):
                    all_match[i] += 1
            has_all = np.ones(s.n, dtype=bool)
            exists = np.ones(s.n, dtype=bool)
            anywhere = False
            for t in terms:
                codes, _ = s.labels(t[2])
                has_all &= codes >= 0
                dom = s.by_domain(t[2], all_match)
                exists &= dom > 0
                anywhere = anywhere or bool(np.any(all_match[codes >= 0]))
            if not anywhere and all(term_matches_pod(t, pod) for t in terms):
                exists[:] = True
            cut(~(has_all & exists), R_POD_AFFINITY)  # type: ignore[operator]
        if pod.anti_req:
            bad = np.zeros(s.n, dtype=bool)
            for ns, sel, key in pod.anti_req:
                bad |= s.by_domain(key, s.counts(ns, sel)) > 0
            cut(bad, R_POD_ANTI)  # type: ignore[operator]
        bad = np.zeros(s.n, dtype=bool)
        found = False
        for (kind, _, term), arr in s.holders.items():
            if kind == "anti" and term_matches_pod(term, pod):
                bad |= s.by_domain(term[2], arr) > 0
                found = True
        if found:
            cut(bad, R_EXISTING_ANTI)  # type: ignore[operator]

    # ---- scores ----

    def _resource_scores(self, pod: Pod, f: Ints) -> Ints:
        """LeastAllocated and BalancedAllocation, weighted, on the nodes `f`."""
        s = self.state
        cpu, mem = s.col["cpu"], s.col["memory"]
        total = np.zeros(len(f), dtype=np.int64)
        # NodeResourcesFit, LeastAllocated over cpu and memory (weight 1 each), with the non-zero
        # requests: ((allocatable - requested) * 100) / allocatable in integers, 0 when over;
        # resources with no allocatable are left out of the average. Computed in float64 and
        # floored, which is exact for these magnitudes.
        a_cpu, a_mem = s.f_cpu[f], s.f_mem[f]
        has_cpu, has_mem = a_cpu > 0, a_mem > 0
        d_cpu, d_mem = np.where(has_cpu, a_cpu, 1.0), np.where(has_mem, a_mem, 1.0)
        free_cpu = a_cpu - (s.nz_cpu[f] + pod.nonzero_cpu)
        free_mem = a_mem - (s.nz_mem[f] + pod.nonzero_memory)
        part_cpu = np.where(has_cpu & (free_cpu >= 0), np.floor(free_cpu * MAX_SCORE / d_cpu), 0.0)
        part_mem = np.where(has_mem & (free_mem >= 0), np.floor(free_mem * MAX_SCORE / d_mem), 0.0)
        wsum = has_cpu.astype(np.int64) + has_mem
        least = (part_cpu + part_mem).astype(np.int64) // np.maximum(wsum, 1)
        total += WEIGHTS["NodeResourcesFit"] * least
        # NodeResourcesBalancedAllocation, with the actual requests: 100 * (1 - std) of the
        # requested fractions (for two resources std = |f1 - f2| / 2). Skipped for a pod that
        # requests neither cpu nor memory: balanced_allocation.go PreScore returns Skip when
        # isBestEffortPod (every request over cpu and memory is 0; kubernetes issue 129138).
        p_cpu, p_mem = pod.requests.get("cpu", 0), pod.requests.get("memory", 0)
        if p_cpu or p_mem:
            fr_cpu = np.minimum((s.req[f, cpu] + p_cpu) / d_cpu, 1.0)
            fr_mem = np.minimum((s.req[f, mem] + p_mem) / d_mem, 1.0)
            std = np.where(has_cpu & has_mem, np.abs(fr_cpu - fr_mem) / 2, 0.0)
            total += WEIGHTS["NodeResourcesBalancedAllocation"] * ((1 - std) * MAX_SCORE).astype(np.int64)
        return total

    def score(self, pod: Pod, feasible: Ints) -> Ints:
        s = self.state
        f = feasible
        # The resource scores of a node change only when a pod is bound to it: kept per pod
        # request signature over all nodes, and recomputed for the nodes bound to since.
        sig = (pod.nonzero_cpu, pod.nonzero_memory, pod.requests.get("cpu", 0), pod.requests.get("memory", 0))
        cached = s.score_cache.get(sig)
        if cached is None:
            cached = (self._resource_scores(pod, np.arange(s.n)), len(s.bound))
        else:
            arr, pos = cached
            if pos < len(s.bound):
                dirty = np.array(sorted(set(s.bound[pos:])), dtype=np.int64)
                arr[dirty] = self._resource_scores(pod, dirty)
                cached = (arr, len(s.bound))
        s.score_cache[sig] = cached
        total = cached[0][f]
        # TaintToleration: fewer intolerable PreferNoSchedule taints is better (reverse-normalised).
        if s.has_prefer:
            total += WEIGHTS["TaintToleration"] * normalize(s.prefer_count(pod)[f], reverse=True)
        else:
            total += WEIGHTS["TaintToleration"] * MAX_SCORE
        # NodeAffinity: the sum of the weights of the preferred terms a node matches.
        if pod.node_pref:
            raw = np.zeros(len(f), dtype=np.int64)
            for w, term in pod.node_pref:
                raw += w * s.term_mask(term)[f]
            total += WEIGHTS["NodeAffinity"] * normalize(raw, reverse=False)
        total += WEIGHTS["PodTopologySpread"] * self._spread_score(pod, f)
        total += WEIGHTS["InterPodAffinity"] * self._affinity_score(pod, f)
        if s.any_images and pod.images:
            total += WEIGHTS["ImageLocality"] * self._image_score(pod, f)
        return total

    def _spread_score(self, pod: Pod, f: Ints) -> Ints:
        """PodTopologySpread's score over ScheduleAnyway constraints, or the system default
        constraints (hostname maxSkew 3, zone maxSkew 5) for a pod with no constraints whose
        Services or controller select it. Per constraint a node scores
        count * log(domains + 2) + (maxSkew - 1); the sum is rounded, and normalised so that the
        fewest matching pods get 100: 100 * (max + min - score) / max."""
        s = self.state
        soft = [c for c in pod.spread if not c.hard]
        system = False
        if not pod.spread and pod.default_spread is not None:
            soft = [Spread(k, skew, False, pod.default_spread) for k, skew in SYSTEM_DEFAULT]
            system = True
        if not soft:
            return np.zeros(len(f), dtype=np.int64)
        in_f = np.zeros(s.n, dtype=bool)
        in_f[f] = True
        haskeys = np.ones(s.n, dtype=bool)
        for c in soft:
            haskeys &= s.labels(c.key)[0] >= 0
        ignored = in_f & ~haskeys if not system else np.zeros(s.n, dtype=bool)
        scored = in_f & ~ignored
        raw = np.zeros(s.n, dtype=np.float64)
        for c in soft:
            codes, vocab = s.labels(c.key)
            counts = s.counts(frozenset((pod.namespace,)), c.selector)
            if c.key == HOSTNAME:
                size = int(np.count_nonzero(scored))
                per_node = counts.astype(np.float64)
            else:
                doms = codes[scored]
                size = len(np.unique(doms))
                present = np.zeros(len(vocab) + 1, dtype=bool)
                present[np.where(doms >= 0, doms, len(vocab))] = True
                eligible = self._eligible(pod, c)
                if not system:
                    eligible &= haskeys
                per_node = s.by_domain(c.key, counts, eligible)
                per_node[~present[np.where(codes >= 0, codes, len(vocab))]] = 0
            weight = math.log(size + 2)
            raw += np.where(codes >= 0, per_node * weight + (c.max_skew - 1), 0.0)
        scores = np.floor(raw[f] + 0.5).astype(np.int64)  # math.Round of a non-negative number
        valid = scored[f]
        if not np.any(valid):
            return np.zeros(len(f), dtype=np.int64)
        lo, hi = int(scores[valid].min()), int(scores[valid].max())
        if hi == 0:
            out = np.full(len(f), MAX_SCORE, dtype=np.int64)
        else:
            out = MAX_SCORE * (hi + lo - scores) // hi
        out[~valid] = 0
        return out

    def _affinity_score(self, pod: Pod, f: Ints) -> Ints:
        """InterPodAffinity's score: per topology domain, + weight for each pod matching one of the
        pod's preferred affinity terms, - weight for its preferred anti-affinity terms, and the
        same for the terms of placed pods that match this pod (their required affinity counts 1,
        hardPodAffinityWeight). A node scores the sum over its labels' domains; min-max
        normalised."""
        s = self.state
        raw = np.zeros(s.n, dtype=np.float64)
        touched = False
        for sign, terms in ((1, pod.affinity_pref), (-1, pod.anti_pref)):
            for w, (ns, sel, key) in terms:
                raw += sign * w * s.by_domain(key, s.counts(ns, sel))
                touched = True
        for (kind, w, term), arr in s.holders.items():
            if kind == "anti" or not term_matches_pod(term, pod):
                continue
            sign = -1 if kind == "panti" else 1
            raw += sign * w * s.by_domain(term[2], arr)
            touched = True
        if not touched:
            return np.zeros(len(f), dtype=np.int64)
        scores = raw[f].astype(np.int64)
        lo, hi = int(scores.min()), int(scores.max())
        if hi - lo <= 0:
            return np.zeros(len(f), dtype=np.int64)
        return (MAX_SCORE * ((scores - lo) / (hi - lo))).astype(np.int64)

    def _image_score(self, pod: Pod, f: Ints) -> Ints:
        s = self.state
        total = np.zeros(len(f), dtype=np.int64)
        for image in pod.images:
            total += s.image_scores(image)[f]
        high = MAX_IMAGE * max(pod.num_containers, 1)
        total = np.clip(total, MIN_IMAGE, high)
        return MAX_SCORE * (total - MIN_IMAGE) // (high - MIN_IMAGE)

    # ---- one pod ----

    def schedule(self, pod: Pod) -> Placement:
        s = self.state
        if pod.node_name:
            return self._admit(pod)
        alive, hist = self.filter(pod)
        feasible = np.flatnonzero(alive)
        if len(feasible) == 0:
            return Placement(pod, None, "pending", hist, fit_message(s.n, hist))
        if len(feasible) == 1:
            best = int(feasible[0])
        else:
            total = self.score(pod, feasible)
            top = feasible[total == total.max()]
            best = int(top[np.argmin(s.rank[top])])
        s.bind(pod, best)
        return Placement(pod, s.names[best], "scheduled", {}, "")

    def _admit(self, pod: Pod) -> Placement:
        """A pod with spec.nodeName is bound without the scheduler; the kubelet admits it if its
        resources fit, its host ports are free, its node affinity matches and it tolerates the
        node's NoExecute taints. A cordon does not stop it."""
        s = self.state
        i = s.index.get(pod.node_name)
        if i is None:
            msg = f"spec.nodeName {pod.node_name!r} names no node of the cluster: the pod stays Pending"
            return Placement(pod, None, "pending", {R_NODE_NAME: s.n}, msg)
        node = s.nodes[i]
        reasons: list[str] = []
        free = s.free[i]
        if free[s.col["pods"]] < 1:
            reasons.append(R_TOO_MANY_PODS)
        reasons.extend(insufficient(r) for r, a in pod.requests.items() if a > free[s.col[r]])
        if pod.host_ports and port_conflict(s.ports.get(i, []), pod.host_ports):
            reasons.append(R_PORTS)
        if not node_affinity_matches(pod, node.name, node.labels):
            reasons.append(R_AFFINITY)
        if any(t[2] == "NoExecute" and not tolerated(pod.tolerations, t) for t in node.taints):
            reasons.append(R_TAINT)
        if reasons:
            msg = (
                f"bypassed the scheduler (spec.nodeName), and the kubelet on {node.name} rejects it: "
                + ", ".join(reasons)
            )
            return Placement(pod, None, "pending", dict.fromkeys(reasons, 1), msg)
        s.bind(pod, i)
        p = Placement(pod, node.name, "scheduled", {}, "bypassed the scheduler (spec.nodeName)")
        p.bypassed = True
        return p


def normalize(raw: Ints, reverse: bool) -> Ints:
    """helper.DefaultNormalizeScore: scale to 0..100 by the maximum (reversed: 100 - that); all
    zero gives 0, or 100 when reversed."""
    hi = int(raw.max()) if len(raw) else 0
    if hi == 0:
        return np.full(len(raw), MAX_SCORE if reverse else 0, dtype=np.int64)
    out = MAX_SCORE * raw // hi
    return MAX_SCORE - out if reverse else out
