"""Developer tools: the Bot API emulator, the offline console, the demo."""
