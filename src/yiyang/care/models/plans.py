"""Service plans, scheduled tasks, vital signs, nursing notes and handovers."""
