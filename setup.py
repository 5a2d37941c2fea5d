"""The packaging rule pyproject.toml cannot state: ship the top-level `migrations/` as `claims.migrations`.

The migrations stay where Alembic and the design expect them in the source tree; inside the installed
package they are found with `importlib.resources` (claims/schema.py), never through the working directory.
"""

from setuptools import find_packages, setup

setup(
    packages=[*find_packages(include=["app*", "claims*"]), "claims.migrations"],
    package_dir={"claims.migrations": "migrations"},
)
