"""The dry-run's results: JSON (version 1, as the issue gives it) and a text report with bars."""

from __future__ import annotations

from linter.simulate.quantity import format_amount

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import TextIO

    from linter.simulate.run import Outcome

TABLE_RESOURCES = ("cpu", "memory", "pods")
BAR = 12


def to_json(outcome: Outcome) -> dict[str, object]:
    pods = [
        {
            "namespace": p.pod.namespace,
            "name": p.pod.name,
            "workload": p.pod.workload,
            "node": p.node,
            "status": p.status,
            "reasons": p.reasons,
            "message": p.message,
        }
        for p in outcome.placements
    ]
    return {"version": 1, "pods": pods, "nodes": node_usage(outcome)}


def node_usage(outcome: Outcome) -> list[dict[str, object]]:
    s = outcome.scheduler.state
    out: list[dict[str, object]] = []
    for i, node in enumerate(s.nodes):
        alloc = {r: format_amount(r, int(s.alloc[i, s.col[r]])) for r in s.resources if r in node.allocatable}
        used = {r: format_amount(r, int(s.req[i, j])) for j, r in enumerate(s.resources) if s.req[i, j]}
        out.append({"name": node.name, "allocatable": alloc, "requested": used})
    return out


def bar(used: int, total: int) -> str:
    if total <= 0:
        return "·" * BAR if used == 0 else "!" * BAR
    filled = min(BAR, round(BAR * used / total))
    return "█" * filled + "·" * (BAR - filled)


def write_text(outcome: Outcome, out: TextIO) -> None:
    placements = outcome.placements
    width = max([len(f"{p.pod.namespace}/{p.pod.name}") for p in placements] + [3])
    out.write("Pods\n")
    for p in placements:
        name = f"{p.pod.namespace}/{p.pod.name}".ljust(width)
        if p.status == "scheduled":
            note = "  (bypassed the scheduler: spec.nodeName)" if p.bypassed else ""
            out.write(f"  {name}  -> {p.node}{note}\n")
        elif p.status == "not-created":
            out.write(f"  {name}  not created: an earlier ordinal is Pending (OrderedReady)\n")
        else:
            out.write(f"  {name}  Pending: {p.message}\n")
    s = outcome.scheduler.state
    out.write("\nNodes (requested / allocatable after placement)\n")
    nwidth = max([len(n) for n in s.names] + [4])
    for i, node in enumerate(s.nodes):
        cells = []
        for r in TABLE_RESOURCES:
            used, total = int(s.req[i, s.col[r]]), int(s.alloc[i, s.col[r]])
            cells.append(f"{r} {bar(used, total)} {format_amount(r, used)}/{format_amount(r, total)}")
        extra = [
            f"{r} {format_amount(r, int(s.req[i, j]))}/{format_amount(r, int(s.alloc[i, j]))}"
            for j, r in enumerate(s.resources)
            if r not in TABLE_RESOURCES
            and (s.req[i, j] or r in node.allocatable)
            and r != "ephemeral-storage"
        ]
        flags = "  cordoned" if node.unschedulable else ""
        out.write(f"  {node.name.ljust(nwidth)}  {'  '.join(cells + extra)}{flags}\n")
    scheduled = sum(1 for p in placements if p.status == "scheduled")
    pending = sum(1 for p in placements if p.status == "pending")
    missing = sum(1 for p in placements if p.status == "not-created")
    out.write(f"\n{scheduled} scheduled, {pending} pending, {missing} not created on {len(s.nodes)} nodes.")
    out.write(
        " Ties between equally scored nodes go to the first node name (kube-scheduler picks at random).\n"
    )
