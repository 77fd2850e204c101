"""The synthetic corpus: deterministic, well-formed, and labelled exactly, so benchmarks can trust it."""

from __future__ import annotations

import itertools
import json
import re
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from benchmarks.synth import EDIT_KINDS, HARD_EDITS, PASSAGE_KINDS, SynthConfig, generate, main, write_corpus

Record = dict[str, Any]
ARTICLE_KEYS = {"type", "id", "title", "text", "source", "published", "url"}
PASSAGE_KEYS = {"type", "id", "kind", "origin", "source_article", "spans", "edits"}
CHROME = ("Source link", "Leave a Reply", "Trending Stories", "Share this article", "Post author:")
WORD = re.compile(r"[a-z0-9]+")


def normalise(text: str) -> list[str]:
    """Words after folding case, punctuation and ``U.S.``/``US``, as a matcher would."""
    return WORD.findall(text.replace("U.S.", "US").lower())


def overlap(a: str, b: str) -> float:
    """Share of words two texts have in common, relative to the longer one."""
    wa, wb = Counter(normalise(a)), Counter(normalise(b))
    return sum((wa & wb).values()) / max(sum(wa.values()), sum(wb.values()), 1)


@pytest.fixture(scope="session")
def corpus() -> list[Record]:
    """A 2,000-article labelled corpus, generated once for the whole session."""
    return list(generate(SynthConfig(articles=2000, seed=11)))


@pytest.fixture(scope="session")
def articles(corpus: list[Record]) -> dict[str, Record]:
    """Article records by id."""
    return {r["id"]: r for r in corpus if r["type"] == "article"}


@pytest.fixture(scope="session")
def passages(corpus: list[Record]) -> list[Record]:
    """Passage records in stream order."""
    return [r for r in corpus if r["type"] == "passage"]


def test_same_seed_gives_same_bytes_and_another_seed_does_not(tmp_path: Path) -> None:
    paths = []
    for name, seed in (("a", 5), ("b", 5), ("c", 6)):
        art, lab = tmp_path / f"{name}.jsonl", tmp_path / f"{name}-labels.jsonl"
        write_corpus(SynthConfig(articles=300, seed=seed), art, lab)
        paths.append((art.read_bytes(), lab.read_bytes()))
    assert paths[0] == paths[1]
    assert paths[0][0] != paths[2][0]
    assert paths[0][1] != paths[2][1]


@pytest.mark.parametrize("size", [0, 1, 7, 250])
def test_exact_number_of_articles(size: int) -> None:
    records = list(generate(SynthConfig(articles=size, seed=3)))
    assert sum(r["type"] == "article" for r in records) == size


def test_bad_configuration_is_refused_at_once() -> None:
    with pytest.raises(ValueError, match="articles"):
        generate(SynthConfig(articles=-1))
    with pytest.raises(ValueError, match="outlets"):
        generate(SynthConfig(outlets=1))


def test_article_records_are_well_formed_and_in_publication_order(corpus: list[Record]) -> None:
    arts = [r for r in corpus if r["type"] == "article"]
    assert [a["id"] for a in arts] == [f"a{i:06d}" for i in range(1, len(arts) + 1)]
    assert len({a["url"] for a in arts}) == len(arts)
    stamps = [a["published"] for a in arts]
    assert stamps == sorted(stamps)
    for a in arts:
        assert set(a) == ARTICLE_KEYS
        assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", a["published"])
        assert a["url"].startswith("https://") and ".example/" in a["url"]
        assert a["title"] and a["source"]
        text = a["text"]
        assert text == text.strip() and "\n\n\n" not in text
        assert not text.startswith(a["title"])
        assert all(p.strip() == p and p for p in text.split("\n\n"))


def test_passages_come_after_the_articles_they_name(corpus: list[Record]) -> None:
    seen: set[str] = set()
    for rec in corpus:
        if rec["type"] == "article":
            seen.add(rec["id"])
            continue
        assert set(rec) == PASSAGE_KEYS
        named = {s["article"] for s in rec["spans"]} | set(rec["edits"])
        if rec["source_article"] is not None:
            named.add(rec["source_article"])
        assert named <= seen


