"""The pre-ingest filter: decisions and their evidence, the policy, and the commands around it."""

from __future__ import annotations

import dataclasses
import json
import re
import socket
import uuid
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner
from conftest import drop_redis, story

from syndet import Filter
from syndet.cli import main
from syndet.duration import parse_duration
from syndet.errors import ConfigError, IndexError_
from syndet.models import Article
from syndet.settings import IndexSettings, PolicySettings, Settings


def run(*args: str, stdin: str | None = None) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args), input=stdin)
    return result.exit_code, result.stdout, result.stderr


def paragraphs(text: str) -> list[str]:
    return text.strip().split("\n\n")


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return dataclasses.replace(Settings(), index=IndexSettings(path=str(tmp_path / "index.sqlite")))


@pytest.fixture
def indexed(settings: Settings) -> Iterator[Filter]:
    """An index holding ten stories ``s0``..``s9`` of six paragraphs each."""
    with Filter(settings, create=True) as flt:
        flt.add([Article(f"s{i}", story(i)) for i in range(10)])
        yield flt


def test_copy_is_rejected_with_its_origin(indexed: Filter) -> None:
    text = "Local intro written by the outlet itself here.\n\n" + story(3)
    decision = indexed.check(Article("repost", text))
    assert decision.action == "reject"
    assert decision.seen_fraction > 0.95
    assert [m[0] for m in decision.matches] == ["s3"]
    (passage,) = decision.passages
    own = [s for s in passage.spans if s.article_id == "repost"]
    theirs = [s for s in passage.spans if s.article_id == "s3"]
    assert text[own[0].start:own[0].end] == story(3).strip()
    assert (theirs[0].start, theirs[0].end) == (0, len(story(3).strip()))


def test_shared_passages_are_flagged_and_listed(indexed: Filter) -> None:
    fresh = paragraphs(story(100))
    borrowed = paragraphs(story(4))[1:3]
    text = "\n\n".join(fresh[:3] + borrowed + fresh[3:]) + "\n"
    decision = indexed.check(Article("mix", text))
    assert decision.action == "flag"
    assert decision.seen_fraction == pytest.approx(2 / 8, abs=0.02)
    assert decision.matches[0][0] == "s4"
    (passage,) = decision.passages
    own = next(s for s in passage.spans if s.article_id == "mix")
    assert text[own.start:own.end] == "\n\n".join(borrowed)
    assert passage.attribution is not None  # no sign of an agency and no way to tell the copies apart
    assert (passage.attribution.kind, passage.attribution.origin, passage.attribution.source_article) == \
        ("republished", None, None)


def test_a_flagged_wire_copy_names_the_agency_and_the_indexed_original(indexed: Filter) -> None:
    indexed.add([Article("wire", "GENEVA (AP) — " + story(60), published="2022-01-10T08:00:00Z")])
    text = "Local intro written here by the site.\n\n" + story(60).replace("Monday", "Monday,")
    decision = indexed.check(Article("site", text, published="2022-01-10T12:00:00Z"))
    (passage,) = decision.passages
    att = passage.attribution
    assert att is not None
    assert (att.kind, att.origin, att.source_article) == ("agency", "AP", "wire")
    assert [(e.kind, e.article_id) for e in att.evidence] == [("dateline", "wire"), ("edit:lead_added", "site"),
                                                             ("earliest", "wire")]
    assert att.evidence[2].detail == "published 2022-01-10T08:00:00Z, before site (2022-01-10T12:00:00Z)"
    assert {s.article_id for s in passage.spans} == {"site", "wire"}


def _copies(ident: str, seed: int, count: int) -> list[Article]:
    """``count`` reposts of story ``seed``, each under an intro of its own outlet."""
    return [Article(f"{ident}{k}", f"Intro written by outlet number {k} for its readers.\n\n" + story(seed))
            for k in range(count)]


def test_a_story_indexed_many_times_is_aligned_against_its_first_copies(settings: Settings) -> None:
    with Filter(settings, create=True) as flt:
        flt.add([Article("wire", story(5))])
        flt.add(_copies("c", 5, 7))
        decision = flt.check(Article("new", "A new outlet's own opening line.\n\n" + story(5)))
    assert decision.action == "reject"
    # the original and the oldest copies, as many as policy.max_per_paragraph; no more are aligned
    assert sorted(m[0] for m in decision.matches) == ["c0", "c1", "c2", "wire"]
    (passage,) = decision.passages
    assert {s.article_id for s in passage.spans} == {"new", "wire", "c0", "c1", "c2"}


