"""Attribution: what kind of reuse a passage is, its origin, its source article, and the evidence."""
