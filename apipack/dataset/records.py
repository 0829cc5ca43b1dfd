"""The Record: API Pack's released schema plus our fields (DESIGN.md, Records).

API Pack's fields, in its order: ``api_name, api_description, api_call_data{api_call, lang,
functionality, api_arguments, description, domain, path}, instruction, instruction_test, input,
output, unique_id``. Ours follow: ``method, operation_id, provider, api_id, spec_path,
endpoint_id, target``. ``output`` is built by ``format_output`` only, so its layout (domain as a
Python list repr) is the same everywhere.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from apipack.openapi.model import endpoint_id_for
from apipack.snippets.targets_table import TargetInfo

API_PACK_FIELDS: tuple[str, ...] = ("api_name", "api_description", "api_call_data", "instruction",
                                    "instruction_test", "input", "output", "unique_id")
OUR_FIELDS: tuple[str, ...] = ("method", "operation_id", "provider", "api_id", "spec_path", "endpoint_id",
                               "target")
_OUTPUT_RE = re.compile(r"\A\*\*domain\*\*:(.*?)\n\*\*api_call\*\*:(.*)\n\*\*api_provider\*\*:(.*?)\n\*\*lang\*\*:(.*)\Z",
                        re.DOTALL)


def format_output(domain: list[str], api_call: str, provider: str, lang: str) -> str:
    """``**domain**:['tag']\\n**api_call**:<snippet>\\n**api_provider**:<provider>\\n**lang**:<label>``."""
    return f"**domain**:{list(domain)!r}\n**api_call**:{api_call}\n**api_provider**:{provider}\n**lang**:{lang}"


def parse_output(output: str) -> dict[str, str]:
    """The four parts of an ``output`` text (domain stays a string); empty dict when it is not one."""
    m = _OUTPUT_RE.match(output or "")
    if not m:
        return {}
    return {"domain": m.group(1), "api_call": m.group(2), "api_provider": m.group(3), "lang": m.group(4)}


def api_file_name(spec_path: str) -> str:
    """API Pack names records after the API's file (``Food-Cooking-Recipe-API.json_0``); our spec
    paths have folders (``amazonaws.com/s3.json``), so the slashes become underscores."""
    return spec_path.strip("/").replace("/", "_")


def unique_id_for(spec_path: str, index: int) -> str:
    return f"{api_file_name(spec_path)}_{index}"


@dataclass(slots=True)
class Record:
    api_name: str
    api_description: str
    api_call: str
    lang: str  # API Pack's label ("cURL", "Python", "javascript xhr")
    functionality: str  # operation summary
    description: str  # operation description
    domain: list[str]  # operation tags
    path: str
    instruction: str
    instruction_test: str
    unique_id: str
    method: str = ""
    operation_id: str = ""
    provider: str = ""
    api_id: str = ""
    spec_path: str = ""
    endpoint_id: str = ""
    target: str = ""  # our short name ("curl", "python", ...)
    input: str = ""
    api_arguments: dict[str, Any] = field(default_factory=dict)
    output: str = ""  # filled from the other fields when empty

    def __post_init__(self) -> None:
        if not self.output:
            self.output = format_output(self.domain, self.api_call, self.provider, self.lang)

    def to_api_pack(self) -> dict[str, Any]:
        """API Pack's fields only, in its order (its released JSON files)."""
        return {
            "api_name": self.api_name,
            "api_description": self.api_description,
            "api_call_data": {"api_call": self.api_call, "lang": self.lang, "functionality": self.functionality,
                              "api_arguments": self.api_arguments, "description": self.description,
                              "domain": self.domain, "path": self.path},
            "instruction": self.instruction,
            "instruction_test": self.instruction_test,
            "input": self.input,
            "output": self.output,
            "unique_id": self.unique_id,
        }

    def to_dict(self) -> dict[str, Any]:
        """API Pack's fields then ours (our JSONL files)."""
        d = self.to_api_pack()
        d.update(method=self.method, operation_id=self.operation_id, provider=self.provider, api_id=self.api_id,
                 spec_path=self.spec_path, endpoint_id=self.endpoint_id, target=self.target)
        return d


def record_from_dict(d: dict[str, Any], *, target_info: TargetInfo | None = None) -> Record:
    """Either layout back to a Record; our fields are derived when a released file lacks them."""
    call = d.get("api_call_data") or {}
    parsed = parse_output(d.get("output", ""))
    unique_id = str(d.get("unique_id", ""))
    lang = str(call.get("lang") or parsed.get("lang", ""))
    target = d.get("target") or ""
    if not target and target_info is not None:
        target = target_info.short
    elif not target and lang:
        from apipack.errors import UnknownLanguageError
        from apipack.snippets.targets_table import resolve_target

        try:
            target = resolve_target(lang).short
        except UnknownLanguageError:
            target = ""  # a label outside the 10 targets: keep the record, leave target empty
    spec_path = d.get("spec_path") or ""
    api_id = d.get("api_id") or ""
    if not api_id and unique_id:
        # "amazonaws.com_s3.json_12" -> "amazonaws.com_s3"; released ids name a file, not a folder
        stem = unique_id.rsplit("_", 1)[0]
        api_id = stem[:-5] if stem.endswith(".json") else stem
        spec_path = spec_path or stem
    method = str(d.get("method") or "").upper()
    path = str(call.get("path", ""))
    domain = call.get("domain") or []
    return Record(
        api_name=str(d.get("api_name") or ""),
        api_description=str(d.get("api_description") or ""),
        api_call=str(call.get("api_call") if call.get("api_call") is not None else parsed.get("api_call", "")),
        lang=lang,
        functionality=str(call.get("functionality") or ""),
        description=str(call.get("description") or ""),
        domain=[str(x) for x in domain] if isinstance(domain, list) else [str(domain)],
        path=path,
        instruction=str(d.get("instruction") or ""),
        instruction_test=str(d.get("instruction_test") or ""),
        unique_id=unique_id,
        method=method,
        operation_id=str(d.get("operation_id") or ""),
        provider=str(d.get("provider") if d.get("provider") is not None else parsed.get("api_provider", "")),
        api_id=api_id,
        spec_path=spec_path,
        endpoint_id=str(d.get("endpoint_id") or endpoint_id_for(api_id, method, path)),
        target=target,
        input=str(d.get("input") or ""),
        api_arguments=dict(call.get("api_arguments") or {}),
        output=str(d.get("output") or ""),
    )
