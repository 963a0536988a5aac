"""Pure rendering: message text, dates and splitting, no Telegram objects."""
