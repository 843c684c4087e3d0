"""Consolidated replies: a query's replies synthesised by a facilitator into a knowledge item.

``drafting`` writes the automatic first draft (with ``solex.core.synthesis``),
``actions`` opens, saves and publishes drafts, ``views`` is the facilitator's editor
and the published page.
"""
