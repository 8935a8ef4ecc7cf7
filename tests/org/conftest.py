"""Org test helpers: administrators sign in with a second factor, so their clients carry a verified device."""

import pytest


@pytest.fixture
def admin_client_for(client_for):
    """A signed-in client whose session has passed a TOTP device (as an administrator's must)."""
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    def signed_in(user):
        client = client_for(user)
        device = TOTPDevice.objects.create(user=user, name="test device", confirmed=True)
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()
        return client

    return signed_in


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """Personas are created per test; the production hasher's cost is not what these tests are about."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