def test_every_span_slices_non_empty_text_of_its_article(articles: dict[str, Record], passages: list[Record]) -> None:
    for p in passages:
        assert p["kind"] in PASSAGE_KINDS
        assert len({s["article"] for s in p["spans"]}) >= 2
        for s in p["spans"]:
            text = articles[s["article"]]["text"]
            assert 0 <= s["start"] < s["end"] <= len(text)
            piece = text[s["start"] : s["end"]]
            assert piece.strip() == piece and normalise(piece)
            assert not any(piece.startswith(line) for line in CHROME)


def test_copies_are_near_identical_to_the_source(articles: dict[str, Record], passages: list[Record]) -> None:
    worst = 1.0
    for p in passages:
        pieces = {s["article"]: articles[s["article"]]["text"][s["start"] : s["end"]] for s in p["spans"]}
        ref = pieces[p["source_article"]] if p["source_article"] is not None else next(iter(pieces.values()))
        for piece in pieces.values():
            worst = min(worst, overlap(ref, piece))
    assert worst >= 0.6


def test_source_article_is_the_earliest_copy_and_not_an_edited_one(
    articles: dict[str, Record], passages: list[Record]
) -> None:
    for p in passages:
        ids = [s["article"] for s in p["spans"]]
        assert set(p["edits"]) <= set(ids)
        if p["source_article"] is None:
            continue
        assert p["source_article"] in ids and p["source_article"] not in p["edits"]
        first = min(articles[i]["published"] for i in ids)
        assert articles[p["source_article"]]["published"] == first


def test_every_kind_of_edit_and_passage_occurs(passages: list[Record]) -> None:
    edits = Counter(e for p in passages for names in p["edits"].values() for e in names)
    assert set(edits) == set(EDIT_KINDS) - set(HARD_EDITS)  # those on a hard corpus only
    assert {p["kind"] for p in passages} == set(PASSAGE_KINDS)
    origins = {p["origin"] for p in passages if p["kind"] == "agency"}
    assert {"AP", "Reuters", "AFP"} <= origins
    assert {p["origin"] for p in passages if p["kind"] == "press_release"} & {"PR Newswire", "Business Wire"}
    for names in (n for p in passages for n in p["edits"].values()):
        assert names == sorted(names, key=EDIT_KINDS.index)


def test_edits_are_visible_in_the_copies(articles: dict[str, Record], passages: list[Record]) -> None:
    for p in passages:
        for s in p["spans"]:
            piece = articles[s["article"]]["text"][s["start"] : s["end"]]
            names = p["edits"].get(s["article"], [])
            assert ("\n\n" in piece) == ("split" in names)
            if "us_rewrite" in names:
                assert "U.S." not in piece and "US" in piece
            if "quotes_stripped" in names:
                assert "“" not in piece and "”" not in piece


def test_quotations_are_labelled_between_their_marks(articles: dict[str, Record], passages: list[Record]) -> None:
    quotes = [p for p in passages if p["kind"] == "quote"]
    assert quotes
    for p in quotes:
        texts = set()
        for s in p["spans"]:
            text = articles[s["article"]]["text"]
            assert text[s["start"] - 1] == "“"
            piece = text[s["start"] : s["end"]]
            assert 15 <= len(piece.split()) <= 40
            texts.add(piece)
        assert len(texts) == 1
        assert len({articles[s["article"]]["source"] for s in p["spans"]}) == len(p["spans"])


def test_agency_datelines_and_credits_follow_house_style(articles: dict[str, Record], passages: list[Record]) -> None:
    patterns = {
        "AP": r"[A-Z .'-]+ \(AP\) — ",
        "Reuters": r"[A-Z .'-]+, [A-Z][a-z]+ \d{1,2} \(Reuters\) - ",
        "AFP": r"[A-Z .'-]+ \(AFP\) - ",
        "Xinhua": r"[A-Z .'-]+, [A-Z][a-z]+\.? \d{1,2} \(Xinhua\) -- ",
    }
    seen: Counter[str] = Counter()
    for p in passages:
        if p["kind"] != "agency" or p["source_article"] is None or p["origin"] not in patterns:
            continue
        text = articles[p["source_article"]]["text"]
        assert re.match(patterns[p["origin"]], text), text[:80]
        seen[p["origin"]] += 1
    assert set(seen) == set(patterns)
    endings = Counter(a["text"].rsplit("\n\n", 1)[-1] for a in articles.values())
    assert any(e.endswith("contributed to this report.") for e in endings)
    assert any(re.fullmatch(r"(burs-)?[a-z]{2}/[a-z]{3}", e) for e in endings)
    assert sum(count for e, count in endings.items() if e in CHROME) > len(articles) / 10


