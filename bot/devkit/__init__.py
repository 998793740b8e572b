"""Dev tools, never imported by a production process: the provider emulators, fault
injection, the Slack stand-in and the shell, and a loopback server for them.

`switchboard serve` with real providers loads none of this (a test checks `sys.modules`);
the built-in `emulator` provider and `switchboard shell`/`emulator` import it on demand.
"""
