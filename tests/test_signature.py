"""The batched MinHash core is bit-for-bit datasketch's MinHash, and estimates Jaccard honestly."""

from __future__ import annotations

import numpy as np
import pytest
import xxhash
from datasketch import MinHash
from hypothesis import given, settings
from hypothesis import strategies as st

from syndet.hashing.shingle import hash_normal, hash_texts, hash_token_lists, hashfunc, shingle_hashes, shingle_texts
from syndet.hashing.signature import EMPTY, fmix32, permutations, signatures, signatures_flat
from syndet.text.normalize import normal, words, words_with_offsets

WORDS = st.lists(st.text(alphabet="abcdefghij’é", min_size=1, max_size=6), min_size=0, max_size=40)


def reference(tokens: list[str], size: int, num_perm: int, seed: int, hseed: int) -> np.ndarray:
    m = MinHash(num_perm=num_perm, seed=seed, hashfunc=hashfunc(hseed))
    m.update_batch(shingle_texts(tokens, size))
    return np.asarray(m.hashvalues)


@settings(max_examples=60, deadline=None)
@given(docs=st.lists(WORDS, min_size=1, max_size=8), size=st.integers(1, 6),
       num_perm=st.sampled_from([16, 64, 128, 256]), seed=st.integers(0, 2**31), hseed=st.integers(0, 9))
def test_signatures_equal_datasketch(docs: list[list[str]], size: int, num_perm: int, seed: int,
                                     hseed: int) -> None:
    hashes = [shingle_hashes(d, size, hseed) for d in docs]
    got = signatures(hashes, permutations(num_perm, seed))
    for doc, row in zip(docs, got, strict=False):
        assert np.array_equal(row, reference(doc, size, num_perm, seed, hseed))


def test_permutations_are_datasketch_permutations() -> None:
    perms = permutations(128, 42)
    a, b = MinHash(num_perm=128, seed=42).permutations
    assert np.array_equal(perms.a, a) and np.array_equal(perms.b, b)


def test_large_batch_crosses_chunks() -> None:
    rng = np.random.default_rng(3)
    hashes = [rng.integers(0, 2**32, rng.integers(0, 3000), dtype=np.uint32) for _ in range(60)]
    got = signatures(hashes, permutations(64, 1))
    for h, row in zip(hashes, got, strict=False):
        m = MinHash(num_perm=64, seed=1, hashfunc=int)
        m.update_batch(h.tolist())
        assert np.array_equal(row, m.hashvalues)


def test_empty_paragraph_is_empty_minhash() -> None:
    got = signatures([np.empty(0, dtype=np.uint32)], permutations(32, 1))
    assert (got == EMPTY).all()
    assert np.array_equal(got[0], MinHash(num_perm=32, seed=1).hashvalues)


def test_known_shingle_digests() -> None:
    tokens = words("The U.S. has played down hopes")
    assert tokens == ["the", "us", "has", "played", "down", "hopes"]
    assert shingle_texts(tokens, 5) == [b"the us has played down", b"us has played down hopes"]
    assert shingle_hashes(tokens, 5, 0).tolist() == [
        xxhash.xxh32_intdigest(b"the us has played down", 0),
        xxhash.xxh32_intdigest(b"us has played down hopes", 0),
    ]
    assert xxhash.xxh32_intdigest(b"", 0) == 0x02CC5D05  # the reference test vector
    assert shingle_hashes(tokens, 5, 0)[0] == 1930034371  # pinned: changing it invalidates stored indexes
    assert fmix32(np.array([1], dtype=np.uint32)).tolist() == [1364076727]


def test_short_text_is_one_shingle() -> None:
    assert shingle_texts(["a", "b"], 5) == [b"a b"]
    assert shingle_texts([], 5) == []


