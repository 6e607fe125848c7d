"""``aslcheck lint``: settings → linter → report → exit code."""

from __future__ import annotations

import sys

import click

from analyzer.engine.rule import Severity

EXIT_OK, EXIT_FINDINGS, EXIT_USAGE, EXIT_INTERNAL = 0, 1, 2, 3


def _split(values: list[str]) -> list[str]:
    return [v.strip() for item in values for v in item.split(",") if v.strip()]


def exit_code(report, fail_on: str) -> int:
    if report.internal_errors:
        return EXIT_INTERNAL
    if report.usage_errors and not report.files_read:
        return EXIT_USAGE
    if fail_on != "never":
        threshold = Severity(fail_on).rank
        if any(f.severity.rank >= threshold for f in report.active):
            return EXIT_FINDINGS
    if report.usage_errors:
        return EXIT_USAGE
    return EXIT_OK


def run_lint(paths, fmt="text", output=None, workflow_type=None, select=(), ignore=(), fail_on="error",
             config_file=None, isolated=False, srcroot=None, baseline=None, write_baseline=None,
             no_suppress=False, no_solver=False, solver_timeout=None, color=None, show_suppressed=False,
             sarif_category=None) -> int:
    from analyzer.config import ConfigError, load_settings
    from analyzer.engine.registry import is_known_selector
    from analyzer.engine.runner import Linter, LintReport

    try:
        settings = load_settings(paths, config_file=config_file, isolated=isolated)
    except ConfigError as exc:
        click.echo(f"aslcheck: configuration error: {exc}", err=True)
        return EXIT_USAGE
    sel, ign = _split(list(select)), _split(list(ignore))
    for s in sel + ign:
        if not is_known_selector(s):
            click.echo(f"aslcheck: unknown rule selector {s!r} (use an id like ASL301, a name, or a prefix)", err=True)
            return EXIT_USAGE
    if sel:
        settings.select = sel
    settings.ignore = list(settings.ignore) + ign
    if workflow_type:
        settings.workflow_type = workflow_type.upper()
    if srcroot:
        settings.root = srcroot
    if sarif_category:
        settings.sarif_category = sarif_category
    if no_suppress:
        settings.use_suppressions = False
    if no_solver:
        settings.solver.enabled = False
    if solver_timeout:
        settings.solver.timeout_ms = solver_timeout
    settings.baseline = baseline  # type: ignore[attr-defined]

    linter = Linter(settings)
    report = LintReport()
    progress = None
    if fmt == "text" and sys.stderr.isatty() and output is None:
        from analyzer.report.progress import Progress

        progress = Progress(sys.stderr)
    linter.lint_paths(paths, report, progress=progress)
    if progress is not None:
        progress.done()

    from analyzer.commands.single import UsageError, write_output
    from analyzer.engine.baseline import BaselineError, apply_baseline, write_baseline as record
    from analyzer.report import render

    try:
        if baseline:
            apply_baseline(report, baseline)
        if write_baseline:
            record(report, write_baseline)
        text = render(fmt, report, color=color if output is None else False, show_suppressed=show_suppressed,
                      settings=settings)
        if output:
            write_output(output, text)
        else:
            sys.stdout.write(text)
            sys.stdout.flush()
    except (BaselineError, UsageError) as exc:
        click.echo(f"aslcheck: {exc}", err=True)
        return EXIT_USAGE
    for problem in report.usage_errors:
        click.echo(f"aslcheck: {problem}", err=True)
    for err in report.internal_errors:
        click.echo(f"aslcheck: internal error in {err.file}: {err.message} (this is a bug in aslcheck)", err=True)
    return exit_code(report, fail_on)
