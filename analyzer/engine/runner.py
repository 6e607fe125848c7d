"""Runs the selected rules over files and turns findings into located, reportable results.

The runner is where pointers meet positions: each finding's pointer is resolved by the
definition's locator, once, and reporters only read the result. A rule that raises is an
internal error for that file (exit code 3), reported with the rule and file, while every
other file and rule still runs.
"""

from __future__ import annotations

import fnmatch
import functools
import hashlib
import os
import sys
import time
import traceback
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any, Iterable, Mapping

from analyzer.engine.context import Context
from analyzer.engine.registry import matches, select
from analyzer.engine.rule import Finding, Rule, Severity
from analyzer.engine.settings import Settings
from analyzer.load.definitions import Definition, Unchecked, extract
from analyzer.load.files import (
    MAX_FILE_BYTES, decode, discover, is_explicit_asl, mentions_state_machine, parse_text,
)
from analyzer.load.source import LineIndex, ParseError, Span


@dataclass
class ReportedFinding:
    rule: str
    name: str
    severity: Severity
    message: str
    file: str
    span: Span
    pointer: str
    state: str | None = None
    resource: str | None = None
    data: Mapping[str, Any] = field(default_factory=dict)
    suppressed: str | None = None  # how it was suppressed (comment, metadata, config, baseline)
    suppression_reason: str | None = None
    fingerprint: str = ""
    #: pointer into ``file`` when the finding is about the declaring template rather than
    #: the definition (a Metadata ignore entry); ``pointer`` is then "" (the whole definition)
    host_pointer: str | None = None

    def sort_key(self) -> tuple:
        return (self.file, self.span.line, self.span.column, self.rule, self.pointer, self.message)

    def as_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "rule": self.rule,
            "name": self.name,
            "severity": self.severity.value,
            "message": self.message,
            "file": self.file,
            **self.span.as_dict(),
            "state": self.state,
            "pointer": self.pointer,
            "fingerprint": self.fingerprint,
        }
        if self.resource:
            out["resource"] = self.resource
        if self.host_pointer is not None:
            out["host_pointer"] = self.host_pointer
        if self.data:
            out["data"] = dict(self.data)
        if self.suppressed:
            out["suppressed"] = {"by": self.suppressed, "reason": self.suppression_reason}
        return out


@dataclass
class InternalError:
    file: str
    message: str
    detail: str = ""


@dataclass
class Duplicate:
    """A definition synthesized by CDK (``cdk.out``) that is the same as a definition file of the
    run: its findings that the file has too are reported once, at the file."""

    file: str
    resource: str | None
    same_as: str
    dropped: int  # findings of the copy left out because the file has the same one


@dataclass
class LintReport:
    findings: list[ReportedFinding] = field(default_factory=list)
    files_read: int = 0
    files_skipped: int = 0
    state_machines: int = 0
    unchecked: list[Unchecked] = field(default_factory=list)
    #: Files linted as bare definitions, and files also read through a template's DefinitionUri:
    #: a file in both is reported once, the way the template deploys it.
    asl_files: set[str] = field(default_factory=set)
    template_files: set[str] = field(default_factory=set)
    internal_errors: list[InternalError] = field(default_factory=list)
    usage_errors: list[str] = field(default_factory=list)
    seconds: float = 0.0
    rules: list[Rule] = field(default_factory=list)
    #: file text by reported path, so reporters can show excerpts (also for stdin) without re-reading
    sources: dict[str, str] = field(default_factory=dict)
    duplicates: list[Duplicate] = field(default_factory=list)
    #: bare definitions and synthesized copies met in this run, as (file, resource, value,
    #: synthesized), for telling the copies apart from the files they were made from
    definitions_seen: list[tuple[str, str | None, Any, bool]] = field(default_factory=list, repr=False)

    @property
    def active(self) -> list[ReportedFinding]:
        return [f for f in self.findings if not f.suppressed]

    def counts(self) -> dict[str, int]:
        c = {"error": 0, "warning": 0, "note": 0}
        for f in self.active:
            c[f.severity.value] += 1
        return c


