"""Text: an article's paragraphs with exact character offsets, page chrome, and normalised words."""
