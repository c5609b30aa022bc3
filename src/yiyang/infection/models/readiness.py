"""Sampling rounds, staff vaccination, supplies, support teams, closed management."""
