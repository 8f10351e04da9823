"""One module per operation: each coroutine turns a typed request into store commands
and decides the response from what the store reports."""
