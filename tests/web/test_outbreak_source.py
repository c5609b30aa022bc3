"""The community ledger's outbreak help turns on when the county has an open outbreak."""

from __future__ import annotations

from yiyang.community import queries as community_queries
from yiyang.infection.models import Outbreak
from yiyang.infection.rules import State
from yiyang.web.apps import county_has_open_outbreak


def test_an_open_outbreak_in_the_county_turns_the_outbreak_help_on(cast) -> None:
    home_a, home_c = cast.home_of("nurse_a"), cast.home_of("nurse_c")
    county_x, county_y = home_a.region_code[:6], home_c.region_code[:6]
    Outbreak.objects.filter(region_code__startswith=county_y).update(state=State.CLOSED)
    assert Outbreak.objects.filter(home=home_a).exclude(state=State.CLOSED).exists(), \
        "the demo keeps an outbreak open in home A"
    assert county_has_open_outbreak(county_x)
    assert not county_has_open_outbreak(county_y)
    assert county_has_open_outbreak in community_queries._outbreak_sources
    worker_t = cast.actor("worker_t")
    assert worker_t.region_code.startswith(county_x)
    assert community_queries.outbreak_active(worker_t)[0]
    # Closing home A's outbreak turns it off for the county (unless a worker switched it on).
    Outbreak.objects.filter(home=home_a).update(state=State.CLOSED)
    assert not county_has_open_outbreak(county_x)
