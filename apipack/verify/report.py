"""The verification table: one row per target and rendering, defect classes counted."""

from __future__ import annotations

from apipack.verify.harness import TargetSummary


def markdown_table(summaries: list[TargetSummary]) -> str:
    rows = ["| target | rendering | endpoints | ran | sent the expected request | classes |",
            "| --- | --- | ---: | ---: | ---: | --- |"]
    for s in summaries:
        share = f"{s.sent_expected} ({s.sent_expected / s.cases:.1%})" if s.cases else "0"
        ran = f"{s.ran}" + (" (static)" if s.not_run_reason and s.ran else "")
        classes = ", ".join(f"{k} {v}" for k, v in s.classes.most_common()) or "-"
        rows.append(f"| {s.target} | {s.rendering} | {s.cases} | {ran} | {share} | {classes} |")
    return "\n".join(rows)
