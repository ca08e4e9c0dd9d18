"""Sunshine publisher (``sunshine.publisher``): turns a snapshot into the static
public site with Pelican — snapshot.py (read and validate), generator.py (the
Pelican plugin), build.py (one build), deploy.py (atomic publishing), cli.py.

The snapshot is its only input: it never imports Flask, SQLAlchemy or
``sunshine.site``.
"""
