"""The read-only view a rule gets of one definition: model, graph, settings."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from typing import Any, Mapping

from analyzer.engine.settings import Settings
from analyzer.load.definitions import Definition
from analyzer.model.build import build_machine
from analyzer.model.nodes import Machine


@dataclass
class Context:
    definition: Definition
    settings: Settings = field(default_factory=Settings)
    workflow_type: str = "STANDARD"
    #: shared between rules of one definition (e.g. the solver's per-Choice verdicts)
    cache: dict[str, Any] = field(default_factory=dict)
    rule_id: str = ""  # set by the runner before each rule runs
    #: the rules that run on this definition (selection and per-file ignores), set by the runner
    rules_run: list[Any] | None = None

    @property
    def value(self) -> Any:
        return self.definition.value

    @cached_property
    def machine(self) -> Machine:
        return build_machine(self.definition.value)

    @cached_property
    def graph(self):  # -> analyzer.graph.cfg.StateGraph (networkx is imported only when needed)
        from analyzer.graph.cfg import build_graph

        return build_graph(self.machine)

    @property
    def is_express(self) -> bool:
        return self.workflow_type == "EXPRESS"

    def options(self, rule_id: str, defaults: Mapping[str, Any]) -> dict[str, Any]:
        return self.settings.options_for(rule_id, defaults)
