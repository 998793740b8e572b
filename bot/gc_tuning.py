"""Garbage-collector settings for long-running servers."""

from __future__ import annotations

import gc


def hold_collector() -> None:
    """No collections while a server starts, until `settle_garbage_collector`.

    Start-up builds objects that live as long as the process (modules, classes, the app):
    collections run during the imports found next to nothing to free yet cost ~0.25 s of
    `serve`'s start to its first /healthz (bench/startup.py, measured with `-X importtime`).
    """
    gc.disable()


def settle_garbage_collector() -> None:
    """Move everything built at start-up out of the collector's sight (gc.freeze), then
    collect as usual.

    Measured in `make bench`: full collections walked the imported modules and the app
    every few seconds and paused the loop for ~100 ms (the p99 of an ack); frozen, ~5 ms.
    Only the young generations are collected first, and only when the collector ran during
    start-up: a full collection here found nothing to free after the imports and cost
    70-200 ms of start-up (bench/startup.py); after `hold_collector` every start-up object
    is still young, so a collection would be that full one.
    """
    if gc.isenabled():
        gc.collect(1)
    gc.freeze()
    gc.enable()
