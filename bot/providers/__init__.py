"""Provider clients (HTTP) and their emulators. Nothing here knows about Slack."""
