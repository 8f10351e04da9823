"""The poll transport: workers hold server-sent-event streams at /{group}/{id}; task
messages reach them through whichever server process holds the stream."""
