"""Obligations, inspections and clinic filings."""
