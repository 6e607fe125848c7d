"""Parsers for the small languages embedded in ASL strings.

* :mod:`analyzer.lang.jsonpath`: JSONPath and reference paths (``$``, ``$$``, ``$var``).
* :mod:`analyzer.lang.intrinsics`: ``States.*`` intrinsic function calls.
* :mod:`analyzer.lang.jsonata_syntax`: ``{% ... %}`` JSONata expressions.
* :mod:`analyzer.lang.arn`: Task ``Resource`` ARNs.
* :mod:`analyzer.lang.timestamps`: RFC 3339 timestamps as Step Functions accepts them.
* :mod:`analyzer.lang.placeholders`: ``${Name}`` deploy-time substitutions.

Every parser only parses: it returns a small frozen AST or raises a syntax error with a
column. Evaluating the ASTs is the interpreter's job. Grammars (lark, LALR) are compiled
once per process on first use, so importing this package costs nothing.
"""
