"""cpkit: structured child protection case work after the Kosovo Working Protocol.

The package is layered: ``protocol`` (the Working Protocol as data) and ``model``
and ``rules`` are pure Python; ``store``, ``forms``, ``reports`` and the CLI build
on them, never the other way round.
"""

__version__ = "0.1.0"
