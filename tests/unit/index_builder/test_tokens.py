from index_builder.tokens import fold, split_words, tokenize


def test_split_words_splits_camel_snake_and_paths():
    assert split_words("listPetsByOwner") == ["list", "pets", "by", "owner"]
    assert split_words("/v1/tax_rates/{taxRateId}") == ["v1", "tax", "rates", "tax", "rate", "id"]
    assert split_words("HTTPServer") == ["http", "server"]


def test_fold_plurals_and_keeps_short_words():
    assert fold("instances") == "instance"
    assert fold("policies") == "policy"
    assert fold("status") == "status"
    assert fold("address") == "address"
    assert fold("bus") == "bus"


def test_tokenize_drops_stop_words_and_languages():
    assert tokenize("How do I list the Stripe customers in python?") == ["list", "stripe", "customer"]
