"""The data plane: worker threads that execute submissions off the kernel thread.

aio/store runs store commands against Redis. Nothing here knows about HTTP routes.
"""
