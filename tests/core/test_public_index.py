from django.urls import reverse


def test_the_public_finds_every_published_page_without_an_account(client, db):
    page = client.get(reverse("core:public_index"))
    assert page.status_code == 200
    html = page.content.decode()
    from xiaoneng.core.views import PUBLIC_PAGES

    found = 0
    for name, _title, _text in PUBLIC_PAGES:
        url = reverse(name)  # every public page the index names exists
        assert f'href="{url}"' in html
        found += 1
        assert client.get(url).status_code == 200, url
    assert found == len(PUBLIC_PAGES)