def fingerprint(rule: str, file: str, pointer: str, occurrence: int = 0) -> str:
    """Stable identity of a finding: rule, repository-relative path and state path, never lines."""
    digest = hashlib.sha256(f"{rule}\0{file}\0{pointer}".encode()).hexdigest()[:16]
    return f"{digest}:{occurrence}"


@functools.lru_cache(maxsize=8)
def _resolved_base(root: str | None, cwd: str) -> Path:
    return Path(root or cwd).resolve()


def display_path(path: str, root: str | None) -> str:
    if path == "-":
        return "<stdin>"
    p = Path(path)
    base = _resolved_base(root, os.getcwd())  # resolved once a run, not once a file
    try:
        rel = p.resolve().relative_to(base)
        return PurePosixPath(rel).as_posix()
    except ValueError:
        return PurePosixPath(p).as_posix() if not p.is_absolute() else p.as_posix()


def config_relative(file: str, settings: Settings) -> str:
    """``file`` (as reported) relative to the configuration file's folder, for matching its globs."""
    if not settings.config_dir or file == "<stdin>":
        return file
    p = Path(file)
    if not p.is_absolute():
        p = Path(settings.root or Path.cwd()) / p
    try:
        return PurePosixPath(p.resolve().relative_to(Path(settings.config_dir))).as_posix()
    except ValueError:
        return file


def glob_match(file: str, pattern: str) -> bool:
    return fnmatch.fnmatchcase(file, pattern) or fnmatch.fnmatchcase(file, "*/" + pattern) or \
        PurePosixPath(file).match(pattern)


def resolve_severity(rule: Rule, settings: Settings) -> Severity:
    sev = rule.severity
    for selector, value in settings.severity_overrides.items():
        if matches(rule, selector):
            sev = Severity(value)
    return sev


def workflow_type_for(defn: Definition, settings: Settings) -> str:
    if settings.workflow_type:
        return settings.workflow_type.upper()
    file = config_relative(defn.file, settings)
    for pattern, wtype in settings.workflow_types.items():
        if glob_match(file, pattern):
            return wtype.upper()
    if defn.workflow_type:
        return defn.workflow_type.upper()
    return "STANDARD"


