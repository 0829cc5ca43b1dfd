from retrieval.value_cues import path_fit, path_params, request_cues, request_values


def test_values_carry_the_nouns_before_them():
    values = {v.text: v.nouns for v in request_values("fetch call CA1f2e3d details in project billing-prod-7731")}
    assert values["CA1f2e3d"] == {"fetch", "call"}
    assert "project" in values["billing-prod-7731"]


def test_quantities_and_dates_are_not_item_ids():
    texts = [v.text for v in request_values("events from 2024-01-01, 25 at a time, limit 5")]
    assert texts == []
    # a number right after a noun names an item
    assert [v.text for v in request_values("delete version 7 of the function")] == ["7"]


def test_path_params_take_the_segment_before_them_and_know_the_caller_scope():
    params = path_params("/subscriptions/{subscriptionId}/calls/{callSid}.json")
    assert [p.name for p in params] == ["subscriptionId", "callSid"]
    assert params[0].scope and not params[1].scope
    assert "call" in params[1].nouns


def test_a_named_item_prefers_the_item_path():
    cues = request_cues("fetch call CA1f2e3d details")
    assert path_fit(cues, "/Accounts/{AccountSid}/Calls/{Sid}.json") > path_fit(cues, "/Accounts/{AccountSid}/Calls.json")


def test_a_plural_request_without_ids_prefers_the_collection():
    cues = request_cues("show the disputes")
    assert path_fit(cues, "/v2/disputes") > path_fit(cues, "/v2/disputes/{dispute_id}")
    singular = request_cues("read the dispute")
    assert path_fit(singular, "/v2/disputes") == path_fit(singular, "/v2/disputes/{dispute_id}")


def test_each_named_parent_counts():
    cues = request_cues("list databases of instance db-7 in project billing-prod-7731")
    both = path_fit(cues, "/projects/{project}/instances/{instance}/databases")
    one = path_fit(cues, "/projects/{project}/databases")
    assert both > one


def test_the_resource_the_request_names_is_the_one_the_path_ends_on():
    cues = request_cues("list cloud sql instances in project billing-prod-7731")
    assert path_fit(cues, "/projects/{project}/instances") > path_fit(cues, "/projects/{project}/instances/{instance}/databases")


def test_after_a_definite_determiner_the_noun_follows_the_name():
    values = {v.text: v.nouns for v in request_values("restart the edge-proxy deployment in namespace web-7")}
    assert "deployment" in values["edge-proxy"]
    cues = request_cues("restart the edge-proxy deployment")
    assert path_fit(cues, "/namespaces/{namespace}/deployments/{name}") > path_fit(cues, "/namespaces/{namespace}/deployments")
    # "a self-hosted runner" describes a kind of runner, it names none
    values = {v.text: v.nouns for v in request_values("register a self-hosted runner")}
    assert "runner" not in values.get("self-hosted", frozenset())



def test_a_value_binds_what_its_nearest_noun_names_and_unnamed_parents_cost():
    cues = request_cues("drop the order line 7Q2X9 now")
    (value,) = cues.values
    assert value.head == "line" and {"order", "line"} <= value.nouns
    # both paths can take the value; the nested one also wants an order the request never gave
    flat = path_fit(cues, "/orders/lines/{line_id}")
    nested = path_fit(cues, "/orders/{order_id}/lines/{line_id}")
    assert flat > nested
    # with no values at all nothing is charged: templated requests rarely carry ids
    plain = request_cues("drop an order line")
    assert path_fit(plain, "/orders/lines/{line_id}") == path_fit(plain, "/orders/{order_id}/lines/{line_id}")
