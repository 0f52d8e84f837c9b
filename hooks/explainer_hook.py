"""MkDocs hook of the explainer: generates the pages from facts.yaml inside every build.

mkdocs.yml names hook files by path, and a hook is imported as a loose module, so the code
lives in the package (generator/site.py) and this file only re-exports its events. When the
package is not installed (a fresh clone, `mkdocs build` straight away), the repository root
next to this folder is put on sys.path first.
"""

from __future__ import annotations

import sys
from pathlib import Path

try:
    import generator.site as _site
except ImportError:
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    import generator.site as _site

on_startup = _site.on_startup
on_config = _site.on_config
on_pre_build = _site.on_pre_build
on_files = _site.on_files
on_env = _site.on_env
on_page_markdown = _site.on_page_markdown
on_page_content = _site.on_page_content
on_page_context = _site.on_page_context
on_post_page = _site.on_post_page
on_post_template = _site.on_post_template
on_serve = _site.on_serve
on_post_build = _site.on_post_build