class Linter:
    """Lints definitions with one resolved rule set; reusable across files."""

    def __init__(self, settings: Settings | None = None, rules: list[Rule] | None = None) -> None:
        self.settings = settings or Settings()
        self.rules = rules if rules is not None else select(self.settings.select, self.settings.ignore)
        self.severity = {r.id: resolve_severity(r, self.settings) for r in self.rules}

    def rules_for_file(self, file: str) -> list[Rule]:
        file = config_relative(file, self.settings)
        ignored = [sel for pat, sels in self.settings.per_file_ignores.items() if glob_match(file, pat) for sel in sels]
        if not ignored:
            return self.rules
        return [r for r in self.rules if not any(matches(r, s) for s in ignored)]

    def check_definition(self, defn: Definition, report: LintReport) -> list[ReportedFinding]:
        rules = self.rules_for_file(defn.file)
        ctx = Context(definition=defn, settings=self.settings, workflow_type=workflow_type_for(defn, self.settings),
                      rules_run=rules)
        raw: list[Finding] = []
        for rule in rules:
            ctx.rule_id = rule.id
            try:
                raw.extend(rule.check(ctx))
            except RecursionError:
                report.internal_errors.append(InternalError(
                    defn.label, f"rule {rule.id} ({rule.name}) exceeded the recursion limit on this definition"))
            except Exception as exc:  # an internal error is a bug: report it, keep going
                report.internal_errors.append(InternalError(
                    defn.label, f"rule {rule.id} ({rule.name}) failed: {type(exc).__name__}: {exc}",
                    traceback.format_exc()))
        from analyzer.engine.suppress import apply_suppressions

        located = [self.locate(defn, f) for f in raw]
        located = apply_suppressions(ctx, located, report)
        return located

    def locate(self, defn: Definition, f: Finding) -> ReportedFinding:
        return locate_finding(defn, f, self.severity.get(f.rule))

    # -- files ------------------------------------------------------------------------
    def lint_text(self, text: str, file: str, report: LintReport, explicit: bool = True,
                  base_dir: str | None = None) -> None:
        if not explicit and "States" not in text and not mentions_state_machine(text):
            # Met while walking a folder and naming neither States nor a state machine resource:
            # package.json, lock files, fixtures. Nothing to lint, so not worth parsing.
            report.files_skipped += 1
            return
        report.sources[file] = text
        try:
            document = parse_text(text, file)
        except ParseError as exc:
            if not explicit and not mentions_state_machine(text):
                report.files_skipped += 1  # someone else's broken JSON/YAML, met while walking a folder
                return
            report.files_read += 1
            report.findings.append(self.parse_error(file, text, exc))
            return
        self.lint_document(document, report, explicit, base_dir)

    def parse_error(self, file: str, text: str, exc: ParseError) -> ReportedFinding:
        lines = LineIndex(text)
        if exc.line is not None:
            line, col = exc.line, exc.column or 1
        else:
            line, col = lines.position(min(exc.offset, len(text)))
        return ReportedFinding(
            rule="ASL100", name="unparsable-document", severity=Severity.ERROR,
            message=f"cannot parse the file: {exc.message}", file=file,
            span=Span(line, col, line, col + 1), pointer="",
        )

    def lint_document(self, document, report: LintReport, explicit: bool, base_dir: str | None = None) -> None:
        extraction = extract(document, explicit_asl=explicit and is_explicit_asl(document.path), base_dir=base_dir)
        report.unchecked.extend(extraction.unchecked)
        if not extraction.definitions and not extraction.unchecked and not extraction.is_template:
            report.files_skipped += 1
            return
        report.files_read += 1
        for defn in extraction.definitions:
            report.state_machines += 1
            if defn.origin == "asl":
                report.asl_files.add(defn.file)
                if defn.value is not None:
                    report.definitions_seen.append((defn.file, None, defn.value, False))
            elif defn.synthesized and defn.value is not None:
                report.definitions_seen.append((defn.file, defn.resource, defn.value, True))
            elif defn.origin == "template-uri":
                report.template_files.add(defn.file)
            if defn.file not in report.sources:  # a file read for a template (SAM DefinitionUri)
                report.sources[defn.file] = defn.document.text if defn.document.path == defn.file else ""
            report.findings.extend(self.host_finding(defn, p) for p in defn.host_problems)
            if defn.value is None and defn.host_problems:
                continue  # its text could not be parsed: nothing for the rules to look at
            report.findings.extend(self.check_definition(defn, report))

    def host_finding(self, defn: Definition, problem) -> ReportedFinding:
        """A problem with the embedding itself (see ``Definition.host_problems``), located already."""
        from analyzer.engine.registry import by_id

        rule = by_id().get(problem.rule)
        return ReportedFinding(
            rule=problem.rule, name=rule.name if rule else problem.rule,
            severity=self.severity.get(problem.rule) or (rule.severity if rule else Severity.ERROR),
            message=problem.message, file=defn.file, span=problem.span, pointer="", resource=defn.resource,
        )

    def lint_paths(self, paths: Iterable[str], report: LintReport | None = None,
                   progress: Any = None) -> LintReport:
        report = report or LintReport()
        report.rules = self.rules
        start = time.perf_counter()
        files = list(discover(paths))
        for i, (path, explicit) in enumerate(files):
            if progress is not None:
                progress(i, len(files), path)
            shown = display_path(path, self.settings.root)
            try:
                if path == "-":
                    data = sys.stdin.buffer.read()
                else:
                    p = Path(path)
                    if not p.exists():
                        if not explicit and p.is_symlink():  # a dangling link met in a folder is no file
                            report.files_skipped += 1
                            continue
                        report.usage_errors.append(f"{path}: no such file or directory")
                        continue
                    size = p.stat().st_size
                    if size > MAX_FILE_BYTES:  # a data dump, not a definition: do not read it whole
                        if explicit:
                            report.files_read += 1
                            report.findings.append(self.parse_error(shown, "", ParseError(
                                f"the file is {size / 2**20:.0f} MiB; files over {MAX_FILE_BYTES // 2**20} MiB "
                                f"are not read (a deployable definition or template is far smaller)", 0)))
                        else:
                            report.files_skipped += 1
                        continue
                    data = p.read_bytes()
            except OSError as exc:
                report.usage_errors.append(f"{path}: cannot read: {exc.strerror or exc}")
                continue
            try:
                text = decode(data)
            except ParseError as exc:
                if not explicit and not mentions_state_machine(data):
                    report.files_skipped += 1
                    continue
                report.files_read += 1
                shown_text = data.decode("utf-8", "replace")  # for the excerpt only
                report.sources[shown] = shown_text
                report.findings.append(self.parse_error(shown, shown_text, exc))
                continue
            try:
                self.lint_text(text, shown, report, explicit,
                               base_dir=None if path == "-" else str(Path(path).parent))
            except RecursionError:
                report.internal_errors.append(InternalError(shown, "recursion limit exceeded while analysing the file"))
            except Exception as exc:
                report.internal_errors.append(InternalError(
                    shown, f"{type(exc).__name__}: {exc}", traceback.format_exc()))
        _drop_bare_duplicates(report)
        _merge_synthesized_copies(report)
        _assign_fingerprints(report.findings)
        report.findings.sort(key=ReportedFinding.sort_key)
        report.seconds = time.perf_counter() - start
        return report


