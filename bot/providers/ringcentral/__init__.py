"""RingCentral: JWT auth, extensions, and (next) forwarding, rules and call control."""
