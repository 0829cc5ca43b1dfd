from retrieval.intent import is_item_path, method_prior, shape_prior


def test_first_verb_sets_the_method():
    assert max(method_prior("remove the old webhook"), key=method_prior("remove the old webhook").get) == "DELETE"
    assert method_prior("python: create a customer")["POST"] == 1.0
    assert method_prior("how do I list invoices")["GET"] == 1.0


def test_label_prefix_and_noun_phrases():
    # "acme:" is a label, the verb after it counts
    assert method_prior("acme: delete the draft")["DELETE"] == 1.0
    # no verb among the first words: a read
    assert method_prior("account settings for the team") == {"GET": 0.5}
    assert method_prior("") == {}


def test_shapes():
    assert is_item_path("/users/{id}") and not is_item_path("/users")
    assert shape_prior("list all users") == "collection"
    assert shape_prior("details of one user") == "item"
    assert shape_prior("make a user") is None


def test_phrasal_verbs_mean_what_their_particle_makes_of_them():
    def top(query: str) -> str:
        prior = method_prior(query)
        return max(prior, key=prior.__getitem__)

    assert top("get rid of the stale webhook") == "DELETE"
    assert top("set up a new webhook for orders") == "POST"
    assert top("turn off two-factor for the team") in ("PUT", "POST", "PATCH")
    # the plain verbs keep their meaning
    assert top("get the webhook") == "GET"
    assert top("set the webhook url") == "PUT"
