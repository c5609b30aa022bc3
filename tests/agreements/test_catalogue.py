"""The agreement vocabularies (REFERENCE §3.2–§3.4, seed 003 and its annex).

No database.  Expected values are copied from REFERENCE §3.3/§3.4 and the annex of
浙卫发〔2022〕11号 (seed 003), never produced by the code under test.
"""

from __future__ import annotations

import dataclasses

import pytest
from hypothesis import given
from hypothesis import strategies as st

from yiyang.agreements import catalogue
from yiyang.agreements.catalogue import (
    AGREEMENT_CLAUSES,
    CATALOGUE,
    CATALOGUE_VERSION,
    FEE_FACTOR_LABELS,
    MEDICAL_TYPES,
    MODES,
    CooperationMode,
    FeeFactor,
    Provider,
    check_fee_factors,
    check_items,
    check_modes,
    item,
    mode,
    provider_advice,
    typical_items,
)

# The annex's 项目 column, item by item.
CATEGORIES = {
    1: "基本公共卫生服务项目",
    2: "基本公共卫生服务项目",
    3: "基本公共卫生服务项目",
    4: "基本公共卫生服务项目",
    5: "疾病诊疗服务",
    6: "医疗康复服务",
    7: "医疗护理服务",
    8: "中医药服务",
    9: "精神卫生服务",
    10: "安宁疗护服务",
    11: "家庭病床服务",
    12: "急诊急救绿色通道服务",
    13: "双向转诊服务",
    14: "药事管理指导",
    15: "传染病防控和院内感染风险防控指导",
    16: "专业培训",
    17: "远程医疗服务",
}
# REFERENCE §3.4 "who": basic (1–4 for primary care, 5), TCM-qualified (8), hospitals (12),
# everything else "if capable".
PROVIDERS = {
    **dict.fromkeys(range(1, 18), Provider.IF_CAPABLE),
    1: Provider.BASIC_PRIMARY,
    2: Provider.BASIC_PRIMARY,
    3: Provider.BASIC_PRIMARY,
    4: Provider.BASIC_PRIMARY,
    5: Provider.BASIC,
    8: Provider.TCM_QUALIFIED,
    12: Provider.HOSPITAL_GRADE_II,
}
MODE_LABELS = {
    "patrol": "巡诊",
    "trusteeship": "托管",
    "station": "设置医疗服务站点",
    "resident_staff": "长期派驻医务人员",
    "multi_site": "多点执业",
    "referral": "双向转诊",
    "telemed": "远程医疗",
    "green_channel": "急诊急救绿色通道",
    "aftercare": "后期康复护理场所",
}
PRIMARY_FOCUS = (1, 2, 3, 4, 5, 8, 11)  # 基本公卫, 疾病诊疗, 中医药, 家庭病床
CARE_FOCUS = (6, 7, 10, 16)  # 医疗康复, 医疗护理, 安宁疗护, 专业培训
HOSPITAL_FOCUS = (5, 8, 12, 16)  # 疾病诊疗, 中医药, 急诊急救绿色通道, 专业培训


# ---------------------------------------------------------------------------------- catalogue


def test_seventeen_items_numbered_in_annex_order() -> None:
    assert [i.number for i in CATALOGUE] == list(range(1, 18))
    assert {i.number: i.category for i in CATALOGUE} == CATEGORIES


def test_who_provides_each_item() -> None:
    assert {i.number: i.provider for i in CATALOGUE} == PROVIDERS
    assert item(8).note == "有中医药服务资质和能力的医疗卫生机构开展"
    assert item(12).note == "有条件的医院开展"
    assert item(5).note == "基本项目"
    assert item(1).note == "基层医疗卫生机构基本项目，其中，健康体检 1 次/年"
    assert Provider.IF_CAPABLE.label == "有条件的医疗卫生机构开展"


def test_the_one_stated_frequency_is_a_yearly_health_check() -> None:
    assert {i.number: i.frequency for i in CATALOGUE if i.frequency} == {2: "健康体检 1 次/年"}


@pytest.mark.parametrize(
    ("number", "words"),
    [
        (2, ("居民健康档案", "65 岁", "高血压", "2 型糖尿病", "家庭医生")),
        (5, ("常见病", "长期处方")),
        (7, ("管路护理", "压疮管理", "护理需求评估")),
        (11, ("诊断明确", "病情稳定")),
        (12, ("二级以上", "急危重症")),
        (14, ("摆药", "合理用药")),
        (15, ("医疗废弃物", "疫情监测")),
    ],
)
def test_contents_carry_the_annex_terms(number, words) -> None:
    assert all(w in item(number).content for w in words)


