"""The event bus: outbox, relay, dispatcher, inbox, retries, dead letters, replay."""
