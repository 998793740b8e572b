"""Use cases: speak the domain, write the audit log, never build HTTP or Block Kit."""
