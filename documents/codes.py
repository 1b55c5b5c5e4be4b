"""Verification codes: 26 characters of Crockford's base32 (130 random bits),
lowercase and URL-safe, printed in groups of four for people who type them.
What people type is read leniently: any case, spaces and dashes, and the
letters Crockford's alphabet leaves out read as the digits they look like."""

import secrets

ALPHABET = "0123456789abcdefghjkmnpqrstvwxyz"
LENGTH = 26  # 26 x 5 = 130 bits, above the 128 the issue asks for
_LOOKALIKES = str.maketrans({"i": "1", "l": "1", "o": "0"})


def new_code():
    return "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))


def in_words(code):
    """The code as printed: abcd-efgh-... (the QR code holds it plain)."""
    return "-".join(code[i : i + 4] for i in range(0, len(code), 4))


def normalize(typed):
    """The code a person typed, as stored; None when it cannot be one. It
    never says which part was wrong."""
    if not typed or len(typed) > 4 * LENGTH:
        return None
    code = "".join(ch for ch in typed.lower() if ch not in " -\t\n").translate(_LOOKALIKES)
    if len(code) != LENGTH or any(ch not in ALPHABET for ch in code):
        return None
    return code
