"""Engines that run the pipeline's stages: :mod:`syndet.detector` on one machine,
:mod:`syndet.engines.spark` on Spark."""
