"""The z3 implementation of the abstract Choice domain of :mod:`analyzer.semantics.choice`.

The shared Choice code asks this domain for booleans and values; here booleans are z3
formulas and values are :class:`~analyzer.symbolic.values.SymValue` bundles, so the solver
reasons about exactly the code the interpreter runs. ``lookup`` is delegated to a resolver
(the symbolic executor's current document), which also lets the resolver notice reads of
values it cannot model (they come back as fresh, unconstrained values: sound for proofs,
and a witness that depends on them is simply not confirmed by the replay).
"""

from __future__ import annotations

from typing import Any, Callable

from analyzer.semantics.values import STAR, glob_tokens
from analyzer.symbolic.solver import z3
from analyzer.symbolic.values import TYPE_TAGS, STR, SymValue, _ascii, constant, timestamp_view


def simplify_and(a, b):
    m = z3()
    if m.is_false(a) or m.is_false(b):
        return m.BoolVal(False)
    if m.is_true(a):
        return b
    if m.is_true(b):
        return a
    return m.And(a, b)


def simplify_or(a, b):
    m = z3()
    if m.is_true(a) or m.is_true(b):
        return m.BoolVal(True)
    if m.is_false(a):
        return b
    if m.is_false(b):
        return a
    return m.Or(a, b)


def simplify_not(a):
    m = z3()
    if m.is_true(a):
        return m.BoolVal(False)
    if m.is_false(a):
        return m.BoolVal(True)
    if m.is_not(a):
        return a.arg(0)
    return m.Not(a)


def glob_regex(pattern: str):
    """``StringMatches`` glob → z3 regex: ``*`` is any string, everything else literal (escapes resolved)."""
    m = z3()
    parts = []
    for token in glob_tokens(pattern):
        if token is STAR:
            parts.append(m.Full(m.ReSort(m.StringSort())))
        else:
            parts.append(m.Re(m.StringVal(token)))
    if not parts:
        return m.Re(m.StringVal(""))
    return parts[0] if len(parts) == 1 else m.Concat(*parts)


class Z3Domain:
    """Choice semantics over z3; ``resolve(path) -> SymValue`` supplies the values of reference paths."""

    def __init__(self, resolve: Callable[[str], SymValue]) -> None:
        m = z3()
        self.TRUE = m.BoolVal(True)
        self.FALSE = m.BoolVal(False)
        self._resolve = resolve
        self.imprecise = False  # set when a construct fell outside the exact encoding

    def and_(self, a, b):
        return simplify_and(a, b)

    def or_(self, a, b):
        return simplify_or(a, b)

    def not_(self, a):
        return simplify_not(a)

    def const(self, value: Any) -> SymValue:
        if isinstance(value, str) and not _ascii(value):
            self.imprecise = True
        return constant(value)

    def lookup(self, path: str) -> SymValue:
        return self._resolve(path)

    def is_present(self, v: SymValue):
        return v.present

    def has_type(self, v: SymValue, json_type: str):
        tag = TYPE_TAGS.get(json_type)
        if tag is None:
            return self.FALSE
        return simplify_and(v.present, _eq(v.tag, tag))

    def compare(self, family: str, relation: str, a: SymValue, b: SymValue):
        if family == "numeric":
            x, y = a.num, b.num
        elif family == "string":
            x, y = a.text, b.text
        elif family == "timestamp":
            x, y = a.ts, b.ts
        elif family == "boolean":
            x, y = a.flag, b.flag
        else:
            return self.FALSE
        return _relate(relation, x, y)

    def is_timestamp(self, v: SymValue):
        m = z3()
        if m.is_true(v.present) and m.is_int_value(v.tag):
            return m.BoolVal(v.tag.as_long() == STR and m.is_true(v.is_ts))  # a constant
        return timestamp_view(v)

    def glob_match(self, v: SymValue, pattern: str):
        m = z3()
        if not _ascii(pattern):
            self.imprecise = True
            return m.FreshBool("glob")
        tokens = glob_tokens(pattern)
        # The common shapes have cheaper string-theory forms than a regular expression.
        if not tokens:
            return v.text == m.StringVal("")
        if len(tokens) == 1:
            return m.BoolVal(True) if tokens[0] is STAR else v.text == m.StringVal(tokens[0])
        if len(tokens) == 2 and tokens[1] is STAR:
            return m.PrefixOf(m.StringVal(tokens[0]), v.text)
        if len(tokens) == 2 and tokens[0] is STAR:
            return m.SuffixOf(m.StringVal(tokens[1]), v.text)
        if len(tokens) == 3 and tokens[0] is STAR and tokens[2] is STAR:
            return m.Contains(v.text, m.StringVal(tokens[1]))
        return m.InRe(v.text, glob_regex(pattern))


def _eq(term, tag: int):
    m = z3()
    r = m.simplify(term == tag) if m.is_int_value(term) else term == tag
    return r


def _relate(relation: str, x, y):
    m = z3()
    if relation == "eq":
        r = x == y
    elif relation == "lt":
        r = x < y
    elif relation == "gt":
        r = x > y
    elif relation == "le":
        r = x <= y
    else:
        r = x >= y
    if m.is_const(x) and m.is_const(y) and _is_value(x) and _is_value(y):
        return m.simplify(r)
    return r


def _is_value(t) -> bool:
    m = z3()
    return m.is_int_value(t) or m.is_rational_value(t) or m.is_string_value(t) or m.is_true(t) or m.is_false(t)
