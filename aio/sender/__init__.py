"""The sender: delivers task messages to receivers over poll (SSE) or HTTP push."""
