"""``ResultPath``: placing a state's result into its raw input (asl-semantics §3.1 step 6).

The input is never changed in place: the objects and arrays along the path are copied, so
values shared with earlier states, branches or mocks stay as they were. A path that the
input cannot hold (through a non-object, outside ``$``, an index past the end) is
``States.ResultPathMatchFailure``.
"""

from __future__ import annotations

from typing import Any

from analyzer.interp.failures import StatesError
from analyzer.interp.payload import compact
from analyzer.lang.jsonpath import Field, Index, parse_reference_path


def _short(value: Any, limit: int = 200) -> str:
    text = compact(value)
    return text if len(text) <= limit else text[:limit] + "..."


def merge_result(result_path: Any, raw: Any, result: Any) -> Any:
    """Place ``result`` into a copy of ``raw`` at the reference path ``result_path`` (§3.1 step 6)."""
    def failure() -> StatesError:
        return StatesError("States.ResultPathMatchFailure",
                           f"Unable to apply ResultPath \"{result_path}\" to input \"{_short(raw)}\"")

    if not isinstance(result_path, str):
        raise failure()
    try:
        path = parse_reference_path(result_path)
    except ValueError:
        raise failure() from None
    if path.root != "$":
        raise failure()
    steps = path.segments
    if not steps:
        return result

    def place(node: Any, i: int) -> Any:
        step = steps[i]
        last = i == len(steps) - 1
        if isinstance(step, Field):
            if not isinstance(node, dict):
                raise failure()
            out = dict(node)
            out[step.name] = result if last else place(node.get(step.name, {}), i + 1)
            return out
        if isinstance(step, Index):
            if not isinstance(node, list) or not 0 <= step.index < len(node):
                raise failure()
            out_list = list(node)
            out_list[step.index] = result if last else place(node[step.index], i + 1)
            return out_list
        raise failure()

    return place(raw, 0)
