"""Mail intake: inbound mail stored before it is accepted, then routed; the quarantine; list imports."""
