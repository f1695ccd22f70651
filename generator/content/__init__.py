"""Reading and parsing: the site's files, front matter, markdown, typography, the stories."""
