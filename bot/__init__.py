"""Switchboard: control your company's phones from Slack."""

__version__ = "0.1.0"
