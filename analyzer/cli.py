"""Command line: ``aslcheck lint | run | tests | graph | rules``.

Heavy modules (networkx, jsonschema, z3, the rule passes) are imported inside the
commands that need them, so ``aslcheck --version`` and ``--help`` start instantly.

Exit codes: 0 nothing at or above ``--fail-on``; 1 findings at or above it; 2 usage
error or unreadable path; 3 internal error (a bug in aslcheck, reported as such).
"""

from __future__ import annotations

import sys

import click

from analyzer import __version__

EXIT_OK, EXIT_FINDINGS, EXIT_USAGE, EXIT_INTERNAL = 0, 1, 2, 3
EXIT_INTERRUPTED = 130  # the shell convention for SIGINT


EXIT_CODES = ("Exit codes: 0 nothing at or above --fail-on; 1 findings at or above it; 2 usage error, bad "
              "configuration or unreadable path; 3 internal error (a bug in aslcheck).")


@click.group(context_settings={"help_option_names": ["-h", "--help"]},
             epilog="Each command's --help gives its exit codes; for all of them 2 is a usage error and 3 an "
                    "internal error (a bug in aslcheck).")
@click.version_option(__version__, "--version", prog_name="aslcheck")
def main() -> None:
    """Static analyzer, model checker and local runner for AWS Step Functions (ASL)."""


@main.command(short_help="Validate and check definitions, folders and templates.", epilog=EXIT_CODES)
@click.argument("paths", nargs=-1, required=True)
@click.option("--format", "fmt", type=click.Choice(["text", "json", "sarif", "github"]), default="text",
              show_default=True, help="Report format.")
@click.option("--output", "-o", type=click.Path(dir_okay=False), help="Write the report to FILE instead of stdout.")
@click.option("--workflow-type", type=click.Choice(["STANDARD", "EXPRESS"], case_sensitive=False),
              help="Treat every definition as this workflow type (overrides config and templates).")
@click.option("--select", multiple=True, help="Only these rules (id, name or id prefix; repeatable, comma lists ok).")
@click.option("--ignore", multiple=True, help="Skip these rules (id, name or id prefix).")
@click.option("--fail-on", type=click.Choice(["error", "warning", "note", "never"]), default="error",
              show_default=True, help="Lowest severity that makes the exit code 1.")
@click.option("--config", "config_file", type=click.Path(dir_okay=False), help="Configuration file to use.")
@click.option("--isolated", is_flag=True, help="Ignore configuration files.")
@click.option("--srcroot", type=click.Path(file_okay=False), help="Root that reported paths are relative to.")
@click.option("--baseline", type=click.Path(dir_okay=False), help="Hide findings recorded in this baseline file.")
@click.option("--write-baseline", type=click.Path(dir_okay=False), help="Record current findings as a baseline.")
@click.option("--no-suppress", is_flag=True, help="Ignore suppression directives (audit mode).")
@click.option("--no-solver", is_flag=True, help="Skip the z3 passes (ASL5xx).")
@click.option("--solver-timeout", type=click.IntRange(min=1), help="z3 time limit per query, in milliseconds.")
@click.option("--color/--no-color", default=None, help="Force colour on or off (default: on a terminal).")
@click.option("--show-suppressed", is_flag=True, help="Include suppressed findings in the report.")
@click.option("--sarif-category", metavar="NAME",
              help="SARIF automationDetails category, to keep several uploads for one commit apart.")
def lint(paths, fmt, output, workflow_type, select, ignore, fail_on, config_file, isolated, srcroot,
         baseline, write_baseline, no_suppress, no_solver, solver_timeout, color, show_suppressed,
         sarif_category) -> None:
    """Validate and check state machine definitions (files, directories, or - for stdin)."""
    from analyzer.commands.lint import run_lint

    try:
        code = run_lint(
            paths=list(paths), fmt=fmt, output=output, workflow_type=workflow_type, select=list(select),
            ignore=list(ignore), fail_on=fail_on, config_file=config_file, isolated=isolated, srcroot=srcroot,
            baseline=baseline, write_baseline=write_baseline, no_suppress=no_suppress, no_solver=no_solver,
            solver_timeout=solver_timeout, color=color, show_suppressed=show_suppressed,
            sarif_category=sarif_category,
        )
    except KeyboardInterrupt:
        # An interrupted run has not checked everything: never let it look like "findings" (1).
        click.echo("aslcheck: interrupted", err=True)
        code = EXIT_INTERRUPTED
    sys.exit(code)


@main.command("rules")
@click.argument("rule", required=False)
@click.option("--format", "fmt", type=click.Choice(["text", "json", "markdown"]), default="text", show_default=True,
              help="Output format.")
def rules_command(rule, fmt) -> None:
    """List the rules, or print the documentation of one (by id or name)."""
    from analyzer.commands.rules import run_rules

    sys.exit(run_rules(rule, fmt))


@main.command(epilog="Exit codes: 0 the execution SUCCEEDED; 1 it FAILED or TIMED_OUT; 2 usage error, unreadable "
                     "file or a Task without a mock response; 3 internal error.")
