"""The control-flow graph of a state machine, shared by the rule passes and the solver.

One node per state, named by the state's JSON Pointer, so nested scopes (Parallel
branches, Map processors) never collide even when state names repeat. Edges carry a
``kind``: ``next``, ``choice`` (with the rule ``index``), ``default``, ``catch`` (with
``index`` and ``errors``) and ``retry`` (a self-loop per retrier). Scopes are closed:
no edge crosses from one scope into another, exactly as ASL requires.

The edges are kept in plain adjacency mappings; the networkx ``MultiDiGraph`` (``.graph``)
is built from them on first use, so lint passes that only ask for successors,
reachability or cycles never import networkx.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Iterable, Iterator

if TYPE_CHECKING:
    import networkx as nx

from analyzer.load import pointer as jp
from analyzer.model.nodes import (
    MISSING,
    ChoiceState,
    Machine,
    MapState,
    ParallelState,
    State,
    TaskState,
    nested_scopes,
)

FLOW_KINDS = frozenset({"next", "choice", "default", "catch"})


#: ``src -> dst -> [edge data, ...]``, the same shape (and order) as networkx's ``succ``.
Adjacency = dict[str, dict[str, list[dict[str, Any]]]]


@dataclass
class StateGraph:
    machine: Machine
    out_edges: Adjacency = field(default_factory=dict)
    in_edges: Adjacency = field(default_factory=dict)  # dst -> src -> [edge data, ...]
    node_attrs: dict[str, dict[str, Any]] = field(default_factory=dict)
    states: dict[str, State] = field(default_factory=dict)  # pointer -> state
    scopes: dict[str, Machine] = field(default_factory=dict)  # scope pointer -> machine
    _reach_cache: dict[str, frozenset[str]] = field(default_factory=dict)
    _flow_cache: dict[str, tuple[dict, dict]] = field(default_factory=dict)  # scope -> (succ, pred)
    _nx: Any = None

    @property
    def graph(self) -> "nx.MultiDiGraph":
        """The whole graph as a networkx ``MultiDiGraph`` (built once, on first use)."""
        if self._nx is None:
            import networkx as nx

            g = nx.MultiDiGraph()
            for node, attrs in self.node_attrs.items():
                g.add_node(node, **attrs)
            for src, targets in self.out_edges.items():
                for dst, datas in targets.items():
                    for data in datas:
                        g.add_edge(src, dst, **data)
            self._nx = g
        return self._nx

    # -- navigation -----------------------------------------------------------------
    def state(self, node: str) -> State:
        return self.states[node]

    def scope_of(self, node: str) -> Machine:
        return self.scopes[self.states[node].scope]

    def enclosing_state(self, scope_pointer: str) -> State | None:
        """The Parallel or Map state that owns a nested scope (None for the top level)."""
        owner = self.scopes[scope_pointer].owner
        return self.states.get(owner) if owner is not None else None

    def start_node(self, scope_pointer: str) -> str | None:
        scope = self.scopes[scope_pointer]
        if isinstance(scope.start_at, str) and scope.start_at in scope.states:
            return scope.states[scope.start_at].pointer
        return None

    def nodes_in(self, scope_pointer: str) -> list[str]:
        return [s.pointer for s in self.scopes[scope_pointer].states.values()]

    def successors(self, node: str, kinds: Iterable[str] = FLOW_KINDS) -> list[str]:
        # Reads the adjacency mapping directly (same order as ``out_edges``): this is the inner
        # loop of every reachability query, and building edge views per call dominated it.
        kinds = kinds if isinstance(kinds, frozenset) else frozenset(kinds)
        return [dst for dst, datas in self.out_edges[node].items() if any(d["kind"] in kinds for d in datas)]

    def edges(self, node: str, kinds: Iterable[str] = FLOW_KINDS) -> Iterator[tuple[str, str, dict]]:
        kinds = frozenset(kinds)
        for dst, datas in self.out_edges[node].items():
            for data in datas:
                if data["kind"] in kinds:
                    yield node, dst, data

    def predecessors(self, node: str, kinds: Iterable[str] = FLOW_KINDS) -> list[str]:
        kinds = frozenset(kinds)
        return sorted(src for src, datas in self.in_edges[node].items() if any(d["kind"] in kinds for d in datas))

    # -- analyses -------------------------------------------------------------------
    def started_scopes(self) -> Iterator[tuple[str, Machine, str]]:
        """(scope pointer, scope, start node) of every scope whose ``StartAt`` names one of its
        states; a scope without one has no executions to follow (ASL103 reports it)."""
        for scope_pointer, scope in self.scopes.items():
            start = self.start_node(scope_pointer)
            if start is not None:
                yield scope_pointer, scope, start

    def forward_closure(self, seeds: Iterable[str], kinds: Iterable[str] = FLOW_KINDS) -> frozenset[str]:
        """``seeds`` and every state reachable from them along edges of the given kinds."""
        kinds = frozenset(kinds)
        result: set[str] = set()
        stack = list(seeds)
        while stack:
            node = stack.pop()
            if node in result:
                continue
            result.add(node)
            stack.extend(self.successors(node, kinds))
        return frozenset(result)

    def reachable(self, scope_pointer: str) -> frozenset[str]:
        """States of a scope reachable from its ``StartAt`` along flow edges."""
        cached = self._reach_cache.get(scope_pointer)
        if cached is None:
            cached = self._reach_cache[scope_pointer] = self.reachable_by(scope_pointer, FLOW_KINDS)
        return cached

    def reachable_by(self, scope_pointer: str, kinds: Iterable[str]) -> frozenset[str]:
        """States of a scope reachable from its ``StartAt`` along edges of the given kinds only
        (e.g. without ``catch`` edges: the states an execution reaches when nothing fails)."""
        start = self.start_node(scope_pointer)
        return self.forward_closure([start] if start is not None else [], kinds)

    def is_entry(self, node: str, members: Iterable[str] | set[str]) -> bool:
        """Whether executions can enter the group ``members`` at ``node``: it is its scope's
        ``StartAt`` or some state outside the group leads to it."""
        members = members if isinstance(members, (set, frozenset)) else set(members)
        return node == self.start_node(self.scope_of(node).pointer) or \
            any(p not in members for p in self.predecessors(node))

    def terminal_states(self, scope_pointer: str) -> list[str]:
        return [s.pointer for s in self.scopes[scope_pointer].states.values() if s.is_terminal]

    def flow_subgraph(self, scope_pointer: str) -> nx.DiGraph:
        """A simple digraph of one scope's flow edges (no retry self-loops).

        Built from the scope's own out-edges only, so the cost is linear in the scope
        and a machine with many nested scopes stays linear overall.
        """
        import networkx as nx

        g = nx.DiGraph()
        nodes = self.nodes_in(scope_pointer)
        g.add_nodes_from(nodes)
        g.add_edges_from((src, dst) for src in nodes for dst in self.successors(src) if dst in g)
        return g

    def cycles(self, scope_pointer: str) -> list[list[str]]:
        """Non-trivial strongly connected components of a scope (a state that loops to itself counts)."""
        import networkx as nx

        g = self.flow_subgraph(scope_pointer)
        out = []
        for comp in nx.strongly_connected_components(g):
            nodes = sorted(comp)
            if len(nodes) > 1 or g.has_edge(nodes[0], nodes[0]):
                out.append(nodes)
        return sorted(out)

    def can_finish(self, scope_pointer: str) -> frozenset[str]:
        """States of a scope from which some path reaches a terminal state."""
        g = self.flow_subgraph(scope_pointer)
        good: set[str] = set()
        stack = self.terminal_states(scope_pointer)
        while stack:
            node = stack.pop()
            if node in good:
                continue
            good.add(node)
            stack.extend(g.predecessors(node))
        return frozenset(good)


    def can_succeed(self, scope_pointer: str) -> frozenset[str]:
        """States of a scope from which some path ends successfully (a ``Succeed`` or ``End: true``).

        Unlike :meth:`can_finish`, a ``Fail`` state does not count: a state outside this set
        can only end its scope with a failure.
        """
        seeds = [s.pointer for s in self.scopes[scope_pointer].states.values()
                 if s.end is True or s.type == "Succeed"]
        return self.backward_closure(scope_pointer, seeds)

    def flow_adjacency(self, scope_pointer: str) -> tuple[dict[str, list[str]], dict[str, list[str]]]:
        """``(successors, predecessors)`` of one scope's flow edges as plain dicts, computed once.

        The same graph as :meth:`flow_subgraph` without building a networkx object: the
        graph rules query every scope of every definition, where that construction cost
        more than the queries. Shared between callers, so treat it as read-only.
        """
        cached = self._flow_cache.get(scope_pointer)
        if cached is not None:
            return cached
        nodes = self.nodes_in(scope_pointer)
        succ: dict[str, list[str]] = {n: [] for n in nodes}
        pred: dict[str, list[str]] = {n: [] for n in nodes}
        for src in nodes:
            for dst in self.successors(src):
                if dst in succ:
                    succ[src].append(dst)
                    pred[dst].append(src)
        self._flow_cache[scope_pointer] = (succ, pred)
        return succ, pred

    def backward_closure(self, scope_pointer: str, seeds: Iterable[str]) -> frozenset[str]:
        """States of a scope from which some flow path reaches one of ``seeds``."""
        _, pred = self.flow_adjacency(scope_pointer)
        good: set[str] = set()
        stack = [s for s in seeds if s in pred]
        while stack:
            node = stack.pop()
            if node in good:
                continue
            good.add(node)
            stack.extend(pred[node])
        return frozenset(good)

    def has_dangling_transition(self, node: str) -> bool:
        """Whether the state is malformed as a graph node: a missing ``Next``, or a ``Next``,
        ``Default``, Choice rule or Catch target naming no state of its scope (or an unknown
        ``Type``). Validation reports these; graph rules use this to stay quiet about them.
        """
        state = self.states[node]
        scope = self.scopes[state.scope]
        if state.type not in ("Pass", "Task", "Choice", "Wait", "Succeed", "Fail", "Parallel", "Map"):
            return True
        targets: list[object] = []
        if isinstance(state, ChoiceState):
            if not state.choices:
                return True
            targets.extend(rule.next for rule in state.choices)
            if state.default is not MISSING:
                targets.append(state.default)
        elif not state.is_terminal:
            targets.append(state.next)
        targets.extend(c.next for c in getattr(state, "catch", ()))
        return any(_target(scope, t) is None for t in targets)

    def enclosing_states(self, node: str) -> list[State]:
        """The Parallel/Map states around a state, innermost first (empty at the top level)."""
        out: list[State] = []
        scope = self.states[node].scope
        while scope:
            owner = self.enclosing_state(scope)
            if owner is None:
                break
            out.append(owner)
            scope = owner.scope
        return out

    def loops_avoiding(self, scope_pointer: str, avoid: Iterable[str] = (),
                       within: Iterable[str] | None = None) -> list[list[str]]:
        """Cycles of a scope that pass through none of the ``avoid`` states.

        Each result is a strongly connected component (or a state looping to itself) of the
        scope's flow graph once the ``avoid`` states are removed (and, if ``within`` is given,
        everything outside it), so every cycle that avoids them lies inside exactly one
        result. Linear in the size of the scope (iterative Tarjan). Nodes keep document order.
        """
        succ, _ = self.flow_adjacency(scope_pointer)
        keep = set(succ).difference(avoid)
        if within is not None:
            keep.intersection_update(within)
        order = {n: i for i, n in enumerate(self.nodes_in(scope_pointer))}
        out = []
        for comp in strongly_connected(succ, sorted(keep, key=order.__getitem__), keep):
            nodes = sorted(comp, key=order.__getitem__)
            if len(nodes) > 1 or nodes[0] in succ[nodes[0]]:
                out.append(nodes)
        return sorted(out, key=lambda c: order[c[0]])


def strongly_connected(succ: dict[str, list[str]], nodes: list[str], keep: set[str]) -> Iterator[list[str]]:
    """Tarjan's algorithm without recursion (scopes can hold tens of thousands of states)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    on_stack: set[str] = set()
    stack: list[str] = []
    counter = 0
    for root in nodes:
        if root in index:
            continue
        work = [(root, iter(succ[root]))]
        index[root] = low[root] = counter
        counter += 1
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            advanced = False
            for child in children:
                if child not in keep:
                    continue
                if child not in index:
                    index[child] = low[child] = counter
                    counter += 1
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(succ[child])))
                    advanced = True
                    break
                if child in on_stack:
                    low[node] = min(low[node], index[child])
            if advanced:
                continue
            work.pop()
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
            if low[node] == index[node]:
                comp = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    comp.append(member)
                    if member == node:
                        break
                yield comp


