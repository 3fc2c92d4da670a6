# The two commands a new machine needs:  make site  (build the sample site into site/)
#                                         make test  (run the whole test suite)
# Both create the virtualenv .venv/ and install the project into it on first use.

PYTHON ?= python3
VENV   := .venv
STAMP  := $(VENV)/.installed-stamp
export NO_MKDOCS_2_WARNING := 1

.PHONY: site test serve clean system-deps

# Pango (for the worksheet PDFs) is installed when missing, as root; otherwise the site is built
# without the PDFs and the one command that adds them is printed.
site: $(STAMP)
	@if scripts/install-system-deps site; then \
	  $(VENV)/bin/mkdocs build --strict; \
	else \
	  echo "make site: building the site without the worksheet PDFs for now (run the command above, then make site again)" >&2; \
	  PODSITE_WORKSHEET_PDF=false $(VENV)/bin/mkdocs build --strict; \
	fi

test: $(STAMP) system-deps
	$(VENV)/bin/python -m pytest

system-deps:
	scripts/install-system-deps test

serve: $(STAMP)
	$(VENV)/bin/mkdocs serve

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/python -m pip install --quiet --upgrade pip
	$(VENV)/bin/python -m pip install --quiet -e '.[test,zensical]'
	touch $(STAMP)

clean:
	rm -rf site site.podsite-new $(VENV)
