"""The z3 model checker: what every Choice can do, which states executions reach, and test cases.

Layout (z3 is imported only through :mod:`.solver`, and only when a solver pass runs):

* :mod:`.solver`: the one place z3 is configured (seed, timeout, rlimit) and :class:`.solver.Verdict`;
* :mod:`.values`: JSON values as z3 term bundles (missing/null/boolean/number/string/array/object);
* :mod:`.domain`: the z3 domain for the shared Choice semantics of :mod:`analyzer.semantics.choice`;
* :mod:`.jsonata`: the exactly-encoded subset of JSONata ``Condition`` expressions;
* :mod:`.jsonata_flow`: JSONata ``Output``/``Assign``/``Arguments`` as terms (plain paths, literals);
* :mod:`.choices`: per-Choice verdicts (dead rules, exhaustive rules, type mismatches);
* :mod:`.terms` / :mod:`.symexec`: symbolic documents and the path-sensitive exploration;
* :mod:`.witness` / :mod:`.coverage` / :mod:`.replay`: models to friendly JSON, confirmed runs;
* :mod:`.analysis`: the per-definition pass shared by the ASL5xx rules and ASL204;
* :mod:`.testgen`: ``aslcheck tests`` (cases, coverage summary, Step Functions Local mock config).
"""
