"""Typed, frozen settings for every stage; ``config.py`` fills them from YAML.

Each field carries its allowed range in ``metadata`` so that the loader can reject a bad value
with the key's path and line, and so that the bundled ``syndet/data/default.yaml`` and these defaults can be
checked against each other by a test.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


def _f(default: Any, *, lo: float | None = None, hi: float | None = None,
       choices: tuple[str, ...] | None = None, patterns: bool = False) -> Any:
    meta: dict[str, Any] = {"patterns": True} if patterns else {}
    if lo is not None:
        meta["min"] = lo
    if hi is not None:
        meta["max"] = hi
    if choices is not None:
        meta["choices"] = choices
    if isinstance(default, (list, dict)):
        return field(default_factory=lambda: type(default)(default), metadata=meta)
    return field(default=default, metadata=meta)


DEFAULT_CHROME = [
    r"^leave a (reply|comment)\b",
    r"^trending( stories| now)?\b",
    r"^post (author|category|comments)\s*:",
    r"^source link\b",
    r"^(share|share this|share this article|share on \w+|tweet|email|print)\s*[:!.]?$",
    r"^(click|tap) (here )?to (share|print|email|subscribe)",
    r"^subscribe (to|for)\b.{0,60}$",
    r"^(sign up|follow us)\b.{0,80}$",
    r"^(related|read more|recommended|more stories|you may also like)\s*:?.{0,80}$",
    r"^advertisement$",
    r"^\d+ comments?$",
    r"^(image|photo|video)( credit)?\s*:.{0,120}$",
    r"^copyright \d{4}\b.{0,120}$",
    r"^all rights reserved\.?$",
    r"^(previous|next) (post|article|story)\b.{0,120}$",
    r"^you (must|need to) be logged in\b",
    r"^your email address will not be published",
]


@dataclass(frozen=True)
class ColumnSettings:
    """Which column of a table (CSV, TSV, Parquet) holds each field; empty: guess from common names.

    Attributes:
        text: The article text (guessed: text, body, content, article, ...).
        id: The article id (guessed: id, article_id, doc_id, guid, ...; else ``<file>#<row>``).
        title: The headline.
        source: The outlet or agency.
        published: The publication time.
        url: The article's address.
    """

    text: str = _f("")
    id: str = _f("")
    title: str = _f("")
    source: str = _f("")
    published: str = _f("")
    url: str = _f("")


@dataclass(frozen=True)
class InputSettings:
    """How articles are found and read.

    Attributes:
        include: Glob patterns (relative to the scanned root) of files to read.
        exclude: Glob patterns of files to skip.
        max_file_mb: Files larger than this are skipped with a warning.
        encodings: Encodings tried in order after UTF-8 fails; the first that decodes wins.
        columns: Which table column holds which field.
    """

    include: list[str] = _f(["**/*.txt", "**/*.md", "**/*.markdown", "**/*.jsonl", "**/*.ndjson", "**/*.html",
                             "**/*.htm", "**/*.warc", "**/*.warc.gz", "**/*.arc", "**/*.arc.gz", "**/*.csv",
                             "**/*.tsv", "**/*.parquet", "**/*.rss", "**/*.atom"])
    exclude: list[str] = _f(["**/.*", "**/.*/**", "**/EXPECTED.md", "**/README.md"])
    max_file_mb: float = _f(64.0, lo=0.001, hi=4096.0)
    encodings: list[str] = _f(["cp1252", "latin-1"])
    columns: ColumnSettings = field(default_factory=ColumnSettings)


@dataclass(frozen=True)
class SegmentSettings:
    """How text is cut into paragraphs and page chrome recognised.

    Attributes:
        chrome_patterns: Case-insensitive regular expressions; a paragraph whose whole text matches
            one is page chrome.
        learn_chrome: Also treat as chrome short lines repeated across many articles of one outlet.
        learn_min_articles: How many articles of one outlet must repeat a line for it to be learnt.
        learn_max_words: Only lines up to this many words can be learnt as chrome.
    """

    chrome_patterns: list[str] = _f(list(DEFAULT_CHROME), patterns=True)
    learn_chrome: bool = _f(True)
    learn_min_articles: int = _f(4, lo=2, hi=1_000_000)
    learn_max_words: int = _f(16, lo=1, hi=200)


@dataclass(frozen=True)
class ShingleSettings:
    """Word n-gram shingles.

    Attributes:
        size: Words per shingle.
        seed: Seed of the xxhash function that hashes shingles.
    """

    size: int = _f(5, lo=1, hi=32)
    seed: int = _f(0, lo=0, hi=2**32 - 1)


@dataclass(frozen=True)
class MinHashSettings:
    """MinHash signatures (datasketch-compatible, scheme ``affine32``).

    Attributes:
        num_perm: Number of permutations (signature length).
        seed: Seed of the permutations, as datasketch's ``MinHash(seed=...)``.
    """

    num_perm: int = _f(128, lo=8, hi=4096)
    seed: int = _f(1, lo=0, hi=2**32 - 1)


@dataclass(frozen=True)
class LSHSettings:
    """Locality-sensitive hashing over paragraph signatures.

    Attributes:
        threshold: Jaccard similarity at which two paragraphs become candidates (kept low so that a
            paragraph split or merged by one copy is still found; verification removes the rest).
        max_bucket: A bucket with more paragraphs than this pairs each with the bucket's first member
            only, so a line repeated thousands of times cannot explode the pair count.
        shingle_pairs: Also pair articles that share enough shingles wherever they sit (a run
            inside a long paragraph, a text with no paragraph breaks), not only alike paragraphs.
            A pair linked by nothing else must hold one unbroken run of
            ``verify.min_passage_words`` + ``shingle_run_extra`` words.
        shingle_run_extra: Words beyond ``verify.min_passage_words`` that the one unbroken run of
            a pair linked only by shared shingles must hold (0: a run of the shortest passage).
        max_shingle_df: A shingle held by more articles than this is a stock phrase and pairs none.
    """

    threshold: float = _f(0.3, lo=0.01, hi=1.0)
    max_bucket: int = _f(64, lo=2, hi=1_000_000)
    shingle_pairs: bool = _f(True)
    shingle_run_extra: int = _f(3, lo=0, hi=1000)
    max_shingle_df: int = _f(20, lo=2, hi=1_000_000)


@dataclass(frozen=True)
class VerifySettings:
    """Verification of candidates and assembly of passages.

    Attributes:
        min_containment: A candidate paragraph pair is verified when this share of the smaller
            paragraph's shingles occurs in the other.
        min_jaccard: ... or when the exact Jaccard similarity of their shingles reaches this.
        min_passage_words: Shared runs shorter than this many words are not reported.
        max_gap_words: Two shared runs in the same order are joined when the text between them is at
            most this many words in each copy (a changed word, a dropped clause).
        min_merge_overlap: Copies in one article that overlap by this share of the shorter join one
            cluster.
        duplicate_at: Two articles each of whose content is at least this share in the other are
            duplicates (the same text: a mirror, a re-post with its own header).
    """

    min_containment: float = _f(0.5, lo=0.0, hi=1.0)
    min_jaccard: float = _f(0.3, lo=0.0, hi=1.0)
    min_passage_words: int = _f(12, lo=1, hi=100_000)
    max_gap_words: int = _f(8, lo=0, hi=1000)
    min_merge_overlap: float = _f(0.5, lo=0.0, hi=1.0)
    duplicate_at: float = _f(0.9, lo=0.0, hi=1.0)


@dataclass(frozen=True)
class IndexSettings:
    """The persistent index that ``syndet index`` and ``syndet filter`` read and grow.

    Attributes:
        backend: ``sqlite`` (one embedded file) or ``redis`` (shared by workers on several machines).
        path: File of the ``sqlite`` backend.
        url: Server of the ``redis`` backend, ``redis://host:port/db``.
        prefix: Prefix of every Redis key of this index, so several indexes can share one server.
        busy_timeout_s: How long a writer waits for another process holding the ``sqlite`` file.
        batch: Articles hashed and committed together by ``index add``; 0 commits each command at once.
        max_postings: Postings read per LSH band key when an article is checked, those of the
            newest articles first: a band shared by thousands of indexed paragraphs (a press
            release everybody ran) costs no more than this. The ``redis`` backend keeps no more
            than this many per key as it writes (older ones are dropped when their shard grows).
    """

    backend: str = _f("sqlite", choices=("sqlite", "redis"))
    path: str = _f("syndet-index.sqlite")
    url: str = _f("redis://127.0.0.1:6379/0")
    prefix: str = _f("syndet")
    busy_timeout_s: float = _f(60.0, lo=0.0, hi=86_400.0)
    batch: int = _f(0, lo=0, hi=10_000_000)
    max_postings: int = _f(200, lo=1, hi=10_000_000)


@dataclass(frozen=True)
class PolicySettings:
    """What ``syndet filter`` decides from the share of an article already in the index.

    Attributes:
        reject_at: Reject an article when at least this share of its words is already indexed.
        flag_at: Flag it (new, but sharing passages, which the decision lists) from this share.
        max_candidates: Indexed articles aligned against each new one, those with most matching
            paragraphs first; its passages are attributed among them. Every aligned candidate
            adds to the check's time, and the attribution compares them two by two.
        max_per_paragraph: Candidates aligned for each paragraph of the new article: one whose every
            verified paragraph is already verified in this many candidates chosen before it (more
            copies of a story already aligned) is left out.
    """

    reject_at: float = _f(0.8, lo=0.0, hi=1.0)
    flag_at: float = _f(0.2, lo=0.0, hi=1.0)
    max_candidates: int = _f(8, lo=1, hi=100_000)
    max_per_paragraph: int = _f(4, lo=1, hi=100_000)


@dataclass(frozen=True)
class AttributeSettings:
    """How each shared passage is given an origin, a kind and evidence.

    Attributes:
        catalogue: Evidence catalogue (agencies, wires, patterns); empty for the bundled
            catalogue (``syndet/data/evidence.yaml``). Relative paths are taken from the working directory.
        extra_catalogues: Files in the catalogue's layout adding agencies or patterns to it.
        dateline_paragraphs: Datelines are looked for at the start of this many leading paragraphs.
        time_window_hours: How far apart two publication times must be for the earlier to count
            fully towards being the original; closer times count less, and dates never stop
            counting, however far apart.
        quote_min_share: A passage is a shared quotation when this share of one copy lies inside
            quotation marks and this share of every copy is quoted or attributed ("X said").
        quote_max_words: Longer passages are never treated as a shared quotation.
        quote_context_chars: Other text the same articles share within this many characters makes a
            quotation part of copied prose.
        agency_min_score: Signs of an agency or wire must weigh at least this much to name it the
            origin (a lone desk sign-off does not).
        press_min_score: Press-release signs must weigh at least this much to call a passage one.
        republished_min_words: A passage with no sign of its origin and no one-way edit is called
            ``republished`` from this many words, ``unknown`` below.
        trim_min_words: A copy that ends the article while the other goes on for at least this many
            words was cut short.
        stock_max_words: A passage of at most this many words, held by ``stock_min_articles`` or
            more articles of two or more stories that share no other text, is a stock phrase
            ("did not immediately respond to a request for comment"): kind ``stock_phrase``, and
            articles of different stories are not reported as pairs for it.
        stock_min_articles: Articles a stock phrase is held by at least (two unrelated articles
            that share one sentence cannot be told from a short reuse).
    """

    catalogue: str = _f("")
    extra_catalogues: list[str] = _f([])
    dateline_paragraphs: int = _f(8, lo=1, hi=1000)
    time_window_hours: float = _f(72.0, lo=0.0, hi=100_000.0)
    quote_min_share: float = _f(0.6, lo=0.0, hi=1.0)
    quote_max_words: int = _f(120, lo=1, hi=100_000)
    quote_context_chars: int = _f(250, lo=0, hi=1_000_000)
    agency_min_score: float = _f(1.0, lo=0.0, hi=1000.0)
    press_min_score: float = _f(2.0, lo=0.0, hi=1000.0)
    republished_min_words: int = _f(30, lo=1, hi=100_000)
    trim_min_words: int = _f(30, lo=1, hi=100_000)
    stock_max_words: int = _f(25, lo=0, hi=100_000)
    stock_min_articles: int = _f(3, lo=2, hi=1_000_000)


@dataclass(frozen=True)
class Settings:
    """All settings of a run.

    Attributes:
        jobs: Worker processes for hashing and the per-article and per-pair stages; 0 chooses from
            the machine and the size of the work.
        memory_budget_mb: Memory a local scan plans for: an input that would need more when held
            in memory is scanned with what grows with it spilled to disk (JSON and JSON Lines reports).
        spill_dir: Folder for the spilled scan's temporary files ("" for the system's temporary folder).
    """

    input: InputSettings = field(default_factory=InputSettings)
    segment: SegmentSettings = field(default_factory=SegmentSettings)
    shingle: ShingleSettings = field(default_factory=ShingleSettings)
    minhash: MinHashSettings = field(default_factory=MinHashSettings)
    lsh: LSHSettings = field(default_factory=LSHSettings)
    verify: VerifySettings = field(default_factory=VerifySettings)
    index: IndexSettings = field(default_factory=IndexSettings)
    policy: PolicySettings = field(default_factory=PolicySettings)
    attribute: AttributeSettings = field(default_factory=AttributeSettings)
    jobs: int = _f(0, lo=0, hi=256)
    memory_budget_mb: int = _f(4096, lo=64, hi=1 << 24)
    spill_dir: str = _f("")
