import pytest


@pytest.fixture(autouse=True)
def own_file_storage(settings, tmp_path):
    """Each test writes into its own directory, so counting files on disk means something."""
    root = tmp_path / "files"
    settings.MEDIA_ROOT = root
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": str(root)}},
    }
    return root