@pytest.mark.parametrize(("copies", "aligned"), [
    (6, 8),  # fewer copies than are verified: they compete when the candidates to align are chosen
    (12, 2),  # two aligned, so eight verified: the copies outnumber the places before verification
])
def test_copies_adding_a_common_line_do_not_push_out_the_original(settings: Settings, copies: int,
                                                                 aligned: int) -> None:
    footer = "\n\nClick here to read more stories like this one from our newsroom, every single day of the week.\n"
    chosen = dataclasses.replace(settings, policy=dataclasses.replace(settings.policy, max_candidates=aligned))
    with Filter(chosen, create=True) as flt:
        flt.add([Article("wire", story(5))])
        flt.add([Article(f"c{k}", f"Intro written by outlet number {k} for its readers.\n\n" + story(5) + footer)
                 for k in range(copies)])
        flt.add([Article(f"s{seed}", story(seed) + footer) for seed in range(10, 20)])
        decision = flt.check(Article("new", "A new outlet's own opening line.\n\n" + story(5) + footer))
    # the copies share one more paragraph with it than the original, the footer other stories print
    assert decision.action == "reject"
    assert "wire" in {m[0] for m in decision.matches}
    assert any(p.attribution and p.attribution.source_article == "wire" for p in decision.passages)


def test_copies_of_one_story_do_not_crowd_out_the_other_stories_an_article_took(settings: Settings) -> None:
    roundup = story(2) + "\n" + "\n\n".join(p for seed in (4, 6, 8) for p in paragraphs(story(seed))[:2]) + "\n"
    stories = [Article(f"s{seed}", story(seed)) for seed in (2, 4, 6, 8)]
    outcome = {}
    for per_paragraph in (4, 100):
        path = Path(settings.index.path).with_suffix(f".{per_paragraph}")
        where = dataclasses.replace(settings.index, path=str(path))
        chosen = dataclasses.replace(settings, index=where,
                                     policy=dataclasses.replace(settings.policy, max_per_paragraph=per_paragraph))
        with Filter(chosen, create=True) as flt:
            flt.add(stories)
            flt.add(_copies("c", 2, 7))  # story 2 reposted seven times
            outcome[per_paragraph] = flt.check(Article("roundup", roundup))
    kept = outcome[4]
    assert {"s4", "s6", "s8"} <= {m[0] for m in kept.matches}
    assert len([m for m in kept.matches if m[0] == "s2" or m[0].startswith("c")]) == 4
    assert kept.action == "reject" and kept.seen_fraction > 0.95
    # aligned by verified paragraphs alone, the eight copies of story 2 fill every place
    crowded = outcome[100]
    assert {m[0] for m in crowded.matches} == {"s2"} | {f"c{k}" for k in range(7)}
    assert crowded.action == "flag" and crowded.seen_fraction == pytest.approx(0.5, abs=0.05)


def test_many_copies_of_one_story_leave_room_to_verify_the_others(settings: Settings) -> None:
    # forty copies of story 2, all indexed before the stories the roundup also took from: more
    # copies than candidates are verified, and each is found for more of the roundup's paragraphs
    roundup = story(2) + "\n" + "\n\n".join(p for seed in (4, 6, 8) for p in paragraphs(story(seed))[:2]) + "\n"
    with Filter(settings, create=True) as flt:
        flt.add([Article("s2", story(2))])
        flt.add(_copies("c", 2, 40))
        flt.add([Article(f"s{seed}", story(seed)) for seed in (4, 6, 8)])
        decision = flt.check(Article("roundup", roundup))
    assert {"s4", "s6", "s8"} <= {m[0] for m in decision.matches}
    assert decision.action == "reject" and decision.seen_fraction > 0.95


def test_candidates_are_taken_while_one_of_their_rows_has_room() -> None:
    from syndet.match.kernels import spread_choice

    # candidate c holds rows[starts[c]:starts[c + 1]]: 0-2 hold rows 0 and 1, 3 holds 0 and 2, 4 holds 3
    rows = np.array([0, 1, 0, 1, 0, 1, 0, 2, 3])
    starts = np.array([0, 2, 4, 6, 8, 9])
    ranked = np.array([0, 1, 2, 3, 4])
    assert spread_choice(ranked, starts, rows, 4, 2, 10).tolist() == [0, 1, 3, 4]  # 2: rows 0 and 1 are full
    assert spread_choice(ranked, starts, rows, 4, 1, 10).tolist() == [0, 3, 4]  # 3 holds row 2, still free
    assert spread_choice(ranked, starts, rows, 4, 100, 3).tolist() == [0, 1, 2]  # no bound but the limit
    assert spread_choice(ranked[::-1], starts, rows, 4, 1, 10).tolist() == [4, 3, 2]


