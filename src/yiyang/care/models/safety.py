"""Pressure injuries, care-risk incidents and health education sessions."""
