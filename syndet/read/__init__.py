"""Reading articles: find files under paths and turn each format into :class:`~syndet.models.Article`."""
