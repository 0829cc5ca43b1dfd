"""Uploaded specs get APIs.guru-style ids (provider[/service]) or a slug of their title."""

from __future__ import annotations

from service.ingest import upload_api_id


def test_upload_api_id() -> None:
    assert upload_api_id({"info": {"title": "X", "x-providerName": "stripe.com"}}) == "stripe.com"
    assert upload_api_id({"info": {"title": "X", "x-providerName": "amazonaws.com",
                                   "x-serviceName": "s3"}}) == "amazonaws.com/s3"
    assert upload_api_id({"info": {"title": "  My Fancy API v2! "}}) == "my-fancy-api-v2"
    assert upload_api_id({"info": {"title": "!!!"}}) == "api"
