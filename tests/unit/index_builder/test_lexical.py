import numpy as np

from index_builder.lexical import LexicalIndex


def test_bm25_prefers_the_rarer_matching_term(tmp_path):
    docs = [["pet", "list"], ["pet", "create"], ["pet", "delete"], ["store", "order"]]
    index = LexicalIndex.build(docs)
    scores = index.scores(["pet", "delete"])
    assert int(np.argmax(scores)) == 2
    assert scores[3] == 0.0
    # "pet" is in 3 of 4 documents, "delete" in 1: delete weighs more
    assert index.scores(["delete"])[2] > index.scores(["pet"])[2]


def test_normalized_scores_are_shares_and_row_slices_match(tmp_path):
    docs = [["a", "b"], ["a"], ["b", "c"], ["c"]]
    index = LexicalIndex.build(docs)
    full = index.normalized_scores(["a", "b", "zzz"])
    assert 0.0 < full.max() <= 1.0 + 1e-6
    part = index.normalized_scores(["a", "b"], slice(1, 3))
    np.testing.assert_allclose(part, full[1:3], rtol=1e-6)
    assert not index.normalized_scores(["zzz"]).any()


def test_save_and_load_round_trip(tmp_path):
    index = LexicalIndex.build([["x", "y"], ["y", "z"]])
    index.save(tmp_path)
    again = LexicalIndex.load(tmp_path)
    np.testing.assert_allclose(again.scores(["y", "z"]), index.scores(["y", "z"]))
    assert again.vocab == index.vocab
