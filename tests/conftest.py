"""Shared fixtures: the bundled sample corpus and small article builders."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import pytest

from syndet.models import Article

ROOT = Path(__file__).resolve().parent.parent
GENEVA = ROOT / "examples" / "geneva-2022"


@pytest.fixture(scope="session")
def geneva() -> Path:
    """The five real articles on the Geneva talks shipped with the project."""
    return GENEVA


def article(ident: str, text: str, **meta: str) -> Article:
    """An in-memory article."""
    return Article(id=ident, text=text, **meta)  # type: ignore[arg-type]


REDIS_URL = os.environ.get("SYNDET_TEST_REDIS_URL", "redis://127.0.0.1:6399/0")


@pytest.fixture(scope="session")
def redis_url() -> str:
    """The test Redis server; the tests that need it fail (never skip) when it is down."""
    import redis

    client = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2)
    try:
        client.ping()
    except redis.RedisError as exc:
        pytest.fail(f"Redis at {REDIS_URL} is unreachable ({exc}): run scripts/services/redis.sh", pytrace=False)
    finally:
        client.close()
    return REDIS_URL


def story(seed: int, paragraphs: int = 6, words: int = 40) -> str:
    """A made-up article: paragraphs of words drawn from a large invented vocabulary, so that two
    stories share no run of five words unless one copies the other."""
    import random

    rng = random.Random(seed)
    syllables = ["ka", "lo", "mi", "ren", "tu", "sa", "vo", "pel", "dri", "no", "gha", "zu", "bre", "ti", "om"]
    out = []
    for _ in range(paragraphs):
        para = " ".join("".join(rng.choice(syllables) for _ in range(rng.randint(2, 4))) for _ in range(words))
        out.append(para[0].upper() + para[1:] + ".")
    return "\n\n".join(out) + "\n"


@pytest.fixture
def make_story() -> Callable[..., str]:
    """:func:`story` as a fixture: ``make_story(seed, paragraphs=6, words=40)``."""
    return story


def drop_redis(url: str, prefix: str) -> None:
    """Delete every key of a test index from Redis."""
    from syndet.store.redis import drop_index

    drop_index(url, prefix)