def locate_finding(defn: Definition, f: Finding, severity: Severity | None = None) -> ReportedFinding:
    """A rule's (or the suppression pass's) finding, placed in the file through
    :meth:`Definition.place`: the one step from pointers to positions for every reporter."""
    from analyzer.engine.registry import by_id

    rule = by_id().get(f.rule)
    file, span = defn.place(f.pointer, f.host_pointer)
    return ReportedFinding(
        rule=f.rule,
        name=rule.name if rule else f.rule,
        severity=f.severity or severity or (rule.severity if rule else Severity.ERROR),
        message=f.message,
        file=file,
        span=span,
        pointer=f.pointer,
        state=f.state,
        resource=defn.resource,
        data=_locate_witness(defn, f.data),
        host_pointer=f.host_pointer if defn.host is not None else None,  # else placed at ``pointer``
    )


def _locate_witness(defn: Definition, data: Mapping[str, Any]) -> Mapping[str, Any]:
    """Give a solver witness the file positions of its path, which only the definition can resolve.

    ``data["witness"]["path"]`` lists state pointers (or top-level state names) in execution
    order; this adds ``locations`` (one entry per step: pointer, state, line, column, end_line,
    end_column) unless the rule already supplied them. Reporters (SARIF codeFlows) read it.
    """
    witness = data.get("witness") if isinstance(data, Mapping) else None
    if not isinstance(witness, Mapping) or "locations" in witness or not isinstance(witness.get("path"), list):
        return data
    states = defn.value.get("States") if isinstance(defn.value, dict) else None
    locations = []
    for step in witness["path"]:
        if not isinstance(step, str):
            locations.append({"pointer": None, "state": str(step)})
            continue
        pointer = step if step.startswith("/") else (
            "/States/" + step.replace("~", "~0").replace("/", "~1") if isinstance(states, dict) and step in states
            else None)
        if pointer is None:
            locations.append({"pointer": None, "state": step})
            continue
        name = pointer.rsplit("/", 1)[-1].replace("~1", "/").replace("~0", "~")
        locations.append({"pointer": pointer, "state": name, **defn.locate(pointer).as_dict()})
    return {**data, "witness": {**witness, "locations": locations}}


