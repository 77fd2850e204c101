"""Connected components of an undirected graph with DataFrame operations only.

The alternating large-star / small-star algorithm (Kiveris et al., "Connected Components in
MapReduce and Beyond", SoCC 2014): each round links every node to the smallest node it can see,
and the graph shrinks to one star per component in O(log n) rounds. Each round's edges are
checkpointed locally, so the plan does not grow with the rounds.
"""

from __future__ import annotations

from pyspark.sql import DataFrame
from pyspark.sql import functions as F  # noqa: N812 (the name Spark's own documentation uses)

MAX_ROUNDS = 100


def _oriented(edges: DataFrame) -> DataFrame:
    """Edges as ``(u, v)`` with ``u > v``, loops and repeats dropped."""
    return (edges.select(F.greatest("u", "v").alias("u"), F.least("u", "v").alias("v"))
            .where(F.col("u") != F.col("v")).distinct())


def _large_star(edges: DataFrame) -> DataFrame:
    """Each node's larger neighbours are linked to the smallest node of its neighbourhood."""
    both = edges.unionByName(edges.select(F.col("v").alias("u"), F.col("u").alias("v")))
    low = both.groupBy("u").agg(F.least(F.min("v"), F.col("u")).alias("m"))
    return _oriented(both.where(F.col("v") > F.col("u")).join(low, "u")
                     .select(F.col("v").alias("u"), F.col("m").alias("v")))


def _small_star(edges: DataFrame) -> DataFrame:
    """Each node and its smaller neighbours are linked to the smallest of them."""
    low = edges.groupBy("u").agg(F.min("v").alias("m"))
    linked = edges.join(low, "u").select(F.col("v").alias("u"), F.col("m").alias("v"))
    return _oriented(linked.unionByName(low.select(F.col("u"), F.col("m").alias("v"))))


def connected_components(edges: DataFrame) -> DataFrame:
    """``(node, component)`` for every node on an edge of ``edges`` (columns ``u``, ``v``, long),
    the component named by its smallest node.

    Raises:
        RuntimeError: No convergence after :data:`MAX_ROUNDS` rounds (cannot happen for a finite graph).
    """
    current = _oriented(edges).localCheckpoint()
    for _ in range(MAX_ROUNDS):
        nxt = _small_star(_large_star(current)).localCheckpoint()
        # Stars: every leaf (u) has one centre (v), and no centre is a leaf.
        centres = nxt.select(F.col("v").alias("u")).distinct()
        if (nxt.groupBy("u").count().where(F.col("count") > 1).limit(1).count() == 0
                and nxt.join(centres, "u").limit(1).count() == 0):
            roots = nxt.select(F.col("v").alias("node"), F.col("v").alias("component")).distinct()
            leaves = nxt.select(F.col("u").alias("node"), F.col("v").alias("component"))
            return roots.unionByName(leaves)
        current = nxt
    raise RuntimeError("connected components did not converge")
