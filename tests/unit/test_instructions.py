"""Instruction texts: API Pack's seeds exactly, our templates, determinism, the test paraphrase."""

from __future__ import annotations

import random

from apipack.instructions import SEED_OPENINGS, IdentityRewriter, instruction_set, seed_instructions
from apipack.instructions.rewriter import _accept
from apipack.instructions.words import (
    api_short_names,
    clean_prose,
    imperative,
    operation_phrase,
    plural,
    resource_words,
    singular,
    split_identifier,
)
from apipack.snippets.targets_table import TARGETS
from tests.unit.dataset.spec_factory import endpoint, petstore_endpoints


def test_seed_templates_exact() -> None:
    seeds = seed_instructions("Swagger Petstore", "List all pets", "Returns every pet in the store", "listPets",
                              random.Random(1))
    assert len(seeds) == 3
    opening = seeds[0][: -len(" list all pets with the Swagger Petstore.")]
    assert opening in SEED_OPENINGS
    assert seeds[0] == f"{opening} list all pets with the Swagger Petstore."
    assert seeds[1] == ("I need to returns every pet in the store with the Swagger Petstore. "
                        "Please help me with that.")
    assert seeds[2] == "Please give me an example of how to use the endpoint listPets from Swagger Petstore."


def test_seed_conditions() -> None:
    rng = random.Random(0)
    # "example request" summaries, descriptions not longer than the operationId, no operationId
    assert seed_instructions("X", "Example request for pets", "short", "listAllThePets", rng) == [
        "Please give me an example of how to use the endpoint listAllThePets from X."]
    assert seed_instructions("X", "", "", "", rng) == []
    assert seed_instructions("X", "", "Deletes it", "", rng) == ["I need to deletes it with the X. Please help me with that."]


def test_seed_openings_all_used() -> None:
    seen = {seed_instructions("A", "Do it", "", "", random.Random(i))[0].split(" do it")[0] for i in range(60)}
    assert seen == set(SEED_OPENINGS)


def test_deterministic_for_a_seed() -> None:
    eps = petstore_endpoints(n_extra=6)
    first = [instruction_set(ep, "Swagger Petstore", seed=7) for ep in eps]
    again = [instruction_set(ep, "Swagger Petstore", seed=7) for ep in eps]
    assert first == again
    assert [s.pair(t) for s in first for t in TARGETS] == [s.pair(t) for s in again for t in TARGETS]
    other = [instruction_set(ep, "Swagger Petstore", seed=8) for ep in eps]
    assert [s.pair(t) for s in first for t in TARGETS] != [s.pair(t) for s in other for t in TARGETS]


def test_test_instruction_differs_from_indexed_one() -> None:
    eps = petstore_endpoints(n_extra=10) + [endpoint("bare.io", "GET", "/x", None)]
    for ep in eps:
        iset = instruction_set(ep, "Swagger Petstore", seed=0)
        for target in [None, *TARGETS]:
            instruction, test = iset.pair(target)
            assert instruction and test
            assert instruction.lower().strip(" .?") != test.lower().strip(" .?")


def test_indexed_instruction_is_a_clean_seed_when_one_exists() -> None:
    ep = endpoint("petstore.io", "GET", "/pets", "listPets", "List all pets", "<p>Returns <b>every</b> pet</p>")
    iset = instruction_set(ep, "Swagger Petstore", seed=0)
    for target in TARGETS:
        instruction, _ = iset.pair(target)
        assert instruction in iset.seeds and "<" not in instruction


def test_varied_texts_cover_verbs_nouns_names() -> None:
    ep = endpoint("stripe.com", "GET", "/v1/customers/{customer}", "GetCustomersCustomer",
                  "Retrieve a customer", "Retrieves a Customer object.", ("customers",), ("customer",))
    texts = " | ".join(instruction_set(ep, "Stripe API", seed=0).all()).lower()
    assert "stripe" in texts and "customer" in texts
    assert "retrieve a customer" in texts
    assert "getcustomerscustomer" in texts  # the seed naming the operationId
    delete = endpoint("stripe.com", "DELETE", "/v1/customers/{customer}", "DeleteCustomersCustomer")
    texts = " | ".join(instruction_set(delete, "Stripe API", seed=0).all()).lower()
    assert any(v in texts for v in ("delete", "remove", "drop", "erase", "get rid of"))


