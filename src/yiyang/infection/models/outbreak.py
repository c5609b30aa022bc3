"""Surveillance, outbreak incidents and their playbook, isolation, the reporting chain."""
