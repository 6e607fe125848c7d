"""Small wording helpers shared by the ASL5xx rules."""

from __future__ import annotations

import json
from typing import Any


def short_json(value: Any, limit: int = 160) -> str:
    text = json.dumps(value, sort_keys=True, ensure_ascii=True)
    return text if len(text) <= limit else text[: limit - 3] + "..."


def rule_label(state, index: int) -> str:
    rule = state.choices[index]
    target = f" (Next: {rule.next!r})" if isinstance(rule.next, str) else ""
    return f"rule #{index + 1}{target}"


def solver_enabled(ctx) -> bool:
    solver = getattr(ctx.settings, "solver", None)
    return solver is None or bool(solver.enabled)
