"""Near-duplicate detection on real-looking Chinese news texts, and its speed over thousands of items."""

from __future__ import annotations

import random
import time

from xiaoneng.publicity import similarity

BASE = ("11月20日，甲县卫生健康局组织县人民医院、县中医院专家团队深入偏远乡镇开展“健康义诊进乡村”活动。"
        "专家们为村民提供血压血糖测量、慢性病用药指导和健康咨询服务，现场发放宣传资料500余份，义诊群众320人次。")
PHRASES = ["家庭医生签约服务", "基本公共卫生服务", "健康扶贫", "医联体建设", "院感防控培训", "疫苗接种",
           "慢性病管理", "妇幼健康", "中医药文化", "爱国卫生运动", "健康素养", "急救技能培训", "分级诊疗"]


def random_text(rng: random.Random) -> str:
    return "，".join(f"{rng.choice(['东城区', '西城区', '市一院', '市疾控中心'])}推进{rng.choice(PHRASES)}"
                    f"工作{rng.randrange(10, 999)}人次" for _ in range(8)) + "。"


def test_html_and_punctuation_do_not_matter():
    assert similarity.plain_text("<p>健康，<b>义诊</b>！</p>") == "健康义诊"
    assert similarity.jaccard(similarity.shingles(f"<p>{BASE}</p>"), similarity.shingles(BASE)) == 1.0


def test_a_reworded_copy_is_found_and_an_unrelated_text_is_not():
    copy = BASE.replace("甲县卫生健康局", "乙市人民医院").replace("500余份", "600余份")
    unrelated = "为做好冬春季传染病防控工作，乙市人民医院感染管理科开展院感防控专项培训，全院200余名医护人员参加。"
    candidates = [("copy", similarity.sketch(copy)), ("other", similarity.sketch(unrelated))]
    texts = {"copy": copy, "other": unrelated}
    match = similarity.best_match(BASE, candidates, threshold=0.6, text_of=lambda keys: {k: texts[k] for k in keys})
    assert match is not None and match.key == "copy" and match.similarity >= 0.6
    assert similarity.best_match(unrelated, [("copy", similarity.sketch(copy))], threshold=0.6,
                                 text_of=lambda keys: {k: texts[k] for k in keys}) is None


def test_comparing_with_three_thousand_items_is_fast():
    rng = random.Random(5)
    texts = {i: random_text(rng) for i in range(3000)}
    texts[1234] = BASE
    sketches = [(k, similarity.sketch(v)) for k, v in texts.items()]
    start = time.perf_counter()
    match = similarity.best_match(BASE.replace("320人次", "330人次"), sketches, threshold=0.6,
                                  text_of=lambda keys: {k: texts[k] for k in keys})
    elapsed = time.perf_counter() - start
    assert match is not None and match.key == 1234
    assert elapsed < 2.0  # milliseconds on an idle machine; generous for a busy CI box
