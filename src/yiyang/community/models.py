"""Community ledger, visits, home services and family-doctor contracts."""
