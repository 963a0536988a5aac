"""The web front end beside the Telegram glue: the Mini App dashboard, its JSON API, the
calendar feed and the health endpoint, served by aiohttp inside the bot process."""
