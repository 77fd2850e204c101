"""Connected groups of articles from the pairs that link them (union-find, compiled)."""

from __future__ import annotations

import numba
import numpy as np


@numba.njit(nogil=True, cache=True)
def _root(parent: np.ndarray, node: int) -> int:
    while parent[node] != node:
        parent[node] = parent[parent[node]]  # halve the path as it is walked
        node = parent[node]
    return node


@numba.njit(nogil=True, cache=True)
def _roots(count: int, left: np.ndarray, right: np.ndarray) -> np.ndarray:
    parent = np.arange(count)
    for k in range(len(left)):
        a, b = _root(parent, left[k]), _root(parent, right[k])
        if a < b:
            parent[b] = a
        elif b < a:
            parent[a] = b
    for node in range(count):
        parent[node] = _root(parent, node)
    return parent


def component_roots(count: int, left: np.ndarray, right: np.ndarray) -> np.ndarray:
    """The smallest member of each of ``count`` nodes' connected group, given edges ``left[k]`` -
    ``right[k]`` (a node no edge touches is its own group)."""
    return np.asarray(_roots(count, np.ascontiguousarray(left, dtype=np.int64),
                             np.ascontiguousarray(right, dtype=np.int64)))
