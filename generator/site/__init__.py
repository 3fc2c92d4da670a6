"""Site: records in, the whole site as `{relative path: text or bytes}` out; then written.

merge.py (feed + notes + virtues -> `Catalog`), render.py (the Jinja2 environment and the pages),
listening_pages.py and worksheet_pages.py (the page makers of those features), worksheet_pdf.py,
links.py (links that lead nowhere), nav.py, rawhtml.py, cache.py (the generated site), and the
writers: writer.py (the output folder, atomically) and export.py (plain files under a manifest).
No network I/O here.
"""
