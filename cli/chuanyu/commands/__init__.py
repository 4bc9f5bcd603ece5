"""The commands, each module registering its own on the one app, in the order help lists them."""

from importlib import import_module

from .shared import app

for _module in ("catalogue", "questions", "query", "briefing"):
    import_module(f"{__name__}.{_module}")

__all__ = ["app"]
