def shell(request):  # type: ignore[no-untyped-def]
    """Filled by the real implementation below (navigation, memberships)."""
    return {}
