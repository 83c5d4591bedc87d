"""The guide: plain-language pages about the pelvic floor and the training, written in Markdown.

Pages live in `pages/<language>/<slug>.md` (the format: docs/guide.md); a host may add or replace
pages with a folder of its own (`KNIPA_GUIDE_DIR`). `pages.py` finds and checks them, `markup.py`
turns one into safe HTML for a reader's body, `figures.py` holds the illustrations, `links.py` says
which page answers a question raised elsewhere in Knipa.
"""