def test_corpus_has_realistic_shape(articles: dict[str, Record], passages: list[Record]) -> None:
    n = len(articles)
    paragraphs = sum(a["text"].count("\n\n") + 1 for a in articles.values())
    assert 8.5 <= paragraphs / n <= 11.5
    size = sum(len(a["text"].encode()) for a in articles.values()) / n
    assert 2400 <= size <= 3800
    labelled = {s["article"] for p in passages for s in p["spans"]}
    assert 0.45 <= len(labelled) / n <= 0.8
    assert sum("U.S." in a["text"] for a in articles.values()) > n / 5
    copies = Counter(len(p["spans"]) for p in passages if p["kind"] == "agency")
    assert max(copies) <= 13 and copies[2] + copies[3] + copies[4] + copies[5] > copies.total() / 2


def test_unlabelled_articles_share_no_long_runs(articles: dict[str, Record], passages: list[Record]) -> None:
    linked: set[tuple[str, str]] = set()
    for p in passages:
        ids = sorted({s["article"] for s in p["spans"]})
        linked.update(itertools.combinations(ids, 2))
    first: dict[tuple[str, ...], str] = {}
    for ident in sorted(articles)[:1000]:
        words = [w for para in articles[ident]["text"].split("\n\n") if len(para.split()) > 12 for w in normalise(para)]
        for i in range(len(words) - 24):
            run = tuple(words[i : i + 25])
            other = first.setdefault(run, ident)
            assert other == ident or (other, ident) in linked, " ".join(run)


def test_write_corpus_splits_articles_from_the_labelled_corpus(tmp_path: Path) -> None:
    art, lab = tmp_path / "out" / "articles.jsonl", tmp_path / "out" / "labels.jsonl"
    counts = write_corpus(SynthConfig(articles=120, seed=2), art, lab)
    arts = [json.loads(line) for line in art.read_text(encoding="utf-8").splitlines()]
    labelled = [json.loads(line) for line in lab.read_text(encoding="utf-8").splitlines()]
    assert len(arts) == counts["articles"] == 120
    assert all(r["type"] == "article" for r in arts)
    assert [r for r in labelled if r["type"] == "article"] == arts
    passages = [r for r in labelled if r["type"] == "passage"]
    assert len(passages) == counts["passages"] == sum(counts[f"passages_{k}"] for k in PASSAGE_KINDS)
    assert counts["spans"] == sum(len(p["spans"]) for p in passages)
    alone = tmp_path / "alone.jsonl"
    assert write_corpus(SynthConfig(articles=120, seed=2), alone)["articles"] == 120
    assert alone.read_bytes() == art.read_bytes()


