"""Sending texts: one gateway interface, Twilio behind it, and an offline outbox."""
