"""L1/L2/L3 splits: invariants, sizes, determinism."""

from __future__ import annotations

from apipack.dataset.splits import make_split


def _corpus(n_apis: int = 40) -> dict[str, list[str]]:
    return {f"api{i}": [f"api{i}.json_{j}" for j in range(1 + i % 7)] for i in range(n_apis)}


def test_invariants() -> None:
    corpus = _corpus()
    split = make_split("python", corpus, seed=1)
    api_of = {uid: api for api, ids in corpus.items() for uid in ids}
    index = {uid for ids in corpus.values() for uid in ids if split.in_index(uid)}
    training = {uid for uid, api in api_of.items() if split.in_training(uid, api)}
    assert split.l1 and split.l2 and split.l3
    assert not (set(split.l2) | set(split.l3)) & index  # L2/L3 cases are not in the index
    assert set(split.l1) <= index  # L1 cases stay in it
    assert not {uid for uid in training if api_of[uid] in split.l3_apis}  # L3 APIs are not trained on
    assert not set(split.l2) & training
    assert {api_of[u] for u in split.l3} <= set(split.l3_apis)
    assert not {api_of[u] for u in split.l1 + split.l2} & set(split.l3_apis)
    for uid in split.l2:  # L2 only from APIs with more than 3 records, one each
        assert len(corpus[api_of[uid]]) > 3
    assert len({api_of[u] for u in split.l2}) == len(split.l2)
    assert len(split.l3_apis) <= max(1, int(0.1 * len(corpus)))


def test_deterministic_and_seeded() -> None:
    corpus = _corpus()
    assert make_split("go", corpus, seed=5).to_dict()["level2"] == make_split("go", corpus, seed=5).to_dict()["level2"]
    assert make_split("go", corpus, seed=5) .l1 == make_split("go", dict(reversed(list(corpus.items()))), seed=5).l1
    assert make_split("go", corpus, seed=5).l3_apis != make_split("go", corpus, seed=6).l3_apis


def test_max_cases() -> None:
    corpus = {f"a{i}": [f"a{i}_{j}" for j in range(10)] for i in range(300)}
    split = make_split("curl", corpus, seed=0, max_cases=50)
    assert len(split.l1) == 50 and len(split.l2) == 50 and len(split.l3) <= 50


def test_tiny_corpus() -> None:
    split = make_split("curl", {"a": ["a_0"], "b": ["b_0", "b_1"]}, seed=0)
    assert split.l3 == [] and split.l2 == [] and set(split.l1) == {"a_0", "b_0", "b_1"}