def _target(scope: Machine, name: object) -> str | None:
    if isinstance(name, str) and name in scope.states:
        return scope.states[name].pointer
    return None


def build_graph(machine: Machine) -> StateGraph:
    sg = StateGraph(machine=machine)
    for scope in machine.walk_scopes():
        sg.scopes[scope.pointer] = scope
        for state in scope.states.values():
            sg.states[state.pointer] = state
            sg.node_attrs[state.pointer] = {"name": state.name, "type": state.type, "scope": scope.pointer}
            sg.out_edges[state.pointer] = {}
            sg.in_edges[state.pointer] = {}
    for scope in sg.scopes.values():
        for state in scope.states.values():
            _add_edges(sg, scope, state)
    return sg


def _add_edge(sg: StateGraph, src: str, dst: str, **data: Any) -> None:
    sg.out_edges[src].setdefault(dst, []).append(data)
    sg.in_edges[dst].setdefault(src, []).append(data)


def _add_edges(sg: StateGraph, scope: Machine, state: State) -> None:
    src = state.pointer
    if isinstance(state, ChoiceState):
        for i, rule in enumerate(state.choices):
            dst = _target(scope, rule.next)
            if dst:
                _add_edge(sg, src, dst, kind="choice", index=i, pointer=rule.pointer)
        dst = _target(scope, state.default)
        if dst:
            _add_edge(sg, src, dst, kind="default", pointer=jp.join(src, "Default"))
    elif state.type not in ("Succeed", "Fail"):
        dst = _target(scope, state.next)
        if dst:
            _add_edge(sg, src, dst, kind="next", pointer=jp.join(src, "Next"))
    if isinstance(state, (TaskState, ParallelState, MapState)):
        for i, catcher in enumerate(state.catch):
            dst = _target(scope, catcher.next)
            if dst:
                _add_edge(sg, src, dst, kind="catch", index=i, errors=catcher.error_equals, pointer=catcher.pointer)
        for i, retrier in enumerate(state.retry):
            _add_edge(sg, src, src, kind="retry", index=i, errors=retrier.error_equals, pointer=retrier.pointer)
