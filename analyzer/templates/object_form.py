"""Definitions written as objects inside a template, with their placeholders replaced.

An object ``Definition`` (CloudFormation, SAM, Serverless ``definition``, or a file behind
``DefinitionUri``) keeps its own positions, so only the *values* change: an intrinsic
function object (``!GetAtt Fn.Arn``) becomes a stand-in string (or number, under a
numeric key), and ``${name}`` inside strings is replaced from
``DefinitionSubstitutions`` (or, in serverless.yml, from the Framework's variables).
Keys are left alone so every pointer still resolves in the original document.
"""

from __future__ import annotations

import re
from typing import Any, Callable

from analyzer.templates import standins
from analyzer.templates.intrinsics import Resolver, StandIn, is_intrinsic

_VARIABLE = re.compile(r"\$\{([^{}]*)\}")
_PSEUDO = re.compile(r"#\{([^{}]*)\}")  # serverless-pseudo-parameters: #{AWS::Region}, #{MyResource}

Lookup = Callable[[str], StandIn]


def substitutions_lookup(substitutions: Any, resolver: Resolver) -> Lookup:
    """``${key}`` → the stand-in for ``DefinitionSubstitutions[key]`` (the key itself when absent)."""
    subs = substitutions if isinstance(substitutions, dict) else {}

    def lookup(name: str) -> StandIn:
        name = name.strip()
        if name in subs:
            return resolver.value(subs[name])
        return StandIn(name)

    return lookup


def serverless_lookup(config: Any, resolver: Resolver) -> Lookup:
    """Serverless Framework variables: ``${self:a.b}``, ``${opt:stage, 'dev'}``, ``${file(...)}`` ..."""

    def lookup(expression: str) -> StandIn:
        expr = expression.strip()
        source, _, fallback = expr.partition(",")
        source = source.strip()
        if source.startswith("self:"):
            node: Any = config
            for part in source[5:].split("."):
                node = node.get(part) if isinstance(node, dict) else None
            if isinstance(node, (str, int, float)) and not isinstance(node, bool):
                return StandIn(str(node), True)
        if source in ("aws:region",):
            return StandIn(resolver.ref("AWS::Region").text, True)
        if source in ("aws:accountId",):
            return StandIn(resolver.ref("AWS::AccountId").text, True)
        if fallback.strip():
            return StandIn(fallback.strip().strip("'\""), True)
        if source in ("opt:stage", "sls:stage", "self:provider.stage"):
            return StandIn("dev", True)
        if source.startswith(("AWS::", "aws:")) or "::" in source:
            return resolver.ref(source)
        tail = re.split(r"[:.()/]", source.rstrip(")"))[-1] or "value"
        return StandIn(tail)

    return lookup


def _replace_string(s: str, key: str | None, lookup: Lookup, resolver: Resolver, pseudo: bool) -> Any:
    m = _VARIABLE.fullmatch(s)
    if m:
        return standins.quoted(key, lookup(m.group(1)), m.group(1).strip())
    s = _VARIABLE.sub(lambda mm: lookup(mm.group(1)).text or mm.group(1), s)
    if pseudo and "#{" in s:
        s = _PSEUDO.sub(lambda mm: resolver.variable(mm.group(1)).text, s)
    return s


def resolve_tree(value: Any, resolver: Resolver, lookup: Lookup, pseudo: bool = False,
                 key: str | None = None, depth: int = 0) -> Any:
    """A copy of ``value`` with intrinsic objects and ``${...}`` placeholders replaced."""
    if depth > 2000:
        return value
    if isinstance(value, dict):
        if is_intrinsic(value):
            standin = resolver.value(value)
            if key in standins.NUMBER_KEYS or key in standins.BOOLEAN_KEYS:
                return standins.bare(key, standin)
            return standins.quoted(key, standin, next(iter(value)))
        return {k: resolve_tree(v, resolver, lookup, pseudo, k, depth + 1) for k, v in value.items()}
    if isinstance(value, list):
        return [resolve_tree(v, resolver, lookup, pseudo, key, depth + 1) for v in value]
    if isinstance(value, str) and ("${" in value or (pseudo and "#{" in value)):
        return _replace_string(value, key, lookup, resolver, pseudo)
    return value
