"""A definition string as CloudFormation would build it: literal text and placeholders.

``DefinitionString`` may be a plain string, a ``Fn::Sub`` string with ``${...}``
variables, or a ``Fn::Join`` of pieces some of which are ``Ref``/``Fn::GetAtt``
objects. Each form is flattened into a list of segments: a :class:`Literal` keeps
the template offset of every character, a :class:`Placeholder` keeps the span of the
``${...}`` or intrinsic object it replaces and the stand-in text for it. After
CloudFormation's own functions, Step Functions replaces ``${key}`` from
``DefinitionSubstitutions`` in the resulting text; :func:`apply_substitutions` models
that second step on the literal segments.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Callable, Union

from analyzer.load import pointer as jp
from analyzer.load.source import Document
from analyzer.templates.intrinsics import Resolver, StandIn, is_intrinsic
from analyzer.templates.string_positions import char_offsets

_VARIABLE = re.compile(r"\$\{([^{}]*)\}")


@dataclass
class Literal:
    text: str
    offsets: list[int]  # template offset of each character


@dataclass
class Placeholder:
    standin: StandIn
    name: str
    start: int  # template offsets of what the placeholder replaces
    end: int


Segment = Union[Literal, Placeholder]


class Unresolvable(Exception):
    """The definition text depends on something only known after deployment."""


def node_offsets(document: Document, pointer: str) -> tuple[int, int]:
    offsets = document.offsets_of(pointer, prefer_key=False)
    return offsets if offsets is not None else (0, 0)


def literal_of(document: Document, pointer: str, value: str) -> Literal:
    start, end = node_offsets(document, pointer)
    offsets, _exact = char_offsets(document.text, start, end, value)
    return Literal(value, offsets)


def _split(lit: Literal, replace: Callable[[str], Segment | None]) -> list[Segment]:
    """Cut ``lit`` at every ``${...}`` for which ``replace`` returns a segment."""
    out: list[Segment] = []
    pos = 0
    text = lit.text
    for m in _VARIABLE.finditer(text):
        seg = replace(m.group(1))
        if seg is None:
            continue
        if m.start() > pos:
            out.append(Literal(text[pos:m.start()], lit.offsets[pos:m.start()]))
        if isinstance(seg, Placeholder):
            seg.start, seg.end = lit.offsets[m.start()], lit.offsets[m.end() - 1] + 1
        else:  # a literal produced from the match itself: map it onto the match's characters
            seg = Literal(seg.text, [lit.offsets[m.start() + i] for i in _escape_map(m)])
        out.append(seg)
        pos = m.end()
    if pos < len(text):
        out.append(Literal(text[pos:], lit.offsets[pos:]))
    return out


def _escape_map(m: re.Match[str]) -> list[int]:
    """Indices (relative to the match) of the characters kept from ``${!Name}`` → ``${Name}``."""
    n = m.end() - m.start()
    return [0, 1] + list(range(3, n))


def sub_segments(document: Document, pointer: str, template: str, variables: dict[str, Any],
                 resolver: Resolver) -> list[Segment]:
    """The segments of an ``Fn::Sub`` string (``pointer`` is the string's own node)."""
    lit = literal_of(document, pointer, template)

    def replace(inner: str) -> Segment:
        if inner.startswith("!"):
            return Literal("${" + inner[1:] + "}", [])
        return Placeholder(resolver.variable(inner, variables), inner.strip(), 0, 0)

    return _split(lit, replace)


def segments_of(document: Document, pointer: str, value: Any, resolver: Resolver, depth: int = 0) -> list[Segment]:
    """Flatten a string-valued template expression into segments."""
    if depth > 20:
        raise Unresolvable("intrinsic functions nested too deeply")
    if isinstance(value, str):
        return [literal_of(document, pointer, value)]
    if isinstance(value, bool) or not isinstance(value, (int, float, dict)):
        raise Unresolvable(f"a {type(value).__name__} where a string is expected")
    if isinstance(value, (int, float)):
        start, _ = node_offsets(document, pointer)
        return [Literal(str(value), [start] * len(str(value)))]
    if not is_intrinsic(value):
        raise Unresolvable("an object that is not an intrinsic function where a string is expected")
    fn, arg = next(iter(value.items()))
    fn_ptr = jp.join(pointer, fn)
    if fn == "Fn::Sub":
        if isinstance(arg, str):
            return sub_segments(document, fn_ptr, arg, {}, resolver)
        if isinstance(arg, list) and arg and isinstance(arg[0], str):
            variables = arg[1] if len(arg) > 1 and isinstance(arg[1], dict) else {}
            return sub_segments(document, jp.join(fn_ptr, 0), arg[0], variables, resolver)
        raise Unresolvable("Fn::Sub needs a string or a [string, variables] list")
    if fn == "Fn::Join":
        if not (isinstance(arg, list) and len(arg) == 2 and isinstance(arg[0], str)):
            raise Unresolvable("Fn::Join needs [separator, [pieces]]")
        sep, items = arg
        if not isinstance(items, list):
            raise Unresolvable("the pieces of Fn::Join come from another function")
        out: list[Segment] = []
        for i, item in enumerate(items):
            if i and sep:
                out.append(literal_of(document, jp.join(fn_ptr, 0), sep))
            out.extend(segments_of(document, jp.join(fn_ptr, 1, i), item, resolver, depth + 1))
        return out
    start, end = node_offsets(document, pointer)
    return [Placeholder(resolver.value(value), fn, start, end)]


def apply_substitutions(segments: list[Segment], lookup: Callable[[str], StandIn]) -> list[Segment]:
    """Step Functions' ``DefinitionSubstitutions``: every ``${key}`` left in the literal text."""
    out: list[Segment] = []
    for seg in segments:
        if isinstance(seg, Literal) and "${" in seg.text:
            out.extend(_split(seg, lambda inner: Placeholder(lookup(inner), inner, 0, 0)))
        else:
            out.append(seg)
    return out
