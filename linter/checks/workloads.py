"""Checks of workloads and the objects around them (replicas, disruption budgets, rollouts)."""

from __future__ import annotations

from linter.checks import Check

CHECKS: dict[str, Check] = {}
