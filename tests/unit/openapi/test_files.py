"""iter_spec_files: api ids from paths relative to the directory given."""

from __future__ import annotations

from pathlib import Path

from apipack.openapi import iter_spec_files


def test_directory_and_file_ids(tmp_path: Path) -> None:
    for rel in ("stripe.com.json", "amazonaws.com/s3.json", "hubapi.com/business units.json",
                "x/y.yaml", "x/z.yml", "x/readme.md", ".hidden/h.json"):
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text("{}")
    found = [api for _, api in iter_spec_files([tmp_path])]
    assert found == ["amazonaws.com/s3", "hubapi.com/business units", "stripe.com", "x/y", "x/z"]
    (file, api), = iter_spec_files([tmp_path / "amazonaws.com" / "s3.json"])
    assert api == "s3" and file.name == "s3.json"
