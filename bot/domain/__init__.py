"""Pure types and rules (standard library only): provider names, lines, rotation and shift math."""
