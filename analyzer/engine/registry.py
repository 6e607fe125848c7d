"""Discovers rule classes in ``analyzer.rules`` and selects them by id, name or id prefix."""

from __future__ import annotations

import importlib
import pkgutil
from functools import lru_cache
from types import MappingProxyType
from typing import Iterable, Mapping

from analyzer.engine.rule import Rule


@lru_cache(maxsize=1)
def all_rules() -> tuple[Rule, ...]:
    import analyzer.rules as package

    found: dict[str, Rule] = {}
    for info in sorted(pkgutil.iter_modules(package.__path__), key=lambda i: i.name):
        if info.name.startswith("_"):
            continue
        module = importlib.import_module(f"{package.__name__}.{info.name}")
        for obj in vars(module).values():
            if isinstance(obj, type) and issubclass(obj, Rule) and obj is not Rule and obj.id:
                if obj.__module__ != module.__name__:
                    continue
                if obj.id in found:
                    raise RuntimeError(f"duplicate rule id {obj.id} in {module.__name__}")
                found[obj.id] = obj()
    return tuple(sorted(found.values(), key=lambda r: r.id))


@lru_cache(maxsize=1)
def by_id() -> Mapping[str, Rule]:
    """Rules by id, built once (the runner looks up every finding's rule here); read-only."""
    return MappingProxyType({r.id: r for r in all_rules()})


def lookup(key: str) -> Rule | None:
    key_u = key.strip()
    for rule in all_rules():
        if rule.id == key_u.upper() or rule.name == key_u.lower():
            return rule
    return None


def matches(rule: Rule, selector: str) -> bool:
    """A selector is an id (``ASL301``), a name (``missing-catch``) or an id prefix (``ASL3``)."""
    s = selector.strip()
    if not s:
        return False
    if s.lower() == "all":
        return True
    return rule.id.startswith(s.upper()) or rule.name == s.lower()


def is_known_selector(selector: str) -> bool:
    return any(matches(r, selector) for r in all_rules())


def select(select: Iterable[str] | None = None, ignore: Iterable[str] | None = None) -> list[Rule]:
    chosen = list(all_rules())
    select = [s for s in (select or []) if s]
    ignore = [s for s in (ignore or []) if s]
    if select:
        chosen = [r for r in chosen if any(matches(r, s) for s in select)]
    if ignore:
        chosen = [r for r in chosen if not any(matches(r, s) for s in ignore)]
    return chosen
