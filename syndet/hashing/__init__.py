"""Hashing: word shingles hashed with xxh32 and MinHash signatures, in compiled batch kernels.

The kernels (numba) load on first use, so importing this package stays light.
"""
