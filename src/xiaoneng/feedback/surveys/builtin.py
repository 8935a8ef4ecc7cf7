"""Built-in questionnaires the office starts from (it may change them before the first answer)."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _

SATISFIED_3 = ["满意", "基本满意", "不满意"]


@dataclass(frozen=True)
class BuiltinQuestion:
    kind: str
    text: str
    choices: list[str] = field(default_factory=list)
    satisfied: list[int] = field(default_factory=list)
    required: bool = True
    scale_max: int = 5


@dataclass(frozen=True)
class BuiltinQuestionnaire:
    key: str
    label: object
    title: str
    description: str
    method: str  # the distribution method it is meant for
    questions: list[BuiltinQuestion]


def _satisfaction(text: str) -> BuiltinQuestion:
    return BuiltinQuestion("single", text, SATISFIED_3, [0, 1])


BUILTIN_QUESTIONNAIRES: dict[str, BuiltinQuestionnaire] = {
    q.key: q for q in [
        BuiltinQuestionnaire(
            key="inpatient_doctors_nurses",
            label=_("Inpatients rate doctors and nurses"),
            title="住院患者评议医生护士",
            description="本问卷不记录您的姓名、电话和设备信息，请放心如实填写。您的评价将用于改进医疗服务。",
            method="link",
            questions=[
                _satisfaction("您对医生的服务态度是否满意？"),
                BuiltinQuestion("single", "医生是否向您清楚地说明病情和治疗方案？", ["清楚", "基本清楚", "不清楚"], [0, 1]),
                _satisfaction("您对护士的服务态度是否满意？"),
                BuiltinQuestion("single", "护士是否及时回应您的呼叫？", ["及时", "基本及时", "不及时"], [0, 1]),
                BuiltinQuestion("single", "医护人员有无索要、收受红包或吃请等行为？", ["没有", "有"], [0]),
                BuiltinQuestion("rating", "请为本次住院的总体感受打分（5分为最好）", [], [4, 5]),
                BuiltinQuestion("text", "您的意见和建议", required=False),
            ],
        ),
        BuiltinQuestionnaire(
            key="outpatient_satisfaction",
            label=_("Outpatient satisfaction"),
            title="门诊患者满意度调查",
            description="本问卷不记录您的姓名、电话和设备信息，请放心如实填写。",
            method="link",
            questions=[
                BuiltinQuestion("single", "您对挂号、候诊等待时间是否满意？", SATISFIED_3, [0, 1]),
                _satisfaction("您对接诊医生的服务态度是否满意？"),
                _satisfaction("您对收费、取药窗口的服务是否满意？"),
                _satisfaction("您对门诊环境卫生和就诊秩序是否满意？"),
                BuiltinQuestion("rating", "请为本次就诊的总体满意度打分（5分为最好）", [], [4, 5]),
                BuiltinQuestion("text", "您的意见和建议", required=False),
            ],
        ),
        BuiltinQuestionnaire(
            key="cadres_rate_leadership",
            label=_("Mid-level cadres rate the leadership"),
            title="中层干部评议领导班子",
            description="请凭发放的一次性评议码填写。评议码只能使用一次，系统不记录评议码与评议结果的对应关系。",
            method="codes",
            questions=[
                BuiltinQuestion("single", "领导班子贯彻落实上级决策部署情况", ["好", "较好", "一般", "差"], [0, 1]),
                BuiltinQuestion("single", "领导班子工作作风和服务效能", ["好", "较好", "一般", "差"], [0, 1]),
                BuiltinQuestion("single", "领导班子廉洁自律情况", ["好", "较好", "一般", "差"], [0, 1]),
                BuiltinQuestion("single", "领导班子民主决策和团结协作情况", ["好", "较好", "一般", "差"], [0, 1]),
                BuiltinQuestion("single", "对领导班子的总体评价", ["满意", "基本满意", "不满意"], [0, 1]),
                BuiltinQuestion("text", "对领导班子的意见和建议", required=False),
            ],
        ),
    ]
}
