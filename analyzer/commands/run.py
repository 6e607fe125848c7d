"""``aslcheck run``: execute one definition locally with mocked Tasks.

Exit codes: 0 the execution SUCCEEDED; 1 it FAILED or TIMED_OUT (including the
transition limit); 2 usage problems (unreadable or invalid files, a template with several
state machines and no ``--state-machine``, a Task without a mock); 3 an internal error.
"""

from __future__ import annotations

import json
from typing import Any

import click

EXIT_OK, EXIT_FAILED, EXIT_USAGE, EXIT_INTERNAL = 0, 1, 2, 3


from analyzer.commands.single import UsageError, choose, load_definitions, read_text


def _read_json(path: str, what: str) -> Any:
    try:
        text = read_text(path)
    except UsageError as exc:
        raise UsageError(f"{what} (--{what}): {exc}") from None
    try:
        return json.loads(text)
    except ValueError as exc:
        raise UsageError(f"the {what} file {path} is not valid JSON: {exc}") from None


def load_definition(path: str, state_machine: str | None = None):
    """The :class:`~analyzer.load.definitions.Definition` in ``path`` (a bare ASL file or a template)."""
    return choose(path, load_definitions(path), state_machine)


def _unknown_mocked_states(value: dict, mocked: set[str]) -> list[str]:
    """A mock for a state the definition does not have is a typo that would otherwise only
    show as a MockMissing on the real name: name it, with the closest state name."""
    import difflib

    from analyzer.model.build import build_machine

    names = sorted({s.name for s in build_machine(value).walk_states()})
    out = []
    for name in sorted(mocked - set(names)):
        close = difflib.get_close_matches(name, names, n=1)
        hint = f"; did you mean {close[0]!r}?" if close else ""
        out.append(f"{name!r} is not a state of this definition, so its responses are never used{hint}")
    return out


def _check_shape(path: str, value: Any) -> None:
    if not isinstance(value, dict) or not isinstance(value.get("States"), dict):
        raise UsageError(f"{path} is not a valid state machine definition (it needs StartAt and States)")
    if not isinstance(value.get("StartAt"), str) or value["StartAt"] not in value["States"]:
        raise UsageError(f"{path} is not a valid state machine definition: StartAt must name a state")


def run_command(definition: str, input_file: str | None = None, mocks_file: str | None = None,
                test_case: str | None = None, context_file: str | None = None, fmt: str = "text",
                history: bool = False, max_transitions: int = 25000, seed: int = 0,
                state_machine: str | None = None, workflow_type: str | None = None) -> int:
    try:
        return _run(definition, input_file, mocks_file, test_case, context_file, fmt, history, max_transitions,
                    seed, state_machine, workflow_type)
    except UsageError as exc:
        click.echo(f"aslcheck: {exc}", err=True)
        return EXIT_USAGE
    except Exception as exc:  # a bug in aslcheck, not in the user's workflow
        click.echo(f"aslcheck: internal error: {type(exc).__name__}: {exc}", err=True)
        return EXIT_INTERNAL


def _run(definition, input_file, mocks_file, test_case, context_file, fmt, history, max_transitions, seed,
         state_machine, workflow_type) -> int:
    from analyzer.interp.failures import INVALID_DEFINITION, MOCK_MISSING
    from analyzer.interp.interpreter import SUCCEEDED, run
    from analyzer.interp.mocks import MockError, from_value

    if max_transitions is not None and max_transitions < 1:
        raise UsageError("--max-transitions must be at least 1")
    if definition == "-" and input_file == "-":
        raise UsageError("the definition and --input cannot both come from stdin")
    found = load_definition(definition, state_machine)
    value = found.value
    _check_shape(definition, value)
    data = _read_json(input_file, "input") if input_file else {}
    context = _read_json(context_file, "context") if context_file else None
    if context is not None and not isinstance(context, dict):
        raise UsageError(f"the context file {context_file} must hold a JSON object")
    raw_mocks = _read_json(mocks_file, "mocks") if mocks_file else None
    try:
        mocks = from_value(raw_mocks, test_case=test_case, state_machine=state_machine)
    except MockError as exc:
        raise UsageError(f"mocks: {exc}") from None
    for warning in _unknown_mocked_states(value, set(mocks.responses) | set(mocks.repeat)):
        click.echo(f"aslcheck: mocks: {warning}", err=True)
    try:
        result = run(value, data, mocks=mocks, context=context, seed=seed, max_transitions=max_transitions,
                     history=history, workflow_type=workflow_type or found.workflow_type or "STANDARD")
    except ValueError as exc:  # e.g. a context StartTime that is not a timestamp
        raise UsageError(str(exc)) from None
    if fmt == "json":
        click.echo(json.dumps(result.to_dict(history=history), indent=2, ensure_ascii=False))
    else:
        _print_text(result, history)
    if result.error in (MOCK_MISSING, INVALID_DEFINITION):
        click.echo(f"aslcheck: {result.cause}", err=True)
        return EXIT_USAGE
    return EXIT_OK if result.status == SUCCEEDED else EXIT_FAILED


def _print_text(result, history: bool) -> None:
    click.echo(f"status: {result.status}")
    click.echo("path: " + " -> ".join(result.path))
    if result.status == "SUCCEEDED":
        click.echo("output: " + json.dumps(result.output, ensure_ascii=False))
    else:
        click.echo(f"error: {result.error}")
        click.echo(f"cause: {result.cause}")
    click.echo(f"transitions: {result.transitions}, virtual time: {result.elapsed_seconds:g} s")
    if history:
        for event in result.events:
            details = {k: v for k, v in event.items() if k.endswith("EventDetails")}
            body = json.dumps(next(iter(details.values())), ensure_ascii=False) if details else ""
            click.echo(f"{event['id']:>4} {event['timestamp']} {event['type']} {body}")
