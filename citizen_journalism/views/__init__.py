"""Pages of the citizen-journalism app: the newsroom (writers and editors) and the public site."""
