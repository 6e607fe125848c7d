"""``aslcheck graph``: draw a definition (or every state machine of a template) as Mermaid or DOT.

The definition is linted first so the states that have findings stand out in the picture;
``--no-findings`` skips that. Exit codes: 0 drawn, 2 the path cannot be read or parsed or
holds no state machine.
"""

from __future__ import annotations


import click

EXIT_OK, EXIT_USAGE = 0, 2
MERMAID_MAX_TEXT, MERMAID_MAX_EDGES = 50_000, 500  # Mermaid's defaults (maxTextSize, maxEdges)


def _state_of(pointer: str, states: list[str]) -> str:
    """The innermost state whose pointer is ``pointer`` or one of its ancestors ('' if none)."""
    best = ""
    for candidate in states:
        if (pointer == candidate or pointer.startswith(candidate + "/")) and len(candidate) > len(best):
            best = candidate
    return best


def drawings_for(file: str, text: str, highlight: bool = True, settings=None):
    """Parse ``text`` and return (drawings, unchecked reasons); raises ParseError when unparsable."""
    from analyzer.engine.runner import Linter, LintReport
    from analyzer.engine.settings import Settings
    from analyzer.graph.cfg import build_graph
    from analyzer.load.definitions import extract
    from analyzer.load.files import is_explicit_asl, parse_text
    from analyzer.model.build import build_machine
    from analyzer.report.graph_render import MachineDrawing

    document = parse_text(text, file)
    extraction = extract(document, explicit_asl=is_explicit_asl(file))
    linter = Linter(settings or Settings()) if highlight else None
    drawings = []
    for defn in extraction.definitions:
        sg = build_graph(build_machine(defn.value))
        findings: dict[str, list[str]] = {}
        if linter is not None:
            report = LintReport()
            pointers = list(sg.states)
            for f in linter.check_definition(defn, report):
                if not f.suppressed:
                    findings.setdefault(_state_of(f.pointer, pointers), []).append(f.rule)
        drawings.append(MachineDrawing(title=defn.resource or file, graph=sg, findings=findings))
    return drawings, [f"{u.resource or u.file}: {u.reason}" for u in extraction.unchecked]


def _edge_count(mermaid: str) -> int:
    return sum(1 for line in mermaid.splitlines() if line.startswith("  ") and
               any(f" {arrow}" in line for arrow in ("-->", "==>", "-.->", "--o")))


def run_graph(definition: str, fmt: str = "mermaid", output: str | None = None, highlight: bool = True) -> int:
    from analyzer.load.source import ParseError
    from analyzer.report.graph_render import render_dot, render_mermaid

    from analyzer.commands.single import UsageError, emit, read_text
    from analyzer.engine.runner import display_path

    try:
        text = read_text(definition)
    except UsageError as exc:
        click.echo(f"aslcheck: {exc}", err=True)
        return EXIT_USAGE
    file = display_path(definition, None)
    settings = None
    if highlight and definition != "-":
        try:
            from analyzer.config import load_settings

            settings = load_settings([definition])
        except Exception:  # a broken config must not stop a picture; defaults are fine here
            settings = None
    try:
        drawings, unchecked = drawings_for(file, text, highlight, settings)
    except ParseError as exc:
        line, column = (exc.line, exc.column or 1) if exc.line is not None else (1, 1)
        click.echo(f"aslcheck: {file}:{line}:{column}: cannot parse the file: {exc.message}", err=True)
        return EXIT_USAGE
    for reason in unchecked:
        click.echo(f"aslcheck: not drawn: {reason}", err=True)
    if not drawings:
        click.echo(f"aslcheck: {file}: no state machine definition found", err=True)
        return EXIT_USAGE
    rendered = render_dot(drawings) if fmt == "dot" else render_mermaid(drawings)
    if fmt == "mermaid" and (len(rendered) > MERMAID_MAX_TEXT or _edge_count(rendered) > MERMAID_MAX_EDGES):
        click.echo("aslcheck: this diagram may exceed Mermaid's default limits (50,000 characters, 500 edges) "
                   "and not render on GitHub; --format dot has no such limit", err=True)
    if not emit(rendered, output):
        return EXIT_USAGE
    return EXIT_OK
