"""Evaluating the JSONPath ASTs of :mod:`analyzer.lang.jsonpath` on concrete JSON.

Step Functions uses the Jayway dialect: a *definite* path (only names and single indexes)
selects one node or nothing; any other path (wildcards, slices, unions, ``..``,
filters) selects a list of nodes, possibly empty. A trailing function such as
``length()`` is applied to what the path selected.

Each path text is parsed once and turned into a selector function that is cached by
text (parsing dominates otherwise: a Pass/Choice loop reads the same few paths millions
of times). Selectors take ``(data, context, variables)``: ``$`` reads ``data``, ``$$``
the context object (a callable so that it is built only when a path asks for it) and
``$name`` the variables (a mapping-like object with ``get(name, MISSING)``).
"""

from __future__ import annotations

import json
import math
import re
from functools import lru_cache
from typing import Any, Callable

from analyzer.lang.jsonpath import (
    BoolOp, Compare, Descendant, Field, Filter, Index, JsonArray, Literal, Not, Path, Regex, Script, Slice,
    Union, Wildcard, parse_path,
)
from analyzer.model.nodes import MISSING

Selector = Callable[[Any, Any, Any], Any]


class PathEvaluationError(ValueError):
    """A path that cannot be evaluated at all (bad syntax, unknown function)."""


def select(text: str, data: Any, context: Any = None, variables: Any = None) -> Any:
    """The value ``text`` selects, or :data:`MISSING` (a definite path that matched nothing)."""
    return compile_path(text)(data, context, variables)


@lru_cache(maxsize=16384)
def compile_path(text: str) -> Selector:
    """A cached selector function for one path text; raises :class:`PathEvaluationError`."""
    try:
        path = parse_path(text)
    except ValueError as exc:
        raise PathEvaluationError(f"invalid path {text!r}: {exc}") from None
    return _compile(path)


def is_definite(path: Path) -> bool:
    return all(isinstance(s, (Field, Index)) for s in path.segments)


def _root_getter(root: str) -> Callable[[Any, Any, Any], Any]:
    if root == "$":
        return lambda data, ctx, vs: data
    if root == "$$":
        return lambda data, ctx, vs: ctx() if callable(ctx) else (MISSING if ctx is None else ctx)
    name = root[1:]
    return lambda data, ctx, vs: MISSING if vs is None else vs.get(name, MISSING)


def _compile(path: Path) -> Selector:
    get_root = _root_getter(path.root)
    if is_definite(path) and path.function is None:
        steps = tuple((s.name, True) if isinstance(s, Field) else (s.index, False) for s in path.segments)
        if not steps:
            return get_root

        def definite(data, ctx, vs):
            node = get_root(data, ctx, vs)
            for key, is_field in steps:
                if is_field:
                    if type(node) is not dict:
                        return MISSING
                    node = node.get(key, MISSING)
                    if node is MISSING:
                        return MISSING
                else:
                    if type(node) is not list:
                        return MISSING
                    n = len(node)
                    i = key + n if key < 0 else key
                    if not 0 <= i < n:
                        return MISSING
                    node = node[i]
            return node

        return definite

    definite_path = is_definite(path)
    segments = path.segments
    function = path.function

    def general(data, ctx, vs):
        root = get_root(data, ctx, vs)
        if root is MISSING:
            return MISSING
        nodes = _apply_segments([root], segments, root, ctx, vs)
        if definite_path:
            value = nodes[0] if nodes else MISSING
        else:
            value = nodes
        if function is not None:
            return _call_function(function.name, value, function.args, root, ctx, vs)
        return value

    return general


def _apply_segments(nodes: list, segments, root, ctx, vs) -> list:
    for seg in segments:
        out: list = []
        for node in nodes:
            _apply_one(seg, node, out, root, ctx, vs)
        nodes = out
    return nodes


def _apply_one(seg, node, out: list, root, ctx, vs) -> None:
    if isinstance(seg, Field):
        if isinstance(node, dict) and seg.name in node:
            out.append(node[seg.name])
    elif isinstance(seg, Index):
        if isinstance(node, list):
            i = seg.index + len(node) if seg.index < 0 else seg.index
            if 0 <= i < len(node):
                out.append(node[i])
    elif isinstance(seg, Wildcard):
        if isinstance(node, dict):
            out.extend(node.values())
        elif isinstance(node, list):
            out.extend(node)
    elif isinstance(seg, Slice):
        if isinstance(node, list):
            out.extend(node[slice(seg.start, seg.stop, seg.step)])
    elif isinstance(seg, Union):
        for sel in seg.selectors:
            _apply_one(sel, node, out, root, ctx, vs)
    elif isinstance(seg, Descendant):
        for sub in _walk(node):
            _apply_one(seg.selector, sub, out, root, ctx, vs)
    elif isinstance(seg, Filter):
        candidates = node if isinstance(node, list) else [node] if isinstance(node, dict) else []
        for item in candidates:
            if _truthy(_eval_expr(seg.expr, item, root, ctx, vs)):
                out.append(item)
    elif isinstance(seg, Script):
        m = re.fullmatch(r"\s*@\.length\s*-\s*(\d+)\s*", seg.text)
        if m and isinstance(node, list):
            i = len(node) - int(m.group(1))
            if 0 <= i < len(node):
                out.append(node[i])
        elif not m:
            raise PathEvaluationError(f"unsupported script expression ({seg.text})")


