"""Regulators' workspace (issue 10): obligations, indicators, dashboards, inspections, filings."""