def test_catalogue_data_is_immutable() -> None:
    assert isinstance(CATALOGUE, tuple)
    with pytest.raises(dataclasses.FrozenInstanceError):
        CATALOGUE[0].number = 99  # type: ignore[misc]
    with pytest.raises(TypeError):
        MODES[CooperationMode.PATROL] = MODES[CooperationMode.STATION]  # type: ignore[index]
    with pytest.raises(TypeError):
        FEE_FACTOR_LABELS[FeeFactor.OTHER] = "x"  # type: ignore[index]


def test_version_and_sources_are_cited() -> None:
    assert CATALOGUE_VERSION == "zhejiang-2022-11@1"
    doc = catalogue.__doc__ or ""
    assert "浙卫发〔2022〕11号" in doc and "REFERENCE §3.4" in doc and "seed 003" in doc


@pytest.mark.parametrize(
    ("given_", "expected"),
    [
        ([1], (1,)),
        ([17, 3, 5], (3, 5, 17)),
        (range(1, 18), tuple(range(1, 18))),
    ],
)
def test_check_items_accepts_and_sorts(given_, expected) -> None:
    assert check_items(given_) == expected


@pytest.mark.parametrize(
    ("bad", "message"),
    [
        ([], "至少应选择一项服务项目"),
        ([0], "没有第 0 项"),
        ([18], "没有第 18 项"),
        ([2, 2], "第 2 项重复"),
        (["1"], "必须是整数"),
        ([True], "必须是整数"),
        ([1.0], "必须是整数"),
    ],
)
def test_check_items_refuses(bad, message) -> None:
    with pytest.raises(ValueError, match=message):
        check_items(bad)
    if bad in ([0], [18]):
        with pytest.raises(ValueError):
            item(bad[0])


# ---------------------------------------------------------------------------------- modes


def test_nine_modes_with_their_labels() -> None:
    assert [m.value for m in CooperationMode] == list(MODE_LABELS)
    assert {m.value: info.label for m, info in MODES.items()} == MODE_LABELS
    assert all(info.code is m and info.description for m, info in MODES.items())


def test_mode_conditions_from_seed_003() -> None:
    needs_unit = {m.value for m, info in MODES.items() if info.needs_home_medical_unit}
    assert needs_unit == {"multi_site", "referral", "telemed", "aftercare"}
    assert {m.value: info.min_grade for m, info in MODES.items() if info.min_grade} == {
        "green_channel": 2
    }
    assert mode("aftercare").medical_types == frozenset({"general", "tcm"})
    assert {m.value: info.item for m, info in MODES.items() if info.item} == {
        "referral": 13,
        "telemed": 17,
        "green_channel": 12,
    }


def test_check_modes_returns_catalogue_order() -> None:
    assert check_modes(["telemed", "patrol"]) == (CooperationMode.PATROL, CooperationMode.TELEMED)
    assert check_modes([CooperationMode.AFTERCARE]) == (CooperationMode.AFTERCARE,)


@pytest.mark.parametrize(
    ("bad", "message"),
    [
        ([], "至少应选择一种合作方式"),
        (["PATROL"], "未知的合作方式"),
        (["visit"], "未知的合作方式"),
        ([3], "未知的合作方式"),
        (["patrol", "patrol"], "“巡诊”重复"),
    ],
)
def test_check_modes_refuses(bad, message) -> None:
    with pytest.raises(ValueError, match=message):
        check_modes(bad)


# ---------------------------------------------------------------------------------- fee


def test_fee_factors_of_seed_003() -> None:
    assert list(FEE_FACTOR_LABELS.values()) == [
        "当地经济发展水平",
        "养老服务机构规模",
        "入住老年人健康状况",
        "医疗卫生服务工作量",
        "医疗卫生人员职称",
        "机构间距离",
        "养老服务机构提供设施设备支持",
        "其他因素",
    ]
    assert "单列备查账" in catalogue.FEE_MEMO_ACCOUNT_NOTE


def test_check_fee_factors() -> None:
    assert check_fee_factors([]) == ()
    assert check_fee_factors(["distance", "economy"]) == (FeeFactor.ECONOMY, FeeFactor.DISTANCE)
    with pytest.raises(ValueError, match="未知的经费确定因素"):
        check_fee_factors(["price"])
    with pytest.raises(ValueError, match="“机构间距离”重复"):
        check_fee_factors(["distance", "distance"])


def test_the_clauses_of_a_written_agreement() -> None:
    assert list(AGREEMENT_CLAUSES.values()) == [
        "服务项目",
        "合作方式",
        "合作期限",
        "双方责任",
        "合作经费",
        "巡诊周期",
    ]


# ---------------------------------------------------------------------------------- focus