def _walk(node):
    yield node
    if isinstance(node, dict):
        for v in node.values():
            yield from _walk(v)
    elif isinstance(node, list):
        for v in node:
            yield from _walk(v)


_ABSENT = object()


def _eval_expr(expr, current, root, ctx, vs) -> Any:
    if isinstance(expr, Literal):
        return expr.value
    if isinstance(expr, JsonArray):
        return [_eval_expr(i, current, root, ctx, vs) for i in expr.items]
    if isinstance(expr, Regex):
        return expr
    if isinstance(expr, Path):
        base = current if expr.root == "@" else _root_getter(expr.root)(root, ctx, vs)
        if base is MISSING:
            return _ABSENT
        nodes = _apply_segments([base], expr.segments, root, ctx, vs)
        if is_definite(expr):
            value = nodes[0] if nodes else _ABSENT
        else:
            value = nodes
        if expr.function is not None:
            if value is _ABSENT:
                return _ABSENT
            return _call_function(expr.function.name, value, expr.function.args, root, ctx, vs)
        return value
    if isinstance(expr, Not):
        return not _truthy(_eval_expr(expr.operand, current, root, ctx, vs))
    if isinstance(expr, BoolOp):
        if expr.op == "&&":
            return all(_truthy(_eval_expr(o, current, root, ctx, vs)) for o in expr.operands)
        return any(_truthy(_eval_expr(o, current, root, ctx, vs)) for o in expr.operands)
    if isinstance(expr, Compare):
        left = _eval_expr(expr.left, current, root, ctx, vs)
        right = _eval_expr(expr.right, current, root, ctx, vs)
        return _compare(expr.op, left, right)
    raise PathEvaluationError(f"unsupported filter expression {expr!r}")


def _truthy(value: Any) -> bool:
    # A lone path in a filter is an existence test (Jayway): present counts, even false/null.
    if value is _ABSENT:
        return False
    if isinstance(value, bool):
        return value
    return True


def _num(v: Any) -> bool:
    return isinstance(v, (int, float)) and not isinstance(v, bool)


def _compare(op: str, a: Any, b: Any) -> bool:
    if op in ("==", "!="):
        if a is _ABSENT or b is _ABSENT:
            return op == "!=" and not (a is _ABSENT and b is _ABSENT)
        same = (a == b and type(a) is type(b)) or (_num(a) and _num(b) and a == b)
        return same if op == "==" else not same
    if a is _ABSENT or b is _ABSENT:
        return False
    if op in ("<", "<=", ">", ">="):
        if not ((_num(a) and _num(b)) or (isinstance(a, str) and isinstance(b, str))):
            return False
        return {"<": a < b, "<=": a <= b, ">": a > b, ">=": a >= b}[op]
    if op == "=~":
        if not isinstance(a, str) or not isinstance(b, Regex):
            return False
        flags = re.IGNORECASE if "i" in b.flags else 0
        return re.fullmatch(b.pattern, a, flags) is not None
    if op == "in":
        return isinstance(b, list) and a in b
    if op == "nin":
        return isinstance(b, list) and a not in b
    if op == "contains":
        if isinstance(a, str) and isinstance(b, str):
            return b in a
        return isinstance(a, list) and b in a
    if op == "subsetof":
        return isinstance(a, list) and isinstance(b, list) and all(x in b for x in a)
    if op == "anyof":
        return isinstance(a, list) and isinstance(b, list) and any(x in b for x in a)
    if op == "noneof":
        return isinstance(a, list) and isinstance(b, list) and not any(x in b for x in a)
    if op == "size":
        return isinstance(a, (list, str)) and _num(b) and len(a) == b
    if op == "empty":
        return isinstance(a, (list, str)) and (len(a) == 0) == bool(b)
    raise PathEvaluationError(f"unsupported filter operator {op}")


def _numbers(value: Any) -> list:
    items = value if isinstance(value, list) else [value]
    return [x for x in items if _num(x)]


def _call_function(name: str, value: Any, args, root, ctx, vs) -> Any:
    """The Jayway path functions: applied to the node (or list of nodes) the path selected."""
    if value is MISSING:
        return MISSING
    if name in ("length", "size"):
        if isinstance(value, (list, dict, str)):
            return len(value)
        return MISSING
    if name == "keys":
        return list(value.keys()) if isinstance(value, dict) else MISSING
    if name in ("first", "last"):
        if isinstance(value, list) and value:
            return value[0] if name == "first" else value[-1]
        return MISSING
    if name in ("min", "max", "sum", "avg", "stddev"):
        nums = [float(x) for x in _numbers(value)]
        if not nums:
            raise PathEvaluationError(f"{name}() needs numbers")
        if name == "min":
            return min(nums)
        if name == "max":
            return max(nums)
        if name == "sum":
            return sum(nums)
        mean = sum(nums) / len(nums)
        if name == "avg":
            return mean
        return math.sqrt(sum((x - mean) ** 2 for x in nums) / len(nums))
    if name in ("append", "concat"):
        extra = [_eval_expr(a, value, root, ctx, vs) for a in args]
        if name == "concat":
            parts = value if isinstance(value, list) else [value]
            return "".join(p if isinstance(p, str) else json.dumps(p) for p in list(parts) + extra)
        return (list(value) if isinstance(value, list) else [value]) + extra
    raise PathEvaluationError(f"unknown path function {name}()")
