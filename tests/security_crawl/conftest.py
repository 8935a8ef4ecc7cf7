import pytest


@pytest.fixture
def world(db, office, unit_a, liaison_a):
    """Unit A with its liaison signed in later, unit B with distinctive names, and every app's seeds."""
    from .seeds import build_world

    return build_world(office=office, unit_a=unit_a, liaison_a=liaison_a)
