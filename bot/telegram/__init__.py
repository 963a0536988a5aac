"""Telegram glue: the application factory, dispatch, delivery, pacing, forms, buttons."""
