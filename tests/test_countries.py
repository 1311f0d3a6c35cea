import pytest

from briefkit.countries import resolve
from briefkit.errors import UnknownCountry


@pytest.mark.parametrize("text, iso3", [
    ("PAK", "PAK"), ("pak", "PAK"), ("PK", "PAK"), ("586", "PAK"), ("Pakistan", "PAK"),
    ("Islamic Republic of Pakistan", "PAK"), ("Belarus", "BLR"), ("Russia", "RUS"),
    ("Russian Federation", "RUS"), ("Türkiye", "TUR"), ("Turkey", "TUR"), ("  china ", "CHN"),
])
def test_codes_and_names_resolve_to_iso3(text, iso3):
    assert resolve(text) == iso3


def test_unknown_name_suggests_the_closest_countries():
    with pytest.raises(UnknownCountry) as info:
        resolve("Belarusia")
    assert str(info.value).startswith('Unknown country "Belarusia" (did you mean Belarus, BLR')


def test_unknown_code_without_a_close_match_says_what_is_accepted():
    with pytest.raises(UnknownCountry, match=r'Unknown country "QQQ" \(use an ISO 3166 code such as PAK'):
        resolve("QQQ")


def test_extra_names_from_the_data_package():
    assert resolve("USSR", extra={"USSR": "SUN"}) == "SUN"
