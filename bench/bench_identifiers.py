"""Benchmark: clientcore's ``is_valid`` against calling the underlying library directly.

For each identifier type, ``size`` mixed inputs (valid, mistyped, junk text) are checked
by ``clientcore.model.<type>.is_valid`` and by the direct call of python-stdnum,
phonenumbers or email-validator: interleaved, order rotated, gc on, caches cleared before
each run. Prints, at every size, the median time per call of both, their ratio, and the
overall median ratio (target <= 1.3x), then how the time per call grows per 10x inputs
(it should stay flat: about 1.0x per 10x means a constant cost per call).

    python bench/bench_identifiers.py [--sizes 10000,100000] [--runs 5]
"""

from __future__ import annotations

import random
import re
import statistics
import string
import sys
from collections.abc import Callable
from pathlib import Path

import email_validator
import phonenumbers
from stdnum import iban as std_iban
from stdnum.be import bis as std_bis
from stdnum.be import eid as std_eid
from stdnum.be import nn as std_nn
from stdnum.be import ogm_vcs as std_ogm
from stdnum.be import vat as std_be_vat
from stdnum.eu import vat as std_eu_vat
from stdnum.nl import bsn as std_bsn
from stdnum.nl import postcode as std_nl_postcode

sys.path.insert(0, str(Path(__file__).resolve().parent))

from clientcore import model as ids

from _common import arguments, growth, header, measure, verdict

TARGET = 1.3
rng = random.Random(20240611)


def digits(n: int) -> str:
    return "".join(rng.choice(string.digits) for _ in range(n))


def mistype(value: str) -> str:
    """One digit changed: mostly a checksum fault."""
    spots = [i for i, c in enumerate(value) if c.isdigit()]
    if not spots:
        return value + "1"
    i = rng.choice(spots)
    return value[:i] + str((int(value[i]) + rng.randint(1, 9)) % 10) + value[i + 1 :]


JUNK = ["", "   ", "abc", "€", "12", "0" * 40, "BE", "+32", "@", "x" * 120, "1234-5678-9012"]


def mixed(valid: Callable[[], str], size: int) -> list[str]:
    """About half valid, a third mistyped, the rest junk."""
    out: list[str] = []
    while len(out) < size:
        roll = rng.random()
        if roll < 0.5:
            out.append(valid())
        elif roll < 0.85:
            out.append(mistype(valid()))
        else:
            out.append(rng.choice(JUNK))
    return out


def national_number() -> str:
    year, month = rng.randint(1930, 2020), rng.randint(1, 12) + rng.choice([0, 0, 0, 20, 40])
    base = f"{year % 100:02d}{month:02d}{rng.randint(1, 28):02d}{rng.randint(1, 997):03d}"
    check = 97 - int(("2" if year >= 2000 else "") + base) % 97
    n = f"{base}{check:02d}"
    return rng.choice([n, f"{n[:2]}.{n[2:4]}.{n[4:6]}-{n[6:9]}.{n[9:]}"])


def enterprise_number() -> str:
    base = rng.choice("01") + digits(7)
    n = f"{base}{97 - int(base) % 97:02d}"
    return rng.choice([n, f"BE{n}", f"{n[:4]}.{n[4:7]}.{n[7:]}", f"BE {n[:4]} {n[4:7]} {n[7:]}"])


def vat_number() -> str:
    if rng.random() < 0.3:
        return rng.choice(["NL004495445B01", "NL 0044.95.445.B01", "DE136695976", "FR40303265045"])
    return rng.choice(["BE", "BE ", "be"]) + enterprise()


def enterprise() -> str:
    base = rng.choice("01") + digits(7)
    return f"{base}{97 - int(base) % 97:02d}"


def bsn() -> str:
    while True:
        body = [int(c) for c in digits(8)]
        check = sum((9 - i) * d for i, d in enumerate(body)) % 11
        if check < 10 and (any(body) or check):
            return "".join(map(str, body)) + str(check)


def kvk_number() -> str:
    n = digits(8)
    return rng.choice([n, f"{n[:4]} {n[4:]}", f"{n[:2]}.{n[2:5]}.{n[5:]}"])


def iban() -> str:
    bban = "".join(rng.choice(string.ascii_uppercase) for _ in range(4)) + digits(10)
    numeric = "".join(str(int(c, 36)) for c in bban + "NL00")
    n = f"NL{98 - int(numeric) % 97:02d}{bban}"
    fixed = ["BE71096123456769", "BE71 0961 2345 6769", "NL91ABNA0417164300"]
    return rng.choice([n, " ".join(n[i : i + 4] for i in range(0, len(n), 4)), *fixed])


def mod97() -> str:
    base = digits(10)
    return f"{base}{int(base) % 97 or 97:02d}"


def eid_card_number() -> str:
    n = mod97()
    return rng.choice([n, f"{n[:3]}-{n[3:10]}-{n[10:]}"])


