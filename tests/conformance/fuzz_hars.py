"""Random HAR requests full of characters that need escaping, deterministic for a seed.

Feeds the differential tests of our httpsnippet port against node (URLs with odd hosts,
queries and fragments, header/query/cookie values with quotes, backslashes, control
characters, non-ASCII and astral characters, JSON bodies of every shape, form and multipart
parameters).
usage: python tests/conformance/fuzz_hars.py --seed 1 --count 150 --out FILE  (JSON lines {name, har})
"""

from __future__ import annotations

import argparse
import json
import random

ALPHABET = list("abcXYZ019 -_.~!*'()\"\\/?#&=+%;:@,<>[]{}|^`$\n\r\t") + ["ü", "😀", "\u2028", "é", "ß", "İ", "\u00a0"]


def hars(seed: int, count: int) -> list[dict]:
    rnd = random.Random(seed)

    def s(maxlen: int = 12) -> str:
        return "".join(rnd.choice(ALPHABET) for _ in range(rnd.randint(0, maxlen)))

    def value(depth: int = 0) -> object:
        r = rnd.random()
        if depth < 3 and r < 0.15:
            return {s(6) if rnd.random() < 0.7 else str(rnd.randint(0, 20)): value(depth + 1)
                    for _ in range(rnd.randint(0, 4))}
        if depth < 3 and r < 0.3:
            return [value(depth + 1) for _ in range(rnd.randint(0, 4))]
        if r < 0.4:
            return rnd.choice([0, 1, -5, 2**60, 1.5, -0.25, 1e-9, 3e22, 123456.789])
        if r < 0.5:
            return rnd.choice([True, False, None])
        return s(rnd.choice([5, 20, 100]))

    def url() -> str:
        scheme = rnd.choice(["https://", "http://", "", "HTTP://", "//"])
        host = rnd.choice(["api.example.com", "API.Example.com:8443", "{host}", "h" + s(4), "user:pw@x.io", ""])
        u = scheme + host + "/" + "/".join(s(6) for _ in range(rnd.randint(0, 3)))
        if rnd.random() < 0.2:
            u += "?" + s(10)
        if rnd.random() < 0.1:
            u += "#" + s(5)
        return u

    out = []
    for i in range(count):
        har: dict = {
            "method": rnd.choice(["GET", "POST", "PUT", "patch", "PURGE", "DELETE", "HEAD"]), "url": url(),
            "httpVersion": "HTTP/1.1",
            "headers": [{"name": s(8) or "x", "value": s(20)} for _ in range(rnd.randint(0, 4))],
            "queryString": [{"name": rnd.choice(["a", "b", s(5)]), "value": s(15)} for _ in range(rnd.randint(0, 4))],
            "cookies": [{"name": s(5), "value": s(8)} for _ in range(rnd.randint(0, 2)) if rnd.random() < 0.3],
            "headersSize": 0, "bodySize": 0,
        }
        kind = rnd.random()
        if kind < 0.3:
            har["postData"] = {"mimeType": "application/json", "text": json.dumps(value(), ensure_ascii=False)}
            har["headers"].append({"name": "content-type", "value": "application/json"})
        elif kind < 0.4:
            har["postData"] = {"mimeType": "application/x-www-form-urlencoded",
                               "params": [{"name": s(5), "value": s(10)} for _ in range(rnd.randint(1, 4))]}
        elif kind < 0.5:
            har["postData"] = {"mimeType": "multipart/form-data",
                               "params": [{"name": s(5), "value": s(10)} for _ in range(rnd.randint(1, 4))]}
            har["headers"].append({"name": rnd.choice(["content-type", "Content-Type"]), "value": "multipart/form-data"})
        elif kind < 0.6:
            har["postData"] = {"mimeType": rnd.choice(["text/plain", "application/xml"]), "text": s(40)}
        out.append({"name": f"fuzz{seed}_{i}", "har": har})
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--count", type=int, default=150)
    ap.add_argument("--out", required=True)
    args = ap.parse_args()
    with open(args.out, "w", encoding="utf-8") as fh:
        for item in hars(args.seed, args.count):
            fh.write(json.dumps(item) + "\n")


if __name__ == "__main__":
    main()
