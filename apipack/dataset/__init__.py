"""API Pack records from OpenAPI specs: ``records`` (the schema), ``filters`` (API Pack's filters,
de-duplication), ``splits`` (L1/L2/L3), ``writer`` / ``apipack_files`` (JSONL, API Pack's JSON
arrays), ``spec_records`` (one spec -> records) and ``build`` (the whole pipeline)."""
