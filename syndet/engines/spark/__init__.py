"""The Spark engine: the scan's stages as Spark jobs, with the local engine's answers (needs ``syndet[spark]``)."""
