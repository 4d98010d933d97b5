"""Is this child already known?  Matching a child against the cases a municipality holds.

The protocol sends every concern to the Center for Social Work "without delay"; a child
referred twice (by the school, then the police) must reach the same case.  Names are
written in Albanian and Serbian, in Latin and Cyrillic script, with or without
diacritics, hyphenated, reordered, and sometimes with a typo; the store keeps them
encrypted.  So matching works on *blind-index tokens*: keyed hashes (HMAC) of normalised
name parts and of the birth date, year and sex.  The store keeps the tokens, never the
names.

* :mod:`.normalise` turns a name into comparable parts (script, spelling, phonetics);
* :mod:`.tokens` turns a child into keyed tokens;
* :mod:`.score` decides, from the tokens two children share, whether they are the same.

Pure Python: no store, no Jupyter.  The key comes from the caller.
"""

from cpkit.matching.normalise import name_parts, phonetic
from cpkit.matching.score import Verdict, compare
from cpkit.matching.tokens import ChildTokens, child_tokens, index_key

__all__ = ["ChildTokens", "Verdict", "child_tokens", "compare", "index_key", "name_parts",
           "phonetic"]
