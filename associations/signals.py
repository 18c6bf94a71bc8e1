"""What this app tells the apps built on it, without importing them."""

from django.dispatch import Signal

# Sent by the evaluation task once an evaluation succeeded (keyword argument: evaluation). programs
# listens and queues the ToT and collaboration proposals the results call for.
evaluation_succeeded = Signal()
