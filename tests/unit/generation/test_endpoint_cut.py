"""An answer rendered from an endpoint's cut (what the served index stores per endpoint) is the
answer rendered from the whole spec, in all 10 targets, values filled, and the check of it on
the cut agrees with the check on the whole spec about whether the call is valid."""

from __future__ import annotations

from apipack.openapi.endpoint_slice import endpoint_slice
from apipack.snippets.targets_table import TARGETS
from generation.check import check_code
from generation.render import render_with_values


def test_cut_renders_and_checks_as_the_whole_spec(sample_specs):
    compared = 0
    for spec in sample_specs:
        for ep in spec.endpoints:
            cut = endpoint_slice(spec, ep)
            values = {p.name: "v-1" for p in ep.parameters if p.required}
            if ep.request_body is not None and ep.request_body.properties:
                values[ep.request_body.properties[0]] = "from-the-request"
            for target in TARGETS.values():
                whole = render_with_values(spec, ep.method, ep.path, target.target_id, values)
                assert render_with_values(cut, ep.method, ep.path, target.target_id, values) == whole, \
                    (spec.api_id, ep.method, ep.path, target.short)
                on_whole, on_cut = check_code(whole, target.short, spec), check_code(whole, target.short, cut)
                # valid on both or on neither (an invalid call may read as another route of the
                # whole spec, "wrong_method" on the cut)
                assert on_cut.ok == on_whole.ok, (spec.api_id, ep.method, ep.path, target.short)
                # the whole spec may match an equally specific sibling (AWS paths differing only
                # in a "#fragment" some targets drop); the cut can only match its own endpoint
                assert on_cut.matched_path in (ep.path, None)
                compared += 1
    assert compared > 1000
