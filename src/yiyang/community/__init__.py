"""Community (issue 9): the ledger of elderly people with special needs at home, visits, home
services, family-doctor contracts.
"""
