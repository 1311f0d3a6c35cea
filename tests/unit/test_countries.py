import pytest

from briefkit.countries import listing, resolve
from briefkit.errors import DataPackageError, UnknownCountry


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


EVERYDAY = {
    "UAE": "ARE", "KSA": "SAU", "Republic of Korea": "KOR", "Burma": "MMR", "Swaziland": "SWZ",
    "East Timor": "TLS", "Cape Verde": "CPV", "Lao PDR": "LAO", "The Gambia": "GMB", "DRC": "COD",
    "PRC": "CHN", "Byelorussia": "BLR", "Soviet Union": "SUN",
}


@pytest.mark.parametrize("text", sorted(EVERYDAY))
def test_everyday_names_resolve(text):
    assert resolve(text) == EVERYDAY[text]


@pytest.mark.parametrize("text", sorted(EVERYDAY))
def test_everyday_names_resolve_within_the_package(package_names, text):
    assert resolve(text, extra=package_names) == EVERYDAY[text]


def test_uae_is_not_taken_for_ukraine():
    assert resolve("uae") == "ARE"
    assert resolve("U.A.E.") == "ARE"


def test_a_typo_of_a_full_name_is_asked_about_not_guessed():
    with pytest.raises(UnknownCountry) as info:
        resolve("Kazakstan")
    assert info.value.suggestions[0] == "Kazakhstan, KAZ"


def test_a_country_the_package_lacks_is_refused_with_the_fix():
    with pytest.raises(DataPackageError, match=r'"Wakanda|Hong Kong.*HKG.*add a row to countries.csv'):
        resolve("Hong Kong", extra={"PAK": "PAK", "Pakistan": "PAK"})


def test_listing_finds_by_name_part_code_and_everyday_name(package_names):
    assert ("BLR", "Belarus") in listing("bela", package_names)
    assert listing("UAE", package_names) == [("ARE", "United Arab Emirates")]
    assert len(listing(None, package_names)) == len(set(package_names.values()))


@pytest.fixture(scope="module")
def package_names():
    from briefkit.datapackage import open_package

    return open_package()._country_names
