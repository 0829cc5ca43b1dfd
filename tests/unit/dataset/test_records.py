"""Records: API Pack's field order, the output layout, unique ids, round trips."""

from __future__ import annotations

from apipack.dataset.records import (
    API_PACK_FIELDS,
    OUR_FIELDS,
    Record,
    format_output,
    parse_output,
    unique_id_for,
)


def _record(**kw) -> Record:
    base = dict(api_name="Swagger Petstore", api_description="Pets.", api_call="curl --request GET \\\n  --url x",
                lang="cURL", functionality="List all pets", description="Returns pets", domain=["pets", "store"],
                path="/pets", instruction="list pets", instruction_test="show me the pets",
                unique_id=unique_id_for("petstore.io.json", 0), method="GET", operation_id="listPets",
                provider="petstore.io", api_id="petstore.io", spec_path="petstore.io.json", endpoint_id="abc",
                target="curl")
    base.update(kw)
    return Record(**base)


def test_output_layout_exact() -> None:
    out = format_output(["pets", "store"], "curl --request GET \\\n  --url x", "petstore.io", "cURL")
    assert out == ("**domain**:['pets', 'store']\n**api_call**:curl --request GET \\\n  --url x\n"
                   "**api_provider**:petstore.io\n**lang**:cURL")
    assert format_output([], "c", "", "Python") == "**domain**:[]\n**api_call**:c\n**api_provider**:\n**lang**:Python"
    # a tag with a quote keeps Python's repr
    assert format_output(["it's"], "c", "", "go").startswith('**domain**:["it\'s"]\n')
    assert parse_output(out)["api_call"] == "curl --request GET \\\n  --url x"


def test_record_fields_and_order() -> None:
    rec = _record()
    d = rec.to_dict()
    assert tuple(d) == API_PACK_FIELDS + OUR_FIELDS
    assert tuple(rec.to_api_pack()) == API_PACK_FIELDS
    assert tuple(d["api_call_data"]) == ("api_call", "lang", "functionality", "api_arguments", "description",
                                         "domain", "path")
    assert d["input"] == "" and d["api_call_data"]["api_arguments"] == {}
    assert d["output"] == format_output(["pets", "store"], rec.api_call, "petstore.io", "cURL")
    assert d["unique_id"] == "petstore.io.json_0"
    assert unique_id_for("amazonaws.com/s3.json", 12) == "amazonaws.com_s3.json_12"


def test_round_trip() -> None:
    from apipack.dataset.records import record_from_dict

    rec = _record()
    assert record_from_dict(rec.to_dict()) == rec
