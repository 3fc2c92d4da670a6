"""Sources: the maintainer's files under `content/`. Files in, records out.

files.py (the reading edge: the feed file and the content folders), notes.py (show notes and
virtues: front matter + Markdown), worksheets.py (worksheet definitions), listening.py (chapters,
people and transcripts from notes and files), pins.py (the pinned URLs of `content/urls.yml`).
Knows nothing of the feed's wire format beyond the records ingest makes.
"""
