"""Medical–nursing cooperation agreements (签约合作): catalogue, lifecycle, patrols, referrals."""
