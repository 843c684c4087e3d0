"""The facilitator's workspace: everything waiting on a facilitator, oldest first."""
