"""API Pack's three seed templates, exactly as its pipeline wrote them (DESIGN.md, Instructions).

``functionality`` is the operation summary, ``description`` the operation description and
``endpoint`` the operationId. API Pack picked the opening of the first template at random; we
pick it with the caller's seeded random source so a build is reproducible.
"""

from __future__ import annotations

import random

from apipack.instructions.rng import KeyedRandom

SEED_OPENINGS: tuple[str, ...] = ("Please tell me how to", "Please show me how to", "Hey, tell me how to",
                                  "I need to know how to", "Give me an example of how to")


def seed_instructions(api_name: str, functionality: str, description: str, endpoint: str,
                      rng: KeyedRandom | random.Random) -> list[str]:
    """The seed texts that apply to one endpoint, in API Pack's order (0 to 3 of them)."""
    out: list[str] = []
    if len(functionality) > 0 and "example request" not in functionality.lower():
        opening = SEED_OPENINGS[rng.randrange(len(SEED_OPENINGS))]
        out.append(f"{opening} {functionality.lower()} with the {api_name}.")
    if len(description) > len(endpoint):
        out.append(f"I need to {description.lower()} with the {api_name}. Please help me with that.")
    if len(endpoint) > 0:
        out.append(f"Please give me an example of how to use the endpoint {endpoint} from {api_name}.")
    return out
