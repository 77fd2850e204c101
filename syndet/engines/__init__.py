"""Engines that run the pipeline's stages: :mod:`syndet.detector` in memory on one machine,
:mod:`syndet.engines.bounded` on one machine in bounded memory, :mod:`syndet.engines.spark` on
Spark; :mod:`syndet.engines.component` settles connected groups of articles for the last two."""
