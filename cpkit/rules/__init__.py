"""The protocol's rules as small pure functions over a :class:`cpkit.model.Case`.

Each rule quotes the protocol in its docstring.  Nothing here touches a database,
Jupyter or the clock: dates come in as arguments.
"""
