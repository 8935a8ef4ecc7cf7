"""Uploaded files: checked by content, stored under random names, served only through scoped views.

- ``checks``: what a file is (from its bytes) and whether it may be accepted;
- ``services.file_store`` / ``file_store_many``: check, write, and record in one step;
- ``selectors``: the scoped reads; ``views``: download and the unit documents upload.
"""
