"""Numbers of qifgap.model that the other tests leave loose (found by mutation testing)."""
