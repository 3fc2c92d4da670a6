"""podsite: a static-site generator for podcast episode content, as a MkDocs plugin."""

__version__ = "0.1.0"
