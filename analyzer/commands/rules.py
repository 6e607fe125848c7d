"""``aslcheck rules``: the rule catalogue, generated from the rule classes themselves."""

from __future__ import annotations

import json

import click


def rule_record(rule) -> dict:
    return {
        "id": rule.id,
        "name": rule.name,
        "severity": rule.severity.value,
        "category": rule.category,
        "tags": list(rule.tags),
        "precision": rule.precision,
        "summary": rule.short_description,
        "doc": rule.doc.strip(),
    }


def run_rules(key: str | None, fmt: str) -> int:
    from analyzer.engine.registry import all_rules, lookup

    if key:
        rule = lookup(key)
        if rule is None:
            click.echo(f"aslcheck: no rule with id or name {key!r}", err=True)
            return 2
        if fmt == "json":
            click.echo(json.dumps(rule_record(rule), indent=2))
        else:
            click.echo(f"{rule.id} {rule.name} (default severity: {rule.severity.value})\n")
            click.echo(rule.doc.strip())
        return 0
    rules = all_rules()
    if fmt == "json":
        click.echo(json.dumps([rule_record(r) for r in rules], indent=2))
    elif fmt == "markdown":
        click.echo("| id | name | severity | summary |\n|---|---|---|---|")
        for r in rules:
            click.echo(f"| {r.id} | {r.name} | {r.severity.value} | {r.short_description} |")
    else:
        width = max(len(r.name) for r in rules)
        for r in rules:
            click.echo(f"{r.id}  {r.name:<{width}}  {r.severity.value:<7}  {r.short_description}")
    return 0
