"""The CLI's commands, one module per command group.

Each module defines click commands that parse options, make one library call and format the
result. They share the store and the error funnel through :mod:`pledgegraph.commands._context`,
which imports none of them; :mod:`pledgegraph.cli` registers them all on the main group.
"""
