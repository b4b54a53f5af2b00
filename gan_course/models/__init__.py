"""Small networks for the lessons, one file per family."""
