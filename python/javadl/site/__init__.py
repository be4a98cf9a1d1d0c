"""`make html`: the course as a static site of executed notebooks (export.py, with its page template page.html.j2)."""
