"""Reuse is found in every script: combining marks stay inside their words whatever the Unicode
form, and text written without spaces (Chinese, Japanese, Thai) is compared character by
character, with offsets exact in both copies."""

from __future__ import annotations

import unicodedata

import pytest
from conftest import article, story

from syndet.detector import Detector
from syndet.text.normalize import words, words_with_offsets

SENTENCES = {
    "urdu": "وزیر اعظم نے پیر کو اسلام آباد میں ایک اجلاس کی صدارت کی جس میں ملک کی معاشی صورتحال، مہنگائی اور "
            "توانائی کے بحران پر تفصیلی غور کیا گیا اور آئندہ کے لائحہ عمل کی منظوری دی گئی۔",
    "hindi": "केंद्र सरकार ने सोमवार को कहा कि देश भर में टीकाकरण अभियान को और तेज किया जाएगा तथा सभी राज्यों को "
             "अतिरिक्त खुराक भेजी जाएगी ताकि राष्ट्रपति के निर्देशों का पालन समय पर हो सके।",
    "arabic": "أكد وزير الخارجية خلال مؤتمر صحفي عقده اليوم في العاصمة أن الحكومة ستواصل جهودها الدبلوماسية من أجل "
              "التوصل إلى حل سلمي للأزمة وأن المفاوضات ستستأنف الأسبوع المقبل.",
    "russian": "Президент России провёл в понедельник совещание с членами правительства, на котором обсуждались "
               "вопросы экономического развития, поддержки регионов и строительства новой инфраструктуры.",
    "chinese": "国务院总理十日主持召开国务院常务会议，部署进一步稳定经济运行的政策措施，要求各地区各部门抓好落实，"
               "确保各项措施尽快见到实效。",
    "japanese": "米国務省は十日、ロシアとの戦略的安定対話をジュネーブで開いたと発表し、両国の代表団が軍備管理や"
                "ウクライナ情勢について意見を交わしたと明らかにした。",
    "thai": "นายกรัฐมนตรีกล่าวในวันจันทร์ว่ารัฐบาลจะเร่งดำเนินการฉีดวัคซีนให้ครอบคลุมประชาชนทั่วประเทศโดยเร็วที่สุด"
            "และจะจัดสรรงบประมาณเพิ่มเติมให้แก่โรงพยาบาลในต่างจังหวัด",
    "korean": "정부는 10일 사회적 거리두기 조정안을 발표하고 다음 주부터 사적 모임 인원 제한을 완화하기로 했다고 "
              "밝혔으며 방역 당국은 확산세를 계속 지켜보겠다고 덧붙였다.",
}


@pytest.mark.parametrize("script", sorted(SENTENCES))
def test_words_are_the_same_in_every_unicode_form(script: str) -> None:
    text = SENTENCES[script]
    expected = words(unicodedata.normalize("NFC", text))
    assert len(expected) >= 15
    # NFD is how decomposed text arrives (macOS file names, some editors); NFKD is left out, as it
    # splits the Thai vowel SARA AM, a letter of its own, into a mark and a vowel.
    for form in ("NFD", "NFKC"):
        variant = unicodedata.normalize(form, text)
        assert words(variant) == expected, form
        found, starts, ends = words_with_offsets(variant)
        assert found == expected
        assert all(variant[s:e].strip() and not variant[s].isspace() for s, e in zip(starts, ends, strict=True))


def test_text_without_spaces_is_one_token_per_character() -> None:
    assert words("国务院总理")[:3] == ["国", "务", "院"]
    assert words("ジュネーブ") == words(unicodedata.normalize("NFD", "ジュネーブ")) == ["ジ", "ュ", "ネ", "ー", "ブ"]
    assert words("ไม่มี") == ["ไ", "ม่", "มี"]
    assert words("क्षत्रिय") == ["क्षत्रिय"]  # a conjunct is one word


@pytest.mark.parametrize("script", sorted(SENTENCES))
def test_a_shared_paragraph_is_found_in_either_form(script: str) -> None:
    shared = SENTENCES[script]
    a_text = story(800, 1) + "\n" + shared + "\n\n" + story(801, 1)
    copy = unicodedata.normalize("NFD", shared)
    b_text = story(802, 2) + "\n" + copy + "\n\n" + story(803, 1)
    result = Detector().scan([article("a", a_text), article("b", b_text)])
    (passage,) = [p for p in result.passages if set(p.article_ids) == {"a", "b"}]
    spans = {s.article_id: s for s in passage.spans}
    assert spans["a"].start == a_text.index(shared)
    assert spans["b"].start == b_text.index(copy)
    assert spans["a"].end >= a_text.index(shared) + len(shared) - 2
    assert spans["b"].end >= b_text.index(copy) + len(copy) - 2
