"""`switchboard check`: one line per check; exit 1 when any fails."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable

from slack_sdk.errors import SlackApiError

from bot.domain.notices import plain
from bot.providers.errors import ProviderError
from bot.runtime import Runtime, start_runtime
from bot.settings import Settings
from bot.store.migrate import behind

CHECK_TIMEOUT_SECONDS = 20.0


async def run_checks(settings: Settings, *, runtime: Runtime | None = None) -> int:
    print(f"ok    settings (providers: {', '.join(settings.provider_words)})")
    if not settings.uses_emulator and settings.switchboard_secret_key is None:
        print(
            "warn  secrets at rest: SWITCHBOARD_SECRET_KEY is not set, so provider tokens are "
            "stored unencrypted in the database"
        )
    own = runtime is None
    runtime = runtime or await start_runtime(settings, current_schema=False)
    try:
        results = [await _run("database", lambda: _database(runtime))]
        if settings.slack_bot_token is None:
            print("FAIL  slack: SLACK_BOT_TOKEN is not set")
            results.append(False)
        else:
            results.append(await _run("slack auth.test", lambda: _slack(runtime)))
        for client in runtime.providers.probes:
            name = client.provider.display
            if not results[0]:
                print(f"skip  {name}: needs a working database first")
                continue
            results.append(await _run(name, client.probe))
    finally:
        if own:
            await runtime.aclose()
    return 0 if all(results) else 1


class _Behind(Exception):
    pass


async def _database(runtime: Runtime) -> None:
    await runtime.database.ping()
    problem = await behind(runtime.database)
    if problem is not None:
        raise _Behind(problem)


async def _slack(runtime: Runtime) -> None:
    await runtime.slack.auth_test()


async def _run(name: str, check: Callable[[], Awaitable[object]]) -> bool:
    try:
        await asyncio.wait_for(check(), CHECK_TIMEOUT_SECONDS)
    except ProviderError as exc:
        print(f"FAIL  {name}: {plain(exc.sentence())}")
        return False
    except SlackApiError as exc:
        print(f"FAIL  {name}: Slack said {exc.response.get('error', 'error')}")
        return False
    except _Behind as exc:
        print(f"FAIL  {name}: {exc}")
        return False
    except Exception as exc:
        print(f"FAIL  {name}: {type(exc).__name__}")
        return False
    print(f"ok    {name}")
    return True