def test_command_line_writes_the_files(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--articles", "40", "--seed", "9", "--out", str(tmp_path), "--labels"]) == 0
    assert len((tmp_path / "articles.jsonl").read_text(encoding="utf-8").splitlines()) == 40
    assert (tmp_path / "labels.jsonl").exists()
    err = capsys.readouterr().err
    assert "articles: 40" in err and "seconds:" in err


def test_a_hard_corpus_rewrites_copies_lightly() -> None:
    """``hard`` adds light rewrites: a rewritten copy keeps most of the source paragraph's words but
    changes some (a word every 8-15 words, maybe a clause or "said"), and its label says so."""
    records = list(generate(SynthConfig(articles=600, seed=5, hard=True)))
    articles = {r["id"]: r for r in records if r["type"] == "article"}
    light = 0
    for p in (r for r in records if r["type"] == "passage" and r["source_article"]):
        spans = {s["article"]: articles[s["article"]]["text"][s["start"]:s["end"]] for s in p["spans"]}
        source = spans[p["source_article"]]
        for aid, names in p["edits"].items():
            if "light_rewrite" in names and not {"rewrite", "split", "merged"} & set(names):
                light += 1
                share = overlap(source, spans[aid])
                assert 0.6 <= share < 1.0, (p["id"], aid, share)
                changed = len(normalise(source)) * (1 - share)
                assert changed <= len(normalise(source)) / 3  # two thirds of the words kept or more
    assert light >= 50
    plain = list(generate(SynthConfig(articles=600, seed=5)))
    assert not any(set(HARD_EDITS) & set(n) for r in plain if r["type"] == "passage" for n in r["edits"].values())


def test_a_hard_corpus_has_partial_embedded_and_flattened_copies() -> None:
    """Each copy's labelled spans still hold the source paragraph's words; a flattened copy has no
    paragraph break, an embedded paragraph sits inside a longer one, a partial copy holds a share
    of the story among paragraphs of its own."""
    records = list(generate(SynthConfig(articles=1500, seed=5, hard=True)))
    articles = {r["id"]: r for r in records if r["type"] == "article"}
    seen: Counter[str] = Counter()
    for p in (r for r in records if r["type"] == "passage" and r["source_article"]):
        src = next(s for s in p["spans"] if s["article"] == p["source_article"])
        source = articles[src["article"]]["text"][src["start"]:src["end"]]
        for s in p["spans"]:
            names = set(p["edits"].get(s["article"], ()))
            text = articles[s["article"]]["text"]
            piece = text[s["start"]:s["end"]]
            if names & {"rewrite", "light_rewrite", "heavy_rewrite", "split", "merged", "quotes_stripped",
                        "us_rewrite", "dateline_removed"}:
                continue
            assert normalise(piece) == normalise(source)
            if "flattened" in names:
                body = text.split("\n\n")
                assert any(piece in b and len(normalise(b)) > len(normalise(piece)) for b in body)
                seen["flattened"] += 1
            if "embedded" in names:
                seen["embedded"] += 1
            if "partial" in names:
                seen["partial"] += 1
    assert min(seen["flattened"], seen["embedded"], seen["partial"]) >= 10, seen


def test_a_hard_corpus_has_heavy_rewrites_mirrors_and_other_scripts() -> None:
    """A heavy rewrite shares only a quotation kept word for word; a mirror is its page under a
    header line, holding every passage the page holds at the same place after the header; stories
    in other scripts are labelled like the rest; every article names its topic and unit."""
    records = list(generate(SynthConfig(articles=1500, seed=5, hard=True)))
    articles = {r["id"]: r for r in records if r["type"] == "article"}
    assert all(isinstance(a["topic"], int) and isinstance(a["unit"], int) for a in articles.values())
    heavy = mirrors = 0
    scripts: Counter[str] = Counter()
    for p in (r for r in records if r["type"] == "passage"):
        by_article = {s["article"]: s for s in p["spans"]}
        for s in p["spans"]:
            names = p["edits"].get(s["article"], [])
            text = articles[s["article"]]["text"]
            piece = text[s["start"]:s["end"]]
            if "heavy_rewrite" in names and p["source_article"]:
                src = by_article[p["source_article"]]
                source = articles[src["article"]]["text"][src["start"]:src["end"]]
                assert "“" in piece and piece in source and len(piece.split()) >= 12
                heavy += 1
            if "mirror" in names:
                header, _, page = text.partition("\n\n")
                assert header.endswith(tuple(a["url"].split("/")[2] for a in articles.values()))
                twin = next(a for a in articles.values() if a["text"] == page and a["id"] != s["article"])
                shift = len(header) + 2
                assert by_article[twin["id"]]["start"] == s["start"] - shift
                assert piece == twin["text"][s["start"] - shift:s["end"] - shift]
                mirrors += 1
        first = articles[p["spans"][0]["article"]]["text"]
        letters = [ch for ch in first if ch.isalpha()]
        if sum(not ch.isascii() for ch in letters) > len(letters) / 2:
            scripts[next(ch for ch in letters if not ch.isascii())] += 1
    assert heavy >= 10 and mirrors >= 50, (heavy, mirrors)
    assert len(scripts) >= 3, scripts
