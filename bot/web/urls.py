"""The public base URL links use (kept apart from the server so handlers need no aiohttp)."""

from __future__ import annotations


def public_base(configured: str, host: str, port: int) -> str:
    """COORDBOT_WEB_URL, else this machine's address and port."""
    if configured:
        return configured.rstrip("/")
    shown = "127.0.0.1" if host in ("0.0.0.0", "", "::") else host
    return f"http://{shown}:{port}"
