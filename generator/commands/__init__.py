"""Commands: the `podsite` command line, thin over build.py. One module per command.

cli.py (the click group and the pin command), check.py, new.py, fetch.py, generate.py,
publish.py; configdoc.py writes the README's reference tables from the code.
"""
