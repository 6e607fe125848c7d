"""aslcheck: static analysis, model checking and local execution of Amazon States Language."""

__version__ = "0.1.0"
