"""API Pack's filters (Simple names, empty and non-English seed fields) and de-duplication."""

from __future__ import annotations

from apipack.dataset.filters import check_api, dedup_endpoints, is_non_english
from tests.unit.dataset.spec_factory import endpoint, petstore_endpoints


def test_non_english_detector() -> None:
    assert not is_non_english("Returns a list of your customers sorted by creation date.")
    assert not is_non_english("listPets")
    assert not is_non_english("GetCustomersCustomer")
    assert not is_non_english("")
    assert is_non_english("Gibt eine Liste der Kunden zurück, die für den Benutzer sichtbar sind")
    assert is_non_english("Retourne la liste des clients qui sont visibles pour cet utilisateur")
    assert is_non_english("Devuelve la lista de los clientes que son visibles para el usuario")
    assert is_non_english("获取用户的订单列表")
    assert is_non_english("Получить список заказов пользователя")


def test_keeps_a_normal_api() -> None:
    assert check_api("Swagger Petstore", "petstore.io", petstore_endpoints()).keep


def test_drops_simple_names() -> None:
    v = check_api("Simple Inventory API", "inv.io", petstore_endpoints("inv.io"))
    assert not v.keep and v.reason == "simple_name"


def test_drops_two_empty_fields() -> None:
    eps = [endpoint("bare.io", "GET", f"/x{i}", f"getX{i}") for i in range(5)]  # no summary, no description
    v = check_api("Bare API", "bare.io", eps)
    assert not v.keep and v.reason == "empty_fields"


def test_drops_when_nothing_makes_a_seed() -> None:
    v = check_api("Nothing API", "nothing.io", [endpoint("nothing.io", "GET", "/x")])
    assert not v.keep and v.reason == "no_seed_examples"


def test_drops_non_english() -> None:
    eps = [endpoint("de.io", "GET", f"/kunden{i}", f"kunden{i}", "Liste der Kunden für den Benutzer",
                    "Gibt eine Liste der Kunden zurück, die für den Benutzer sichtbar sind") for i in range(4)]
    v = check_api("Die Kunden API für den Handel", "de.io", eps)
    assert not v.keep and v.reason == "non_english"


def test_filter_sample_is_deterministic() -> None:
    eps = petstore_endpoints(n_extra=20)
    assert check_api("P", "p.io", eps, seed=3) == check_api("P", "p.io", eps, seed=3)


def test_dedup_endpoints() -> None:
    eps = [endpoint("p.io", "GET", "/pets/{id}"), endpoint("p.io", "GET", "/pets/{petId}"),
           endpoint("p.io", "DELETE", "/pets/{id}"), endpoint("p.io", "GET", "/pets/"), endpoint("p.io", "GET", "/pets")]
    kept, dropped = dedup_endpoints(eps)
    assert [(e.method, e.path) for e in kept] == [("GET", "/pets/{id}"), ("DELETE", "/pets/{id}"), ("GET", "/pets/")]
    assert dropped == 2
