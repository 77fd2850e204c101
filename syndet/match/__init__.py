"""Matching: LSH candidate pairs, verification and alignment of shared runs, and passages built from them."""
