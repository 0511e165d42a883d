"""Adapters that plug pagetidy into other frameworks; each needs its own optional extra.

Nothing here is imported by ``import pagetidy``: import the adapter module you need, e.g.
``from pagetidy.integrations.datatrove import PagetidyExtractor`` (``pip install
"pagetidy[datatrove]"``).
"""
