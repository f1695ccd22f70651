"""Publishing: writing output/ safely, checking a site before it goes out, indexing it for search."""