def test_new_story_is_accepted(indexed: Filter) -> None:
    decision = indexed.check(Article("new", story(500)))
    assert (decision.action, decision.seen_fraction, decision.matches, decision.passages) == ("accept", 0.0, (), ())


def test_policy_thresholds_decide(settings: Settings, indexed: Filter) -> None:
    text = "\n\n".join(paragraphs(story(200))[:4] + paragraphs(story(5))[:2]) + "\n"
    assert indexed.check(Article("m", text)).action == "flag"
    strict = dataclasses.replace(settings, policy=PolicySettings(reject_at=0.3, flag_at=0.1))
    with Filter(strict) as flt:
        assert flt.check(Article("m", text)).action == "reject"
    lenient = dataclasses.replace(settings, policy=PolicySettings(reject_at=0.9, flag_at=0.5))
    with Filter(lenient) as flt:
        assert flt.check(Article("m", text)).action == "accept"


def test_flag_above_reject_is_a_config_error(settings: Settings) -> None:
    bad = dataclasses.replace(settings, policy=PolicySettings(reject_at=0.3, flag_at=0.5))
    with pytest.raises(ConfigError, match=r"^policy.flag_at \(0.5\) is above policy.reject_at \(0.3\)$"):
        Filter(bad, create=True)


def test_a_story_seen_twice_in_one_stream_is_rejected_the_second_time(indexed: Filter) -> None:
    stream = [Article("first", story(300)), Article("again", story(300)), Article("other", story(301))]
    decisions = list(indexed.check_all(stream, add={"accept"}))
    assert [d.action for d in decisions] == ["accept", "reject", "accept"]
    assert decisions[1].matches == (("first", 1.0),)


def test_missing_index_is_an_index_error(tmp_path: Path) -> None:
    path = tmp_path / "none.sqlite"
    settings = dataclasses.replace(Settings(), index=IndexSettings(path=str(path)))
    with pytest.raises(IndexError_, match="no such index"):
        Filter(settings)
    assert not path.exists()


@pytest.mark.parametrize(("text", "seconds"), [("30d", 30 * 86400), ("12h", 43200), ("1w2d", 9 * 86400),
                                               ("90m", 5400), ("45s", 45), ("1.5h", 5400)])
def test_durations(text: str, seconds: float) -> None:
    assert parse_duration(text) == seconds


@pytest.mark.parametrize("text", ["", "30", "d", "3x", "-1d", "0s", "1d 2q"])
def test_bad_durations(text: str) -> None:
    with pytest.raises(ValueError, match="duration"):
        parse_duration(text)


# ---- command line -------------------------------------------------------------------------------


