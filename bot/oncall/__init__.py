"""On-call rotations: schedule math (pure), the store, and the handoff engine."""
