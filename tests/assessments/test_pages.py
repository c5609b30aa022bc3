"""Assessment pages: the tablet form saves each tap and refuses to finish incomplete, the report
shows the same level as the PDF, the API and the register; the due list; history and triggers."""

from __future__ import annotations

import json
import shutil
import subprocess
from datetime import timedelta
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.assessments.helpers import ANNEX, bottom, finished, open_stay, top
from yiyang.assessments import services
from yiyang.assessments.instruments.gbt42195 import LEVEL_FULL_NAMES
from yiyang.assessments.models import AdmissionAssessment, Assessment
from yiyang.core.models import AuditEvent
from yiyang.residents.models import HealthProfile, KeyPopulationRecord


def _pdftotext(pdf: bytes, tmp_path: Path) -> str:
    exe = shutil.which("pdftotext")
    if exe is None:
        pytest.skip("pdftotext is not installed (Debian poppler-utils; .ci/run installs it)")
    path = tmp_path / "report.pdf"
    path.write_bytes(pdf)
    return subprocess.run([exe, str(path), "-"], capture_output=True, text=True,
                          check=True).stdout


def test_the_form_saves_each_tap_and_finishes_with_two_assessors(cast) -> None:
    stay = open_stay(cast)
    nurse = cast.browser("nurse_a")
    response = nurse.post(reverse("assessments:start", args=[stay.person_id]),
                          {"instrument": "gbt42195", "reason": "first",
                           "assessed_on": timezone.localdate().isoformat()})
    record = Assessment.objects.get(person_id=stay.person_id)
    assert response.status_code == 302 and response["Location"] == reverse(
        "assessments:detail", args=[record.pk])
    page = nurse.get(response["Location"]).content.decode()
    assert "B.4.5" in page and "已评 0 / 26 项" in page and "附录 A 基本信息表" in page
    # One tap: the progress bar answers with the running score and the new version.
    tap = nurse.post(reverse("assessments:answer", args=[record.pk]), {"B.1.1": "3"},
                     HTTP_HX_REQUEST="true")
    text = tap.content.decode()
    assert tap.status_code == 200 and "已评 1 / 26 项" in text and ">3<" in text
    assert 'id="finalise-version" value="2"' in text
    # A finish attempt with items missing is refused and nothing is finalised.
    nurse.post(reverse("assessments:finalise", args=[record.pk]),
               {"version": 2, "second_assessor_id": cast.user("nurse_a2").pk})
    assert Assessment.objects.get(pk=record.pk).status == "draft"
    answers = {k: str(v) for k, v in bottom("gbt42195").items()}
    tap = nurse.post(reverse("assessments:answer", args=[record.pk]),
                     {**answers, **ANNEX, "annex_form": "1"}, HTTP_HX_REQUEST="true")
    assert "全部条目已评" in tap.content.decode()
    record.refresh_from_db()
    done = nurse.post(reverse("assessments:finalise", args=[record.pk]),
                      {"version": record.version,
                       "second_assessor_id": cast.user("nurse_a2").pk})
    assert done.status_code == 302
    record.refresh_from_db()
    assert record.status == "final" and record.level == 4


def _after(text: str, heading: str) -> str:
    """The first non-empty line after ``heading`` in extracted PDF text."""
    lines = [line.strip() for line in text.splitlines()]
    rest = lines[lines.index(heading) + 1:]
    return next(line for line in rest if line)


def test_one_level_in_page_pdf_api_and_register(cast, tmp_path: Path) -> None:
    stay = open_stay(cast)
    answers = top("gbt42195")
    for code in ("B.1.1", "B.1.2", "B.1.3", "B.1.4", "B.1.5", "B.1.6"):
        answers[code] = 0  # 90 − 24 = 66 → initial 轻度失能 (REFERENCE §2.3: 66–89)
    # A.4.1 痴呆 → C.4 clause 2 raises one level: final 中度失能 (REFERENCE §2.4).
    record = finished(cast, stay, "gbt42195", answers, context={**ANNEX, "diagnoses": ["痴呆"]})
    assert (record.total, record.outcome["details"]["initial_level"], record.level) == (66, 1, 2)
    final = LEVEL_FULL_NAMES[2]
    page = cast.browser("nurse_a").get(reverse("assessments:detail", args=[record.pk]))
    html = page.content.decode()
    assert f'<span class="level l2">{final}</span>' in html  # C.5, not C.3
    assert f"<p>{LEVEL_FULL_NAMES[1]}</p>" in html  # C.3 initial level
    pdf = cast.browser("nurse_a").get(reverse("assessments:report_pdf", args=[record.pk]))
    assert pdf["Content-Type"] == "application/pdf"
    text = _pdftotext(pdf.content, tmp_path)
    assert _after(text, "C.5 最终等级") == final and _after(text, "C.3 初步等级") == \
        LEVEL_FULL_NAMES[1]
    assert stay.person.name in text
    assert AuditEvent.objects.filter(action="assessments.report",
                                     object_id=str(record.pk)).exists()
    api = cast.api("nurse_a").get(f"/api/v1/assessments/{record.pk}").json()
    assert (api["level"], api["band_label"], api["total"]) == (2, final, 66)
    assert api["outcome"]["details"]["initial_level"] == 1
    # The register's disability input: the profile's 失能等级, and the current classification.
    profile = HealthProfile.objects.get(person_id=stay.person_id)
    assert (profile.disability_level, profile.get_disability_level_display()) == ("2", "中度失能")
    register = KeyPopulationRecord.objects.filter(person_id=stay.person_id, is_current=True).get()
    assert register.has_disability is True
    resident_page = cast.browser("nurse_a").get(reverse("residents:detail",
                                                        args=[stay.person_id]))
    assert "中度失能" in resident_page.content.decode()
    # A later assessment at full marks brings every one of them back to 能力完好.
    better = finished(cast, stay, "gbt42195", top("gbt42195"))
    assert better.level == 0
    assert cast.api("nurse_a").get(f"/api/v1/assessments/{better.pk}").json()["level"] == 0
    assert HealthProfile.objects.get(person_id=stay.person_id).disability_level == "0"


