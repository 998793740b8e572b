"""Pieces every provider emulator shares: fault injection and request counting."""
