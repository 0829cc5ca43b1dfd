from apipack.lru import Lru


def test_least_recently_used_goes_first():
    lru: Lru[str, int] = Lru(2)
    lru.put("a", 1)
    lru.put("b", 2)
    assert lru.get("a") == 1  # "a" is now the most recent
    lru.put("c", 3)
    assert list(lru) == ["a", "c"] and lru.get("b") is None and len(lru) == 2


def test_a_zero_bound_keeps_nothing_and_a_lowered_bound_applies_on_the_next_put():
    none: Lru[str, int] = Lru(0)
    none.put("a", 1)
    assert none.get("a") is None
    lru: Lru[str, int] = Lru(3)
    for key in "abc":
        lru.put(key, 0)
    lru.max_entries = 1
    lru.put("d", 0)
    assert list(lru) == ["d"]
