"""One dry-run: expand the manifests, place their pods in order, and answer --capacity and --grow."""

from __future__ import annotations

from linter.simulate.scheduler import Placement, Scheduler
from linter.simulate.workloads import Expansion, Workload, _copy, expand

TYPE_CHECKING = False
if TYPE_CHECKING:
    from linter.ir.kubernetes import Manifest
    from linter.simulate.cluster import Cluster

MAX_CAPACITY = 100_000  # --capacity stops counting here
MAX_GROW = 10_000  # --grow gives up past this many extra nodes


class Outcome:
    __slots__ = ("cluster", "expansion", "placements", "scheduler")

    def __init__(self, cluster: Cluster, expansion: Expansion, scheduler: Scheduler) -> None:
        self.cluster = cluster
        self.expansion = expansion
        self.scheduler = scheduler
        self.placements: list[Placement] = []

    @property
    def pending(self) -> list[Placement]:
        return [p for p in self.placements if p.status != "scheduled"]


def simulate(manifests: list[Manifest], cluster: Cluster) -> Outcome:
    expansion = expand(manifests, cluster)
    sched = Scheduler(cluster, expansion.pods)
    out = Outcome(cluster, expansion, sched)
    ordered = {(w.resource.namespace or "default", w.key) for w in expansion.workloads if w.ordered}
    blocked: set[tuple[str, str]] = set()
    for pod in expansion.pods:
        key = (pod.namespace, pod.workload)
        if key in blocked:
            # OrderedReady: the StatefulSet controller creates ordinal i+1 only once i is Running.
            msg = (
                f"not created: {pod.workload} creates pods in order (OrderedReady); an earlier one is Pending"
            )
            out.placements.append(Placement(pod, None, "not-created", {}, msg))
            continue
        p = sched.schedule(pod)
        if p.status == "pending" and key in ordered:
            blocked.add(key)
        out.placements.append(p)
    return out


def find_workload(outcome: Outcome, ref: str) -> Workload | None:
    """`Kind/name` or `Kind/namespace/name`, the kind matched without regard to case."""
    parts = ref.split("/")
    for w in outcome.expansion.workloads:
        r = w.resource
        if len(parts) == 2 and (parts[0].lower(), parts[1]) == (r.kind.lower(), r.name):
            return w
        if len(parts) == 3 and (parts[0].lower(), parts[1], parts[2]) == (
            r.kind.lower(),
            r.namespace or "default",
            r.name,
        ):
            return w
    return None


def capacity(outcome: Outcome, workload: Workload) -> tuple[int, str]:
    """How many more replicas of the workload fit after everything else is placed, and why the
    next one does not (cluster-capacity's question). Replicas are placed one after another, each
    counting as load for the next."""
    if not workload.pods:
        return 0, f"{workload.key} creates no pods to copy"
    template = workload.pods[0]
    sched = outcome.scheduler
    base = len(workload.pods)
    for extra in range(MAX_CAPACITY):
        pod = _copy(template, f"{workload.resource.name}-{base + extra}")
        pod.ordinal = base + extra
        p = sched.schedule(pod)
        if p.status != "scheduled":
            return extra, p.message
    return MAX_CAPACITY, f"stopped counting at {MAX_CAPACITY:,}"


def grow(manifests: list[Manifest], cluster: Cluster, pool: str) -> int | None:
    """The fewest extra nodes of `pool` that leave nothing Pending (None: none up to MAX_GROW).
    Found by doubling, then bisection, over whole dry-runs (DaemonSets grow with the nodes)."""

    def fits(extra: int) -> bool:
        return not simulate(manifests, cluster.grown(pool, extra)).pending

    if fits(0):
        return 0
    hi = 1
    while not fits(hi):
        if hi >= MAX_GROW:
            return None
        hi = min(hi * 2, MAX_GROW)
    lo = hi // 2  # fits(lo) is False (or lo is 0, known False)
    while hi - lo > 1:
        mid = (lo + hi) // 2
        if fits(mid):
            hi = mid
        else:
            lo = mid
    return hi
