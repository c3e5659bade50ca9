"""Checks of single Dockerfile instructions and their arguments."""

from __future__ import annotations

from linter.checks import Check

CHECKS: dict[str, Check] = {}
