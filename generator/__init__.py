"""Gazette: a static site generator for tech-news blogs."""

__version__ = "0.1.0"