def payment_reference() -> str:
    n = mod97()
    return rng.choice([n, f"+++{n[:3]}/{n[3:7]}/{n[7:]}+++"])


def email() -> str:
    local = "".join(rng.choice(string.ascii_lowercase) for _ in range(rng.randint(1, 12)))
    domain = "".join(rng.choice(string.ascii_lowercase) for _ in range(rng.randint(2, 10)))
    return rng.choice([f"{local}@{domain}.be", f"{local}.x@{domain}.nl", f"{local}@", local])


def phone() -> str:
    return rng.choice([f"+32 2 {digits(7)}", f"02 {digits(3)} {digits(2)} {digits(2)}"]) + (
        "" if rng.random() < 0.8 else digits(3)
    )


def postal_code() -> str:
    if rng.random() < 0.5:
        return str(rng.randint(1000, 9999))
    return f"{rng.randint(1000, 9999)} {rng.choice(string.ascii_uppercase)}{rng.choice('BCX')}"


# --- the direct calls -----------------------------------------------------------------------


def direct_email(value: str) -> bool:
    try:
        email_validator.validate_email(value, check_deliverability=False)
    except email_validator.EmailNotValidError:
        return False
    return True


def direct_phone(value: str) -> bool:
    try:
        return phonenumbers.is_valid_number(phonenumbers.parse(value, "BE"))
    except phonenumbers.NumberParseException:
        return False


_KVK = str.maketrans("", "", " .-")


def direct_kvk(value: str) -> bool:  # no library knows KvK numbers: the plain check
    number = value.translate(_KVK).strip()
    return len(number) == 8 and number.isascii() and number.isdigit()


_BE_POSTAL = re.compile(r"[1-9][0-9]{3}")


def direct_postal(value: str) -> bool:  # Belgian: a plain pattern; Dutch: stdnum
    return bool(_BE_POSTAL.fullmatch(value.strip())) or std_nl_postcode.is_valid(value)


CASES: list[tuple[str, ids.IdentifierType, Callable[[str], bool], Callable[[], str]]] = [
    (
        "national_number",
        ids.national_number,
        lambda v: std_nn.is_valid(v) or std_bis.is_valid(v),
        national_number,
    ),
    ("enterprise_number", ids.enterprise_number, std_be_vat.is_valid, enterprise_number),
    ("vat_number", ids.vat_number, std_eu_vat.is_valid, vat_number),
    ("bsn", ids.bsn, std_bsn.is_valid, bsn),
    ("kvk_number", ids.kvk_number, direct_kvk, kvk_number),
    ("iban", ids.iban, std_iban.is_valid, iban),
    ("eid_card_number", ids.eid_card_number, std_eid.is_valid, eid_card_number),
    ("payment_reference", ids.payment_reference, std_ogm.is_valid, payment_reference),
    ("email", ids.email, direct_email, email),
    ("phone", ids.phone, direct_phone, phone),
    ("postal_code", ids.postal_code, direct_postal, postal_code),
]


def main() -> None:
    args = arguments(__doc__)
    header(f"{len(CASES)} identifier types: clientcore is_valid against the direct call", args.runs)
    per_call: dict[str, dict[int, float]] = {name: {} for name, *_ in CASES}
    overall: dict[int, float] = {}
    for size in args.sizes:
        rows: list[tuple[str, float, float, float, float]] = []
        for name, ident, direct, make in CASES:
            inputs = mixed(make, size)
            ours = ident.is_valid
            times = measure(
                {
                    "clientcore": lambda ours=ours, inputs=inputs: [ours(v) for v in inputs],
                    "direct": lambda direct=direct, inputs=inputs: [direct(v) for v in inputs],
                },
                args.runs,
            )
            share = sum(map(ours, inputs)) / len(inputs)
            ours_us = times["clientcore"].median / size * 1e6
            direct_us = times["direct"].median / size * 1e6
            per_call[name][size] = times["clientcore"].median / size
            rows.append((name, ours_us, direct_us, ours_us / direct_us, share))
        print(f"  {size:,} mixed inputs per type; time per call")
        print(f"    {'type':<18} {'clientcore':>12} {'direct':>12} {'ratio':>7} {'valid':>6}")
        for name, ours_us, direct_us, ratio, share in rows:
            print(
                f"    {name:<18} {ours_us:>9.2f} us {direct_us:>9.2f} us {ratio:>6.2f}x "
                f"{share:>6.0%}"
            )
        overall[size] = statistics.median(r[3] for r in rows)
        worst = max(rows, key=lambda r: r[3])
        print(f"    worst: {worst[0]} {worst[3]:.2f}x; overall median ratio {overall[size]:.2f}x")
    for name, costs in per_call.items():
        print(f"  growth of the time per call, {name}: {growth(costs)}")
    top = max(overall.values())
    print(
        f"  verdict: overall median ratio at most {top:.2f}x, target <= {TARGET}x: "
        f"{verdict(top <= TARGET)}"
    )


if __name__ == "__main__":
    main()
