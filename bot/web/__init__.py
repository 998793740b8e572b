"""The HTTP front and Socket Mode: signatures, limits, payload checks, readiness, serving."""
