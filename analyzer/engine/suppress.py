"""Suppression of findings by ``Comment`` directives and by template resource Metadata.

ASL has no comments and the service refuses unknown fields, so the one place a user can
write a directive is a ``Comment`` string: of the machine (or a Parallel branch / Map
processor), of a state, of a Choice rule, of a retrier or catcher. The directive
``aslcheck: ignore[ASL301, missing-catch] -- reason`` covers the findings of those rules
whose pointer lies inside the object that owns the Comment. A reason is required: a
suppression nobody can explain later is worse than the finding.

Suppressed findings stay in the report (marked, with their reason) so that reporters can
show them on request and SARIF can carry them as suppressions. Directives that suppress
nothing (ASL801) or cannot be understood (ASL802) are findings themselves.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, Iterator

from analyzer.engine.rule import Finding
from analyzer.load import pointer as jp
from analyzer.model.nodes import ChoiceState

UNUSED = "ASL801"
MALFORMED = "ASL802"

# "aslcheck:" starts a directive; everything after it up to the next "aslcheck:" belongs to it.
_DIRECTIVE_START = re.compile(r"aslcheck\s*:", re.IGNORECASE)
_IGNORE = re.compile(r"^\s*ignore\s*\[(?P<ids>[^\]]*)\]\s*(?:--\s*(?P<reason>.*?))?\s*$", re.IGNORECASE | re.DOTALL)


@dataclass
class Directive:
    owner: str  # pointer of the object whose Comment holds the directive
    comment: str  # pointer of the Comment itself
    selectors: list[str] = field(default_factory=list)
    reason: str = ""
    used: set[str] = field(default_factory=set)  # selectors that matched a finding
    host_pointer: str | None = None  # a template Metadata entry: where it sits in the template

    def covers(self, pointer: str) -> bool:
        return self.owner == "" or pointer == self.owner or pointer.startswith(self.owner + "/")


def comment_owners(machine: Any) -> Iterator[tuple[str, Any]]:
    """``(owner pointer, Comment value)`` for every object of the model that may hold a Comment."""
    for scope in machine.walk_scopes():
        yield scope.pointer, scope.comment
        for state in scope.states.values():
            yield state.pointer, state.comment
            for item in (*getattr(state, "retry", ()), *getattr(state, "catch", ())):
                yield item.pointer, item.comment
            if isinstance(state, ChoiceState):
                for rule in state.choices:
                    for sub in rule.walk():
                        yield sub.pointer, sub.comment


def parse_comment(owner: str, text: str) -> tuple[list[Directive], list[tuple[str, str]]]:
    """Directives in one Comment, and problems as ``(pointer, message)`` pairs."""
    directives: list[Directive] = []
    problems: list[tuple[str, str]] = []
    starts = [m for m in _DIRECTIVE_START.finditer(text)]
    comment_ptr = jp.join(owner, "Comment")
    for i, m in enumerate(starts):
        end = starts[i + 1].start() if i + 1 < len(starts) else len(text)
        body = text[m.end():end]
        parsed = _IGNORE.match(body)
        if not parsed:
            problems.append((comment_ptr, f"cannot read the directive {text[m.start():end].strip()!r}: "
                                          "write `aslcheck: ignore[ASL301] -- reason`"))
            continue
        selectors = [s.strip() for s in parsed.group("ids").split(",") if s.strip()]
        reason = (parsed.group("reason") or "").strip()
        if not selectors:
            problems.append((comment_ptr, "the directive names no rule: write `aslcheck: ignore[ASL301] -- reason`"))
            continue
        if not reason:
            problems.append((comment_ptr, f"the directive ignore[{', '.join(selectors)}] gives no reason: add "
                                          "`-- why this finding does not apply` (a reason is required)"))
            continue
        from analyzer.engine.registry import is_known_selector

        unknown = [s for s in selectors if not is_known_selector(s)]
        if unknown:
            problems.append((comment_ptr, f"the directive names unknown rule(s) {', '.join(map(repr, unknown))}"))
            selectors = [s for s in selectors if s not in unknown]
            if not selectors:
                continue
        directives.append(Directive(owner=owner, comment=comment_ptr, selectors=selectors, reason=reason))
    return directives, problems


def _rule_ran(selector: str, ran: list[Any]) -> bool:
    from analyzer.engine.registry import matches

    return any(matches(rule, selector) for rule in ran)


def _rules_run(ctx: Any) -> list[Any]:
    """The rules that ran on this definition (selection and per-file ignores): as the runner
    chose them, or worked out again for a context built outside it."""
    if ctx.rules_run is not None:
        return ctx.rules_run
    from analyzer.engine.registry import matches, select
    from analyzer.engine.runner import glob_match

    settings = ctx.settings
    rules = select(settings.select, settings.ignore)
    ignored = [s for pat, sels in settings.per_file_ignores.items() if glob_match(ctx.definition.file, pat)
               for s in sels]
    return [r for r in rules if not any(matches(r, s) for s in ignored)]


def apply_suppressions(ctx: Any, findings: list, report: Any) -> list:
    """Mark the findings that directives cover; add ASL801/ASL802 findings for the directives."""
    if not ctx.settings.use_suppressions:
        return findings
    from analyzer.engine.registry import matches

    directives: list[Directive] = []
    problems: list[tuple[str, str]] = []
    try:
        owners = list(comment_owners(ctx.machine))
    except RecursionError:
        owners = []
    for owner, comment in owners:
        if isinstance(comment, str) and "aslcheck" in comment.lower():
            found, bad = parse_comment(owner, comment)
            directives.extend(found)
            problems.extend(bad)

    # The most specific directive answers for a finding, so a machine-wide one never makes
    # a state's own directive look unused.
    directives.sort(key=lambda d: -len(d.owner))
    meta: list[Directive] = []
    meta_problems: list[tuple[str, str | None]] = []  # (message, pointer in the template)
    for entry in ctx.definition.metadata_ignores or ():
        rule_id = entry.get("id") if isinstance(entry, dict) else entry
        reason = entry.get("reason") if isinstance(entry, dict) else None
        from analyzer.engine.registry import is_known_selector

        if rule_id is None:
            meta_problems.append(("template Metadata has an ignore entry that names no rule: write "
                                  "`{id: ASL301, reason: ...}`", _entry_part(ctx.definition, entry, None)))
        elif not isinstance(rule_id, str) or not is_known_selector(rule_id):
            meta_problems.append((f"template Metadata names unknown rule {rule_id!r} to ignore",
                                  _entry_part(ctx.definition, entry, "id")))
        elif not isinstance(reason, str) or not reason.strip():
            meta_problems.append((f"template Metadata ignores {rule_id} without a reason (a reason is required)",
                                  _entry_part(ctx.definition, entry, "reason" if reason is not None else None)))
        else:
            meta.append(Directive(owner="", comment="", selectors=[rule_id], reason=reason.strip(),
                                  host_pointer=_entry_part(ctx.definition, entry, "id")))

    from analyzer.engine.registry import by_id

    rules = by_id()
    for f in findings:
        if f.suppressed:
            continue
        rule = rules.get(f.rule)
        if rule is None or f.rule in (UNUSED, MALFORMED):
            continue
        for d in directives:
            hit = next((s for s in d.selectors if matches(rule, s)), None) if d.covers(f.pointer) else None
            if hit:
                d.used.add(hit)
                f.suppressed, f.suppression_reason = "comment", d.reason
                break
        else:
            for d in meta:
                if matches(rule, d.selectors[0]):
                    d.used.add(d.selectors[0])
                    f.suppressed, f.suppression_reason = "metadata", d.reason
                    break

    ran = _rules_run(ctx)
    extra: list[Finding] = []
    if any(r.id == UNUSED for r in ran):
        for d in directives + meta:
            for s in d.selectors:
                if s not in d.used and _rule_ran(s, [r for r in ran if r.id not in (UNUSED, MALFORMED)]):
                    where = "template Metadata" if not d.comment else "the directive"
                    extra.append(_finding(UNUSED, d.comment, f"{where} ignore[{s}] suppresses nothing here: the "
                                                             "finding is gone, so remove it", d.host_pointer))
    if any(r.id == MALFORMED for r in ran):
        extra.extend(_finding(MALFORMED, ptr, msg) for ptr, msg in problems)
        extra.extend(_finding(MALFORMED, "", msg, where) for msg, where in meta_problems)
    from analyzer.engine.runner import locate_finding

    return findings + [locate_finding(ctx.definition, f, _severity(ctx, f.rule)) for f in extra]


def _entry_part(defn: Any, entry: Any, key: str | None) -> str | None:
    """Where a Metadata ignore entry (or its ``key`` member, when it has one) sits in the template."""
    pointer = entry.get("pointer") if isinstance(entry, dict) else None
    if pointer is None or key is None or defn.host is None:
        return pointer
    member = jp.join(pointer, key)
    return member if member in defn.host.key_offsets else pointer


def _finding(rule_id: str, pointer: str, message: str, host_pointer: str | None = None) -> Finding:
    state = None
    parts = jp.split(pointer)
    if "States" in parts:
        idx = len(parts) - 1 - parts[::-1].index("States")
        state = parts[idx + 1] if idx + 1 < len(parts) else None
    return Finding(rule=rule_id, pointer=pointer, message=message, state=state, host_pointer=host_pointer)


def _severity(ctx: Any, rule_id: str) -> Any:
    from analyzer.engine.registry import by_id
    from analyzer.engine.rule import Severity
    from analyzer.engine.runner import resolve_severity

    rule = by_id().get(rule_id)
    return resolve_severity(rule, ctx.settings) if rule else Severity.WARNING
