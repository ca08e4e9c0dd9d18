"""Secret query codes: stored as a salted HMAC, checked in either case, old hashes still work."""

from werkzeug.security import generate_password_hash

from sunshine.site.query_codes import CODE_ALPHABET, check_code, check_unknown, hash_code, new_code


def test_a_new_code_is_eight_unambiguous_characters():
    code = new_code()
    assert len(code) == 8 and set(code) <= set(CODE_ALPHABET)
    assert not set("01IO") & set(code)


def test_the_stored_hash_hides_the_code_and_is_salted(app):
    with app.app_context():
        first, second = hash_code("K7MX2QPA"), hash_code("K7MX2QPA")
    assert "K7MX2QPA" not in first and first.startswith("hmac-sha256$")
    assert first != second


def test_the_code_is_checked_case_insensitively(app):
    with app.app_context():
        stored = hash_code("K7MX2QPA")
        assert check_code(stored, " k7mx2qpa ")
        assert not check_code(stored, "K7MX2QPB")


def test_the_key_is_the_apps_secret(app):
    with app.app_context():
        stored = hash_code("K7MX2QPA")
        app.config["SECRET_KEY"] = "another-secret"
        assert not check_code(stored, "K7MX2QPA")


def test_codes_hashed_by_the_first_release_still_work(app):
    with app.app_context():
        assert check_code(generate_password_hash("K7MX2QPA", method="pbkdf2:sha256:1000"), "k7mx2qpa")


def test_an_unknown_number_is_never_a_match(app):
    with app.app_context():
        assert check_unknown("K7MX2QPA") is False
