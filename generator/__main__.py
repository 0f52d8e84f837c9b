"""`python -m generator` is the same as the `explainer` console script."""

from .cli import main

main()
