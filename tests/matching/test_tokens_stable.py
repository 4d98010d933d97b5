"""The blind index's tokens never change for the same child and key: a store's index
rows, written by an earlier version, must still be found (values pinned from it)."""

from __future__ import annotations

import datetime as dt

from cpkit.matching import child_tokens, index_key


def test_the_tokens_of_a_child_are_those_an_earlier_version_stored():
    key = index_key(b"\x01" * 32)
    for _ in range(2):  # the second time from the kept phonetic keys
        rows = child_tokens(key, "Ëndrina-Ana", "Krasniqi", dt.date(2015, 3, 4),
                            sex="female").rows()
        assert rows == [
            (0, "name", "27cbfadaf67472b44f5d79a564d3d035"),
            (1, "name", "c8fe3c8e881e419ca1da81e00202677d"),
            (2, "name", "6f0b1078f3a267a11338f7620a1dc5ce"),
            (3, "name", "b82d70b4d217f235d0482677c26d2597"),
            (-1, "born", "93759bfd1b890ace09cbca9caea0f46c"),
            (-1, "year", "e3ad00209ea0f8e16e0606aca6f9d802"),
            (-1, "sex", "8257212c4fd7a68836a93cb62f227adb"),
        ]
