"""Consultations: a draft put to the community for comment by a deadline, ending in a feedback summary."""
