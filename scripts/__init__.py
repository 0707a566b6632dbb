"""Developer tools that are not part of the installed product: the demo models' corpus and
builder, benchmarks, evaluations, the README's settings table.

A package so that they import each other and the tests import them plainly (``from scripts
import demo_corpus``) without touching ``sys.path``. Run them from the repository root as
modules: ``python -m scripts.bench all``, ``python -m scripts.demo_corpus --n 10``.
"""