def write_article(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def test_single_article_exit_status_follows_the_decision(tmp_path: Path) -> None:
    index = str(tmp_path / "i.sqlite")
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for i in range(3):
        write_article(corpus / f"s{i}.txt", story(i))
    assert run("index", "add", "--index", index, str(corpus)) == (
        0, f"syndet index: 3 articles added, 0 already indexed, in {index}\n", "")
    mixed = "\n\n".join(paragraphs(story(40))[:4] + paragraphs(story(1))[:2]) + "\n"
    cases = [("new.txt", story(50), 0, "accept"), ("mixed.txt", mixed, 10, "flag"),
             ("copy.txt", story(2), 11, "reject")]
    for name, text, status, action in cases:
        code, out, err = run("filter", "--index", index, "--article", str(write_article(tmp_path / name, text)))
        assert (code, err) == (status, ""), name
        decision = json.loads(out)
        assert set(decision) == {"id", "decision", "seen_fraction", "matches", "passages", "already_indexed"}
        assert decision["already_indexed"] is None
        assert (decision["id"], decision["decision"]) == (name, action)
    code, out, _ = run("filter", "--index", index, "--article", str(tmp_path / "copy.txt"))
    passage = json.loads(out)["passages"][0]
    assert set(passage) == {"id", "words", "spans", "copies", "attribution"}
    assert passage["copies"] == [{"id": "s2.txt", "start": 0, "end": len(story(2).strip())}]
    assert passage["attribution"]["kind"] == "republished"
    assert set(passage["attribution"]) == {"kind", "origin", "source_article", "confidence", "evidence"}


def test_stdin_stream_with_a_malformed_line(tmp_path: Path) -> None:
    index = str(tmp_path / "i.sqlite")
    run("index", "add", "--index", index, str(write_article(tmp_path / "s.txt", story(7))))
    lines = [json.dumps({"id": "a", "text": story(7)}), "{not json", json.dumps({"id": "b"}),
             json.dumps({"id": "c", "text": story(8)}), ""]
    code, out, err = run("filter", "--index", index, stdin="\n".join(lines))
    assert code == 0
    assert err == ("warning: <stdin>:2: invalid JSON (Expecting property name enclosed in double quotes, column 2), "
                   "line skipped\nwarning: <stdin>:3: missing 'text', line skipped\n")
    decisions = [json.loads(line) for line in out.splitlines()]
    assert [(d["id"], d["decision"]) for d in decisions] == [("a", "reject"), ("c", "accept")]


def test_add_accepted_grows_the_index(tmp_path: Path) -> None:
    index = str(tmp_path / "i.sqlite")
    lines = "\n".join(json.dumps({"id": i, "text": story(s)}) for i, s in (("x", 1), ("y", 2), ("x2", 1)))
    code, out, err = run("filter", "--index", index, "--add-accepted", stdin=lines)
    assert (code, err) == (0, "")
    assert [json.loads(line)["decision"] for line in out.splitlines()] == ["accept", "accept", "reject"]
    code, out, _ = run("index", "stats", "--index", index, "--json", "--check")
    stats = json.loads(out)
    assert (code, stats["articles"], stats["problems"]) == (0, 2, [])


def test_index_remove_and_prune_commands(tmp_path: Path) -> None:
    index = str(tmp_path / "i.sqlite")
    for i in range(3):
        write_article(tmp_path / f"a{i}.txt", story(i))
    run("index", "add", "--index", index, *(str(tmp_path / f"a{i}.txt") for i in range(3)))
    assert run("index", "remove", "--index", index, "a1.txt", "zzz") == (
        0, f"syndet index: 1 articles removed from {index}\n", "warning: not in the index: zzz\n")
    assert run("index", "prune", "--index", index, "--older-than", "30d") == (
        0, f"syndet index: 0 articles pruned from {index}\n", "")
    code, out, err = run("index", "prune", "--index", index, "--older-than", "0.5x")
    assert code == 2 and "'0.5x' is not a duration" in err
    code, out, err = run("index", "prune", "--index", index)
    assert code == 2 and "give --older-than, --published-before, --published-older-than or --max-articles" in err
    code, out, err = run("index", "prune", "--index", index, "--published-before", "Jan 5")
    assert code == 2 and "'Jan 5' is not a date" in err
    assert run("index", "prune", "--index", index, "--published-older-than", "1d") == (  # no dates: kept
        0, f"syndet index: 0 articles pruned from {index}\n", "")
    code, out, _ = run("index", "stats", "--index", index)
    assert code == 0 and "articles: 2\n" in out and "paragraphs: 12 (12 with signatures)" in out


def test_article_option_needs_exactly_one_article(tmp_path: Path) -> None:
    index = str(tmp_path / "i.sqlite")
    run("index", "add", "--index", index, str(write_article(tmp_path / "s.txt", story(1))))
    two = tmp_path / "two.jsonl"
    two.write_text(json.dumps({"id": "a", "text": story(1)}) + "\n" + json.dumps({"id": "b", "text": story(2)}) + "\n",
                   encoding="utf-8")
    assert run("filter", "--index", index, "--article", str(two)) == (
        3, "", f"syndet: error: {two}: --article needs a file with exactly one article, found 2\n")


def test_filter_without_an_index(tmp_path: Path) -> None:
    missing = tmp_path / "none.sqlite"
    assert run("filter", "--index", str(missing), stdin="") == (
        4, "", f"syndet: error: {missing}: no such index (create one with 'syndet index add')\n")


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_dead_redis_is_one_line_and_exit_4(tmp_path: Path) -> None:
    url = f"redis://127.0.0.1:{_closed_port()}/0"
    article = write_article(tmp_path / "a.txt", story(1))
    for args in (("index", "add", "--index", url, str(article)), ("filter", "--index", url, "--article", str(article)),
                 ("index", "stats", "--index", url)):
        code, out, err = run(*args)
        assert (code, out) == (4, ""), args
        assert err.startswith(f"syndet: error: {url}: cannot open index: ") and "Connection refused" in err
        assert err.count("\n") == 1


def test_redis_failing_during_an_add_loses_nothing(redis_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    import redis

    from syndet.store.redis import RedisStore

    prefix = f"syndet-test-{uuid.uuid4().hex[:12]}"
    settings = dataclasses.replace(Settings(), index=IndexSettings(backend="redis", url=redis_url, prefix=prefix))
    try:
        with Filter(settings, create=True) as flt:
            flt.add([Article(f"s{i}", story(i)) for i in range(3)])
            assert isinstance(flt.store, RedisStore)

            def gone(*args: object, **kwargs: object) -> None:
                raise redis.ConnectionError("Connection closed by server.")

            monkeypatch.setattr(flt.store, "_commit", gone)
            with pytest.raises(IndexError_) as err:
                flt.add([Article("n1", story(20)), Article("n2", story(21))])
            assert str(err.value) == f"{redis_url}: cannot write index: Connection closed by server."
            monkeypatch.undo()
            assert flt.store.verify() == []
            assert flt.store.stats()["articles"] == 3
            assert flt.check(Article("q", story(1))).matches == (("s1", 1.0),)
            assert flt.check(Article("q", story(20))).action == "accept"
            assert flt.add([Article("n1", story(20))]).added == ("n1",)
            assert flt.check(Article("q", story(20))).matches == (("n1", 1.0),)
    finally:
        drop_redis(redis_url, prefix)


def test_redis_backend_from_the_command_line(redis_url: str, tmp_path: Path) -> None:
    prefix = f"syndet-test-{uuid.uuid4().hex[:12]}"
    config = tmp_path / "redis.yaml"
    config.write_text(f"index:\n  backend: redis\n  url: {redis_url}\n  prefix: {prefix}\n", encoding="utf-8")
    try:
        code, out, err = run("index", "add", "--config", str(config), str(write_article(tmp_path / "a.txt", story(3))))
        assert (code, out, err) == (0, f"syndet index: 1 articles added, 0 already indexed, in {redis_url} prefix "
                                       f"{prefix}\n", "")
        code, out, _ = run("filter", "--config", str(config), "--article", str(write_article(tmp_path / "b.txt",
                                                                                             story(3))))
        assert code == 11 and json.loads(out)["matches"] == [{"id": "a.txt", "shared_fraction": 1.0}]
    finally:
        drop_redis(redis_url, prefix)


def test_prune_by_publication_date_from_the_command_line(tmp_path: Path) -> None:
    index = str(tmp_path / "i.sqlite")
    rows = [{"id": "old", "text": story(1), "published": "2021-12-30"},
            {"id": "new", "text": story(2), "published": "2099-01-01T00:00:00Z"}]
    feed = tmp_path / "a.jsonl"
    feed.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    run("index", "add", "--index", index, str(feed))
    assert run("index", "prune", "--index", index, "--published-before", "2022-01-01", "--dry-run") == (
        0, "old\n", f"syndet index: 1 articles would be pruned from {index}\n")
    assert run("index", "prune", "--index", index, "--published-older-than", "30d") == (
        0, f"syndet index: 1 articles pruned from {index}\n", "")
    code, out, _ = run("filter", "--index", index, str(feed))
    assert code == 0
    assert [json.loads(line)["already_indexed"] for line in out.splitlines()] == [None, "same"]


def test_redis_backend_without_its_client_is_one_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import sys

    monkeypatch.setitem(sys.modules, "redis", None)
    monkeypatch.delitem(sys.modules, "syndet.store.redis", raising=False)
    code, out, err = run("index", "stats", "--index", "redis://127.0.0.1:6399/0")
    assert (code, out) == (4, "")
    assert err.startswith("syndet: error: index.backend is redis but the Redis client cannot be imported (")
    assert err.endswith("pip install 'syndet[redis]'\n")


def test_a_long_stream_checked_on_workers_decides_as_one_process(settings: Settings) -> None:
    """Past the first articles, check_all hands the stream to forked workers: same decisions, same order."""
    with Filter(settings, create=True) as flt:
        flt.add([Article(f"s{i}", story(i)) for i in range(30)])
    stream = [Article(f"q{i}", story(i % 45) if i % 3 else story(1000 + i)) for i in range(90)]
    serial = dataclasses.replace(settings, jobs=1)
    with Filter(serial) as flt:
        one = [flt.check(a) for a in stream]
    timings: list[float] = []
    with Filter(dataclasses.replace(settings, jobs=2)) as flt:
        many = list(flt.check_all(stream, timings=timings))
    assert [d.article_id for d in many] == [a.id for a in stream]
    assert [(d.action, d.matches, d.passages) for d in many] == [(d.action, d.matches, d.passages) for d in one]
    assert {d.action for d in many} == {"accept", "reject"}
    assert len(timings) == 90 and all(t > 0 for t in timings)


def test_filter_reports_its_latency_on_request(settings: Settings, tmp_path: Path) -> None:
    with Filter(settings, create=True) as flt:
        flt.add([Article(f"s{i}", story(i)) for i in range(3)])
    lines = "".join(json.dumps({"id": f"n{i}", "text": story(i)}) + "\n" for i in range(5))
    code, out, err = run("filter", "--index", settings.index.path, "--latency", "-", stdin=lines)
    assert code == 0 and len(out.splitlines()) == 5
    assert re.fullmatch(r"syndet filter: 5 decisions, p50 [\d.]+ ms, p99 [\d.]+ ms, max [\d.]+ ms\n", err), err


def test_an_article_checked_alone_is_hashed_as_the_index_hashes_it(settings: Settings) -> None:
    """A check hashes its one article from the words it also aligns; a batch (what the index
    stores) hashes each paragraph's text: the same paragraphs, signatures and hashes."""
    import numpy as np

    from benchmarks.synth import SynthConfig, generate

    odd = ["GENEVA (AP) — “The U.S. won’t,” said a.m. officials.\n\nMenu\n\nThe talks’ end.\n\n",
           "日本の首相は水曜日に述べた。\n\nกรุงเทพฯ นายกรัฐมนตรี\n\nक्षेत्र में ﬁnal Straße ΟΔΟΣ\n",
           "", "One.", "A\u200d\u200db c\n\n\n\nd’e ‘f’ x'y U.S.A z."]
    articles = [Article(f"o{n}", text) for n, text in enumerate(odd)]
    records = generate(SynthConfig(articles=60, seed=3))
    articles += [Article(r["id"], r["text"]) for r in records if r["type"] == "article"]
    with Filter(settings, create=True) as flt:
        batch = flt.prepare(articles)
        for article, entry in zip(articles, batch, strict=True):
            alone = flt.prepare([article])[0]
            assert alone.signed == entry.signed and np.array_equal(alone.signatures, entry.signatures)
            assert all(np.array_equal(a, b) for a, b in zip(alone.hashes, entry.hashes, strict=True))


def test_a_stream_that_trickles_in_gets_each_decision_before_the_next_article(tmp_path: Path) -> None:
    """`syndet filter` on standard input, one article at a time: past the first ones (decided while
    the workers start), each decision still comes out before the next article is written."""
    import select
    import subprocess
    import sys

    syndet = str(Path(sys.executable).parent / "syndet")
    index = tmp_path / "i.sqlite"
    archive = tmp_path / "archive.jsonl"
    archive.write_text("".join(json.dumps({"id": f"s{i}", "text": story(i)}) + "\n" for i in range(5)))
    subprocess.run([syndet, "index", "add", "--index", str(index), "--quiet", str(archive)], check=True)
    proc = subprocess.Popen([syndet, "filter", "--index", str(index), "--quiet"], stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, text=True, bufsize=1)
    assert proc.stdin is not None and proc.stdout is not None
    try:
        for n in range(45):  # more than the 32 decided before the workers take over
            text = story(n % 5) if n % 2 else story(1000 + n)
            proc.stdin.write(json.dumps({"id": f"n{n}", "text": text}) + "\n")
            proc.stdin.flush()
            ready, _, _ = select.select([proc.stdout], [], [], 60)
            assert ready, f"no decision for article {n} before the next one"
            decision = json.loads(proc.stdout.readline())
            assert decision["id"] == f"n{n}" and decision["decision"] == ("reject" if n % 2 else "accept")
    finally:
        proc.stdin.close()
        proc.wait(60)
        proc.stdout.close()
    assert proc.returncode == 0
