"""Write the labelled form of the geneva-2022 sample: ``examples/labels/geneva-2022.jsonl``.

The five articles are stored inline, byte for byte the texts of ``examples/geneva-2022/*.txt`` (ids
are the file names, as ``syndet scan examples/geneva-2022`` gives them). The labels, read from the
texts and EXPECTED.md, are written here as phrases (first and last words of each copy) so that
they can be reviewed; this script turns them into character offsets and checks that every phrase
is found exactly where intended.

Labelled: the Associated Press copy that 003 (dateline "GENEVA (AP)") and 004 (republished without
credit) share, one label per AP paragraph 004 carries, covering the words 004 kept; and the two
Sherman quotations that 000 (VOA) and 004 reproduce independently, between their quote marks.
Not labelled: shared fragments shorter than 12 words (the 001~003 and 001~004 quotation pieces,
"the Organization for Security and Cooperation in Europe"), which match
``verify.min_passage_words`` and are common phrases rather than copies.

Run ``python -m benchmarks.geneva_labels`` to rewrite the file.
"""

from __future__ import annotations

import json
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "examples" / "geneva-2022"
OUT = ROOT / "examples" / "labels" / "geneva-2022.jsonl"

VOA, AP_SOURCE, AP_COPY = "000_35191ae9f111ca43.txt", "003_a116120311b8510c.txt", "004_fd3b9aa19fe5f73c.txt"

# (label id, kind, origin, source article, [(article, first words, last words), ...])
Copy = tuple[str, str, str]
LABELS: list[tuple[str, str, str | None, str | None, list[Copy]]] = [
    ("ap-flurry", "agency", "AP", AP_SOURCE, [
        (AP_SOURCE, "part of a flurry of diplomatic", "border with Ukraine"),
        (AP_COPY, "part of a flurry of diplomatic", "border with Ukraine")]),
    ("ap-dialogue", "agency", "AP", AP_SOURCE, [
        (AP_SOURCE, "part of “Strategic Security Dialogue” talks on arms", "issues launched by"),
        (AP_COPY, "part of Strategic Security Dialogue talks on arms", "issues launched by")]),
    ("ap-troops", "agency", "AP", AP_SOURCE, [
        (AP_SOURCE, "an estimated 100,000 troops along", "military intervention there"),
        (AP_COPY, "an estimated 100,000 troops in steps", "military intervention there")]),
    ("ap-concessions", "agency", "AP", AP_SOURCE, [
        (AP_SOURCE, "Moscow has sought to wrest", "its Western allies"),
        (AP_COPY, "Moscow has sought to wrest", "its Western allies")]),
    ("ap-hopes", "agency", "AP", AP_SOURCE, [
        (AP_SOURCE, "The U.S. has played down hopes", "are thus non-negotiable."),
        (AP_COPY, "The US has played down hopes", "are thus non-negotiable.")]),
    ("ap-openness", "agency", "AP", AP_SOURCE, [
        (AP_SOURCE, "But U.S. officials have expressed openness", "back off on Ukraine."),
        (AP_COPY, "But US officials have expressed openness", "back off on Ukraine.")]),
    ("ap-blinken", "agency", "AP", AP_SOURCE, [
        (AP_SOURCE, "Blinken said bluntly Sunday", "to be actual progress."),
        (AP_COPY, "Blinken said bluntly Sunday", "to be actual progress.")]),
    ("ap-gun", "agency", "AP", AP_SOURCE, [
        (AP_SOURCE, "“It’s very hard to see", "on ABC’s “This Week.”"),
        (AP_COPY, "It’s very hard to see", "on ABC’s This Week.")]),
    ("ap-stoltenberg", "agency", "AP", AP_SOURCE, [
        (AP_SOURCE, "NATO Secretary-General Jens Stoltenberg", "play down expectations."),
        (AP_COPY, "NATO Secretary-General Jens Stoltenberg", "play down expectations")]),
    ("ap-meetings", "agency", "AP", AP_SOURCE, [
        (AP_SOURCE, "“I don’t think that we can expect", "agree on a process.”"),
        (AP_COPY, "I don’t think that we can expect", "agree on a process.")]),
    ("ap-resolved", "agency", "AP", AP_SOURCE, [
        (AP_SOURCE, "Russia has said that it wants", "to launch an invasion."),
        (AP_COPY, "Russia has said it wants", "to launch an invasion.")]),
    ("ap-allies", "agency", "AP", AP_SOURCE, [
        (AP_SOURCE, "The United States, which has emphasized", "European allies and partners"),
        (AP_COPY, "The United States, which has emphasized", "European allies and partners")]),
    ("quote-sherman-nato", "quote", None, None, [
        (VOA, "We will not forego bilateral", "about NATO without NATO"),
        (AP_COPY, "We will not forgo bilateral", "about NATO without NATO")]),
    ("quote-sherman-costs", "quote", None, None, [
        (VOA, "if Russia further invades Ukraine, there", "beyond what happened in 2014"),
        (AP_COPY, "if Russia further invades Ukraine there", "beyond what they faced in 2014")]),
]


def locate(text: str, first: str, last: str, where: str) -> tuple[int, int]:
    """Offsets of the copy running from the first occurrence of ``first`` to the next ``last``."""
    start = text.find(first)
    if start < 0:
        raise SystemExit(f"{where}: {first!r} not found")
    stop = text.find(last, start)
    if stop < 0:
        raise SystemExit(f"{where}: {last!r} not found after {first!r}")
    return start, stop + len(last)


def records() -> list[dict[str, object]]:
    """Article records, then passage records."""
    texts = {p.name: p.read_text(encoding="utf-8") for p in sorted(SAMPLE.glob("*.txt"))}
    out: list[dict[str, object]] = [
        {"type": "article", "id": name, "text": text, "title": None, "source": None, "published": None,
         "url": None}
        for name, text in texts.items()
    ]
    for ident, kind, origin, source, copies in LABELS:
        spans = []
        for article, first, last in copies:
            start, end = locate(texts[article], first, last, f"{ident} in {article}")
            spans.append({"article": article, "start": start, "end": end})
        out.append({"type": "passage", "id": ident, "kind": kind, "origin": origin, "source_article": source,
                    "spans": spans, "edits": {}})
    return out


def main() -> None:
    """Write the labelled corpus."""
    OUT.parent.mkdir(parents=True, exist_ok=True)
    with OUT.open("w", encoding="utf-8", newline="\n") as handle:
        for record in records():
            handle.write(json.dumps(record, ensure_ascii=False) + "\n")
    print(f"wrote {OUT.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
