from index_builder import publish


def _make(index_dir, version, marker):
    staging = publish.staging_dir(index_dir, version)
    (staging / "marker").write_text(marker)
    return publish.publish(index_dir, staging, version, keep=2)


def test_publish_swaps_current_and_keeps_previous(tmp_path):
    assert publish.current_version(tmp_path) is None
    _make(tmp_path, "20250101T000000-1", "one")
    _make(tmp_path, "20250101T000001-1", "two")
    assert publish.current_version(tmp_path) == "20250101T000001-1"
    assert (publish.version_dir(tmp_path, "20250101T000000-1") / "marker").read_text() == "one"
    _make(tmp_path, "20250101T000002-1", "three")
    kept = sorted(p.name for p in (tmp_path / "versions").iterdir())
    assert kept == ["20250101T000001-1", "20250101T000002-1"]


def test_unfinished_staging_is_never_current_and_is_cleaned(tmp_path):
    _make(tmp_path, "20250101T000000-1", "one")
    dead = tmp_path / ".staging-20250101T000005-999999999"
    dead.mkdir()
    assert publish.current_version(tmp_path) == "20250101T000000-1"
    _make(tmp_path, "20250101T000006-1", "two")
    assert not dead.exists()  # its builder (pid 999999999) is gone
