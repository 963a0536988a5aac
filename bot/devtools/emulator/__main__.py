"""Run a standalone emulator: python -m bot.devtools.emulator --host 127.0.0.1 --port 8081."""

from __future__ import annotations

import argparse
import asyncio
import signal
import sys

from .driver import Emulator


async def _serve(args: argparse.Namespace) -> None:
    emu = Emulator(bot_username=args.bot_username, enforce_limits=args.enforce_limits)
    await emu.start(host=args.host, port=args.port)
    print(emu.base_url, flush=True)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    await stop.wait()
    await emu.stop()


def main(argv: list[str] | None = None) -> None:
    """Parse arguments and serve until SIGTERM/SIGINT."""
    parser = argparse.ArgumentParser(prog="python -m bot.devtools.emulator", description=__doc__)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8081)
    parser.add_argument("--bot-username", default="coordbot_test_bot")
    parser.add_argument("--enforce-limits", action="store_true")
    asyncio.run(_serve(parser.parse_args(argv)))
    sys.stdout.flush()


if __name__ == "__main__":
    main()