@click.argument("definition")
@click.option("--input", "input_file", help="Execution input: a JSON file, or - for stdin (default {}).")
@click.option("--mocks", "mocks_file", type=click.Path(exists=True, dir_okay=False), help="Task mocks (JSON).")
@click.option("--test-case", help="Test case name in a Step Functions Local mock configuration file.")
@click.option("--context", "context_file", type=click.Path(exists=True, dir_okay=False),
              help="Context object overrides (JSON).")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True,
              help="Print the result as text, or as one JSON object (status, output, path, trace).")
@click.option("--history", is_flag=True, help="Include the execution history events.")
@click.option("--max-transitions", type=click.IntRange(min=1), default=25000, show_default=True,
              help="Stop a runaway execution after this many state transitions.")
@click.option("--seed", type=int, default=0, show_default=True, help="Seed for States.UUID, random and jitter.")
@click.option("--state-machine", help="Which state machine of a template (logical id), or of a mock file.")
@click.option("--workflow-type", type=click.Choice(["STANDARD", "EXPRESS"], case_sensitive=False),
              help="Run as this workflow type (default: as the template says, else STANDARD).")
def run(definition, input_file, mocks_file, test_case, context_file, fmt, history, max_transitions, seed,
        state_machine, workflow_type) -> None:
    """Execute a definition locally with mocked Tasks."""
    from analyzer.commands.run import run_command

    sys.exit(run_command(definition=definition, input_file=input_file, mocks_file=mocks_file, test_case=test_case,
                         context_file=context_file, fmt=fmt, history=history, max_transitions=max_transitions,
                         seed=seed, state_machine=state_machine,
                         workflow_type=workflow_type.upper() if workflow_type else None))


@main.command(short_help="Write test cases covering every feasible branch, or run test cases.",
              epilog="Exit codes: --out: 0 cases written; --check: 0 every case passed, 1 a case failed; "
                     "both: 2 unreadable or invalid definition, malformed case file or usage error; "
                     "3 internal error.")
@click.argument("definition")
@click.option("--out", "out_dir", type=click.Path(file_okay=False),
              help="Write the cases to DIR/<definition name>/case-NNN.json.")
@click.option("--check", "check_dir", type=click.Path(file_okay=False),
              help="Run the cases in DIR/<definition name>/ (or DIR) and report which fail.")
@click.option("--coverage", type=click.Choice(["states", "branches"]), default="branches", show_default=True,
              help="Cover every state, or also every Choice rule, Default and Catch (--out).")
@click.option("--format", "fmt", type=click.Choice(["text", "json", "junit"]), default="text", show_default=True,
              help="Report format: the coverage summary (--out: text, json) or the results (--check: text, "
                   "json, junit).")
@click.option("--output", "-o", type=click.Path(dir_okay=False), help="Write the --check report to FILE.")
@click.option("--solver-timeout", type=click.IntRange(min=1), help="z3 time limit per query, in milliseconds.")
@click.option("--unroll", type=click.IntRange(min=1), help="How many times a loop may be unrolled.")
@click.option("--workflow-type", type=click.Choice(["STANDARD", "EXPRESS"], case_sensitive=False),
              help="Run the cases as this workflow type (--check; default: as the template says, else STANDARD).")
def tests(definition, out_dir, check_dir, coverage, fmt, output, solver_timeout, unroll, workflow_type) -> None:
    """Generate test cases (input + Task mocks) that cover every feasible branch (--out), or run
    test cases, generated or written by hand, and check what each expects (--check)."""
    if (out_dir is None) == (check_dir is None):
        raise click.UsageError("give exactly one of --out DIR (write cases) and --check DIR (run them)")
    if check_dir is not None:
        from analyzer.commands.check_cases import run_check_command

        sys.exit(run_check_command(definition, check_dir, fmt=fmt, output=output,
                                   workflow_type=workflow_type.upper() if workflow_type else None))
    if fmt == "junit":
        raise click.UsageError("--format junit reports test results: use it with --check")
    if output:
        raise click.UsageError("--output applies to --check; --out writes the cases themselves")
    from analyzer.commands.tests import run_tests_command

    sys.exit(run_tests_command(definition=definition, out_dir=out_dir, coverage=coverage, fmt=fmt,
                               solver_timeout=solver_timeout, unroll=unroll))


@main.command(epilog="Exit codes: 0 drawn; 2 the definition cannot be read or holds no state machine.")
@click.argument("definition")
@click.option("--format", "fmt", type=click.Choice(["mermaid", "dot"]), default="mermaid", show_default=True,
              help="Mermaid (GitHub renders it in Markdown) or Graphviz DOT.")
@click.option("--output", "-o", type=click.Path(dir_okay=False), help="Write the drawing to FILE instead of stdout.")
@click.option("--no-findings", is_flag=True, help="Do not highlight states that have findings.")
def graph(definition, fmt, output, no_findings) -> None:
    """Draw the state machine as Mermaid or Graphviz DOT."""
    from analyzer.commands.graph import run_graph

    sys.exit(run_graph(definition=definition, fmt=fmt, output=output, highlight=not no_findings))


if __name__ == "__main__":  # pragma: no cover
    main()
