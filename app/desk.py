"""The desk settings in force for this request (admin-stored values over the environment)."""

from __future__ import annotations

from flask import current_app

from app.database import db_session
from claims.desk import DeskSettings, desk_settings


def current_desk() -> DeskSettings:
    return desk_settings(db_session(), current_app.config["CLAIMTRACK_SETTINGS"])
