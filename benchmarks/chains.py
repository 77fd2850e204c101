"""Reprint chains: newspapers copying a story from each other, copies of copies over days and weeks.

Modelled on how papers reprinted each other's stories before and after the wires (the chains
text-reuse studies of historical newspapers trace): a paper prints a story; another copies it
days later, often from a copy rather than from the original; each reprint trims the end, drops a
paragraph, puts a line of its own on top, credits the paper it took the story from ("From the
Westport Express."), or strips the quotation marks. Dates are those of the issue: a day alone
for most papers, a time for some, none at all for a few. The label of every shared paragraph
names the paper that first printed the story as its source.

The story bodies are outlet stories written by ``benchmarks.synth`` (seeded, so the same
arguments give the same chains anywhere).

    python -m benchmarks.chains --chains 300 --seed 11
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

from syndet.models import Article, Span
from syndet.tuning.labels import LabelledCorpus, LabelledPassage

_TOWNS = ("Westport", "Dunmore", "Fairview", "Northfield", "Halden", "Southgate", "Valemont", "Ashby", "Brookfield",
          "Carrow", "Eastleigh", "Glenmore", "Harlow", "Kingsbridge", "Lydford", "Marston", "Oakham", "Redcliff",
          "Stanmore", "Thornbury", "Wexley", "Yarrow")
_NAMES = ("Express", "Chronicle", "Courier", "Journal", "Examiner", "Gazette", "Herald", "Sentinel", "Tribune",
          "Advertiser", "Monitor", "Standard")
_LOCAL = ("The following will interest our readers.", "A story now going the rounds.",
          "Readers here will find this of interest.", "A correspondent sends us the following.")


@dataclass
class _Copy:
    paper: str
    paragraphs: list[tuple[int, str]]  # (index of the original paragraph, text); -1 for a paper's own
    day: float
    parent: int = -1
    pieces: list[str] = field(default_factory=list)


def _stories(count: int, seed: int) -> list[list[str]]:
    """Bodies of outlet stories from the synthetic generator: paragraphs of 25 words or more."""
    from benchmarks.synth import SynthConfig, write_corpus

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "a.jsonl"
        write_corpus(SynthConfig(articles=max(400, count * 8), seed=seed), path)
        records = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    bodies: list[list[str]] = []
    seen: set[str] = set()  # the generator's wire stories run in many articles: each story is used once
    for rec in records:
        paras = [p.strip() for p in rec["text"].split("\n\n") if len(p.split()) >= 25 and "(" not in p[:60]]
        keys = {" ".join(p.split()[k:k + 8]) for p in paras for k in (6, 14)}
        if len(paras) >= 5 and not seen.intersection(keys):
            seen.update(keys)
            bodies.append(paras[:9])
    return bodies[:count]


def _edit(parent: _Copy, rng: random.Random, paper: str, parent_paper: str, day: float) -> _Copy:
    paras = [(j, t) for j, t in parent.paragraphs if j >= 0]
    if len(paras) > 4 and rng.random() < 0.5:  # trimmed at the end
        paras = paras[: len(paras) - rng.randint(1, 2)]
    if len(paras) > 4 and rng.random() < 0.3:  # a paragraph dropped
        del paras[rng.randrange(1, len(paras) - 1)]
    if rng.random() < 0.2:  # quotation marks stripped
        paras = [(j, t.replace("“", "").replace("”", "")) for j, t in paras]
    own: list[tuple[int, str]] = []
    if rng.random() < 0.3:
        own.append((-1, f"From the {parent_paper}."))
    if rng.random() < 0.4:
        own.append((-1, rng.choice(_LOCAL)))
    return _Copy(paper, own + paras, day)


def make_chains(chains: int, seed: int) -> LabelledCorpus:
    """``chains`` stories, each printed by a first paper and reprinted 2 to 6 times."""
    rng = random.Random(seed)
    papers = [f"The {t} {n}" for t in _TOWNS for n in _NAMES]
    articles: list[Article] = []
    passages: list[LabelledPassage] = []
    start = datetime(1885, 3, 2, tzinfo=UTC)
    for c, body in enumerate(_stories(chains, seed)):
        chosen = rng.sample(papers, 7)
        members = [_Copy(chosen[0], list(enumerate(body)), 0.0)]
        for k in range(rng.randint(2, 6)):
            parent = rng.randrange(len(members))
            day = members[parent].day + rng.uniform(1, 60 / 3)
            copy = _edit(members[parent], rng, chosen[k + 1], members[parent].paper, day)
            copy.parent = parent
            members.append(copy)
        spans: dict[int, list[Span]] = {}
        ids = []
        for m, member in enumerate(members):
            ident = f"c{c:04d}-{m}"
            ids.append(ident)
            texts, pos = [], 0
            for j, text in member.paragraphs:
                if j >= 0:
                    spans.setdefault(j, []).append(Span(ident, pos, pos + len(text)))
                texts.append(text)
                pos += len(text) + 2
            when = start + timedelta(days=c * 0.7 + member.day)
            roll = rng.random()
            published = None if roll < 0.15 else when.date().isoformat() if roll < 0.7 else \
                when.strftime("%Y-%m-%dT%H:%M:%SZ")
            articles.append(Article(ident, "\n\n".join(texts) + "\n", title=f"Story {c}", source=member.paper,
                                    published=published))
        for j, copies in sorted(spans.items()):
            if len({s.article_id for s in copies}) >= 2:
                passages.append(LabelledPassage(f"chain{c:04d}-p{j}", "republished", chosen[0], ids[0], tuple(copies)))
    return LabelledCorpus(tuple(articles), tuple(passages), f"reprint chains (benchmarks.chains, seed {seed})")


def main(argv: Sequence[str] | None = None) -> int:
    """Write the chains as a labelled corpus (JSON Lines) to standard output."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--chains", type=int, default=300)
    parser.add_argument("--seed", type=int, default=11)
    args = parser.parse_args(argv)
    corpus = make_chains(args.chains, args.seed)
    out = sys.stdout
    for a in corpus.articles:
        out.write(json.dumps({"type": "article", "id": a.id, "text": a.text, "title": a.title, "source": a.source,
                              "published": a.published}, ensure_ascii=False) + "\n")
    for p in corpus.passages:
        out.write(json.dumps({"type": "passage", "id": p.id, "kind": p.kind, "origin": p.origin,
                              "source_article": p.source_article,
                              "spans": [{"article": s.article_id, "start": s.start, "end": s.end} for s in p.spans]},
                             ensure_ascii=False) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
