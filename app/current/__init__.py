"""The current protocol (2026-04-01): envelopes at POST /, /poll streams, its coroutines."""
