"""The local scan in bounded memory: what grows with the input waits on disk (see :mod:`.engine`)."""
