"""Arabic news explainer: seeds -> facts.yaml -> Markdown pages -> an Arabic MkDocs site.

The package is one module per pipeline stage (ingest, extract, factindex, pages, site) with
plain data classes (model) between them; see docs/architecture.md.
"""
