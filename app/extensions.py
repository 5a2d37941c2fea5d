"""Flask extensions shared across the web layer, created once and bound in `create_app`."""

from flask_wtf import CSRFProtect

csrf = CSRFProtect()
