"""Workflow variables (``Assign``) with scopes (asl-semantics §3.4).

The top-level states share one scope. A Parallel branch or an inline Map iteration gets
an inner scope that reads the outer variables and writes only its own; a distributed Map
iteration gets a scope with no parent at all. Snapshot semantics are the caller's job:
a state computes all its new values first and commits them at the very end, so nothing
it evaluates sees its own assignments.
"""

from __future__ import annotations

from typing import Any

from analyzer.model.nodes import MISSING


class Variables:
    __slots__ = ("own", "parent")

    def __init__(self, parent: "Variables | None" = None) -> None:
        self.own: dict[str, Any] = {}
        self.parent = parent

    def get(self, name: str, default: Any = MISSING) -> Any:
        scope: Variables | None = self
        while scope is not None:
            if name in scope.own:
                return scope.own[name]
            scope = scope.parent
        return default

    def visible(self) -> dict[str, Any]:
        """Every readable variable, inner scopes shadowing outer ones."""
        chain = []
        scope: Variables | None = self
        while scope is not None:
            chain.append(scope.own)
            scope = scope.parent
        out: dict[str, Any] = {}
        for own in reversed(chain):
            out.update(own)
        return out

    def commit(self, values: dict[str, Any] | None) -> None:
        if values:
            self.own.update(values)
