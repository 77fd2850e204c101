"""Tuning: labelled corpora, accuracy metrics, and sweeps of settings scored against the labels."""
