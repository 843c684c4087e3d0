"""Expertise: who knows what, inferred from what people do and seeded by what they declare."""
