"""The demo residents (`yiyang.demo.residents`): valid identities, consistent stays and beds,
and a key-population register that agrees with the rules."""

from __future__ import annotations

from collections import Counter

from django.db.models import Count
from django.utils import timezone

from yiyang.core.identifiers import parse_id_number
from yiyang.demo.residents import build_demo_residents
from yiyang.orgs.models import Bed, NursingHome
from yiyang.residents import rules, services
from yiyang.residents.models import (
    OPEN_STATUSES,
    Condition,
    Contact,
    HealthProfile,
    KeyPopulationRecord,
    Person,
    Stay,
    StayEventRecord,
    Vaccination,
)
from yiyang.residents.search import pinyin_keys

MODELS = (Person, HealthProfile, Contact, Condition, Vaccination, Stay, StayEventRecord,
          KeyPopulationRecord)


def _counts() -> dict[str, int]:
    return {m.__name__: m.objects.count() for m in MODELS}


def _open_stays():  # type: ignore[no-untyped-def]
    return Stay.objects.filter(status__in=OPEN_STATUSES)


def test_build_is_idempotent(cast) -> None:
    before = _counts()
    assert before["Person"] >= 300
    assert build_demo_residents() == 0
    assert _counts() == before


def test_identities_are_valid_unique_and_consistent(cast) -> None:
    today = timezone.localdate()
    numbers = set()
    for person in Person.objects.all():
        parsed = parse_id_number(person.id_number, today=today)
        assert parsed.number == person.id_number
        assert (parsed.birth_date, parsed.sex) == (person.birth_date, person.sex), person.pk
        assert parsed.region_code[:4] in ("4102", "4114", "4116")  # 开封, 商丘, 周口
        numbers.add(person.id_number)
        assert (person.pinyin, person.initials) == pinyin_keys(person.name)
    assert len(numbers) == Person.objects.count()
    # Some surnames are heteronyms, indexed under every reading (单 → dan chan shan).
    heteronyms = Person.objects.filter(name__regex=r"^[单曾解仇尉]")
    assert any(len(p.pinyin.split()) > 1 for p in heteronyms)


def test_one_open_stay_per_bed_and_per_person(cast) -> None:
    open_stays = _open_stays()
    assert not open_stays.values("bed").annotate(n=Count("id")).filter(n__gt=1).exists()
    assert not open_stays.values("person").annotate(n=Count("id")).filter(n__gt=1).exists()
    assert not open_stays.filter(bed__isnull=True).exists()
    for stay in open_stays.select_related("bed"):
        assert stay.bed.home_id == stay.home_id and stay.bed.is_active
        events = list(stay.events.values_list("event", flat=True))
        assert events[0] == "admit"
        if stay.status == "on_leave":
            assert events[-1] == "leave"
        if stay.status == "in_hospital":
            assert events[-1] == "hospital_transfer"


def test_every_registered_resident_is_classified_as_the_rules_say(cast) -> None:
    today = timezone.localdate()
    persons = (Person.objects.filter(stays__status__in=OPEN_STATUSES)
               .select_related("profile").prefetch_related("conditions", "vaccinations",
                                                           "classifications"))
    categories, bands = Counter(), Counter()
    for person in persons:
        inputs = services.classification_inputs(person, today)
        current = [r for r in person.classifications.all() if r.is_current]
        if not rules.in_register_scope(age=inputs["age"],
                                       has_disability=inputs["has_disability"]):
            assert current == []
            continue
        assert len(current) == 1, person.pk
        expected = rules.classify_key_population(
            age=inputs["age"], disease=inputs["disease"], vaccination=inputs["vaccination"])
        record = current[0]
        assert record.category == expected.category.value, person.pk
        assert (record.band, record.disease, record.vaccination, record.has_disability) == (
            inputs["band"], inputs["disease"], inputs["vaccination"], inputs["has_disability"])
        assert record.classified_on <= today
        for old in person.classifications.all():
            if not old.is_current:
                assert old.classified_on < record.classified_on
                assert old.category != record.category
        categories[record.category] += 1
        bands[record.band] += 1
    assert set(categories) == {"red", "yellow", "green"}
    assert len([b for b in bands if b]) >= 3
    assert KeyPopulationRecord.objects.filter(is_current=False).count() >= 30


def test_past_stays_are_closed_and_hold_no_bed(cast) -> None:
    ended = Stay.objects.exclude(status__in=OPEN_STATUSES)
    assert {"discharged", "deceased"} <= set(ended.values_list("status", flat=True))
    assert not ended.filter(bed__isnull=False).exists()
    assert not ended.filter(ended_on__isnull=True).exists()
    deceased = ended.filter(status="deceased")
    assert deceased.exclude(death_certificate_no="").exists()
    for stay in deceased.exclude(death_certificate_no=""):
        events = list(stay.events.values_list("event", flat=True))
        assert events[0] == "admit" and events[-2:] == ["death", "death_certificate"]
    # Each past stay's bed is free today, or taken by someone admitted after it ended.
    for stay in ended:
        bed_id = stay.events.get(event="admit").to_bed_id
        now = _open_stays().filter(bed_id=bed_id).first()
        assert now is None or now.admitted_on > stay.ended_on


def test_occupancy_and_region_codes_follow_the_home(cast) -> None:
    homes = {h.pk: h for h in NursingHome.objects.all()}
    for home in homes.values():
        active = Bed.objects.filter(home=home, is_active=True).count()
        occupied = _open_stays().filter(home=home).count()
        assert 0.5 * active <= occupied <= active, home.name
    for stay in Stay.objects.all():
        assert stay.region_code == homes[stay.home_id].region_code
    for model in (Person, HealthProfile, Contact, Condition, Vaccination, KeyPopulationRecord):
        # Persons kept by community organisations (the home-care ledger, issue 9) are not here.
        for org_id, region_code in model.objects.filter(org__kind="home").values_list(
                "org_id", "region_code"):
            assert region_code == homes[org_id].region_code, model.__name__
    for home_id, region_code in StayEventRecord.objects.values_list("home_id", "region_code"):
        assert region_code == homes[home_id].region_code


def test_timelines_replay_through_the_state_machine_without_double_booking(cast) -> None:
    today = timezone.localdate()
    held: dict[int, list[tuple]] = {}  # bed → [(from, to, stay)]
    for stay in Stay.objects.prefetch_related("events"):
        status, bed, since, last = None, None, None, stay.admitted_on
        for event in stay.events.all():
            assert last <= event.occurred_on <= today, stay.pk
            last = event.occurred_on
            status = rules.next_status(status, rules.StayEvent(event.event))
            if event.event in ("admit", "move_bed"):
                assert event.from_bed_id == bed
                if bed is not None:
                    held.setdefault(bed, []).append((since, event.occurred_on, stay.pk))
                bed, since = event.to_bed_id, event.occurred_on
            elif event.event in ("discharge", "death"):
                assert event.from_bed_id == bed and event.occurred_on == stay.ended_on
                held.setdefault(bed, []).append((since, event.occurred_on, stay.pk))
                bed = None
        assert status == stay.status, stay.pk
        if rules.is_open(status):
            assert bed == stay.bed_id
            held.setdefault(bed, []).append((since, today, stay.pk))
    for bed, spans in held.items():
        spans.sort()
        for (_, end, a), (start, _, b) in zip(spans, spans[1:], strict=False):
            assert end < start, f"bed {bed}: stays {a} and {b} overlap"
