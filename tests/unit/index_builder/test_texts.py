from index_builder.texts import api_names, clean, dense_text, lexical_text, path_words, seed_instruction
from tests.unit.index_builder.conftest import ep, pets_spec


def test_path_words_drop_versions_and_braces():
    assert path_words("/v1/customers/{customer}/tax_ids") == "customers customer tax ids"
    assert path_words("/2010-04-01/Accounts/{AccountSid}/Calls.json") == "accounts account sid calls json"


def test_clean_strips_markup_and_cuts_on_words():
    assert clean("<p>Returns a <b>list</b> of things</p>", 100) == "Returns a list of things"
    assert clean("one two three four", 9) == "one two"


def test_dense_text_is_short_and_names_the_operation():
    e = ep("x.test", "GET", "/pets/{petId}", "showPetById", "Info for a specific pet", "petId")
    text = dense_text(e, "Pet Store API")
    assert text.startswith("Pet Store API: Info for a specific pet")
    assert "show pet by id" in text and "get pets pet id" in text
    assert len(text) <= 300


def test_lexical_text_repeats_name_and_adds_method_verbs():
    spec = pets_spec()
    text = lexical_text(spec.endpoints[3], spec)
    assert text.count("Delete a pet") == 2
    assert "remove" in text and "petId" in text


def test_api_names_and_seed_instruction():
    spec = pets_spec("petstore.test/v2")
    assert "pet store api" in api_names(spec) and "v2" in api_names(spec)
    assert seed_instruction(spec.endpoints[0], spec.title) == "Please show me how to list all pets with the Pet Store API."
