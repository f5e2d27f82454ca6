"""Alembic migrations of the store (a package only so that env.py ships with the code)."""
