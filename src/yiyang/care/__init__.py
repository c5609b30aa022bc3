"""Daily care (issue 6): service plans, point-of-care tasks and vital signs, pressure injuries,
care-risk incidents, health education.
"""
