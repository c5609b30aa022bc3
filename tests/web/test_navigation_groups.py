"""The side menu is grouped under headings, each shown once and only with items the actor has."""

from __future__ import annotations

import pytest

from yiyang.web.navigation import NAV, menu_for, menu_groups_for

pytestmark = pytest.mark.django_db


def test_every_entry_below_the_top_three_has_a_heading() -> None:
    assert [i.label for i in NAV if not i.group] == ["工作台", "指标看板", "本机构"]


def test_groups_keep_the_menu_order_and_list_each_heading_once(cast) -> None:  # type: ignore[no-untyped-def]
    actor = cast.actor("admin_a")
    groups = menu_groups_for(actor)
    headings = [h for h, _ in groups]
    assert len(headings) == len(set(headings))
    assert headings[:3] == ["", "老人档案", "照护用药"]
    assert [i for _, items in groups for i in items] == menu_for(actor)
    assert all(items for _, items in groups)


def test_a_regulator_sees_no_heading_without_entries(cast) -> None:  # type: ignore[no-untyped-def]
    headings = dict(menu_groups_for(cast.actor("officer_x")))
    assert "疫情报告" in [i.label for i in headings["感染防控"]]
    assert "本班照护" not in [i.label for items in headings.values() for i in items]


def test_the_page_shows_the_headings(cast) -> None:  # type: ignore[no-untyped-def]
    page = cast.browser("nurse_a").get("/").content.decode()
    assert page.count('class="nav-group"') == len(menu_groups_for(cast.actor("nurse_a"))) - 1
    assert ">照护用药</div>" in page
