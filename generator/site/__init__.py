"""Assembling the site from its stories, planning its outputs, their dependencies, and the cache."""
