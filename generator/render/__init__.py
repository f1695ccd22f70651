"""Rendering: themes, pages, feeds, sitemaps, structured data and redirect pages."""
