"""Medicine (issue 6 item 5): medication orders; self-brought stock and eMAR come later."""