def _drop_bare_duplicates(report: LintReport) -> None:
    """A definition file that a template in the same run points at is reported through the
    template only (with its substitutions, workflow type and resource name)."""
    if report.template_files:
        report.findings = [f for f in report.findings
                           if not (f.file in report.template_files and f.resource is None)]
        report.state_machines -= len(report.asl_files & report.template_files)


def _merge_synthesized_copies(report: LintReport) -> None:
    """``cdk synth`` writes a copy of each definition into ``cdk.out``. When the run also holds
    the definition file it was made from (the same definition, the file's ``${...}``
    placeholders standing for whatever the template filled in), a finding of the copy that
    the file has as well (same rule, place and message) is reported once, at the file the
    user edits; a suppression from the copy's resource Metadata carries over to it. Findings
    of the copy that the file does not have are kept, where they are. Only files of the
    same CDK app count (under the folder that holds ``cdk.out``): an identical machine of
    another project is another state machine."""
    bare = [(file, value) for file, _, value, synthesized in report.definitions_seen
            if not synthesized and file not in report.template_files]
    if not bare:
        return
    for file, resource, value, synthesized in report.definitions_seen:
        if not synthesized:
            continue
        project = _cdk_project(file)
        twin = next((b for b, b_value in bare
                     if project in PurePosixPath(b).parents and same_definition(b_value, value)), None)
        if twin is None:
            continue
        at_file: dict[tuple, list[ReportedFinding]] = {}
        for f in report.findings:
            if f.file == twin and f.resource is None:
                at_file.setdefault(_twin_key(f), []).append(f)
        kept, dropped = [], 0
        for f in report.findings:
            same = at_file.get(_twin_key(f)) if f.file == file and f.resource == resource else None
            if same:
                other = same.pop(0)
                if f.suppressed and not other.suppressed:
                    other.suppressed, other.suppression_reason = f.suppressed, f.suppression_reason
                dropped += 1
                continue
            kept.append(f)
        report.findings = kept
        report.state_machines -= 1  # one state machine, in two files
        report.duplicates.append(Duplicate(file, resource, twin, dropped))


def _cdk_project(template: str) -> PurePosixPath:
    """The CDK app folder of a synthesized template: the one holding its ``cdk.out`` folder
    (the template's own folder when it lies in none)."""
    path = PurePosixPath(template)
    parts = path.parts[:-1]
    if "cdk.out" in parts:
        return PurePosixPath(*parts[:parts.index("cdk.out")])
    return path.parent


def _twin_key(f: ReportedFinding) -> tuple:
    return (f.rule, f.pointer, f.state, f.message, f.host_pointer)


def same_definition(written: Any, synthesized: Any) -> bool:
    """Whether ``synthesized`` (a template's copy, its substitutions and references already
    filled in) is ``written`` (a definition file): equal, except that a string of the file
    holding a ``${...}`` placeholder stands for any value."""
    from analyzer.lang.placeholders import contains_placeholder

    if contains_placeholder(written):
        return True
    if isinstance(written, dict):
        return (isinstance(synthesized, dict) and written.keys() == synthesized.keys()
                and all(same_definition(v, synthesized[k]) for k, v in written.items()))
    if isinstance(written, list):
        return (isinstance(synthesized, list) and len(written) == len(synthesized)
                and all(same_definition(a, b) for a, b in zip(written, synthesized)))
    if isinstance(written, bool) or isinstance(synthesized, bool):
        return written is synthesized
    return type(written) is type(synthesized) and written == synthesized or (
        isinstance(written, (int, float)) and isinstance(synthesized, (int, float)) and written == synthesized)


def _assign_fingerprints(findings: list[ReportedFinding]) -> None:
    seen: dict[tuple[str, str, str], int] = {}
    for f in sorted(findings, key=lambda f: (f.file, f.resource or "", f.rule, f.pointer, f.message)):
        pointer = f"{f.resource}:{f.pointer}" if f.resource else f.pointer
        key = (f.rule, f.file, pointer)
        n = seen.get(key, 0)
        seen[key] = n + 1
        f.fingerprint = fingerprint(f.rule, f.file, pointer, n)
