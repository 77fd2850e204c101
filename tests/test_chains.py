"""The reprint-chain corpus is labelled exactly: every labelled copy is the original paragraph (or
that paragraph with its quotation marks stripped), and every label names the first printing."""

from __future__ import annotations

from benchmarks.chains import make_chains


def test_chain_labels_are_exact() -> None:
    corpus = make_chains(12, 5)
    texts = {a.id: a.text for a in corpus.articles}
    assert corpus.passages and len({a.id for a in corpus.articles}) == len(corpus.articles)
    for passage in corpus.passages:
        chain = passage.id.split("-")[0].removeprefix("chain")
        original = next(s for s in passage.spans if s.article_id == passage.source_article)
        want = texts[original.article_id][original.start:original.end]
        assert passage.source_article == f"c{chain}-0"
        for span in passage.spans:
            got = texts[span.article_id][span.start:span.end]
            assert got in (want, want.replace("“", "").replace("”", ""))
    assert make_chains(12, 5) == corpus  # seeded: the same chains every time
