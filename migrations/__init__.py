"""Alembic migrations. Installed as the package `claims.migrations` (see setup.py) so that an installed
claimtrack finds its migration scripts without the source tree."""
