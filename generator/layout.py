"""Where a site's files are: the names Gazette reads and writes, known without loading the code that reads them.

Kept apart so that a build with nothing to do can stamp the site's files, and stop, before loading YAML,
Jinja or Markdown at all.
"""

from __future__ import annotations

from pathlib import Path

CONFIG_FILE = "site.yaml"
# The folders a build reads below the site; a build reads nothing else of it but site.yaml.
READ_FOLDERS = ("content", "data", "static", "themes")
# The data files a build reads (all optional): the outlets stories are based on, and the authors who sign them.
OUTLETS_FILE = "data/outlets.yaml"
AUTHORS_FILE = "data/authors.yaml"
SHIPPED_THEMES = Path(__file__).resolve().parent / "themes"
if not SHIPPED_THEMES.is_dir():  # a source checkout: themes/ sits beside generator/
    SHIPPED_THEMES = Path(__file__).resolve().parent.parent / "themes"