@pytest.mark.parametrize("true_j", [0.1, 0.3, 0.5, 0.8])
def test_estimated_jaccard_within_statistical_bound(true_j: float) -> None:
    rng = np.random.default_rng(int(true_j * 100))
    num_perm = 256
    perms = permutations(num_perm, 7)
    errors = []
    for _ in range(20):
        union = rng.choice(2**32, 400, replace=False).astype(np.uint32)
        shared = round(true_j * 400)
        rest = 400 - shared
        a = np.concatenate([union[:shared], union[shared:shared + rest // 2]])
        b = np.concatenate([union[:shared], union[shared + rest // 2:]])
        sa, sb = signatures([a, b], perms)
        exact = len(np.intersect1d(a, b)) / len(np.union1d(a, b))
        errors.append(float(np.mean(sa == sb)) - exact)
    # Standard error of the estimate is sqrt(J(1-J)/k) <= 0.032 at k=256; the mean over 20 runs
    # must sit within 4 standard errors of zero, and no single run beyond 5.
    se = max(np.sqrt(true_j * (1 - true_j) / num_perm), 1e-3)
    assert abs(np.mean(errors)) < 4 * se / np.sqrt(20) + 0.01
    assert max(abs(e) for e in errors) < 5 * se + 0.02


def test_hash_texts_matches_words_then_shingles() -> None:
    text = "Moscow’s “demands” — U.S. officials said."
    assert hash_texts([text], 3)[0].tolist() == shingle_hashes(words(text), 3).tolist()


@settings(max_examples=200, deadline=None)
@given(data=st.binary(max_size=80), seed=st.sampled_from([0, 1, 7, 2**31, 2**32 - 1]))
def test_compiled_xxh32_is_xxhash(data: bytes, seed: int) -> None:
    from syndet.hashing import kernels

    buf = np.frombuffer(b"pad" + data, dtype=np.uint8)
    assert kernels.xxh32(buf, 3, len(buf), np.uint64(seed)) == xxhash.xxh32_intdigest(data, seed)


@settings(max_examples=100, deadline=None)
@given(docs=st.lists(WORDS, max_size=10), size=st.integers(1, 6), hseed=st.integers(0, 2**32 - 1))
def test_batched_shingle_hashes_are_xxhash_of_shingle_texts(docs: list[list[str]], size: int, hseed: int) -> None:
    hashes, offsets = hash_token_lists(docs, size, hseed)
    assert len(offsets) == len(docs) + 1 and offsets[-1] == len(hashes)
    for i, doc in enumerate(docs):
        expected = [xxhash.xxh32_intdigest(s, hseed) for s in shingle_texts(doc, size)]
        assert hashes[offsets[i]:offsets[i + 1]].tolist() == expected


def test_a_letter_that_expands_to_spaces_stays_one_word() -> None:
    text = "peace \ufdfa be upon them \u037a"  # NFKC turns each of these letters into text with spaces
    tokens = words(text)
    assert len(tokens) == 6 and not any(" " in t for t in tokens)
    assert words_with_offsets(text)[0] == tokens
    expected = [hashfunc(0)(s) for s in shingle_texts(tokens, 2)]
    assert shingle_hashes(tokens, 2).tolist() == expected
    assert hash_texts([text], 2)[0].tolist() == expected


def test_words_with_spaces_inside_are_hashed_exactly() -> None:
    # Not words ``words`` makes, but the core still hashes what shingle_texts yields for them.
    for tokens in (["a b", "", "c"], ["a b", ""], ["", "x"], ["line\nbreak", "y", "z"], ["tab\tword", "\x00", "z"]):
        expected = [hashfunc(0)(s) for s in shingle_texts(tokens, 2)]
        assert shingle_hashes(tokens, 2).tolist() == expected


def test_normalised_text_with_a_line_break_is_refused() -> None:
    with pytest.raises(ValueError, match="line break"):
        hash_normal(["one two", "three\nfour"], 2)


@pytest.mark.parametrize("threads", [1, 2, 3])
def test_threads_do_not_change_signatures(threads: int) -> None:
    rng = np.random.default_rng(11)
    rows = [rng.integers(0, 2**32, rng.integers(0, 50), dtype=np.uint32) for _ in range(5000)]
    offsets = np.zeros(len(rows) + 1, dtype=np.int64)
    np.cumsum([len(r) for r in rows], out=offsets[1:])
    perms = permutations(128, 1)
    got = signatures_flat(np.concatenate(rows), offsets, perms, threads=threads)
    assert np.array_equal(got, signatures(rows, perms))
    for k in (0, 1, 2500, 4999):
        m = MinHash(num_perm=128, seed=1, hashfunc=int)
        m.update_batch(rows[k].tolist())
        assert np.array_equal(got[k], m.hashvalues)


@settings(max_examples=200, deadline=None)
@given(spans=st.lists(st.binary(max_size=120), min_size=1, max_size=40), seed=st.sampled_from([0, 1, 2**32 - 1]))
def test_block_xxh32_is_xxhash_for_every_length(spans: list[bytes], seed: int) -> None:
    from syndet.hashing import kernels

    data = b"".join(spans)
    buf = np.zeros(len(data) + 64, dtype=np.uint8)
    buf[:len(data)] = np.frombuffer(data, dtype=np.uint8)
    lengths = np.array([len(s) for s in spans], dtype=np.uint32)
    starts = np.concatenate([[0], np.cumsum(lengths, dtype=np.int64)[:-1]]).astype(np.int64)
    out = np.empty(len(spans), dtype=np.uint32)
    kernels.xxh32_spans(buf, starts, lengths, seed, out)
    assert out.tolist() == [xxhash.xxh32_intdigest(s, seed) for s in spans]


def test_block_xxh32_crosses_blocks_at_every_length_boundary() -> None:
    from syndet.hashing import kernels

    rng = np.random.default_rng(5)
    lengths = np.tile(np.arange(0, 70, dtype=np.uint32), 9)  # 630 spans: three blocks, every length class
    data = rng.integers(0, 256, int(lengths.sum()), dtype=np.uint8).tobytes()
    buf = np.zeros(len(data) + 64, dtype=np.uint8)
    buf[:len(data)] = np.frombuffer(data, dtype=np.uint8)
    starts = np.concatenate([[0], np.cumsum(lengths, dtype=np.int64)[:-1]]).astype(np.int64)
    out = np.empty(len(lengths), dtype=np.uint32)
    kernels.xxh32_spans(buf, starts, lengths, 9, out)
    bounds = zip(starts.tolist(), lengths.tolist(), strict=True)
    expected = [xxhash.xxh32_intdigest(data[s:s + n], 9) for s, n in bounds]
    assert out.tolist() == expected


# Pieces of text: short and long words (shingles past 48 bytes), odd punctuation, multi-byte letters
# and compatibility letters that expand to spaces under NFKC.
PIECES = st.sampled_from(["a", "b", " ", "  ", "cdé", "’", ".", "U.S.", "\u037a", "\ufdfa", "—", "\u00e9t\u00e9",
                          "longwordlongwordlongword", "x" * 50])
TEXTS = st.lists(st.lists(PIECES, max_size=30).map("".join), min_size=1, max_size=12)


@settings(max_examples=100, deadline=None)
@given(texts=TEXTS, size=st.integers(1, 6), hseed=st.integers(0, 2**32 - 1))
def test_core_over_normal_text_is_xxhash_of_word_shingles(texts: list[str], size: int, hseed: int) -> None:
    hashes, offsets = hash_normal([normal(t) for t in texts], size, hseed)
    assert len(offsets) == len(texts) + 1 and offsets[-1] == len(hashes)
    for i, text in enumerate(texts):
        expected = [xxhash.xxh32_intdigest(s, hseed) for s in shingle_texts(words(text), size)]
        assert hashes[offsets[i]:offsets[i + 1]].tolist() == expected


def test_core_hashes_many_paragraphs_as_each_alone() -> None:
    rng = np.random.default_rng(2)
    vocab = ["wire", "copy", "geneva", "talks", "é", "x" * 40, "said", "u"]
    texts = [" ".join(rng.choice(vocab, rng.integers(0, 30)).tolist()) for _ in range(2500)]  # three chunks
    hashes, offsets = hash_normal(texts, 5, 1)
    for i in (0, 1023, 1024, 1500, 2499):
        assert hashes[offsets[i]:offsets[i + 1]].tolist() == hash_normal([texts[i]], 5, 1)[0].tolist()
    assert offsets[-1] == len(hashes) == sum(len(hash_normal([t], 5, 1)[0]) for t in texts)
    with pytest.raises(ValueError, match="line break"):
        hash_normal([*texts[:2000], "late\nbreak"], 5)
