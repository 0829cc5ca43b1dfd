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


def test_common_share_drops_words_most_rows_of_a_range_share_but_keeps_the_divisor():
    # rows 0-3 are one API: "acme" (its name) is in three of four, "invoice" in one
    docs = [["acme", "invoice"], ["acme", "customer"], ["acme", "refund"], ["customer"], ["acme", "invoice"]]
    index = LexicalIndex.build(docs)
    rows = slice(0, 4)
    plain = index.normalized_scores(["acme", "customer"], rows)
    local = index.normalized_scores(["acme", "customer"], rows, common_share=0.5)
    # with "acme" counted, row 1 (acme + customer) beats row 3 (customer alone); without it the
    # shorter row 3 wins on "customer" alone
    assert plain[1] > plain[3]
    assert local[3] > local[1] > 0.0
    assert local[2] == 0.0 and plain[2] > 0.0
    # the divisor still holds "acme": scores stay on the scale of the plain ones
    assert local.max() <= plain.max() + 1e-6
    # a word under the share counts as before
    np.testing.assert_allclose(index.normalized_scores(["invoice"], rows, common_share=0.5),
                               index.normalized_scores(["invoice"], rows), rtol=1e-6)