def test_the_due_list_shows_an_overdue_routine_and_a_fall(cast) -> None:
    today = timezone.localdate()
    old = open_stay(cast, before=today - timedelta(days=400))
    for code in ("gbt42195", "morse", "braden"):
        finished(cast, old, code, on=today - timedelta(days=200))
    fallen = open_stay(cast, before=today - timedelta(days=30))
    for code in ("gbt42195", "morse", "braden"):
        finished(cast, fallen, code, on=today - timedelta(days=20))
    services.report_trigger(actor=cast.actor("nurse_a"), person_id=fallen.person_id,
                            kind="fall", occurred_on=today - timedelta(days=1),
                            note="夜间如厕跌倒")
    page = cast.browser("nurse_a").get(reverse("assessments:due"), {"q": old.person.name})
    text = page.content.decode()
    assert page.status_code == 200
    rows = [r for r in text.split("<tr") if old.person.name in r]
    # gbt42195: 200 days ago + 180 → 20 days late; morse 200 − 90 = 110; braden 170.
    assert any("常规评估" in r and "逾期 20 天" in r for r in rows)
    text = cast.browser("nurse_a").get(reverse("assessments:due"),
                                       {"q": fallen.person.name}).content.decode()
    fall_rows = [r for r in text.split("<tr") if fallen.person.name in r]
    # The fall of yesterday: due within 3 days, not yet late.
    assert any("即时评估" in r and "跌倒" in r and "待评估" in r for r in fall_rows)
    overdue_only = cast.browser("nurse_a").get(
        reverse("assessments:due"), {"q": fallen.person.name, "overdue": "on"},
        HTTP_HX_REQUEST="true").content.decode()
    assert "即时评估" not in overdue_only


def test_history_page_draws_the_scores(cast) -> None:
    stay = open_stay(cast)
    today = timezone.localdate()
    finished(cast, stay, "braden", top("braden"), on=today - timedelta(days=2))
    finished(cast, stay, "braden", bottom("braden"), on=today)
    page = cast.browser("nurse_a").get(reverse("assessments:history", args=[stay.person_id]))
    text = page.content.decode()
    start = text.index('id="history-chart"')
    chart = json.loads(text[text.index(">", start) + 1:text.index("</script>", start)])
    assert chart["type"] == "line" and len(chart["categories"]) == 2
    # Braden totals: every item at its top is 23, at its bottom 6 (REFERENCE §5.2).
    assert chart["series"][0]["data"] == [23, 6]


def test_admission_page_starts_the_bundle_and_regulators_only_read(cast) -> None:
    stay = open_stay(cast)
    url = reverse("assessments:admission", args=[stay.pk])
    assert "开始入院评估" in cast.browser("nurse_a").get(url).content.decode()
    response = cast.browser("nurse_a").post(url, {"health_status": "糖尿病，血糖平稳",
                                                  "service_needs": ["daily_care", "nutrition"]})
    assert response.status_code == 302
    bundle = AdmissionAssessment.objects.get(stay=stay)
    assert bundle.service_needs == ["daily_care", "nutrition"]
    assert Assessment.objects.filter(bundle=bundle).count() == 3
    officer = cast.browser("officer_x")
    assert officer.get(url).status_code == 200
    assert officer.post(url, {"health_status": "x"}).status_code == 403


def test_triggers_and_corrections_from_the_pages(cast) -> None:
    stay = open_stay(cast)
    nurse = cast.browser("nurse_a")
    response = nurse.post(reverse("assessments:trigger", args=[stay.person_id]),
                          {"kind": "choking", "occurred_on": timezone.localdate().isoformat()})
    assert response.status_code == 302
    record = finished(cast, stay, "morse", top("morse"))
    response = nurse.post(reverse("assessments:correct", args=[record.pk]), {"note": "复核"})
    fix = Assessment.objects.get(corrects=record)
    assert response["Location"] == reverse("assessments:detail", args=[fix.pk])
    # A caregiver may read the report but not correct it.
    assert cast.browser("care_a1").post(reverse("assessments:correct", args=[fix.pk]),
                                        {"note": "x"}).status_code in (403, 409)


def test_lists_have_empty_states(cast) -> None:
    page = cast.browser("nurse_a").get(reverse("assessments:list") + "?instrument=tcm&status=draft")
    assert page.status_code == 200