@pytest.mark.parametrize(
    ("kind", "grade", "unit", "expected"),
    [
        ("township_hc", "", False, PRIMARY_FOCUS),
        ("community_hc", "1", False, PRIMARY_FOCUS),
        ("rehab", "", False, CARE_FOCUS),
        ("nursing", None, False, CARE_FOCUS),
        ("hospice", "", False, CARE_FOCUS),
        ("general", "2", False, HOSPITAL_FOCUS),
        ("tcm", 3, False, HOSPITAL_FOCUS),
        ("general", "1", False, ()),  # seed 003 names a focus for grade II and above only
        ("general", "", False, ()),
        ("village_clinic", "", False, ()),
        ("other", "", False, ()),
        ("township_hc", "", True, (1, 2, 3, 4, 5, 8, 11, 13, 17)),  # + referral, telemedicine
        ("general", "1", True, (13, 17)),
        ("general", "3", True, (5, 8, 12, 13, 16, 17)),
    ],
)
def test_typical_items(kind, grade, unit, expected) -> None:
    assert typical_items(kind, grade, home_has_medical_unit=unit) == expected


@pytest.mark.parametrize(("kind", "grade"), [("clinic", ""), ("general", "4"), ("general", True)])
def test_typical_items_refuses_unknown_types_and_grades(kind, grade) -> None:
    with pytest.raises(ValueError, match="未知的"):
        typical_items(kind, grade)


def test_advice_for_a_fitting_choice_is_empty() -> None:
    assert (
        provider_advice(
            items=[1, 2, 5, 11], modes=["patrol"], institution_type="township_hc", grade="1"
        )
        == ()
    )
    assert (
        provider_advice(
            items=[5, 12, 13],
            modes=["green_channel", "referral", "aftercare"],
            institution_type="general",
            grade="3",
            home_has_medical_unit=True,
        )
        == ()
    )


def test_advice_names_each_departure() -> None:
    hints = provider_advice(
        items=[1, 8, 12],
        modes=["green_channel", "aftercare", "telemed"],
        institution_type="rehab",
        grade="1",
        tcm_qualified=False,
        home_has_medical_unit=False,
    )
    assert hints == (
        "第 1 项（基本公共卫生服务项目）为基层医疗卫生机构基本项目",
        "第 8 项（中医药服务）需有中医药服务资质和能力",
        "第 12 项（急诊急救绿色通道服务）应由二级及以上医院提供",
        "合作方式“远程医疗”需要养老服务机构设有内设医疗机构",
        "选择了合作方式“远程医疗”，服务项目中宜包含第 17 项",
        "合作方式“急诊急救绿色通道”应由二级及以上医院提供",
        "合作方式“后期康复护理场所”适用于综合医院、中医医院",
        "合作方式“后期康复护理场所”需要养老服务机构设有内设医疗机构",
    )


def test_unknown_facts_give_no_hint() -> None:
    # tcm_qualified / home_has_medical_unit left as None: nothing is assumed.
    assert provider_advice(items=[8, 17], modes=["telemed"], institution_type="township_hc") == ()


def test_medical_types_mirror_the_orgs_model() -> None:
    from yiyang.orgs.models import MedicalInstitution

    assert dict(MEDICAL_TYPES) == dict(MedicalInstitution.Type.choices)


# ---------------------------------------------------------------------------------- properties


@given(st.sets(st.integers(1, 17), min_size=1), st.randoms())
def test_any_subset_in_any_order_is_accepted_sorted(chosen, rnd) -> None:
    order = list(chosen)
    rnd.shuffle(order)
    assert check_items(order) == tuple(sorted(chosen))


@given(st.lists(st.integers(-50, 50), min_size=1))
def test_a_number_outside_1_to_17_is_always_refused(numbers) -> None:
    if any(not 1 <= n <= 17 for n in numbers) or len(set(numbers)) != len(numbers):
        with pytest.raises(ValueError):
            check_items(numbers)
    else:
        assert check_items(numbers) == tuple(sorted(numbers))


@given(st.sets(st.sampled_from(list(MODE_LABELS)), min_size=1))
def test_any_set_of_modes_is_accepted(codes) -> None:
    assert {m.value for m in check_modes(sorted(codes))} == codes


@given(
    st.sampled_from(list(MEDICAL_TYPES)),
    st.sampled_from(["", "1", "2", "3"]),
    st.booleans(),
)
def test_typical_items_are_catalogue_items_and_advice_never_refuses(kind, grade, unit) -> None:
    numbers = typical_items(kind, grade, home_has_medical_unit=unit)
    assert set(numbers) <= set(range(1, 18))
    assert list(numbers) == sorted(set(numbers))
    hints = provider_advice(
        items=range(1, 18),
        modes=list(MODE_LABELS),
        institution_type=kind,
        grade=grade,
        home_has_medical_unit=unit,
    )
    assert all(isinstance(h, str) for h in hints)
