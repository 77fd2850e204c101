"""Planted runs: a verbatim run of N words put anywhere in two otherwise unrelated articles.

Each trial writes two articles of invented words (no run of five words in common by chance), puts
the same run of ``words`` words at a random place in a paragraph of 20 to 1,000 words in each (or
in texts with no paragraph break at all), scans the pair and counts a hit when a passage joins
the two. Used by ``benchmarks.accuracy``; on its own:

    python -m benchmarks.planted [--trials 150] [--words 15] [--min-words N] [--run-extra N]
"""

from __future__ import annotations

import argparse
import random
from collections.abc import Sequence
from dataclasses import replace

from syndet.config import apply_overrides, min_words_overrides
from syndet.detector import Detector
from syndet.models import Article
from syndet.settings import Settings

SIZES = (20, 50, 100, 300, 1000)


def _words(seed: int, n: int) -> list[str]:
    rng = random.Random(seed)
    syllables = ["ka", "lo", "mi", "ren", "tu", "sa", "vo", "pel", "dri", "no", "gha", "zu", "bre", "ti", "om"]
    return ["".join(rng.choice(syllables) for _ in range(rng.randint(2, 4))) for _ in range(n)]


def _paragraphs(seed: int, count: int) -> str:
    return "\n\n".join(" ".join(_words(seed * 31 + k, 40)).capitalize() + "." for k in range(count))


def trial(k: int, words: int, breaks: bool, settings: Settings) -> bool:
    """One trial: whether the planted run was found."""
    rng = random.Random(k)
    run = _words(1_000_000 + k, words)
    size = rng.choice(SIZES)
    texts = []
    for side in (0, 1):
        body = _words(2_000_000 + 2 * k + side, size)
        at = rng.randrange(len(body) + 1)
        text = " ".join(body[:at] + run + body[at:]).capitalize() + "."
        if breaks:
            before = _paragraphs(3_000_000 + 2 * k + side, 2)
            after = _paragraphs(4_000_000 + 2 * k + side, 1)
            text = before + "\n\n" + text + "\n\n" + after
        texts.append(text + "\n")
    result = Detector(settings).scan([Article("a", texts[0]), Article("b", texts[1])])
    return any(set(p.article_ids) == {"a", "b"} for p in result.passages)


def run(trials: int, words: int, settings: Settings) -> tuple[int, int]:
    """Hits (inside a paragraph among others, in a text with no breaks), out of ``trials`` each."""
    return (sum(trial(k, words, True, settings) for k in range(trials)),
            sum(trial(k, words, False, settings) for k in range(trials)))


def main(argv: Sequence[str] | None = None) -> int:
    """Print the hits."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--trials", type=int, default=150)
    parser.add_argument("--words", type=int, default=15)
    parser.add_argument("--min-words", type=int,
                        help="as scan --min-words: verify.min_passage_words, and lsh.shingle_run_extra 0")
    parser.add_argument("--run-extra", type=int, help="lsh.shingle_run_extra (after --min-words)")
    args = parser.parse_args(argv)
    settings = apply_overrides(Settings(), min_words_overrides(args.min_words))
    if args.run_extra is not None:
        settings = replace(settings, lsh=replace(settings.lsh, shingle_run_extra=args.run_extra))
    inside, flat = run(args.trials, args.words, settings)
    print(f"planted {args.words}-word runs found: {inside}/{args.trials} inside a paragraph, "
          f"{flat}/{args.trials} in texts with no breaks")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
