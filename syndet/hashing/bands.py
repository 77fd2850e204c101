"""The LSH banding datasketch's ``MinHashLSH`` chooses for a threshold and signature length.

Every index and scan bands signatures exactly as ``MinHashLSH(threshold, num_perm)`` would, so the
``(b, r)`` choice is datasketch's own. Working it out imports SciPy and integrates the false
positive and negative rates of every split (about a second on a small machine), so the answer
is kept in the cache folder (:mod:`syndet.text.cache`) per threshold, length and datasketch
version, and datasketch is imported only when it is not there.
"""

from __future__ import annotations

from functools import lru_cache
from importlib.metadata import PackageNotFoundError, version

import numpy as np

from syndet.text.cache import cached_array


@lru_cache(maxsize=16)
def lsh_bands(threshold: float, num_perm: int) -> tuple[int, int]:
    """``(b, r)``: bands and rows per band of ``MinHashLSH(threshold=threshold, num_perm=num_perm)``,
    read once per process.

    Raises:
        ValueError: What datasketch raises for such parameters (a threshold outside [0, 1], too
            few permutations, fewer than two bands).
    """
    try:
        library = version("datasketch")
    except PackageNotFoundError:  # pragma: no cover - a dependency of syndet
        library = "unknown"

    def make() -> np.ndarray:
        from datasketch import MinHashLSH

        lsh = MinHashLSH(threshold=threshold, num_perm=num_perm)
        return np.array([lsh.b, lsh.r], dtype=np.int64)

    def sound(found: np.ndarray) -> bool:
        return found.dtype == np.int64 and found.shape == (2,) and found[0] >= 2 and found[1] >= 1 \
            and int(found[0]) * int(found[1]) <= num_perm

    b, r = cached_array("lsh-bands", f"{threshold!r}|{num_perm}|datasketch {library}", make, sound).tolist()
    return int(b), int(r)
