"""The platform every agent stands on. It knows nothing of commerce."""
