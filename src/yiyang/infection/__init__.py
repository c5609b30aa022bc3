"""Infection surveillance and outbreak response (issue 7), with the 2-hour reporting chain."""
