"""SMS through a GSM modem: incoming texts to the agent, an outbox that never loses a message, and
booking confirmations."""
