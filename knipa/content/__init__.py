"""Content: the public start page, the language switch and the error pages."""
