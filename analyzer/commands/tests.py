"""``aslcheck tests``: write confirmed test cases (input + Task mocks) covering every feasible branch.

For each state machine in DEFINITION the model checker explores the executions, picks a
small set of paths that together cover every reachable goal (states, and for
``--coverage branches`` every Choice rule, Default and Catch), and writes
``OUT/<stem>/case-NNN.json`` plus ``OUT/<stem>/MockConfigFile.json`` (the same mocks for
AWS Step Functions Local). Every case was run by the interpreter and followed its predicted
path before it is written; a case that does not is an internal error (exit 3) and is not
written. Exit codes: 0 written; 2 unreadable definition or usage error; 3 internal error.
"""

from __future__ import annotations

import json
import os
import re
import sys

import click

EXIT_OK, EXIT_USAGE, EXIT_INTERNAL = 0, 2, 3


def _stem(file: str, resource: str | None, many: bool) -> str:
    base = os.path.basename(file)
    for suffix in (".asl.json", ".asl.yaml", ".asl.yml", ".json", ".yaml", ".yml"):
        if base.endswith(suffix):
            base = base[: -len(suffix)]
            break
    if many and resource:
        base += "-" + resource
    return re.sub(r"[^A-Za-z0-9._-]+", "_", base) or "definition"


def _validation_error(definition) -> str | None:
    """Why cases for ``definition`` would be worthless: the service refuses it (an ASL1xx error).
    Without this a typo in a ``Next`` quietly gave zero cases and exit code 0."""
    from analyzer.engine.rule import Severity
    from analyzer.engine.runner import Linter, LintReport
    from analyzer.engine.settings import Settings

    settings = Settings()
    settings.select = ["ASL1"]
    errors = [f for f in Linter(settings).check_definition(definition, LintReport())
              if f.severity is Severity.ERROR and not f.suppressed]
    if not errors:
        return None
    first = min(errors, key=lambda f: (f.span.line, f.span.column))
    more = f" (+{len(errors) - 1} more)" if len(errors) > 1 else ""
    return (f"{definition.label} is not a valid state machine, so no cases were written: "
            f"{first.file}:{first.span.line}:{first.span.column}: {first.rule} {first.message}{more} "
            f"(aslcheck lint lists them all)")


def _remove_stale_cases(folder: str) -> None:
    """Generated cases from an earlier run (``case-NNN.json``) go before new ones are written, so
    that ``--check`` never runs a case the current definition no longer has; files of other
    names (cases written by hand) stay."""
    from analyzer.commands.single import UsageError

    if not os.path.isdir(folder):
        return
    for name in os.listdir(folder):
        if re.fullmatch(r"case-\d{3,}\.json", name):
            try:
                os.remove(os.path.join(folder, name))
            except OSError as exc:
                raise UsageError(f"cannot replace {os.path.join(folder, name)}: {exc.strerror or exc}") from None


def run_tests_command(definition, out_dir, coverage="branches", fmt="text", solver_timeout=None, unroll=None) -> int:
    from analyzer.commands.single import UsageError, load_definitions, write_output
    from analyzer.config import ConfigError, load_settings
    from analyzer.symbolic.testgen import generate, mock_config

    try:
        settings = load_settings([definition])
        definitions = [d for d in load_definitions(definition) if isinstance(d.value, dict)]
    except ConfigError as exc:
        click.echo(f"aslcheck: configuration error: {exc}", err=True)
        return EXIT_USAGE
    except UsageError as exc:
        click.echo(f"aslcheck: {exc}", err=True)
        return EXIT_USAGE
    solver = settings.solver
    if solver_timeout:
        solver.timeout_ms = int(solver_timeout)
    if unroll:
        solver.loop_unroll = int(unroll)
    if not definitions:
        click.echo(f"aslcheck: {definition}: no state machine definition found", err=True)
        return EXIT_USAGE
    summaries, status = [], EXIT_OK
    for d in definitions:
        refused = _validation_error(d)
        if refused:
            click.echo(f"aslcheck: {refused}", err=True)
            status = max(status, EXIT_USAGE)
            continue
        stem = _stem(d.file, d.resource, len(definitions) > 1)
        try:
            suite = generate(d.value, solver, coverage=coverage)
        except Exception as exc:  # noqa: BLE001 - a crash here is a bug, reported as such
            click.echo(f"aslcheck: internal error on {d.label}: {type(exc).__name__}: {exc}", err=True)
            status = EXIT_INTERNAL
            continue
        for problem in suite.mismatches:
            click.echo(f"aslcheck: internal error on {d.label}: a witness did not replay: {problem}", err=True)
            status = EXIT_INTERNAL
        target = os.path.join(out_dir, stem)
        try:
            _remove_stale_cases(target)
            for case in suite.cases:
                write_output(os.path.join(target, case["name"] + ".json"),
                             json.dumps(case, indent=2, sort_keys=False, ensure_ascii=True) + "\n")
            write_output(os.path.join(target, "MockConfigFile.json"),
                         json.dumps(mock_config(stem, suite.cases), indent=2, ensure_ascii=True) + "\n")
        except UsageError as exc:
            click.echo(f"aslcheck: {exc}", err=True)
            return EXIT_USAGE
        summaries.append({"definition": d.label, "out": target, **suite.summary})
    if fmt == "json":
        sys.stdout.write(json.dumps(summaries[0] if len(summaries) == 1 else summaries, indent=2) + "\n")
    else:
        for s in summaries:
            st, br = s["states"], s["branches"]
            click.echo(f"{s['definition']}: {s['cases']} case(s) in {s['out']}")
            click.echo(f"  states   {st['covered']}/{st['total']} covered, {st['dead']} proved dead, "
                       f"{st['unknown']} unknown")
            if s["coverage"] == "branches":
                click.echo(f"  branches {br['covered']}/{br['total']} covered, {br['dead']} proved dead, "
                           f"{br['unknown']} unknown")
            if s["unknown"]:
                click.echo("  unknown: " + ", ".join(s["unknown"][:12]) + (" ..." if len(s["unknown"]) > 12 else ""))
    return status
