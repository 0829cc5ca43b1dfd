import pytest

from retrieval.fusion import minmax, rrf, top, weighted


def test_rrf_sums_reciprocal_ranks():
    scores = rrf([["a", "b", "c"], ["b", "a"]], k=60)
    assert scores["a"] == pytest.approx(1 / 61 + 1 / 62)
    assert scores["b"] == pytest.approx(1 / 62 + 1 / 61)
    assert scores["c"] == pytest.approx(1 / 63)
    assert top(scores, 1)[0][0] in {"a", "b"}


def test_rrf_weights_and_k():
    scores = rrf([["a"], ["b"]], k=0, weights=[2.0, 1.0])
    assert scores == {"a": 2.0, "b": 1.0}
    with pytest.raises(ValueError):
        rrf([["a"]], weights=[1.0, 2.0])
    with pytest.raises(ValueError):
        rrf([["a"]], k=-1)


def test_minmax_and_weighted():
    assert minmax({"a": 2.0, "b": 4.0, "c": 3.0}) == {"a": 0.0, "b": 1.0, "c": 0.5}
    assert minmax({"a": 5.0, "b": 5.0}) == {"a": 1.0, "b": 1.0}
    assert minmax({}) == {}
    fused = weighted([{"a": 0.0, "b": 10.0}, {"a": 1.0, "c": 0.0}], [1.0, 0.5])
    assert fused == {"a": 0.5, "b": 1.0, "c": 0.0}
