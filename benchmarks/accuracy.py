"""Accuracy of the detector on labelled corpora, at the given (by default the built-in) settings.

Corpora: the geneva-2022 sample with its hand-made labels (``examples/labels/geneva-2022.jsonl``)
and a synthetic corpus from ``benchmarks.synth``, whose labels are exact because its edits are
generated (trims, split and merged paragraphs, "US"/"U.S.", stripped quotes, local paragraphs,
boilerplate, reordered paragraphs), and the same corpus made harder (``benchmarks.synth --hard``:
light rewrites, a word changed every 8-15 words, a clause dropped, "said" turned into "told
reporters", two sentences swapped), scored also on the light rewrites' own characters. Each run
prints how many of the edits shown the generator made on that copy. Metrics are those of
:mod:`syndet.tuning.metrics`.

Also the reprint chains of ``benchmarks.chains`` (papers copying each other over days and weeks),
scored on the source article. Targets: on the synthetic corpus passage F1 >= 0.95, origin accuracy
>= 0.97 and source-article accuracy >= 0.95; on the reprint chains source-article accuracy >= 0.95;
on the harder corpus passage F1 >= 0.95 and the light rewrites' shared characters found >= 0.95;
on geneva-2022 every labelled passage found and no false article pair. The exit status is 1 if one
is missed.

    python -m benchmarks.accuracy [--articles 2000] [--seed 7] [--synthetic LABELS] [--config FILE]
                                  [--chains 300] [--chain-seed 11]
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
import unicodedata
from bisect import bisect_left, bisect_right
from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import replace
from pathlib import Path

from syndet.config import apply_overrides, load_settings, min_words_overrides
from syndet.detector import Detector
from syndet.models import Pair, Passage
from syndet.result import ScanResult
from syndet.settings import Settings
from syndet.tuning.labels import LabelledCorpus, LabelledPassage, read_labelled
from syndet.tuning.metrics import Evaluation, evaluate

ROOT = Path(__file__).resolve().parent.parent
GENEVA = ROOT / "examples" / "labels" / "geneva-2022.jsonl"


def score(corpus: LabelledCorpus, settings: Settings) -> tuple[Evaluation, float, ScanResult]:
    """Scan the corpus and score it; also return the scan time in seconds and the scan."""
    t0 = time.perf_counter()
    result = Detector(settings).scan(list(corpus.articles))
    seconds = time.perf_counter() - t0
    return evaluate(corpus.passages, result.passages, {a.id: a.text for a in corpus.articles},
                    [p.articles for p in result.pairs]), seconds, result


# The generator's edit names (``benchmarks.synth.EDIT_KINDS``) that make each reported edit true.
EDIT_LABELS = {"edit:quotes_stripped": {"quotes_stripped"}, "edit:abbreviation": {"us_rewrite"},
               "edit:paragraphs_split": {"split"}, "edit:trimmed_end": {"trimmed"},
               "edit:lead_added": {"local_inserted", "chrome"}}


def label_edits(path: Path) -> dict[str, dict[str, set[str]]]:
    """The edits the generator recorded, by passage label and copy (``edits`` of its records)."""
    out: dict[str, dict[str, set[str]]] = {}
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            rec = json.loads(line)
            if rec.get("type") == "passage":
                out[rec["id"]] = {a: set(names) for a, names in (rec.get("edits") or {}).items()}
    return out


def edit_truth(passages: Sequence[Passage], corpus: LabelledCorpus,
               edits: Mapping[str, Mapping[str, set[str]]]) -> Counter[tuple[str, bool]]:
    """Each one-way edit a passage shows, against the edits the generator recorded for that copy of
    the labelled passages it overlaps (those whose source article the passage holds): (kind, true)."""
    by_article: dict[str, list[tuple[LabelledPassage, int, int]]] = defaultdict(list)
    for label in corpus.passages:
        for span in label.spans:
            by_article[span.article_id].append((label, span.start, span.end))
    out: Counter[tuple[str, bool]] = Counter()
    for passage in passages:
        att = passage.attribution
        if att is None:
            continue
        holders = set(passage.article_ids)
        for ev in att.evidence:
            if ev.kind not in EDIT_LABELS or ev.span is None:
                continue
            labels = [lab for lab, lo, hi in by_article[ev.article_id]
                      if lo < ev.span.end and ev.span.start < hi and lab.source_article in holders]
            if labels:
                out[(ev.kind, any(EDIT_LABELS[ev.kind] & edits.get(lab.id, {}).get(ev.article_id, set())
                                  for lab in labels))] += 1
    return out


def report(name: str, corpus: LabelledCorpus, ev: Evaluation, seconds: float) -> None:
    """Print the scores of one corpus."""
    kinds = Counter(p.kind for p in corpus.passages)
    print(f"\n{name}: {len(corpus.articles)} articles, {len(corpus.passages)} labelled passages "
          f"({', '.join(f'{k} {n}' for k, n in sorted(kinds.items()))}), scanned in {seconds:.1f} s")
    for label, s in (("passages (characters)", ev.passages), ("article pairs", ev.pairs)):
        print(f"  {label:22} precision {s.precision:.4f}  recall {s.recall:.4f}  F1 {s.f1:.4f}"
              f"  ({s.correct}/{s.detected} detected, {s.correct}/{s.labelled} labelled)")
    print(f"  labelled passages found {ev.found}/{ev.labelled}, copy pairs found "
          f"{ev.copy_pairs_found}/{ev.copy_pairs}, false article pairs {len(ev.false_pairs)}")
    if ev.origin is None or ev.kind is None:
        print("  origin accuracy n/a (no passage carries an attribution)")
    else:
        print(f"  origin accuracy {ev.origin.value:.4f} ({ev.origin.correct}/{ev.origin.total}), "
              f"kind accuracy {ev.kind.value:.4f} ({ev.kind.correct}/{ev.kind.total})")
        for (want, got), n in Counter((w, g) for _, w, g in ev.wrong_origin).most_common(5):
            print(f"    origin {want!r} reported as {got!r}: {n}")
        if ev.source is not None:
            missing = sum(1 for _, _, got in ev.wrong_source if got is None)
            print(f"  source-article accuracy {ev.source.value:.4f} ({ev.source.correct}/{ev.source.total}; "
                  f"{missing} with no source named, {len(ev.wrong_source) - missing} naming another copy)")
        if ev.edit_owner is not None:
            print(f"  edits shown on a copy, not on the source: {ev.edit_owner.value:.4f} "
                  f"({ev.edit_owner.correct}/{ev.edit_owner.total})")
    by_id = {p.id: p for p in corpus.passages}
    for ident in ev.missed[:5]:
        p = by_id[ident]
        print(f"    missed {ident} ({p.kind}, {p.origin}): " +
              ", ".join(f"{s.article_id}[{s.start}:{s.end}]" for s in p.spans))
    for a, b in ev.false_pairs[:5]:
        print(f"    false pair {a} ~ {b}")


def edited(corpus: LabelledCorpus, edits: Mapping[str, Mapping[str, set[str]]], edit: str) -> list[LabelledPassage]:
    """The labelled passages as far as copies with ``edit`` hold them: the source's copy and each
    copy the generator made that edit on (passages without such a copy left out)."""
    out = []
    for label in corpus.passages:
        light = {a for a, names in edits.get(label.id, {}).items() if edit in names}
        if light and label.source_article is not None:
            spans = tuple(s for s in label.spans if s.article_id in light or s.article_id == label.source_article)
            out.append(replace(label, spans=spans))
    return out


def derived_shares(corpus: LabelledCorpus) -> dict[tuple[str, str], float]:
    """Each labelled pair of articles (sorted ids) with the share of the more derived one's text
    that the labels say it shares with the other (its characters, spaces left out)."""
    ink = {a.id: max(1, sum(1 for ch in a.text if not ch.isspace())) for a in corpus.articles}
    texts = {a.id: a.text for a in corpus.articles}
    shared: dict[tuple[str, str], dict[str, list[tuple[int, int]]]] = defaultdict(lambda: defaultdict(list))
    for label in corpus.passages:
        for s in label.spans:
            for t in label.spans:
                if s.article_id < t.article_id:
                    pair = shared[(s.article_id, t.article_id)]
                    pair[s.article_id].append((s.start, s.end))
                    pair[t.article_id].append((t.start, t.end))
    out = {}
    for pair, by_article in shared.items():
        best = 0.0
        for aid, spans in by_article.items():
            covered = set()
            for lo, hi in spans:
                covered.update(range(lo, hi))
            best = max(best, sum(1 for k in covered if not texts[aid][k].isspace()) / ink[aid])
        out[pair] = min(1.0, best)
    return out


def auc(positive: Sequence[float], negative: Sequence[float]) -> float:
    """Chance that a positive scores above a negative (ties count half)."""
    if not positive or not negative:
        return float("nan")
    neg = sorted(negative)
    total = 0.0
    for x in positive:
        below = bisect_left(neg, x)
        ties = bisect_right(neg, x) - below
        total += below + 0.5 * ties
    return total / (len(positive) * len(negative))


def pair_scores(path: Path, corpus: LabelledCorpus, pairs: Sequence[Pair]) -> tuple[str, list[str]]:
    """Document-level figures: recall of the article pairs with >= 20% derived text, and the AUC of
    the pair score (the larger containment; 0 for a pair not reported) between derived pairs and
    independent pairs of the same topic (articles of other units on the same news); the line to
    print and the targets missed."""
    topic: dict[str, int] = {}
    unit: dict[str, int] = {}
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            rec = json.loads(line)
            if rec.get("type") == "article" and "topic" in rec:
                topic[rec["id"]], unit[rec["id"]] = rec["topic"], rec["unit"]
    derived = derived_shares(corpus)
    reported = {tuple(sorted(p.articles)): p.score for p in pairs}
    heavy = [pair for pair, share in derived.items() if share >= 0.2]
    found = sum(1 for pair in heavy if pair in reported)
    by_topic: dict[int, list[str]] = defaultdict(list)
    for aid, t in topic.items():
        by_topic[t].append(aid)
    independent = [reported.get((a, b) if a < b else (b, a), 0.0) for ids in by_topic.values()
                   for i, a in enumerate(ids) for b in ids[i + 1:]
                   if unit[a] != unit[b] and ((a, b) if a < b else (b, a)) not in derived]
    positive = [reported.get(pair, 0.0) for pair in derived]
    area = auc(positive, independent)
    recall = found / max(1, len(heavy))
    line = (f"  article pairs with >= 20% derived text found {recall:.4f} ({found}/{len(heavy)}); AUC of the pair "
            f"score, derived ({len(positive)}) vs independent same-topic pairs ({len(independent)}): {area:.4f}")
    missed = []
    if recall < 0.97:
        missed.append(f"harder synthetic: pairs with >= 20% derived text found {recall:.4f} < 0.97")
    if not area >= 0.97:
        missed.append(f"harder synthetic: AUC of the pair score {area:.4f} < 0.97")
    return line, missed


def hard_scores(articles: int, seed: int, settings: Settings) -> list[str]:
    """Score the harder synthetic corpus (``benchmarks.synth --hard``: light and heavy rewrites,
    mirrors, other scripts); the targets it misses (passage F1 >= 0.95, pair precision >= 0.97,
    light rewrites' shared characters found >= 0.95, pairs with >= 20% derived text found >= 0.97,
    AUC of the pair score >= 0.97)."""
    from benchmarks.synth import SynthConfig, write_corpus

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "labels.jsonl"
        write_corpus(SynthConfig(articles=articles, seed=seed, hard=True), Path(tmp) / "articles.jsonl", path)
        corpus = read_labelled(path, settings.input)
        recorded = label_edits(path)
        ev, seconds, result = score(corpus, settings)
        report(f"harder synthetic (benchmarks.synth --hard --articles {articles} --seed {seed})", corpus, ev, seconds)
        line, missed = pair_scores(path, corpus, result.pairs)
    print(line)
    if ev.pairs.precision < 0.97:
        missed.append(f"harder synthetic: article pair precision {ev.pairs.precision:.4f} < 0.97")
    texts = {a.id: a.text for a in corpus.articles}
    for edit, what in (("light_rewrite", "light rewrites"), ("heavy_rewrite", "heavy rewrites (quotations kept)"),
                       ("mirror", "mirrors")):
        lev = evaluate(edited(corpus, recorded, edit), result.passages, texts)
        print(f"  {what}: {lev.passages.recall:.4f} of their shared characters found "
              f"({lev.passages.correct}/{lev.passages.labelled}), {lev.found}/{lev.labelled} passages found whole")
        if edit == "light_rewrite" and lev.passages.recall < 0.95:
            missed.append(f"harder synthetic: light rewrites found {lev.passages.recall:.4f} < 0.95")
    by_script = scripts_of(corpus)
    for name, ids in sorted(by_script.items()):
        labels = [lab for lab in corpus.passages if lab.spans and lab.spans[0].article_id in ids]
        sev = evaluate(labels, result.passages, texts)
        print(f"  {name} ({len(ids)} articles): passage recall {sev.passages.recall:.4f}, "
              f"{sev.found}/{sev.labelled} passages found whole")
    if ev.passages.f1 < 0.95:
        missed.append(f"harder synthetic: passage F1 {ev.passages.f1:.4f} < 0.95")
    return missed


def scripts_of(corpus: LabelledCorpus) -> dict[str, set[str]]:
    """Articles written mostly in another script than Latin, by the Unicode name of that script."""
    out: dict[str, set[str]] = defaultdict(set)
    for a in corpus.articles:
        letters = [ch for ch in a.text if ch.isalpha()]
        other = [ch for ch in letters if not ch.isascii()]
        if len(other) > len(letters) / 2:
            out[unicodedata.name(other[0], "?").split()[0].lower()].add(a.id)
    return out


def main(argv: Sequence[str] | None = None) -> int:
    """Score geneva-2022 and a synthetic corpus; 1 if a target is missed."""
    parser = argparse.ArgumentParser(prog="python -m benchmarks.accuracy", description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=2000, help="synthetic corpus size")
    parser.add_argument("--seed", type=int, default=7, help="synthetic corpus seed")
    parser.add_argument("--synthetic", type=Path, help="use this labelled corpus instead of generating one")
    parser.add_argument("--config", type=Path, action="append", default=[], help="YAML config (repeatable)")
    parser.add_argument("--chains", type=int, default=300, help="reprint chains (benchmarks.chains)")
    parser.add_argument("--chain-seed", type=int, default=11, help="reprint chains seed")
    args = parser.parse_args(argv)
    settings = load_settings(args.config)
    failures: list[str] = []

    geneva = read_labelled(GENEVA, settings.input)
    ev, seconds, _ = score(geneva, settings)
    report("geneva-2022", geneva, ev, seconds)
    if ev.missed or ev.false_pairs:
        failures.append(f"geneva-2022: {len(ev.missed)} labelled passages missed, "
                        f"{len(ev.false_pairs)} false article pairs")

    with tempfile.TemporaryDirectory() as tmp:
        if args.synthetic:
            path, name = args.synthetic, str(args.synthetic)
        else:
            from benchmarks.synth import SynthConfig, write_corpus

            path = Path(tmp) / "labels.jsonl"
            write_corpus(SynthConfig(articles=args.articles, seed=args.seed), Path(tmp) / "articles.jsonl", path)
            name = f"synthetic (benchmarks.synth --articles {args.articles} --seed {args.seed})"
        synthetic = read_labelled(path, settings.input)
        recorded = label_edits(path)
    ev, seconds, scanned = score(synthetic, settings)
    report(name, synthetic, ev, seconds)
    truth = edit_truth(scanned.passages, synthetic, recorded)
    print("  edits shown that the generator made on that copy: " + ", ".join(
        f"{kind[5:]} {truth[(kind, True)]}/{truth[(kind, True)] + truth[(kind, False)]}"
        for kind in EDIT_LABELS if truth[(kind, True)] + truth[(kind, False)]))
    if ev.passages.f1 < 0.95:
        failures.append(f"synthetic: passage F1 {ev.passages.f1:.4f} < 0.95")
    if ev.origin is None:
        failures.append("synthetic: origin accuracy not measured (no attributions)")
    elif ev.origin.value < 0.97:
        failures.append(f"synthetic: origin accuracy {ev.origin.value:.4f} < 0.97")
    if ev.source is not None and ev.source.value < 0.95:
        failures.append(f"synthetic: source-article accuracy {ev.source.value:.4f} < 0.95")

    if not args.synthetic:
        failures += hard_scores(args.articles, args.seed, settings)

    from benchmarks.chains import make_chains

    chains = make_chains(args.chains, args.chain_seed)
    ev, seconds, _ = score(chains, settings)
    report(chains.name, chains, ev, seconds)
    if ev.source is not None:
        dated = {a.id for a in chains.articles if a.published}
        wrong = {lid for lid, _, _ in ev.wrong_source}
        with_date = [p for p in chains.passages if p.source_article in dated]
        right = sum(1 for p in with_date if p.id not in wrong)
        print(f"  source = the original where the original is dated: {right / max(1, len(with_date)):.4f} "
              f"({right}/{len(with_date)}); where it is not: "
              f"{ev.source.correct - right}/{ev.source.total - len(with_date)}")
        # An undated original whose whole text a copy repeats byte for byte: nothing in either
        # text says which came first, so no reading of the text can be right there but by chance.
        by_id = {a.id: a for a in chains.articles}
        undated = [p for p in chains.passages if p.source_article and p.source_article not in dated]
        twins = [p for p in undated if any(by_id[s.article_id].text == by_id[p.source_article].text
                                           for s in p.spans if s.article_id != p.source_article)]
        twin_right = sum(1 for p in twins if p.id not in wrong)
        print(f"  undated originals with a word-for-word twin among their copies: {len(twins)} "
              f"({twin_right} right); without one: {ev.source.correct - right - twin_right}/"
              f"{len(undated) - len(twins)}; with every twin lost (only a credit in a third copy can tell "
              f"them apart) the most would be {(ev.source.total - len(twins)) / max(1, ev.source.total):.4f}")
        if ev.source.value < 0.95:
            failures.append(f"reprint chains: source-article accuracy {ev.source.value:.4f} < 0.95")

    from benchmarks.planted import run as planted

    inside, flat = planted(150, 15, settings)
    print(f"\nplanted 15-word runs (paragraphs of 20-1,000 words, unrelated articles): found {inside}/150 inside a "
          f"paragraph, {flat}/150 in texts with no breaks")
    if min(inside, flat) < 0.99 * 150:
        failures.append(f"planted 15-word runs: {min(inside, flat)}/150 < 99%")
    inside, flat = planted(100, 10, apply_overrides(settings, min_words_overrides(10)))
    print(f"planted 10-word runs with --min-words 10: found {inside}/100 inside "
          f"a paragraph, {flat}/100 in texts with no breaks")
    if min(inside, flat) < 95:
        failures.append(f"planted 10-word runs: {min(inside, flat)}/100 < 95%")

    print("\ntargets: " + ("all met" if not failures else "MISSED"))
    for failure in failures:
        print(f"  {failure}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
