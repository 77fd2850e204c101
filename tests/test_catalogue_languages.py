"""The bundled catalogue knows agencies by the credits and datelines they carry in the languages
news is written in. Every form below is the shape the agency's own copy takes (dateline or credit
line, with the opening words of a story); each must name its agency, and a story carrying one
must come out as that agency's copy when another outlet runs it."""

from __future__ import annotations

import pytest
from conftest import article, story

from syndet.attribution.evidence import article_signs, load_catalogue
from syndet.detector import Detector
from syndet.text.segment import split_paragraphs

CATALOGUE = load_catalogue()

FORMS = [
    # Urdu (Pakistan)
    ("APP", "اسلام آباد (اے پی پی) وزیر اعظم نے پیر کو کہا کہ حکومت معیشت کی بہتری کے لیے اقدامات کر رہی ہے۔"),
    ("APP", "ISLAMABAD, Jan 10 (APP): Prime Minister on Monday said the government was taking steps."),
    ("INP", "لاہور (آئی این پی) پنجاب حکومت نے صوبے بھر میں تعلیمی ادارے کھولنے کا فیصلہ کیا ہے۔"),
    ("NNI", "کراچی (این این آئی) سندھ ہائی کورٹ نے شہری کی درخواست پر حکومت سے جواب طلب کر لیا۔"),
    # Hindi (India)
    ("PTI", "नयी दिल्ली, 10 जनवरी (भाषा) केंद्र सरकार ने सोमवार को कहा कि टीकाकरण अभियान तेज किया जाएगा।"),
    ("PTI", "मुंबई, 10 जनवरी (पीटीआई) शेयर बाजार में सोमवार को लगातार तीसरे दिन तेजी रही।"),
    ("UNI", "नयी दिल्ली, 10 जनवरी (वार्ता) कांग्रेस ने सोमवार को सरकार पर महंगाई को लेकर निशाना साधा।"),
    ("IANS", "नई दिल्ली, 10 जनवरी (आईएएनएस)। राजधानी में सोमवार को न्यूनतम तापमान गिर गया।"),
    # Arabic and Persian
    ("WAFA", "رام الله 10-1-2022 وفا- قال رئيس الوزراء إن الحكومة ستواصل جهودها لدعم الاقتصاد."),
    ("SANA", "دمشق-سانا أكد وزير الخارجية والمغتربين أن سوريا ماضية في مكافحة الإرهاب."),
    ("QNA", "الدوحة في 10 يناير /قنا/ أكد سعادة وزير الدولة للشؤون الخارجية أهمية الحوار."),
    ("MENA", "القاهرة (أ ش أ) أكد وزير الخارجية أهمية تعزيز التعاون بين البلدين الشقيقين."),
    ("IRNA", "به گزارش ایرنا، وزیر امور خارجه روز دوشنبه با همتای خود دیدار و گفت‌وگو کرد."),
    # Spanish, Portuguese, French, German, Italian
    ("EFE", "MADRID, 10 ene (EFE).- El Gobierno español aprobó este lunes un nuevo paquete de ayudas."),
    ("Europa Press", "MADRID, 10 (EUROPA PRESS) - El Gobierno ha aprobado este lunes el decreto."),
    ("Lusa", "Lisboa, 10 jan 2022 (Lusa) - O Governo aprovou hoje em Conselho de Ministros o decreto."),
    ("Agência Brasil", "O governo federal anunciou nesta segunda-feira novas medidas.\n\nFonte: Agência Brasil"),
    ("AFP", "PARIS (AFP) - Le gouvernement a annoncé lundi de nouvelles mesures contre l'inflation."),
    ("dpa", "Berlin (dpa) - Die Bundesregierung hat am Montag neue Maßnahmen beschlossen."),
    ("ANSA", "(ANSA) - ROMA, 10 GEN - Il governo ha approvato oggi il nuovo decreto sulle bollette."),
    # Russian
    ("TASS", "МОСКВА, 10 января. /ТАСС/. Президент России провел в понедельник совещание с членами правительства."),
    ("RIA Novosti", "МОСКВА, 10 янв – РИА Новости. Президент России провел совещание с членами правительства."),
    ("Interfax", "МОСКВА. 10 января. ИНТЕРФАКС - Президент России провел совещание с членами правительства."),
    # Chinese, Japanese, Korean
    ("Xinhua", "新华社北京1月10日电 国务院总理10日主持召开国务院常务会议，部署稳定经济运行的措施。"),
    ("China News Service", "中新社北京1月10日电 中国外交部发言人10日在例行记者会上回答了记者提问。"),
    ("Kyodo", "【ワシントン共同】米国務省は10日、ロシアとの戦略的安定対話をジュネーブで開いたと発表した。"),
    ("Jiji", "【ワシントン時事】米国務省は10日、ロシアとの戦略的安定対話をジュネーブで開いたと発表した。"),
    ("Yonhap", "(서울=연합뉴스) 홍길동 기자 = 정부는 10일 사회적 거리두기 조정안을 발표했다."),
]


@pytest.mark.parametrize(("agency", "text"), FORMS, ids=[f"{a}-{n}" for n, (a, _) in enumerate(FORMS)])
def test_each_form_names_its_agency(agency: str, text: str) -> None:
    art = article("a", text + "\n")
    agencies = {s.evidence.agency for s in article_signs(art, split_paragraphs(art), CATALOGUE, 8)}
    assert agencies == {agency}


@pytest.mark.parametrize(("agency", "text"), [FORMS[0], FORMS[4], FORMS[8], FORMS[20], FORMS[23], FORMS[27]],
                         ids=["urdu", "hindi", "arabic", "russian", "chinese", "korean"])
def test_a_copy_of_the_agency_story_is_its_copy(agency: str, text: str) -> None:
    body = story(700, 3)
    wire = article("wire", text + "\n\n" + body)
    outlet = article("outlet", story(701, 1) + "\n\n" + body + "\n\n" + story(702, 1))
    result = Detector().scan([wire, outlet])
    (passage,) = [p for p in result.passages if set(p.article_ids) == {"wire", "outlet"}]
    assert passage.attribution is not None
    assert (passage.attribution.kind, passage.attribution.origin) == ("agency", agency)
    assert passage.attribution.source_article == "wire"


def test_no_agency_in_ordinary_text_of_those_languages() -> None:
    plain = ["وزیر اعظم نے پیر کو کہا کہ حکومت اقدامات کر رہی ہے۔", "सरकार ने कहा कि भाषा नीति पर चर्चा होगी।",
             "Президент России провел совещание.", "国务院总理主持召开常务会议。", "정부는 10일 조정안을 발표했다."]
    for text in plain:
        art = article("p", text + "\n")
        assert article_signs(art, split_paragraphs(art), CATALOGUE, 8) == (), text
