"""Renders of the governance graph (pyvis) and the pages that show them."""
