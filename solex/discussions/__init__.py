"""Discussions: facilitated, time-boxed e-discussions ending in a synthesis."""
