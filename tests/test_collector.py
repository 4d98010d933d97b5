"""cpkit.collector.paused: the cyclic collector off inside, as it was after."""

import gc

import pytest

from cpkit.collector import paused


def test_the_collector_is_off_inside_and_back_on_after_even_on_error():
    assert gc.isenabled()
    with pytest.raises(RuntimeError), paused():
        assert not gc.isenabled()
        raise RuntimeError("stop")
    assert gc.isenabled()


def test_a_collector_already_off_stays_off():
    gc.disable()
    try:
        with paused():
            assert not gc.isenabled()
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_what_the_block_made_is_not_left_to_the_young_collection():
    with paused():
        made = [[i] for i in range(1000)]  # lists: always tracked by the collector
    young = {id(o) for o in gc.get_objects(generation=0)}
    assert not any(id(o) in young for o in made)
    assert {id(made[0]), id(made[-1])} <= {id(o) for o in gc.get_objects(generation=2)}
