"""The persistent index behind ``syndet index`` and ``syndet filter``.

Two backends share one interface, :class:`~syndet.store.base.Store`:
:class:`~syndet.store.sqlite.SQLiteStore` (one file) and :class:`~syndet.store.redis.RedisStore`
(one server shared by many workers). :func:`open_store` picks the one the settings name; Redis is
imported only when it is used.
"""

from __future__ import annotations

from pathlib import Path

from syndet.errors import IndexError_
from syndet.settings import Settings
from syndet.store.base import Store
from syndet.store.sqlite import SQLiteStore


def open_store(settings: Settings, *, create: bool, upgrade: bool = False) -> Store:
    """Open the index ``settings.index`` describes.

    Args:
        settings: Effective settings; ``index.backend`` picks the backend.
        create: Create the index if it does not exist yet (else that is an error).
        upgrade: Also open a Redis index whose postings are in an earlier layout, to upgrade it.

    Raises:
        IndexError_: The index cannot be opened, does not exist, or was built with other settings.
    """
    if settings.index.backend == "redis":
        try:
            from syndet.store.redis import RedisStore
        except ImportError as exc:
            raise IndexError_(f"index.backend is redis but the Redis client cannot be imported ({exc}): "
                              "pip install 'syndet[redis]'") from None

        return RedisStore(settings, create=create, upgrade=upgrade)
    return SQLiteStore(Path(settings.index.path), settings, create=create)