def test_action_segments_and_fragment_paths() -> None:
    lock = endpoint("github.com/api.github.com", "PUT", "/repos/{owner}/{repo}/issues/{issue_number}/lock",
                    "issues/lock", "Lock an issue")
    assert any(t.startswith("lock issue") for t in instruction_set(lock, "GitHub v3 REST API").casual)
    loc = endpoint("amazonaws.com/s3", "GET", "/{Bucket}#location", "GetBucketLocation")
    assert "bucket location" in " ".join(instruction_set(loc, "Amazon Simple Storage Service").casual)


def test_words() -> None:
    assert split_identifier("listCustomerIDs") == ["list", "customer", "i", "ds"] or \
        split_identifier("listCustomerIDs")[:2] == ["list", "customer"]
    assert split_identifier("sql.instances.list") == ["sql", "instances", "list"]
    assert split_identifier("get_user-by_id") == ["get", "user", "by", "id"]
    assert split_identifier("s3Bucket") == ["s3", "bucket"]
    assert singular("policies") == "policy" and singular("addresses") == "address" and singular("status") == "status"
    assert plural("policy") == "policies" and plural("box") == "boxes" and plural("pet") == "pets"
    assert operation_phrase("sql.instances.list") == ("list", ["instances"])
    assert operation_phrase("ondemandscanning.projects.locations.operations.delete") == ("delete", ["operations"])
    assert operation_phrase("MetricAlerts_ListByResourceGroup")[0] == "list"
    assert operation_phrase("GET_reviews-format") == ("get", ["reviews"])
    assert operation_phrase(None) == ("", [])
    assert resource_words("/repos/{owner}/{repo}/issues/{issue_number}") == (["issue"], ["repo"], True)
    assert resource_words("/v1/payment_methods") == (["payment", "methods"], [], False)
    assert "github" in api_short_names("GitHub v3 REST API", "github.com/api.github.com")
    assert "s3" in api_short_names("Amazon Simple Storage Service", "amazonaws.com/s3")
    assert clean_prose("<p>Returns a list. More text.</p>") == "returns a list"
    assert imperative("returns a list of pets") == "return a list of pets"
    assert imperative("permanently deletes a customer") == "delete a customer"


def test_identity_rewriter_and_answer_acceptance() -> None:
    assert IdentityRewriter().rewrite(["a", "b"], {}) == ["a", "b"]
    assert _accept("list pets in the store\nexplanation", "x") == "list pets in the store"
    assert _accept("Sure! Here is a rewrite", "fallback text") == "fallback text"
    assert _accept("", "fallback text") == "fallback text"


class ShoutingRewriter:
    """A real InstructionRewriter (the protocol's one method) standing in for an LLM server."""

    def rewrite(self, texts, context):
        return [f"{t.upper()} ({context['method']})" for t in texts]


def test_rewriter_seam_keeps_seeds_and_rewrites_the_rest() -> None:
    ep = petstore_endpoints()[0]
    base = instruction_set(ep, "Swagger Petstore", seed=0)
    new = base.rewritten(ShoutingRewriter(), {"api_name": "Swagger Petstore", "method": "GET", "path": "/pets"})
    assert new.seeds == base.seeds
    assert all(t.endswith("(GET)") and t.upper() == t for t in new.casual + new.indexed)
    instruction, test = new.pair("python")
    assert instruction in base.seeds and test.upper().startswith(test[:3].upper())
    assert IdentityRewriter().rewrite(list(base.casual), {}) == list(base.casual)
