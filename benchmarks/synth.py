"""Seeded synthetic news corpus with exact syndication labels.

Real corpora with trustworthy passage labels are small, so speed and accuracy are measured on a
generated one. It holds agency wire stories (AP, Reuters, AFP, dpa, Xinhua, PTI) republished by
outlets with recorded edits, press releases (PR Newswire, Business Wire, GlobeNewswire) picked up
by outlets, outlet-to-outlet copies, quotations reproduced independently by two or three outlets,
and original articles on the same topics that share vocabulary but no long runs of text.

Records come out in publication order (article ids follow it) and every passage record comes
after all the articles it names, so a corpus of any size streams through a window of about
``max_lag_hours`` of articles. The same seed and size give the same bytes on any machine: only
``random.Random`` draws combined with exact arithmetic are used, never platform maths.

Passage labels: one record per source paragraph that appears in two or more articles (paragraphs
of fewer than ``min_label_words`` words, such as ``burs-mm/ach`` sign-offs, are too short to tell
from chance and are left out). ``spans`` give ``[start, end)`` offsets into each article's text;
a split paragraph is covered from its first half to its second, a merged one only in the part that
came from the source paragraph, a quotation only between its quote marks. ``edits`` maps every
copy (not the source) to the edits it shows: copy-wide ones (``trimmed``, ``local_inserted``,
``chrome``, ``headline_changed``) on each of its passages, paragraph ones (``dateline_removed``,
``us_rewrite``, ``quotes_stripped``, ``split``, ``merged``, ``reordered``, ``rewrite``) only on the
passages whose text or place they changed. Page chrome and local paragraphs are never labelled.
"""

from __future__ import annotations

import argparse
import bisect
import heapq
import json
import random
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, TextIO, TypeVar

EDIT_KINDS: tuple[str, ...] = (
    "dateline_removed",
    "trimmed",
    "split",
    "merged",
    "us_rewrite",
    "quotes_stripped",
    "local_inserted",
    "chrome",
    "reordered",
    "rewrite",
    "headline_changed",
    "light_rewrite",
    "partial",
    "embedded",
    "flattened",
    "heavy_rewrite",
    "mirror",
)
"""Every edit a copy can show, in the order they are listed in a passage's ``edits``."""

HARD_EDITS: tuple[str, ...] = ("light_rewrite", "partial", "embedded", "flattened", "heavy_rewrite", "mirror")
"""The edits only a hard corpus (``SynthConfig.hard``) makes."""

PASSAGE_KINDS: tuple[str, ...] = ("agency", "press_release", "quote", "republished")
"""Every ``kind`` a passage record can have."""

_EDIT_RANK = {name: i for i, name in enumerate(EDIT_KINDS)}


@dataclass(frozen=True)
class SynthConfig:
    """What to generate; every field has a default so a size and a seed are enough.

    Attributes:
        articles: Exact number of article records.
        seed: Seed of the only random generator; same seed and size, same bytes.
        start: Publication time of the first article (ISO 8601, UTC).
        articles_per_day: Publication rate, which sets the time span and the streaming window.
        original_share: Share of articles that are outlets' own, uncopied work.
        press_release_share: Share of articles that are press releases or their reprints.
        agency_copy_rate: Chance that the agency's or wire's own copy of a story is in the corpus.
        republish_rate: Chance that an outlet original is copied by other outlets.
        quote_rate: Chance that an outlet original comes with others quoting the same words.
        max_lag_hours: Latest a copy appears after its source.
        outlets: Number of outlets publishing copies and originals.
        min_label_words: Shortest source paragraph that gets a passage label.
        hard: Also make the edits of :data:`HARD_EDITS`: a careful republisher's light rewrite (a
            word changed every 8-15 words, a clause dropped, "said" turned into "told reporters",
            two sentences swapped), a copy that takes only 10-50% of the story among paragraphs of
            its own (``partial``), a copied paragraph inside a long paragraph of the outlet's own
            (``embedded``), a page that lost its paragraph breaks (``flattened``); a heavy rewrite
            that keeps only the quotations verbatim (``heavy_rewrite``); a mirror of a page under
            an archive's header (``mirror``); stories in Russian, Chinese, Japanese, Hindi, Urdu
            and Thai script (:func:`in_script`). Article records then also name their topic and
            unit (``topic``, ``unit``): articles of one topic but of different units are
            independent stories on the same news. Off, the corpus is byte for byte the one of
            earlier versions.
    """

    articles: int = 1000
    seed: int = 7
    start: str = "2022-01-03T00:00:00Z"
    articles_per_day: int = 400
    original_share: float = 0.40
    press_release_share: float = 0.04
    agency_copy_rate: float = 0.85
    republish_rate: float = 0.06
    quote_rate: float = 0.05
    max_lag_hours: int = 48
    outlets: int = 240
    min_label_words: int = 8
    hard: bool = False


# --------------------------------------------------------------------------------------------
# Word lists. Sizeable and varied so independent stories do not share 8-word runs by chance.
# --------------------------------------------------------------------------------------------


def _words(text: str) -> tuple[str, ...]:
    """The whitespace-separated words of a block of text, so long lists stay readable."""
    return tuple(text.split())


_FIRST = _words(
    """
    John Maria Ahmed Wei Olga Sergei Fatima Carlos Aiko Priya Rahul Elena Jean Pierre Hans Ingrid
    Kwame Amara Luis Ana Mohammed Yuki Chen Mei Dmitri Natalia Ivan Anna James Mary Robert Patricia
    Michael Linda David Elizabeth William Barbara Richard Susan Joseph Jessica Thomas Sarah Daniel
    Karen Matthew Nancy Anthony Lisa Mark Betty Paul Sandra Steven Ashley Andrew Emily Kenneth
    Michelle Joshua Amanda Kevin Melissa Brian Deborah George Stephanie Timothy Rebecca Ronald Laura
    Jason Helen Edward Sharon Jeffrey Cynthia Ryan Kathleen Jacob Amy Gary Angela Nicholas Shirley
    Eric Brenda Jonathan Emma Stephen Olivia Larry Catherine Justin Christine Scott Samantha Brandon
    Debra Benjamin Rachel Samuel Carolyn Gregory Janet Alexander Abdullah Omar Yusuf Hassan Leila
    Nadia Samir Tariq Youssef Amina Aisha Ibrahim Khalid Rania Hiroshi Kenji Haruto Sakura Takeshi
    Min-jun Ji-woo Seo-yeon Arjun Vikram Anjali Sunita Ravi Deepak Kavita Oluwaseun Chidi Ngozi Thabo
    Zanele Kofi Abena Mateo Sofia Valentina Diego Camila Javier Lucia Francesca Giulia Marco Luca
    Matteo Giovanni Katarzyna Piotr Tomasz Agnieszka Jan Lars Sven Astrid Freya Mikhail Yulia Oksana
    Taras Andriy Bogdan Mehmet Ayse Emre Zeynep Hamid Parisa Reza Shirin Farid Layla Karim Salma
    Joao Beatriz Rafael Gabriela Felipe Isabel Martin Claire Thierry Sophie Nicolas Camille Klaus
    Ursula Dieter Petra Henrik Maja Erik Sigrid Pavel Irina Viktor Svetlana Nikolai Tatiana Alexei
    Marta Jakub Zofia Ondrej Eva Milan Dragan Ana-Maria Stefan Ioana Nikos Eleni Dimitris Sipho
    Lindiwe Tendai Chipo Wanjiru Otieno Amadou Aminata Moussa Fatoumata Ousmane Rosa Pedro Carmen
    """
)

_LAST = _words(
    """
    Smith Johnson Ivanov Petrov Kovalenko Shevchenko Mueller Schmidt Schneider Fischer Weber Meyer
    Wagner Becker Dubois Martin Bernard Moreau Laurent Lefebvre Rossi Russo Ferrari Esposito Bianchi
    Romano Garcia Rodriguez Martinez Hernandez Lopez Gonzalez Perez Sanchez Ramirez Torres Flores
    Rivera Gomez Diaz Silva Santos Oliveira Souza Pereira Costa Wang Zhang Liu Chen Yang Huang Zhao
    Zhou Xu Sun Zhu Guo Lin Luo Gao Tanaka Suzuki Takahashi Watanabe Ito Yamamoto Nakamura Kobayashi
    Kato Sato Kim Lee Park Choi Jung Kang Cho Yoon Jang Lim Singh Kumar Sharma Patel Gupta Reddy Rao
    Nair Iyer Mehta Khan Ahmed Ali Hussain Rahman Hassan Haddad Nasser Khalil Mansour Okafor Adeyemi
    Mensah Owusu Nkosi Dlamini Mwangi Kamau Nowak Kowalski Wisniewski Novak Horvat Kovacs Nagy
    Popescu Ionescu Papadopoulos Andersson Johansson Karlsson Nilsson Hansen Jensen Nielsen Larsen
    Virtanen Korhonen Yilmaz Kaya Demir Celik O'Brien Murphy Kelly Walsh Byrne Brown Jones Miller
    Davis Wilson Anderson Taylor Thomas Moore Jackson White Harris Thompson Clark Lewis Robinson
    Walker Young Allen King Wright Scott Hill Green Adams Baker Nelson Carter Mitchell Roberts Turner
    Phillips Campbell Parker Evans Edwards Collins Stewart Morris Rogers Reed Cook Morgan Bell Cooper
    Richardson Cox Howard Ward Peterson Gray Watson Brooks Sanders Price Bennett Wood Barnes Ross
    Henderson Coleman Jenkins Perry Powell Long Patterson Hughes Butler Simmons Foster Bryant Russell
    Griffin Hayes Myers Ford Hamilton Graham Sullivan Wallace Woods Cole West Jordan Owens Reynolds
    Fisher Ellis Harrison Gibson McDonald Cruz Marshall Ortiz Murray Freeman Wells Webb Simpson
    Stevens Tucker Porter Hunter Hicks Crawford Henry Boyd Mason Kennedy Warren Dixon Burns Gordon
    Shaw Holmes Rice Robertson Hunt Black Daniels Palmer Mills Nichols Grant Knight Ferguson Rose
    Stone Hawkins Dunn Perkins Hudson Spencer Gardner Stephens Payne Pierce Berry Matthews Arnold
    Willis Ray Watkins Olson Carroll Duncan Snyder Hart Cunningham Bradley Lane Andrews Ruiz Harper
    Fox Riley Armstrong Carpenter Weaver Greene Lawrence Elliott Chavez Sims Austin Peters Kelley
    Franklin Lawson Moreno Castillo Vargas Romero Herrera Medina Aguilar Mendoza Rojas Navarro
    Kuznetsov Sokolov Popov Lebedev Kozlov Novikov Morozov Volkov Bondarenko Tkachenko Melnyk Boyko
    Hoffmann Richter Klein Wolf Neumann Schwarz Zimmermann Braun Hartmann Lange Krause Lehmann
    Girard Bonnet Dupont Lambert Fontaine Rousseau Vincent Muller Blanc Guerin Boyer Garnier Chevalier
    Marino Greco Bruno Gallo Conti DeLuca Mancini Costa Giordano Rizzo Lombardi Moretti Barbieri
    Fernandes Goncalves Rodrigues Almeida Carvalho Ribeiro Lima Araujo Barbosa Cardoso Teixeira
    Takeda Fujita Ogawa Okada Hasegawa Ishikawa Maeda Mori Ikeda Hashimoto Yoshida Yamada Sasaki
    Banerjee Chatterjee Mukherjee Das Bose Joshi Desai Shah Pillai Menon Chopra Malhotra Kapoor
    Abubakar Bello Danjuma Eze Nwosu Okonkwo Asante Boateng Appiah Ndlovu Moyo Zulu Banda Phiri
    """
)

# City, country, demonym. Countries keep their article ("the Netherlands").
_PLACES = tuple(
    tuple(line.strip().split("|"))
    for line in """
    Geneva|Switzerland|Swiss
    Zurich|Switzerland|Swiss
    London|Britain|British
    Manchester|Britain|British
    Paris|France|French
    Marseille|France|French
    Lyon|France|French
    Berlin|Germany|German
    Frankfurt|Germany|German
    Munich|Germany|German
    Hamburg|Germany|German
    Madrid|Spain|Spanish
    Barcelona|Spain|Spanish
    Rome|Italy|Italian
    Milan|Italy|Italian
    Naples|Italy|Italian
    Lisbon|Portugal|Portuguese
    Brussels|Belgium|Belgian
    Amsterdam|the Netherlands|Dutch
    Rotterdam|the Netherlands|Dutch
    The Hague|the Netherlands|Dutch
    Vienna|Austria|Austrian
    Warsaw|Poland|Polish
    Krakow|Poland|Polish
    Prague|the Czech Republic|Czech
    Budapest|Hungary|Hungarian
    Bucharest|Romania|Romanian
    Sofia|Bulgaria|Bulgarian
    Athens|Greece|Greek
    Belgrade|Serbia|Serbian
    Zagreb|Croatia|Croatian
    Stockholm|Sweden|Swedish
    Oslo|Norway|Norwegian
    Copenhagen|Denmark|Danish
    Helsinki|Finland|Finnish
    Dublin|Ireland|Irish
    Reykjavik|Iceland|Icelandic
    Tallinn|Estonia|Estonian
    Riga|Latvia|Latvian
    Vilnius|Lithuania|Lithuanian
    Kyiv|Ukraine|Ukrainian
    Kharkiv|Ukraine|Ukrainian
    Odesa|Ukraine|Ukrainian
    Moscow|Russia|Russian
    St. Petersburg|Russia|Russian
    Minsk|Belarus|Belarusian
    Tbilisi|Georgia|Georgian
    Yerevan|Armenia|Armenian
    Baku|Azerbaijan|Azerbaijani
    Ankara|Turkey|Turkish
    Istanbul|Turkey|Turkish
    Jerusalem|Israel|Israeli
    Tel Aviv|Israel|Israeli
    Beirut|Lebanon|Lebanese
    Damascus|Syria|Syrian
    Amman|Jordan|Jordanian
    Baghdad|Iraq|Iraqi
    Tehran|Iran|Iranian
    Riyadh|Saudi Arabia|Saudi
    Dubai|the United Arab Emirates|Emirati
    Doha|Qatar|Qatari
    Cairo|Egypt|Egyptian
    Tunis|Tunisia|Tunisian
    Algiers|Algeria|Algerian
    Rabat|Morocco|Moroccan
    Tripoli|Libya|Libyan
    Khartoum|Sudan|Sudanese
    Addis Ababa|Ethiopia|Ethiopian
    Nairobi|Kenya|Kenyan
    Kampala|Uganda|Ugandan
    Dar es Salaam|Tanzania|Tanzanian
    Kigali|Rwanda|Rwandan
    Lagos|Nigeria|Nigerian
    Abuja|Nigeria|Nigerian
    Accra|Ghana|Ghanaian
    Dakar|Senegal|Senegalese
    Bamako|Mali|Malian
    Kinshasa|Congo|Congolese
    Luanda|Angola|Angolan
    Harare|Zimbabwe|Zimbabwean
    Johannesburg|South Africa|South African
    Cape Town|South Africa|South African
    Mumbai|India|Indian
    New Delhi|India|Indian
    Bengaluru|India|Indian
    Kolkata|India|Indian
    Chennai|India|Indian
    Karachi|Pakistan|Pakistani
    Islamabad|Pakistan|Pakistani
    Dhaka|Bangladesh|Bangladeshi
    Colombo|Sri Lanka|Sri Lankan
    Kathmandu|Nepal|Nepali
    Kabul|Afghanistan|Afghan
    Tashkent|Uzbekistan|Uzbek
    Almaty|Kazakhstan|Kazakh
    Beijing|China|Chinese
    Shanghai|China|Chinese
    Shenzhen|China|Chinese
    Hong Kong|China|Chinese
    Taipei|Taiwan|Taiwanese
    Tokyo|Japan|Japanese
    Osaka|Japan|Japanese
    Seoul|South Korea|South Korean
    Busan|South Korea|South Korean
    Manila|the Philippines|Philippine
    Hanoi|Vietnam|Vietnamese
    Ho Chi Minh City|Vietnam|Vietnamese
    Bangkok|Thailand|Thai
    Jakarta|Indonesia|Indonesian
    Kuala Lumpur|Malaysia|Malaysian
    Singapore|Singapore|Singaporean
    Sydney|Australia|Australian
    Melbourne|Australia|Australian
    Canberra|Australia|Australian
    Wellington|New Zealand|New Zealand
    Auckland|New Zealand|New Zealand
    Ottawa|Canada|Canadian
    Toronto|Canada|Canadian
    Montreal|Canada|Canadian
    Vancouver|Canada|Canadian
    Washington|the United States|American
    New York|the United States|American
    Chicago|the United States|American
    Los Angeles|the United States|American
    San Francisco|the United States|American
    Houston|the United States|American
    Atlanta|the United States|American
    Miami|the United States|American
    Boston|the United States|American
    Seattle|the United States|American
    Denver|the United States|American
    Phoenix|the United States|American
    Mexico City|Mexico|Mexican
    Guadalajara|Mexico|Mexican
    Havana|Cuba|Cuban
    Bogota|Colombia|Colombian
    Caracas|Venezuela|Venezuelan
    Lima|Peru|Peruvian
    Quito|Ecuador|Ecuadorian
    Santiago|Chile|Chilean
    Buenos Aires|Argentina|Argentine
    Montevideo|Uruguay|Uruguayan
    Sao Paulo|Brazil|Brazilian
    Rio de Janeiro|Brazil|Brazilian
    Brasilia|Brazil|Brazilian
    La Paz|Bolivia|Bolivian
    """.strip().splitlines()
)

_INSTITUTIONS = (
    "the United Nations",
    "NATO",
    "the European Union",
    "the World Health Organization",
    "the International Monetary Fund",
    "the World Bank",
    "the World Trade Organization",
    "the Organization for Security and Cooperation in Europe",
    "the African Union",
    "the International Committee of the Red Cross",
    "the International Atomic Energy Agency",
    "OPEC",
    "the Federal Reserve",
    "the European Central Bank",
    "the Bank of England",
    "the Group of Seven",
    "the Group of 20",
    "Amnesty International",
    "Human Rights Watch",
    "Doctors Without Borders",
    "the International Criminal Court",
    "the U.N. Security Council",
    "the European Commission",
    "the Association of Southeast Asian Nations",
    "the Arab League",
    "UNICEF",
    "the World Food Programme",
    "the International Energy Agency",
    "the Pentagon",
    "the State Department",
    "the White House",
    "the Kremlin",
    "the Justice Department",
    "the Supreme Court",
    "the Treasury",
    "the European Parliament",
    "the U.N. refugee agency",
    "the International Labour Organization",
    "the Asian Development Bank",
    "the Council of Europe",
    "Transparency International",
    "the Committee to Protect Journalists",
    "the Paris Club",
    "the Bank for International Settlements",
    "the Organisation for Economic Co-operation and Development",
)

_CO_HEAD = _words(
    """
    Acme Norden Vantar Helio Crest Apex Blue Silver North Quant Terra Nova Meridian Pinnacle Summit
    Vertex Orion Atlas Zenith Polar Cobalt Granite Harbor Iron Lumen Maple Oak Pacific Redwood
    Sterling Titan Union Vista Willow Axis Beacon Cedar Delta Echo Falcon Kestrel Lynx Osprey Sable
    """
)
_CO_MID = _words(
    """
    tech gen wave point field line core bridge stone works data med soft grid logic path star vale
    crest ridge gate mark view form light cast sys bio
    """
)
_CO_TAIL = _words(
    """
    Corp Inc. Group Holdings Ltd Systems Energy Therapeutics Labs Networks Partners Capital Industries
    Pharmaceuticals Technologies Logistics Foods Motors Bank Insurance Robotics Materials Health
    """
)

_NOUNS = _words(
    """
    agreement proposal plan deal measure policy budget deficit economy market sector industry company
    investment investor bank loan debt bond price cost wage tax tariff sanction embargo export import
    supply demand shortage crisis conflict war ceasefire truce attack strike offensive operation
    soldier officer protest protester rally demonstration election vote ballot candidate campaign
    party coalition parliament lawmaker senator minister ministry government administration official
    leader spokesman diplomat envoy ambassador delegation summit meeting conference negotiation
    dialogue treaty alliance partner ally neighbor border region province district village capital
    port airport pipeline plant factory mine farm crop harvest drought flood storm hurricane
    earthquake wildfire emission carbon reactor vaccine virus outbreak pandemic infection patient
    hospital doctor nurse clinic drug treatment study researcher scientist report survey poll
    analysis estimate forecast recession recovery unemployment job worker union employer contract
    pension benefit school student teacher university judge verdict ruling appeal lawsuit charge
    prosecutor lawyer defendant witness investigation probe inquiry allegation scandal fraud arrest
    detention prison sentence bill reform regulation rule ban restriction limit ceiling target goal
    deadline schedule decision announcement statement warning threat risk concern expectation
    request offer response reaction criticism pressure tension dispute standoff deadlock
    breakthrough setback delay failure victory defeat loss gain profit revenue sale share stock index
    currency exchange merger acquisition takeover bid stake shareholder board executive chairman
    founder startup platform network service product device chip satellite rocket mission launch
    flight airline passenger route railway highway tunnel project program initiative fund grant
    donation refugee migrant camp shelter evacuation rescue victim casualty injury reconstruction
    mortgage property shipment cargo container vessel tanker fleet missile drone weapon tank jet
    exercise drill deployment buildup withdrawal retreat frontline territory referendum constitution
    amendment tribunal commission committee panel council agency authority regulator watchdog
    inspector audit review assessment framework mechanism guarantee commitment pledge promise
    obligation safeguard corridor quota subsidy levy surplus reserve stockpile blockade checkpoint
    convoy militia rebel insurgent hostage prisoner detainee activist dissident journalist newspaper
    broadcaster channel website message letter speech interview remark issue matter problem challenge
    solution option scenario outcome consequence impact factor trend shift increase decrease rise
    decline slump rebound peak record level pace volume amount majority minority population
    community resident citizen voter consumer customer family parent youth farmer landlord tenant
    retailer supplier manufacturer exporter importer lender borrower trader analyst economist
    strategist negotiator mediator observer monitor volunteer contractor engineer architect
    developer designer miner fisherman pilot driver teacher
    """
)
_UNCOUNTABLE_PL = {
    "crisis": "crises",
    "analysis": "analyses",
    "youth": "young people",
    "fisherman": "fishermen",
    "chairman": "chairmen",
    "spokesman": "spokespeople",
}

_ADJS = _words(
    """
    new major key senior top former fresh further broad sweeping tough strict modest sharp steep
    significant substantial limited partial full final initial early late recent current previous
    upcoming annual monthly quarterly national regional local federal global international domestic
    foreign economic political military diplomatic financial fiscal monetary legal judicial
    constitutional electoral public private state-owned independent joint bilateral multilateral
    strategic critical crucial urgent emergency temporary permanent long-term short-term massive
    huge small large minor serious severe deadly violent peaceful fragile uncertain unprecedented
    controversial disputed contested ambitious cautious aggressive defensive rapid slow gradual
    sudden unexpected widespread rare frequent persistent ongoing continued renewed stalled failed
    successful landmark historic symbolic practical technical humanitarian environmental
    agricultural industrial commercial digital nuclear high-stakes preliminary provisional formal
    informal official unofficial secret confidential leaked detailed comprehensive vague clear
    unclear direct indirect heavy weak strong stable volatile rising falling additional alternative
    competing rival northern southern eastern western central coastal rural urban remote
    neighbouring pro-government anti-government opposition-led cross-border overnight weekly
    bipartisan landmark multibillion-dollar cash-strapped debt-laden energy-rich fast-growing
    struggling embattled beleaguered veteran outgoing incoming interim acting caretaker
    hardline moderate liberal conservative progressive populist nationalist centrist reformist
    mandatory voluntary binding nonbinding open-ended indefinite phased staggered
    sharp-edged protracted lengthy brief tense cordial frank candid constructive productive fruitless
    inconclusive decisive pivotal marginal negligible sizable modest-sized record-breaking
    """
)

_ADVS = _words(
    """
    sharply quickly slowly formally publicly privately repeatedly firmly strongly narrowly widely
    largely partly fully briefly jointly separately immediately eventually reportedly allegedly
    effectively officially unanimously swiftly quietly openly directly cautiously abruptly
    reluctantly angrily tentatively sharply subsequently initially ultimately already previously
    """
)

# Infinitive, past tense and, where it differs, past participle.
_VERBS = tuple(
    tuple(item.split("/")) if "/" in item else (item,)
    for item in _words(
        """
    approve reject announce launch propose support oppose criticize welcome condemn urge warn accuse
    deny confirm expand extend reduce cut/cut/cut raise lower boost increase halt suspend resume
    delay postpone cancel block ban/banned lift impose ease tighten sign ratify negotiate discuss
    review consider examine investigate question challenge defend protect secure restore rebuild/rebuilt
    finance fund back endorse unveil release publish disclose reveal report estimate predict expect
    plan/planned seek/sought demand request offer provide deliver send/sent deploy withdraw/withdrew/withdrawn
    transfer replace appoint dismiss elect nominate win/won lose/lost gain close open reopen
    build/built complete start begin/began/begun end stop/stopped prevent avoid limit restrict
    control/controlled manage address tackle resolve settle press push ask describe label hail praise blame
    target attack strike/struck hit/hit/hit destroy damage injure evacuate rescue arrest detain charge
    convict sentence acquit/acquitted free pardon sue fine order overturn uphold/upheld pass adopt amend draft
    introduce debate veto implement enforce monitor track measure assess evaluate test study
    compare link join leave/left quit/quit/quit exit enter cross reach top/topped exceed surpass double
    triple slash trim/trimmed freeze/froze/frozen cap/capped adjust revise update upgrade downgrade
    restructure merge acquire buy/bought sell/sold invest borrow lend/lent repay/repaid owe pay/paid
    spend/spent save earn generate produce export import ship/shipped supply store stockpile ration
    distribute allocate share divide unite mediate broker host attend visit tour meet/met greet
    receive invite signal stress highlight acknowledge dispute maintain reiterate vow pledge
    promise guarantee threaten hold/held bring/brought take/took/taken give/gave/given make/made
    keep/kept draw/drew/drawn drive/drove/driven choose/chose/chosen set/set/set put/put/put
    weigh scrap/scrapped shelve revive fast-track streamline overhaul dismantle curb scale
    """
    )
)


def _past(entry: tuple[str, ...]) -> str:
    """Past tense of a verb entry, by rule unless the entry spells it out."""
    if len(entry) > 1:
        return entry[1]
    verb = entry[0]
    if verb.endswith("e"):
        return verb + "d"
    if verb.endswith("y") and verb[-2] not in "aeiou":
        return verb[:-1] + "ied"
    return verb + "ed"


def _participle(entry: tuple[str, ...]) -> str:
    """Past participle of a verb entry."""
    return entry[2] if len(entry) > 2 else _past(entry)


def _third(verb: str) -> str:
    """Third person singular present, for headlines."""
    if verb.endswith(("s", "x", "z", "ch", "sh", "o")):
        return verb + "es"
    if verb.endswith("y") and verb[-2] not in "aeiou":
        return verb[:-1] + "ies"
    return verb + "s"


def _plural(noun: str) -> str:
    """Plural of a noun, by rule unless it is irregular."""
    if noun in _UNCOUNTABLE_PL:
        return _UNCOUNTABLE_PL[noun]
    if noun.endswith(("s", "x", "z", "ch", "sh")):
        return noun + "es"
    if noun.endswith("y") and noun[-2] not in "aeiou":
        return noun[:-1] + "ies"
    return noun + "s"


_V_INF = tuple(e[0] for e in _VERBS)
_V_PAST = tuple(_past(e) for e in _VERBS)
_V_PP = tuple(_participle(e) for e in _VERBS)
_V_3RD = tuple(_third(e[0]) for e in _VERBS)
_MASS_NOUNS = frozenset({"unemployment", "carbon", "criticism", "pressure", "fraud", "detention", "pay"})
_NOUNS_PL = tuple(_plural(n) for n in _NOUNS if n not in _MASS_NOUNS)

_OFFICES = (
    "Foreign Minister",
    "Deputy Foreign Minister",
    "Defense Minister",
    "Prime Minister",
    "President",
    "Finance Minister",
    "Health Minister",
    "Interior Minister",
    "Trade Minister",
    "Energy Minister",
    "Economy Minister",
    "Justice Minister",
    "Agriculture Minister",
    "central bank Governor",
    "opposition leader",
    "Vice President",
    "Chief of Staff",
    "army chief",
    "police chief",
    "Ambassador",
    "Environment Minister",
    "Labor Minister",
    "Transport Minister",
    "Education Minister",
)
_US_OFFICES = (
    "{US} Secretary of State",
    "{US} Deputy Secretary of State",
    "{US} Defense Secretary",
    "{US} Treasury Secretary",
    "{US} Trade Representative",
    "{US} President",
    "{US} Ambassador",
    "{US} Senator",
    "{US} national security adviser",
    "White House press secretary",
    "Pentagon spokesman",
    "State Department spokesman",
)
_ROLES = (
    "analyst",
    "senior analyst",
    "economist",
    "chief economist",
    "professor of political science",
    "professor of economics",
    "researcher",
    "senior fellow",
    "director",
    "spokeswoman",
    "spokesman",
    "lawyer",
    "former official",
    "military expert",
    "security consultant",
    "strategist",
    "policy adviser",
    "board member",
    "program manager",
    "regional director",
)
_PLACE_NOUNS = (
    "university",
    "institute",
    "think tank",
    "consultancy",
    "foundation",
    "research group",
    "law firm",
    "bank",
)

_DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
_MONTHS_AP = ("Jan.", "Feb.", "March", "April", "May", "June", "July", "Aug.", "Sept.", "Oct.", "Nov.", "Dec.")
_MONTHS_REUTERS = ("Jan", "Feb", "March", "April", "May", "June", "July", "Aug", "Sept", "Oct", "Nov", "Dec")
_NUM_WORDS = ("two", "three", "four", "five", "six", "seven", "eight", "nine", "dozens of", "several")

_CORP_NOUNS = _words(
    """
    platform solution partnership collaboration expansion integration offering suite portfolio
    service product capability tool module upgrade release milestone program initiative facility
    agreement certification investment rollout network marketplace ecosystem framework
    """
)
_CORP_ADJS = _words(
    """
    leading innovative scalable next-generation AI-powered cloud-based end-to-end integrated secure
    award-winning sustainable data-driven customer-focused global strategic flexible high-performance
    cost-effective modular enterprise-grade proprietary
    """
)
_CORP_ROLES = (
    "chief executive officer",
    "president and CEO",
    "chief operating officer",
    "chief technology officer",
    "chief financial officer",
    "founder and CEO",
    "executive vice president",
    "head of global sales",
    "chief product officer",
    "managing director",
)

_SYNONYMS = {
    "said": "stated",
    "officials": "authorities",
    "announced": "unveiled",
    "plan": "proposal",
    "proposal": "plan",
    "government": "administration",
    "also": "further",
    "warned": "cautioned",
    "criticized": "slammed",
    "about": "around",
    "told": "informed",
    "expected": "anticipated",
    "reporters": "journalists",
    "meeting": "gathering",
    "talks": "negotiations",
    "new": "fresh",
    "major": "big",
    "would": "will",
    "could": "might",
}

_CHROME_TOP = (
    "Share this article",
    "Post author: {author}",
    "Post category: {section}",
    "Post comments: 0 Comments",
    "Listen to this article",
    "Reading Time: {n} minutes",
    "Advertisement",
    "Home » {section}",
)
_CHROME_BOTTOM = (
    "Source link",
    "Leave a Reply",
    "Trending Stories",
    "Subscribe to our newsletter",
    "Related Posts",
    "Share this article",
    "Follow us on Twitter and Facebook",
    "Copyright {year} {outlet}. All rights reserved.",
    "Click here to read more stories",
    "Don't miss the latest news",
)
_SECTIONS = ("News", "World", "Business", "Politics", "Top Stories", "International", "Economy")
_AUTHORS = ("admin", "newsdesk", "editor", "staff", "webdesk", "News Desk")

_TOWNS = _words(
    """
    Riverside Lakeside Millbrook Fairview Springfield Brookhaven Oakridge Pinecrest Maplewood Westport
    Eastbridge Northfield Southgate Clearwater Stonebridge Ashford Kingsbury Hollowell Greenfield
    Harborview Elmwood Briarcliff Cedarville Dunmore Fox Hill Glenwood Hartwell Ironton Juniper
    Kensal Larchmont Marlow Newbury Oakham Penrose Quarry Ravenna Sheldon Thornbury Upton Valemont
    Wexford Yorkton Ardmore Bellmont Carrow Dalton Easton Fernley Gresham Halden Islington
    """
)
_PAPERS = _words(
    """
    Herald Gazette Tribune Courier Post Times Chronicle Observer Sentinel Journal Record Star Bulletin
    Examiner Dispatch Register Reporter Express Ledger Monitor
    """
)
_SITES = ("News", "Today", "Daily", "Online", "Insider", "Report", "Wire", "Digest", "Now", "24")

# Code, display name, host, spelling of U.S., weight among wire stories.
_AGENCIES = (
    ("AP", "Associated Press", "apnews.example", "U.S.", 34),
    ("Reuters", "Reuters", "reuters.example", "U.S.", 32),
    ("AFP", "AFP", "afp.example", "US", 22),
    ("dpa", "dpa", "dpa-international.example", "US", 5),
    ("Xinhua", "Xinhua", "xinhuanet.example", "U.S.", 4),
    ("PTI", "Press Trust of India", "ptinews.example", "US", 3),
)
_PR_WIRES = (
    ("PR Newswire", "prnewswire.example", 5),
    ("Business Wire", "businesswire.example", 3),
    ("GlobeNewswire", "globenewswire.example", 2),
)

# Archives and aggregators that mirror whole pages (name, host).
_MIRRORS = (("NewsBank Mirror", "mirror.newsbank.example"), ("PressArchive", "pressarchive.example"),
            ("Headline Cache", "headlinecache.example"))

# Scripts of the stories written in another script (see in_script).
_SCRIPTS = ("ru", "zh", "ja", "hi", "ur", "th")
_LATIN = "abcdefghijklmnopqrstuvwxyz"


def _row(spaced: str) -> tuple[str, ...]:
    """The entries of a table row written with single spaces between them."""
    return tuple(spaced.split(" "))


_CYRILLIC = dict(zip(_LATIN, _row("а б ц д е ф г х и ж к л м н о п к р с т у в в кс ы з"), strict=True))
# Devanagari: consonants, vowel signs (combining marks) after a consonant, vowels of their own
# elsewhere; a virama joins two consonants into a conjunct, and "z" is "ज" with a nukta written apart.
_DEVA_C = dict(zip("bcdfghjklmnpqrstvwxyz",
                   _row("ब क द फ ग ह ज क ल म न प क र स त व व क्स य ज\u093c"), strict=True))
_DEVA_SIGN = dict(zip("aeiou", ("\u093e", "\u0947", "\u093f", "\u094b", "\u0941"), strict=True))
_DEVA_VOWEL = dict(zip("aeiou", _row("अ ए इ ओ उ"), strict=True))
# Urdu: short "a" unwritten after a consonant; a final "e" is "ے" with a hamza mark written apart.
_URDU = dict(zip(_LATIN, _row("ا ب ک د ی ف گ ہ ی ج ک ل م ن و پ ق ر س ت و و و کس ی ز"), strict=True))


def _letters(word: str) -> str:
    return "".join(ch for ch in word.lower() if ch in _LATIN)


def _ideographs(word: str, low: int, span: int) -> str:
    """One to four characters of a block for a word, the same for the same word everywhere."""
    core = _letters(word)
    h = 0
    for ch in core:
        h = (h * 131 + ord(ch)) % 1_000_003
    return "".join(chr(low + (h * (k + 7) + 17 * k) % span) for k in range(1 + len(core) // 4))


def _word_in_script(word: str, script: str) -> str:
    core = _letters(word)
    if not core:
        return word
    if script == "ru":
        out = "".join(_CYRILLIC[ch] for ch in core)
        return out.capitalize() if word[:1].isupper() else out
    if script == "hi":
        out, prev = [], ""
        for ch in core:
            if ch in _DEVA_SIGN:
                out.append(_DEVA_SIGN[ch] if prev and prev not in _DEVA_SIGN else _DEVA_VOWEL[ch])
            else:
                if prev and prev not in _DEVA_SIGN:
                    out.append("\u094d")
                out.append(_DEVA_C[ch])
            prev = ch
        return "".join(out)
    if script == "ur":
        out, prev = [], ""
        for k, ch in enumerate(core):
            if not (ch == "a" and prev and prev not in "aeiou"):
                out.append("ے\u0654" if ch == "e" and k == len(core) - 1 else _URDU[ch])
            prev = ch
        return "".join(out)
    if script == "zh":
        return _ideographs(word, 0x4E00, 0x5000)
    if script == "ja":
        return _ideographs(word, 0x3041, 0x52) if len(core) <= 3 else _ideographs(word, 0x4E00, 0x5000)
    # Thai: consonants with a vowel mark above or below (a combining mark) after the first.
    base = _ideographs(word, 0x0E01, 0x2E)
    return base[0] + chr(0x0E34 + len(core) % 6) + base[1:]


def in_script(text: str, script: str) -> str:
    """Text of invented English words written in another script, word for word and the same for the
    same word: Russian (``ru``), Hindi (``hi``) and Urdu (``ur``) keep their spaces; Chinese
    (``zh``), Japanese (``ja``) and Thai (``th``) are written without spaces between words.
    Digits and quotation marks stay; full stops and commas become the script's own."""
    words = text.split(" ")
    out = []
    for word in words:
        head = len(word) - len(word.lstrip("“‘(\"'"))
        tail = len(word.rstrip(".,;:!?”’)\"'"))
        middle = word[head:tail]
        if middle and not any(ch.isdigit() for ch in middle):
            middle = "".join(_word_in_script(part, script) if part.isalpha() else part
                             for part in _split_alpha(middle))
        out.append(word[:head] + middle + word[tail:])
    joined = (" " if script in ("ru", "hi", "ur") else "").join(out)
    if script in ("zh", "ja"):
        joined = joined.replace(".", "。").replace(",", "，" if script == "zh" else "、")
    elif script == "ur":
        joined = joined.replace(",", "،").replace(".", "۔")
    elif script == "hi":
        joined = joined.replace(".", "।")
    elif script == "th":
        joined = joined.replace(". ", " ").replace(",", "")
    return joined


def _split_alpha(word: str) -> list[str]:
    """Runs of letters and of other characters ("Smith's" -> "Smith", "'", "s")."""
    parts: list[str] = []
    for ch in word:
        if parts and parts[-1][-1].isalpha() == ch.isalpha():
            parts[-1] += ch
        else:
            parts.append(ch)
    return parts


# Copies per wire story, 0..12: many 1-4, a long tail.
_COPY_WEIGHTS = (5, 15, 17, 15, 12, 9, 7, 5, 4, 3, 3, 2, 2)
_PR_COPY_WEIGHTS = (4, 12, 10, 7, 4, 2)
_REPUB_COPY_WEIGHTS = (0, 10, 5, 2)

# Chance of each edit on one copy, by the kind of source.
_WIRE_EDITS = {
    "dateline_removed": 0.45,
    "trimmed": 0.35,
    "split": 0.25,
    "merged": 0.15,
    "us_rewrite": 0.35,
    "quotes_stripped": 0.15,
    "local_inserted": 0.15,
    "reordered": 0.10,
    "rewrite": 0.20,
    "headline_changed": 0.50,
}
_PR_EDITS = {
    "dateline_removed": 0.10,
    "trimmed": 0.30,
    "split": 0.05,
    "merged": 0.0,
    "us_rewrite": 0.05,
    "quotes_stripped": 0.05,
    "local_inserted": 0.03,
    "reordered": 0.0,
    "rewrite": 0.05,
    "headline_changed": 0.25,
}
_REPUB_EDITS = {
    "dateline_removed": 0.30,
    "trimmed": 0.30,
    "split": 0.15,
    "merged": 0.10,
    "us_rewrite": 0.20,
    "quotes_stripped": 0.10,
    "local_inserted": 0.10,
    "reordered": 0.05,
    "rewrite": 0.15,
    "headline_changed": 0.60,
}


def _mean(weights: Sequence[int]) -> float:
    """Mean of the index drawn with these weights."""
    return sum(i * w for i, w in enumerate(weights)) / sum(weights)


def _an(word: str) -> str:
    """The indefinite article that goes before a word."""
    return "an" if word[0] in "aeioAEIO" else "a"


def _cap(text: str) -> str:
    """Upper-case the first letter, looking past an opening quotation mark."""
    if text.startswith("“"):
        return "“" + text[1:2].upper() + text[2:]
    return text[:1].upper() + text[1:]


def _possessive(name: str) -> str:
    """``NATO’s``, ``the United Nations’``."""
    return name + ("’" if name.endswith("s") else "’s")


# --------------------------------------------------------------------------------------------
# Topics, outlets and the sentence writer.
# --------------------------------------------------------------------------------------------


@dataclass(slots=True)
class _Topic:
    """One news event: the entities every story on it shares."""

    city: str
    country: str
    dem: str
    people: list[tuple[str, str, str]]
    orgs: list[str]
    key_adj: str
    key_noun: str
    us: bool
    ident: int = 0


@dataclass(frozen=True, slots=True)
class _Outlet:
    """A publisher of originals and copies, with its house style and page chrome."""

    name: str
    host: str
    us: str
    dateline: int
    chrome_top: tuple[str, ...]
    chrome_bottom: tuple[str, ...]


Part = str | Callable[[], str]
_T = TypeVar("_T")


class _Writer:
    """Builds sentences, paragraphs and headlines from templates, word lists and a topic."""

    _STATEMENTS = (
        "{SUBJ} {V} {NP} {PP}.",
        "{SUBJ} {V} {NP} {PP}.",
        "{SUBJ} {ADV} {V} {NP} {PP}, {ATTR}.",
        "{SUBJ} {V} {NP} {TIME}, {ATTR}.",
        "{PPC}, {SUBJ} {V} {NP}.",
        "{PER} said {TIME} that {SUBJ} would {VI} {NP} {PP}.",
        "{PER} said {SUBJ} had {VPP} {NP} and would {VI} {NP}.",
        "The {N} comes as {SUBJ} {V} {NP} {PP}.",
        "The {ADJ} {N} follows {NP} {PP}.",
        "{SUBJ} had {VPP} {NP} {PP}, but {SUBJ} {V} {NP}.",
        "{BIG} {NS} were {VPP} {PP}, {ORG} said.",
        "Under the {ADJ} {N}, {SUBJ} would {VI} {NP} and {VI} {NP}.",
        "{PER} is expected to {VI} {NP} {TIME}.",
        "Analysts said {NP} could {VI} {NP} {PP}.",
        "{PERN}, said {NP} {V} {NP} {PP}.",
        "{NPC} rose {PCT} to {MONEY} {TIME}, according to {NP}.",
        "{NPC} fell {PCT} {TIME}, the lowest level since {YEAR}.",
        "More than {BIG} {NS} {V} {NP} {PP}, {ATTR}.",
        "The {ADJ} {N} was {VPP} {PP} after {SUBJ} {V} {NP}.",
        "{SUBJ} and {SUBJ} {V} {NP} {PP}.",
        "According to {NP}, {SUBJ} {V} {NP} {PP}.",
        "{PER} {V} {NP} as {ADJ} and {ADJ}, saying {SUBJ} had {VPP} {NP}.",
        "In {YEAR}, {SUBJ} {V} {NP} {PP}.",
        "{SUBJ} {V} {NP}, while {SUBJ} {V} {NP} {PP}.",
        "{SUBJ} also {V} {NP} {PP}.",
        "{KEYC} {V} {NP} {PP}, {ATTR}.",
        "Officials in {CITY} {V} {NP} {PP}.",
        "{NUMC} {ADJ} {NS} were {VPP} {PP}, {ATTR}.",
        "{SUBJ} {V} {NP} {PP} and {V} {NP} {PP}.",
        "The {N} of {NPS} {V} {NP} {PP}, {ATTR}.",
        "Earlier, {SUBJ} {V} {NP} {PP}.",
        "Critics say {NP} could {VI} {NP} {PP}.",
        "{SUBJ} {V} {NP} worth {MONEY} {PP}.",
        "{PER}, speaking {PP}, {V} {NP} {PP}.",
        "Since {YEAR}, {SUBJ} had {VPP} {NP} {PP}.",
        "{SUBJ} will {VI} {NP} {TIME}, {ATTR}.",
        "{NPC} {V} {NP} {PP} {TIME}.",
        "{SUBJ} {V} {NP} {PP}, a move {ADJ} {NS} {V} as {ADJ}.",
        "{SUBJ} {V} {NP} {PP}, {PERN}, told {OUTLETISH}.",
    )
    # Set phrases news repeats everywhere; kept rare so they stay stray matches, not runs.
    _STOCK = (
        "It was not immediately clear whether {SUBJ} would {VI} {NP}.",
        "{NUMC} people familiar with the matter said {SUBJ} would {VI} {NP}.",
        "{PER} did not respond to a request for comment on {NP}.",
        "{ORG} did not immediately respond to requests for comment {TIME}.",
        "{PER} declined to comment on {NP}.",
        "{SUBJ} could not independently verify {NP}.",
        "{NUMC} officials who spoke on condition of anonymity said {SUBJ} had {VPP} {NP}.",
    )
    _QUOTES = (
        "We {V} {NP} {PP}",
        "We will {VI} {NP} and we will not {VI} {NP}",
        "This is {AN} for {NP}",
        "There is no {N} for {NP} {PP}",
        "Our {N} is to {VI} {NP} {PP}",
        "I think {NP} {V} {NP}",
        "We are {ADJ} about {NP}, but we {V} {NP}",
        "The {N} is {ADJ} and {ADJ}",
        "I have {ADJ} hopes that {SUBJ} will {VI} {NP}",
        "{NPC} must {VI} {NP} {PP}",
        "Nobody wants {NP} {PP}",
        "It is {ADJ} to {VI} {NP} {PP}",
        "We cannot {VI} {NP} while {SUBJ} {V} {NP}",
        "We need {NP}, not {NP}",
        "What we have seen is {NP} {PP}",
        "People are {ADJ} and they want {NP}",
        "They {V} {NP} and now they want {NP}",
        "If {SUBJ} {V} {NP}, there will be {ADJ} {NS}",
        "We have {VPP} {NP} {PP}",
        "Let me be clear: we will {VI} {NP}",
        "Nobody should {VI} {NP} {PP}",
    )
    _QUOTE_PARAS = (
        "“{Q},” {PER} said.",
        "“{Q}. {Q},” {PER} said {TIME}.",
        "“{Q},” said {PERF}. “{Q}.”",
        "{PER} said: “{Q}.”",
        "{PER} told reporters {PP}: “{Q}.”",
        "“{Q},” {PER} told {OUTLETISH}. {S}",
        "{PER} said {NP} had {VPP} “{QF}.”",
        "{S} “{Q},” {PER} said.",
    )
    _HEADLINES = (
        "{DEMC} {NSH} {VPL} {NPH} {PPH}",
        "{ORGC} {V3} {ADJ} {N} {PPH}",
        "{COUNTRYC} {V3} {NPH} amid {ADJ} {N}",
        "{LASTC} {V3} {NPH} as {KEY} {VH}",
        "{KEYC} {VH} {PPH}",
        "{NUMC} {NS} {VPP} in {CITY}",
        "{DEMC} {N} {V3} {NPH}, {ADJ} {NS} say",
        "{LASTC} {V3} {NPH} {PPH}",
    )
    _PR_SENTENCES = (
        "The {CADJ} {CN} {V} {NP} {PP}.",
        "{CO} expects the {CN} to {VI} {NP} by {MONTHY}.",
        "The {CN} will be available {PP} starting {MONTHY}.",
        "{CO} {V} {BIG} {CNS} {PP} and {V} {NP}.",
        "Customers can {VI} {NP} through the {CADJ} {CN}.",
        "Financial terms of the {CN} with {COX} were not disclosed.",
        "The {CN} builds on {COP} {CADJ} {CN} and {V} {NP}.",
        "Under the {CN}, {COX} will {VI} {NP} {PP}.",
        "{CO} reported revenue of {MONEY} for {YEAR}, up {PCT}.",
    )
    _PR_QUOTES = (
        "We are pleased to {VI} {NP} with {COX}",
        "This {CN} {V} our {CADJ} {CN} to {VI} {NP}",
        "Our {CNS} {V} {NP} {PP}",
        "Together we will {VI} {NP} and {VI} {NP}",
        "The {CN} reflects our {ADJ} commitment to {NP}",
    )

    def __init__(self, rng: random.Random) -> None:
        self._r = rng.random
        self.rng = rng
        self.us = "U.S."
        self.topic = _Topic("Geneva", "Switzerland", "Swiss", [("", "Jane", "Doe")], ["NATO"], "", "", False)
        self.mentioned: list[bool] = [False]
        self.company = "Acme Corp"
        self.partner = "Vantar Group"
        slots: dict[str, Callable[[], str]] = {}
        for name in dir(self):
            if name.startswith("s_"):
                slots[name[2:]] = getattr(self, name)
        self._slots = slots
        self._statements = [self._compile(t) for t in self._STATEMENTS]
        self._stock = [self._compile(t) for t in self._STOCK]
        self._quotes = [self._compile(t) for t in self._QUOTES]
        self._quote_paras = [self._compile(t) for t in self._QUOTE_PARAS]
        self._headlines = [self._compile(t) for t in self._HEADLINES]
        self._pr_sentences = [self._compile(t) for t in self._PR_SENTENCES]
        self._pr_quotes = [self._compile(t) for t in self._PR_QUOTES]

    def _compile(self, template: str) -> list[Part]:
        """Turn ``"{SUBJ} {V} {NP}."`` into literals and bound slot methods, once."""
        parts: list[Part] = []
        rest = template
        while rest:
            i = rest.find("{")
            if i < 0:
                parts.append(rest)
                break
            if i:
                parts.append(rest[:i])
            j = rest.index("}", i)
            parts.append(self._slots[rest[i + 1 : j]])
            rest = rest[j + 1 :]
        return parts

    @staticmethod
    def _expand(parts: list[Part]) -> str:
        """Fill a compiled template."""
        return "".join([p if isinstance(p, str) else p() for p in parts])

    def p(self, seq: Sequence[_T]) -> _T:
        """One element, uniformly."""
        return seq[int(self._r() * len(seq))]

    def start_article(self, topic: _Topic, us: str) -> None:
        """Reset what the reader has been told: the first mention of a person is in full."""
        self.topic = topic
        self.us = us
        self.mentioned = [False] * len(topic.people)

    # ---- slots ---------------------------------------------------------------------------

    def s_N(self) -> str:  # noqa: N802 - slot names mirror the template placeholders
        """A singular noun."""
        return self.p(_NOUNS)

    def s_NS(self) -> str:  # noqa: N802
        """A plural noun."""
        return self.p(_NOUNS_PL)

    def s_ADJ(self) -> str:  # noqa: N802
        """An adjective."""
        return self.p(_ADJS)

    def s_ADV(self) -> str:  # noqa: N802
        """An adverb."""
        return self.p(_ADVS)

    def s_V(self) -> str:  # noqa: N802
        """A transitive verb in the past tense."""
        return self.p(_V_PAST)

    def s_VI(self) -> str:  # noqa: N802
        """A transitive verb, infinitive."""
        return self.p(_V_INF)

    def s_VPP(self) -> str:  # noqa: N802
        """A past participle."""
        return self.p(_V_PP)

    def s_V3(self) -> str:  # noqa: N802
        """A present-tense verb for a singular headline subject."""
        return self.p(_V_3RD)

    def s_VPL(self) -> str:  # noqa: N802
        """A present-tense verb for a plural headline subject."""
        return self.p(_V_INF)

    def s_VH(self) -> str:  # noqa: N802
        """A headline verb phrase for a singular subject that needs no object."""
        if self._r() < 0.5:
            return "set to " + self.p(_V_INF) + " " + self.p(_NOUNS_PL)
        return self.p(("stalls", "resumes", "collapses", "ends", "opens", "drags on", "falters", "begins"))

    def s_AN(self) -> str:  # noqa: N802
        """``a``/``an`` with an adjective and a noun."""
        adj = self.p(_ADJS)
        return f"{_an(adj)} {adj} {self.p(_NOUNS)}"

    def s_NUM(self) -> str:  # noqa: N802
        """A small count in words."""
        return self.p(_NUM_WORDS)

    def s_NUMC(self) -> str:  # noqa: N802
        """A small count in words, capitalised."""
        return self.p(_NUM_WORDS).capitalize()

    def s_BIG(self) -> str:  # noqa: N802
        """A large count written the way news does."""
        r = self._r()
        n = 10 + int(self._r() * 990)
        if r < 0.3:
            return f"{n:,}"
        if r < 0.6:
            return f"{n},{int(self._r() * 10)}00"
        if r < 0.8:
            return f"an estimated {n * 100:,}"
        return f"about {n}"

    def s_PCT(self) -> str:  # noqa: N802
        """A percentage."""
        whole = int(self._r() * 30)
        tenth = int(self._r() * 10)
        return f"{whole}.{tenth}%" if self._r() < 0.6 else f"{whole + 1} percent"

    def s_MONEY(self) -> str:  # noqa: N802
        """An amount of money."""
        cur = self.p(("$", "$", "€", "£", "$"))
        amount = 1 + int(self._r() * 900)
        unit = self.p(("million", "billion", "million"))
        if self._r() < 0.4:
            return f"{cur}{amount // 10 + 1}.{amount % 10} {unit}"
        return f"{cur}{amount} {unit}"

    def s_YEAR(self) -> str:  # noqa: N802
        """A year in the recent past."""
        return str(1990 + int(self._r() * 32))

    def s_MONTHY(self) -> str:  # noqa: N802
        """A month and year."""
        return f"{self.p(_MONTHS)} {2022 + int(self._r() * 3)}"

    def s_DAY(self) -> str:  # noqa: N802
        """A weekday."""
        return self.p(_DAYS)

    def s_TIME(self) -> str:  # noqa: N802
        """When something happened."""
        r = self._r()
        if r < 0.35:
            return "on " + self.p(_DAYS)
        if r < 0.5:
            return self.p(("late", "early")) + " " + self.p(_DAYS)
        if r < 0.65:
            return self.p(("earlier this", "last", "this", "next")) + " " + self.p(("week", "month", "year"))
        if r < 0.8:
            return f"on {self.p(_MONTHS_AP)} {1 + int(self._r() * 28)}"
        if r < 0.9:
            return "in " + self.p(_MONTHS)
        return self.p(("over the weekend", "on Friday night", "in recent weeks", "overnight"))

    def s_CITY(self) -> str:  # noqa: N802
        """A city, the topic's own half the time."""
        return self.topic.city if self._r() < 0.5 else self.p(_PLACES)[0]

    def s_COUNTRY(self) -> str:  # noqa: N802
        """A country."""
        r = self._r()
        if self.topic.us and r < 0.3:
            return "the " + self.us
        if r < 0.6:
            return self.topic.country
        return self.p(_PLACES)[1]

    def s_COUNTRYC(self) -> str:  # noqa: N802
        """A country as a headline subject (headlines drop the article)."""
        name = self.topic.country if self._r() < 0.7 else self.p(_PLACES)[1]
        return name[4:] if name.startswith("the ") else name

    def s_DEM(self) -> str:  # noqa: N802
        """A demonym, the topic's own most of the time."""
        r = self._r()
        if r < (0.45 if self.topic.us else 0.06):
            return self.us
        return self.topic.dem if self._r() < 0.6 else self.p(_PLACES)[2]

    def s_DEMC(self) -> str:  # noqa: N802
        """A demonym for a headline."""
        return self.s_DEM()

    def s_ORG(self) -> str:  # noqa: N802
        """An organisation."""
        r = self._r()
        if r < 0.45:
            return self.p(self.topic.orgs)
        if r < 0.8:
            return self.p(_INSTITUTIONS)
        return self.new_company()

    def s_ORGC(self) -> str:  # noqa: N802
        """An organisation as a headline subject."""
        org = self.s_ORG()
        return org[4:] if org.startswith("the ") else org

    def new_company(self) -> str:
        """A company name that is unlikely to repeat."""
        return f"{self.p(_CO_HEAD)}{self.p(_CO_MID)} {self.p(_CO_TAIL)}"

    def s_PER(self) -> str:  # noqa: N802
        """A person of the topic: title and full name at first mention, surname after."""
        people = self.topic.people
        i = int(self._r() * len(people))
        title, first, last = people[i]
        if self.mentioned[i]:
            return last
        self.mentioned[i] = True
        if "{" in title:
            title = title.replace("{US}", self.us)
        return f"{title} {first} {last}"

    def s_PERF(self) -> str:  # noqa: N802
        """A person of the topic named in full with an appositive title."""
        people = self.topic.people
        i = int(self._r() * len(people))
        title, first, last = people[i]
        self.mentioned[i] = True
        if "{" in title:
            title = title.replace("{US}", self.us)
        return f"{first} {last}, the {title}"

    def s_LASTC(self) -> str:  # noqa: N802
        """The surname of a topic person, for headlines."""
        return self.p(self.topic.people)[2] if self.topic.people else "Officials"

    def s_PERN(self) -> str:  # noqa: N802
        """Someone from outside the topic, with who they are."""
        role = self.p(_ROLES)
        at = self.p(("at", "with", "for"))
        org = self.s_ORG() if self._r() < 0.6 else f"the {self.p(_PLACES)[0]}-based {self.p(_PLACE_NOUNS)}"
        return f"{self.p(_FIRST)} {self.p(_LAST)}, {_an(role)} {role} {at} {org}"

    def s_OUTLETISH(self) -> str:  # noqa: N802
        """Whom a remark was made to."""
        return self.p(("reporters", "a news conference", "lawmakers", "state television", "a briefing", "supporters"))

    def s_ATTR(self) -> str:  # noqa: N802
        """A source attribution."""
        r = self._r()
        if r < 0.35:
            return self.s_PER() + " said"
        if r < 0.5:
            return "officials said"
        if r < 0.65:
            return f"{self.s_ORG()} said in a statement"
        if r < 0.75:
            return self.s_PER() + " told reporters"
        if r < 0.9:
            return "according to " + self.s_NPS()
        return f"a spokesperson for {self.s_ORG()} said"

    def s_SUBJ(self) -> str:  # noqa: N802
        """Who acts in a sentence."""
        r = self._r()
        if r < 0.3:
            return self.s_PER()
        if r < 0.45:
            return self.s_ORG()
        if r < 0.55:
            return f"the {self.s_DEM()} government"
        if r < 0.65:
            return f"{self.s_DEM()} {self.p(('officials', 'lawmakers', 'diplomats', 'leaders', 'negotiators'))}"
        if r < 0.75:
            return self.s_COUNTRY()
        if r < 0.85:
            return f"the {self.p(_ADJS)} {self.p(_NOUNS)}"
        if r < 0.92:
            return f"{self.p(_ADJS)} {self.p(_NOUNS_PL)}"
        return self.s_KEY()

    def s_KEY(self) -> str:  # noqa: N802
        """What the topic is about."""
        t = self.topic
        return f"the {t.key_adj} {t.key_noun}" if self._r() < 0.5 else f"the {t.key_noun}"

    def s_KEYC(self) -> str:  # noqa: N802
        """What the topic is about, opening a sentence."""
        return "The" + self.s_KEY()[3:]

    def s_NPS(self) -> str:  # noqa: N802
        """A short noun phrase."""
        r = self._r()
        if r < 0.3:
            return "the " + self.p(_NOUNS)
        if r < 0.5:
            return self.p(_NOUNS_PL)
        if r < 0.7:
            return self.s_ORG()
        if r < 0.85:
            return f"the {self.s_DEM()} {self.p(_NOUNS)}"
        return self.s_CITY()

    def s_NP(self) -> str:  # noqa: N802
        """A noun phrase."""
        r = self._r()
        p = self.p
        if r < 0.14:
            return f"the {p(_ADJS)} {p(_NOUNS)}"
        if r < 0.26:
            return f"{p(_ADJS)} {p(_NOUNS_PL)}"
        if r < 0.36:
            return self.s_AN()
        if r < 0.46:
            return f"the {p(_NOUNS)} of {self.s_NPS()}"
        if r < 0.54:
            org = self.s_ORG()
            return f"{_possessive(org)} {p(_ADJS)} {p(_NOUNS)}"
        if r < 0.6:
            return f"{self.s_BIG()} {p(_NOUNS_PL)}"
        if r < 0.66:
            return f"its {p(_ADJS)} {p(_NOUNS)}"
        if r < 0.72:
            return f"the {self.s_DEM()} {p(_NOUNS)}"
        if r < 0.78:
            return f"{self.s_NUM()} {p(_ADJS)} {p(_NOUNS_PL)}"
        if r < 0.84:
            return f"the {p(_NOUNS)} {p(_NOUNS)}"
        if r < 0.89:
            return f"{self.s_MONEY()} in {p(_NOUNS_PL)}"
        if r < 0.95:
            return self.s_KEY()
        return f"their {p(_NOUNS_PL)}"

    def s_NPC(self) -> str:  # noqa: N802
        """A noun phrase opening a sentence."""
        return _cap(self.s_NP())

    def s_NPH(self) -> str:  # noqa: N802
        """A headline noun phrase: no articles."""
        r = self._r()
        if r < 0.4:
            return f"{self.p(_ADJS)} {self.p(_NOUNS)}"
        if r < 0.7:
            return self.p(_NOUNS_PL)
        return f"{self.p(_NOUNS)} {self.p(_NOUNS_PL)}"

    def s_NSH(self) -> str:  # noqa: N802
        """A plural headline subject."""
        return self.p(("officials", "lawmakers", "diplomats", "leaders", "troops", "investors", "voters"))

    def s_PP(self) -> str:  # noqa: N802
        """A prepositional phrase."""
        r = self._r()
        if r < 0.12:
            return "in " + self.s_CITY()
        if r < 0.2:
            return "in " + self.s_COUNTRY()
        if r < 0.32:
            return self.s_TIME()
        if r < 0.8:
            prep = self.p(
                (
                    "after",
                    "amid",
                    "despite",
                    "over",
                    "following",
                    "ahead of",
                    "during",
                    "without",
                    "against",
                    "for",
                    "as part of",
                    "in response to",
                    "with",
                    "under",
                    "through",
                    "on behalf of",
                    "beyond",
                    "toward",
                )
            )
            return f"{prep} {self.s_NP()}"
        if r < 0.86:
            return "by " + self.s_PCT()
        if r < 0.92:
            return "since " + self.s_YEAR()
        return self.p(("by", "before", "until", "from")) + " " + self.p(_MONTHS)

    def s_PPC(self) -> str:  # noqa: N802
        """A prepositional phrase opening a sentence."""
        return _cap(self.s_PP())

    def s_PPH(self) -> str:  # noqa: N802
        """A headline prepositional phrase."""
        r = self._r()
        if r < 0.3:
            return "in " + self.topic.city
        if r < 0.6:
            return f"{self.p(('over', 'amid', 'after', 'despite', 'ahead of'))} {self.p(_NOUNS)} {self.p(_NOUNS_PL)}"
        return f"{self.p(('over', 'amid', 'after', 'despite', 'ahead of'))} {self.p(_ADJS)} {self.p(_NOUNS)}"

    def s_Q(self) -> str:  # noqa: N802
        """One quoted sentence, without its closing punctuation."""
        return _cap(self._expand(self.p_list(self._quotes)))

    def s_QF(self) -> str:  # noqa: N802
        """A quoted fragment inside a sentence."""
        return f"{self.p(_ADJS)} {self.p(_NOUNS)} {self.s_PP()}"

    def s_S(self) -> str:  # noqa: N802
        """A whole statement sentence."""
        return self.sentence()

    def s_CO(self) -> str:  # noqa: N802
        """The company of a press release."""
        return self.company

    def s_COP(self) -> str:  # noqa: N802
        """The company of a press release, possessive."""
        return _possessive(self.company)

    def s_COX(self) -> str:  # noqa: N802
        """The company's partner in a press release."""
        return self.partner

    def s_CN(self) -> str:  # noqa: N802
        """A corporate noun."""
        return self.p(_CORP_NOUNS)

    def s_CNS(self) -> str:  # noqa: N802
        """A plural corporate noun."""
        return _plural(self.p(_CORP_NOUNS))

    def s_CADJ(self) -> str:  # noqa: N802
        """A corporate adjective."""
        return self.p(_CORP_ADJS)

    # ---- larger units --------------------------------------------------------------------

    def p_list(self, seq: Sequence[list[Part]]) -> list[Part]:
        """One compiled template, uniformly."""
        return seq[int(self._r() * len(seq))]

    def sentence(self) -> str:
        """One statement sentence; now and then a set phrase."""
        if self._r() < 0.03:
            return _cap(self._expand(self.p_list(self._stock)))
        return _cap(self._expand(self.p_list(self._statements)))

    def quote_text(self, low: int, high: int) -> str:
        """A quotation of ``low..high`` words, without closing punctuation."""
        while True:
            parts = [self.s_Q()]
            words = len(parts[0].split())
            while words < low:
                nxt = self.s_Q()
                parts.append(nxt)
                words += len(nxt.split())
            if words <= high:
                return ". ".join(parts)

    def paragraph(self, kind: str, low: int = 25, high: int = 90) -> list[str]:
        """Sentences of one paragraph of ``kind`` (``lead``, ``body``, ``quote``, ``pr``, ``prquote``)."""
        r = self._r
        if kind == "lead":
            target = low + int(22 * r())
        else:
            target = low + int((high - low) * r() * r() * 1.2)
        sentences: list[str] = []
        words = 0
        tries = 0
        while words < target and tries < 12:
            tries += 1
            told = self.mentioned[:]
            if kind == "quote" and not sentences:
                s = _cap(self._expand(self.p_list(self._quote_paras)))
            elif kind == "pr" and self._r() < 0.5:
                s = _cap(self._expand(self.p_list(self._pr_sentences)))
            elif kind == "prquote":
                if sentences:
                    s = _cap(self._expand(self.p_list(self._pr_sentences))) if self._r() < 0.5 else self.sentence()
                else:
                    q = _cap(self._expand(self.p_list(self._pr_quotes)))
                    s = f"“{q},” said {self.p(_FIRST)} {self.p(_LAST)}, {self.p(_CORP_ROLES)} of {self.company}."
            else:
                s = self.sentence()
            n = len(s.split())
            if words + n > high and sentences:
                self.mentioned = told  # the reader never saw the full name
                continue
            sentences.append(s)
            words += n
        return sentences

    def headline(self) -> str:
        """A headline in sentence case."""
        return _cap(self._expand(self.p_list(self._headlines)))


# --------------------------------------------------------------------------------------------
# Articles as paragraphs, copies with edits, and the exact layout of text and spans.
# --------------------------------------------------------------------------------------------


@dataclass(slots=True)
class _Par:
    """A paragraph of a source story: its dateline, if any, and its sentences."""

    lead: str
    sentences: list[str]
    fixed: bool = False
    words: int = 0

    def __post_init__(self) -> None:
        self.words = len(self.lead.split()) + sum(len(s.split()) for s in self.sentences)

    def text(self) -> str:
        """The paragraph as printed."""
        return self.lead + " ".join(self.sentences)


# A laid-out paragraph: its text and, for each source paragraph it carries, (index, start, end).
_Block = tuple[str, list[tuple[int, int, int]]]


def _layout(blocks: list[_Block]) -> tuple[str, dict[int, tuple[int, int]]]:
    """Join blocks with blank lines and map each source paragraph to its span in the text."""
    spans: dict[int, tuple[int, int]] = {}
    pieces: list[str] = []
    offset = 0
    for text, refs in blocks:
        for idx, start, end in refs:
            a, b = offset + start, offset + end
            old = spans.get(idx)
            spans[idx] = (a, b) if old is None else (min(old[0], a), max(old[1], b))
        pieces.append(text)
        offset += len(text) + 2
    return "\n\n".join(pieces), spans


def _joined(blocks: list[_Block]) -> _Block:
    """The blocks as one paragraph, as a page that lost its breaks prints them."""
    texts: list[str] = []
    refs: list[tuple[int, int, int]] = []
    offset = 0
    for text, own in blocks:
        refs += [(i, a + offset, b + offset) for i, a, b in own]
        texts.append(text)
        offset += len(text) + 1
    return " ".join(texts), refs


def _plain(pars: list[_Par]) -> list[_Block]:
    """Blocks of an unedited story."""
    out: list[_Block] = []
    for i, par in enumerate(pars):
        text = par.text()
        out.append((text, [(i, 0, len(text))]))
    return out


def _us_rewrite(sentence: str) -> str:
    """``U.S.`` becomes ``US``, keeping a sentence-final full stop."""
    if "U.S." not in sentence:
        return sentence
    if sentence.endswith("U.S."):
        return sentence[:-4].replace("U.S.", "US") + "US."
    return sentence.replace("U.S.", "US")


def _strip_quotes(sentence: str) -> str:
    """Drop double quotation marks, as some outlets' systems do."""
    return sentence.replace("“", "").replace("”", "")


_REPLACEMENTS: dict[str, tuple[str, ...]] = {}
for _pool in (_NOUNS, _NOUNS_PL, _ADJS, _V_PAST):
    for _w in _pool:
        _REPLACEMENTS.setdefault(_w, _pool)
_PUNCT_TAIL = ",.;:”’"


@dataclass(slots=True)
class _Copy:
    """One laid-out copy: its blocks and the edits each source paragraph shows."""

    blocks: list[_Block]
    edits: dict[int, list[str]]
    headline_changed: bool


class _Copier:
    """Applies a random, recorded subset of edits to a source story."""

    def __init__(self, rng: random.Random, writer: _Writer) -> None:
        self.rng = rng
        self._r = rng.random
        self.writer = writer

    def _light(self, sentences: list[str]) -> list[str]:
        """A careful republisher's pass over one paragraph: a word changed every 8-15 words (a
        synonym, or another word of the same kind), then maybe a clause between commas dropped,
        "said" turned into "told reporters", and two sentences swapped."""
        r = self._r
        tokens = [sent.split(" ") for sent in sentences]
        flat = [(si, ti) for si, toks in enumerate(tokens) for ti in range(len(toks))]
        at = 8 + int(r() * 8)
        while at < len(flat):
            for k in range(at, min(at + 4, len(flat))):
                si, ti = flat[k]
                tok = tokens[si][ti]
                core = tok.rstrip(_PUNCT_TAIL)
                if not core or not core[0].islower():
                    continue
                new = _SYNONYMS.get(core)
                pool = _REPLACEMENTS.get(core)
                if new is None and pool is None:
                    continue
                if new is None or (pool is not None and r() < 0.5):
                    assert pool is not None
                    new = pool[int(r() * len(pool))]
                if new != core:
                    tokens[si][ti] = new + tok[len(core):]
                    at = k
                    break
            at += 8 + int(r() * 8)
        out = [" ".join(toks) for toks in tokens]
        if r() < 0.4:  # a clause between commas dropped: ", a senior analyst at X," -> ","
            for i, sent in enumerate(out):
                a = sent.find(", ")
                b = sent.find(", ", a + 2) if a >= 0 else -1
                if a > 0 and b > a and 3 <= len(sent[a + 2:b].split()) <= 10:
                    out[i] = sent[:a] + sent[b:]
                    break
        if r() < 0.4:  # reported speech: "said" -> "told reporters"
            for i, sent in enumerate(out):
                if " said" in sent and "“" not in sent:
                    out[i] = sent.replace(" said", " told reporters", 1)
                    break
        if len(out) >= 3 and r() < 0.25:  # two sentences swapped
            k = 1 + int(r() * (len(out) - 2))
            if "“" not in out[k] + out[k + 1]:
                out[k], out[k + 1] = out[k + 1], out[k]
        return out

    def _rewrite(self, sentences: list[str]) -> list[str]:
        """Change two to four words, as a light copy edit does; unchanged if none qualify."""
        tokens = [s.split(" ") for s in sentences]
        candidates: list[tuple[int, int]] = []
        for si, toks in enumerate(tokens):
            for ti, tok in enumerate(toks):
                core = tok.rstrip(_PUNCT_TAIL)
                if core and core[0].islower() and (core in _SYNONYMS or core in _REPLACEMENTS):
                    candidates.append((si, ti))
        if not candidates:
            return sentences
        k = min(len(candidates), 2 + int(self._r() * 3))
        for ci in self.rng.sample(range(len(candidates)), k):
            si, ti = candidates[ci]
            tok = tokens[si][ti]
            core = tok.rstrip(_PUNCT_TAIL)
            tail = tok[len(core) :]
            new = _SYNONYMS.get(core)
            if new is None or self._r() < 0.3:
                pool = _REPLACEMENTS.get(core)
                if pool is None:
                    continue
                new = pool[int(self._r() * len(pool))]
            tokens[si][ti] = new + tail
        return [" ".join(t) for t in tokens]

    def copy(
        self,
        pars: list[_Par],
        probs: dict[str, float],
        outlet: _Outlet,
        city: str,
        extra_bottom: str | None = None,
    ) -> _Copy:
        """Lay out a copy of ``pars`` for ``outlet`` with edits drawn from ``probs``."""
        r = self._r
        chosen = {name for name, prob in probs.items() if r() < prob}
        if "heavy_rewrite" in chosen:  # written anew around the quotations: no edit of the old text
            chosen -= {"us_rewrite", "quotes_stripped", "rewrite", "light_rewrite", "merged", "reordered", "split",
                       "embedded", "flattened"}
        wide: list[str] = []
        n = len(pars)
        keep = n
        if "trimmed" in chosen and n >= 5:
            keep = n - (1 + int(r() * min(4, n - 4)))
            wide.append("trimmed")
        marks: dict[int, set[str]] = {i: set() for i in range(keep)}
        leads = [pars[i].lead for i in range(keep)]
        sents = [list(pars[i].sentences) for i in range(keep)]
        if "dateline_removed" in chosen and leads[0]:
            roll = r()
            if roll < 0.5:
                leads[0] = ""
            elif roll < 0.75:
                leads[0] = f"{city}: "
            else:
                leads[0] = f"{city.upper()} — "
            marks[0].add("dateline_removed")
        if "us_rewrite" in chosen:
            for i in range(keep):
                new = [_us_rewrite(s) for s in sents[i]]
                if new != sents[i]:
                    sents[i] = new
                    marks[i].add("us_rewrite")
        if "quotes_stripped" in chosen:
            for i in range(keep):
                new = [_strip_quotes(s) for s in sents[i]]
                if new != sents[i]:
                    sents[i] = new
                    marks[i].add("quotes_stripped")
        if "rewrite" in chosen:
            options = [i for i in range(keep) if not pars[i].fixed and pars[i].words >= 20]
            if options:
                i = options[int(r() * len(options))]
                new = self._rewrite(sents[i])
                if new != sents[i]:
                    sents[i] = new
                    marks[i].add("rewrite")
        if "light_rewrite" in chosen:
            for i in range(keep):
                if not pars[i].fixed and pars[i].words >= 12:
                    new = self._light(sents[i])
                    if new != sents[i]:
                        sents[i] = new
                        marks[i].add("light_rewrite")
        kept: dict[int, int | None] = {}  # heavily rewritten paragraph -> its longest verbatim quotation
        if "heavy_rewrite" in chosen:
            for i in range(keep):
                if not pars[i].fixed:
                    quoted = [k for k, sent in enumerate(sents[i]) if "“" in sent and len(sent.split()) >= 12]
                    sents[i] = [sent if "“" in sent else self.writer.sentence() for sent in sents[i]]
                    kept[i] = max(quoted, key=lambda k: (len(sents[i][k]), -k), default=None)
                    marks[i].add("heavy_rewrite")
        groups: list[list[int]] = [[i] for i in range(keep)]
        if "merged" in chosen:
            options = [j for j in range(keep - 1) if not pars[j].fixed and not pars[j + 1].fixed]
            if options:
                j = options[int(r() * len(options))]
                groups[j] = [j, j + 1]
                del groups[j + 1]
                marks[j].add("merged")
                marks[j + 1].add("merged")
        if "reordered" in chosen:
            options = [
                g
                for g in range(1, len(groups) - 1)
                if len(groups[g]) == 1
                and len(groups[g + 1]) == 1
                and not pars[groups[g][0]].fixed
                and not pars[groups[g + 1][0]].fixed
            ]
            if options:
                g = options[int(r() * len(options))]
                groups[g], groups[g + 1] = groups[g + 1], groups[g]
                marks[groups[g][0]].add("reordered")
                marks[groups[g + 1][0]].add("reordered")
        split: set[int] = set()
        if "split" in chosen:
            options = [g[0] for g in groups if len(g) == 1 and not pars[g[0]].fixed and len(sents[g[0]]) >= 2]
            for _ in range(1 if r() < 0.7 else 2):
                if options:
                    i = options.pop(int(r() * len(options)))
                    split.add(i)
                    marks[i].add("split")
        blocks: list[_Block] = []
        for group in groups:
            if len(group) == 2:
                a, b = group
                ta = leads[a] + " ".join(sents[a])
                tb = leads[b] + " ".join(sents[b])
                text = ta + " " + tb
                blocks.append((text, [(a, 0, len(ta)), (b, len(ta) + 1, len(text))]))
                continue
            i = group[0]
            if i in split:
                cut = 1 + int(r() * (len(sents[i]) - 1))
                t1 = leads[i] + " ".join(sents[i][:cut])
                t2 = " ".join(sents[i][cut:])
                blocks.append((t1, [(i, 0, len(t1))]))
                blocks.append((t2, [(i, 0, len(t2))]))
            elif i in kept:  # only the quotation kept word for word is the source's text
                text = leads[i] + " ".join(sents[i])
                k = kept[i]
                if k is None:
                    blocks.append((text, []))
                else:
                    at = len(leads[i]) + sum(len(sent) + 1 for sent in sents[i][:k])
                    blocks.append((text, [(i, at, at + len(sents[i][k]))]))
            else:
                text = leads[i] + " ".join(sents[i])
                blocks.append((text, [(i, 0, len(text))]))
        if "local_inserted" in chosen and len(blocks) >= 2:
            for _ in range(1 if r() < 0.6 else 2):
                at = self._boundary(blocks)
                local = " ".join(self.writer.paragraph("body", 25, 70))
                blocks.insert(at, (local, []))
            wide.append("local_inserted")
        if "partial" in chosen:
            blocks = self._partial(blocks, wide)
        if "embedded" in chosen:
            blocks = self._embedded(blocks, wide)
        if "flattened" in chosen and "split" not in chosen and len(blocks) >= 2:
            blocks = [_joined(blocks)]
            wide.append("flattened")
        top, bottom = self.chrome(outlet)
        if extra_bottom is not None:
            bottom.insert(0, extra_bottom)
        if top or bottom:
            blocks = [(line, []) for line in top] + blocks + [(line, []) for line in bottom]
            wide.append("chrome")
        headline_changed = "headline_changed" in chosen
        if headline_changed:
            wide.append("headline_changed")
        edits: dict[int, list[str]] = {}
        for i in range(keep):
            names = marks[i].union(wide)
            edits[i] = sorted(names, key=_EDIT_RANK.__getitem__)
        return _Copy(blocks, edits, headline_changed)

    def _partial(self, blocks: list[_Block], wide: list[str]) -> list[_Block]:
        """A copy that takes 10-50% of the story's paragraphs, in one run, among paragraphs of its
        own (a local story drawing on the wire); unchanged when the story is too short."""
        r = self._r
        order = list(dict.fromkeys(ref[0] for _, refs in blocks for ref in refs))
        if len(order) < 4:
            return blocks
        take = max(1, round(len(order) * (0.1 + 0.4 * r())))
        start = int(r() * (len(order) - take + 1))
        window = set(order[start:start + take])
        kept = [b for b in blocks if b[1] and all(ref[0] in window for ref in b[1])]
        if not kept:
            return blocks
        own = [(" ".join(self.writer.paragraph("body", 30, 80)), []) for _ in range(2 + int(r() * 4))]
        cut = int(r() * (len(own) + 1))
        wide.append("partial")
        return own[:cut] + kept + own[cut:]

    def _embedded(self, blocks: list[_Block], wide: list[str]) -> list[_Block]:
        """One copied paragraph set inside a long paragraph of the outlet's own words."""
        r = self._r
        options = [k for k, (_, refs) in enumerate(blocks) if refs]
        if not options:
            return blocks
        k = options[int(r() * len(options))]
        before = " ".join(self.writer.paragraph("body", 60, 200))
        after = " ".join(self.writer.paragraph("body", 40, 200))
        text, refs = blocks[k]
        shift = len(before) + 1
        out = list(blocks)
        out[k] = (f"{before} {text} {after}", [(i, a + shift, b + shift) for i, a, b in refs])
        wide.append("embedded")
        return out

    def _boundary(self, blocks: list[_Block]) -> int:
        """A place to insert a paragraph that does not fall between the halves of a split one."""
        options = [len(blocks)]
        for k in range(1, len(blocks)):
            before = {ref[0] for ref in blocks[k - 1][1]}
            if not before.intersection(ref[0] for ref in blocks[k][1]):
                options.append(k)
        return options[int(self._r() * len(options))]

    def chrome(self, outlet: _Outlet) -> tuple[list[str], list[str]]:
        """The outlet's page chrome for one page, or nothing."""
        if not (outlet.chrome_top or outlet.chrome_bottom) or self._r() >= 0.9:
            return [], []
        return list(outlet.chrome_top), list(outlet.chrome_bottom)


# --------------------------------------------------------------------------------------------
# The generator: units of related articles, streamed in publication order.
# --------------------------------------------------------------------------------------------


@dataclass(slots=True)
class _Unit:
    """Articles generated together and the passage labels that tie them."""

    pending: int = 0
    labels: list[_Label] = field(default_factory=list)
    topic: int = 0
    ident: int = 0


@dataclass(slots=True)
class _Art:
    """An article waiting for its turn in publication order."""

    key: int
    minute: int
    title: str
    text: str
    source: str
    host: str
    section: str
    unit: _Unit
    id: str = ""
    seq: int = 0


@dataclass(slots=True)
class _Label:
    """A passage label before ids are known."""

    kind: str
    origin: str | None
    source: _Art | None
    spans: list[tuple[_Art, int, int]]
    edits: list[tuple[_Art, list[str]]]


@dataclass(slots=True)
class _Member:
    """An article of a unit, with where each source paragraph landed and what was done to it."""

    art: _Art
    spans: dict[int, tuple[int, int]]
    edits: dict[int, list[str]] | None


def _slug(title: str) -> str:
    """A URL path segment from a headline."""
    out = []
    dash = False
    for ch in title.lower():
        if ch.isascii() and ch.isalnum():
            out.append(ch)
            dash = False
        elif not dash:
            out.append("-")
            dash = True
    return "".join(out).strip("-")[:70].rstrip("-")


class _Generator:
    """Produces the records of one configuration."""

    def __init__(self, config: SynthConfig) -> None:
        self.cfg = config
        self.rng = random.Random(config.seed)
        self._r = self.rng.random
        self.writer = _Writer(self.rng)
        self.copier = _Copier(self.rng, self.writer)
        self.start = datetime.fromisoformat(config.start.replace("Z", "+00:00")).astimezone(UTC)
        self.key = 0
        self.emitted = 0
        self.passages = 0
        self.outlets = self._make_outlets(config.outlets)
        self.topics_made = 0
        self.units = 0
        self.chrome_lines = {line for o in self.outlets for line in (*o.chrome_top, *o.chrome_bottom)}
        # Zipf-like reach in integers: exact on every platform, unlike fractional powers.
        total = 0
        self._outlet_cum: list[int] = []
        for i in range(len(self.outlets)):
            total += 100_000 // (i + 3)
            self._outlet_cum.append(total)
        self.topics = [self._new_topic() for _ in range(40)]
        self._unit_probs = self._unit_mix()
        self._minutes_per_article = 1440 / config.articles_per_day

    # ---- setup ---------------------------------------------------------------------------

    def _make_outlets(self, count: int) -> list[_Outlet]:
        """Outlets with distinct names, house styles and chrome."""
        rng = self.rng
        names: list[str] = ["Daily Planet"]
        seen = set(names)
        while len(names) < count:
            town = rng.choice(_TOWNS)
            roll = rng.random()
            if roll < 0.65:
                name = f"{'The ' if rng.random() < 0.3 else ''}{town} {rng.choice(_PAPERS)}"
            else:
                name = f"{town} {rng.choice(_SITES)}"
            if name not in seen:
                seen.add(name)
                names.append(name)
        outlets = []
        for name in names:
            host = "".join(ch for ch in name.lower().removeprefix("the ") if ch.isalnum()) + ".example"
            chrome_top: tuple[str, ...] = ()
            chrome_bottom: tuple[str, ...] = ()
            if rng.random() < 0.35:
                section = rng.choice(_SECTIONS)
                fill = {
                    "author": rng.choice(_AUTHORS),
                    "section": section,
                    "n": str(2 + rng.randrange(6)),
                    "year": "2022",
                    "outlet": name,
                }
                tops = rng.sample(_CHROME_TOP, rng.randrange(4))
                bottoms = rng.sample(_CHROME_BOTTOM, 1 + rng.randrange(3))
                chrome_top = tuple(line.format(**fill) for line in tops)
                chrome_bottom = tuple(line.format(**fill) for line in bottoms)
            outlets.append(
                _Outlet(
                    name=name,
                    host=host,
                    us="U.S." if rng.random() < 0.6 else "US",
                    dateline=rng.randrange(4),
                    chrome_top=chrome_top,
                    chrome_bottom=chrome_bottom,
                )
            )
        return outlets

    def _new_topic(self) -> _Topic:
        """A fresh news event with its own place, people and organisations."""
        rng = self.rng
        city, country, dem = rng.choice(_PLACES)
        us = rng.random() < 0.45
        people: list[tuple[str, str, str]] = []
        for k in range(2 + rng.randrange(3)):
            if us and k == 0:
                title = rng.choice(_US_OFFICES)
            else:
                office = rng.choice(_OFFICES)
                other = rng.choice(_PLACES)[2]
                title = f"{dem if rng.random() < 0.6 else other} {office}"
            people.append((title, rng.choice(_FIRST), rng.choice(_LAST)))
        ministry = rng.choice(("Foreign", "Health", "Finance", "Defense", "Interior", "Economy", "Trade", "Energy"))
        orgs = [rng.choice(_INSTITUTIONS), f"the {dem} {ministry} Ministry"]
        if rng.random() < 0.5:
            orgs.append(self.writer.new_company())
        self.topics_made += 1
        return _Topic(city, country, dem, people, orgs, rng.choice(_ADJS), rng.choice(_NOUNS), us, self.topics_made)

    def _unit_mix(self) -> tuple[float, float, float]:
        """Chances of an original, a press release and a wire unit, so article shares match config."""
        c = self.cfg
        q = c.quote_rate
        originals = (1 - q) + q * 2.25
        orig_articles = (1 - q) * (1 + c.republish_rate * _mean(_REPUB_COPY_WEIGHTS)) + q * 2.25
        pr_articles = c.agency_copy_rate + _mean(_PR_COPY_WEIGHTS)
        wire_articles = c.agency_copy_rate + _mean(_COPY_WEIGHTS)
        x_o = c.original_share / originals
        x_p = c.press_release_share / pr_articles
        x_w = max(0.0, (1 - x_o * orig_articles - c.press_release_share) / wire_articles)
        total = x_o + x_p + x_w
        return x_o / total, x_p / total, x_w / total

    # ---- helpers -------------------------------------------------------------------------

    def _outlet(self) -> _Outlet:
        """An outlet, the big ones more often."""
        cum = self._outlet_cum
        return self.outlets[bisect.bisect_right(cum, int(self._r() * cum[-1]))]

    def _distinct_outlets(self, k: int, exclude: str = "") -> list[_Outlet]:
        """``k`` different outlets (fewer if there are not that many)."""
        k = min(k, len(self.outlets) - (1 if exclude else 0))
        out: list[_Outlet] = []
        names = {exclude}
        while len(out) < k:
            o = self._outlet()
            if o.name not in names:
                names.add(o.name)
                out.append(o)
        return out

    def _weighted(self, weights: Sequence[int]) -> int:
        """An index drawn with integer weights."""
        x = int(self._r() * sum(weights))
        for i, w in enumerate(weights):
            x -= w
            if x < 0:
                return i
        return len(weights) - 1

    def _topic(self) -> _Topic:
        """A topic from the active pool; the pool turns over slowly."""
        i = int(self._r() * len(self.topics))
        if self._r() < 0.2:
            self.topics[i] = self._new_topic()
        return self.topics[i]

    def _lag(self) -> int:
        """Minutes between a source and a copy: mostly soon, at most ``max_lag_hours``."""
        u = self._r()
        return int(self.cfg.max_lag_hours * 60 * u * u * u)

    def _art(self, unit: _Unit, minute: int, title: str, text: str, source: str, host: str, section: str) -> _Art:
        """A new article record in waiting."""
        self.key += 1
        unit.pending += 1
        return _Art(self.key, minute, title, text, source, host, section, unit)

    def _date(self, minute: int) -> datetime:
        """The moment ``minute`` minutes after the corpus start."""
        return self.start + timedelta(minutes=minute)

    # ---- stories -------------------------------------------------------------------------

    def _story(self, topic: _Topic, us: str, lead: str, body_count: int, quotes: float = 0.3) -> list[_Par]:
        """Paragraphs of a news story on ``topic``, the dateline in front of the first."""
        w = self.writer
        w.start_article(topic, us)
        pars = [_Par(lead, w.paragraph("lead", 25, 60))]
        for _ in range(body_count - 1):
            roll = self._r()
            kind = "quote" if roll < quotes else "body"
            pars.append(_Par("", w.paragraph(kind)))
        return pars

    def _dateline(self, code: str, city: str, minute: int) -> str:
        """The agency's dateline in its house style."""
        d = self._date(minute)
        upper = city.upper()
        if code == "AP":
            return f"{upper} (AP) — "
        if code == "Reuters":
            return f"{upper}, {_MONTHS_REUTERS[d.month - 1]} {d.day} (Reuters) - "
        if code == "AFP":
            return f"{upper} (AFP) - "
        if code == "dpa":
            return f"{upper} (dpa) - "
        if code == "Xinhua":
            return f"{upper}, {_MONTHS_AP[d.month - 1]} {d.day} (Xinhua) -- "
        return f"{upper} (PTI) "

    def _credit(self, code: str) -> str | None:
        """The agency's credit or desk sign-off line, when it carries one."""
        r = self._r
        name = f"{self.writer.p(_FIRST)} {self.writer.p(_LAST)}"
        other = f"{self.writer.p(_FIRST)} {self.writer.p(_LAST)}"
        city = self.writer.p(_PLACES)[0]
        if code == "AP" and r() < 0.55:
            if r() < 0.7:
                return f"Associated Press writer {name} in {city} contributed to this report."
            return (
                f"Associated Press writers {name} in {city} and {other} in "
                f"{self.writer.p(_PLACES)[0]} contributed to this report."
            )
        if code == "Reuters" and r() < 0.85:
            editor = f"{self.writer.p(_FIRST)} {self.writer.p(_LAST)}"
            body = f"Reporting by {name} in {city}; Editing by {other} and {editor}"
            if r() < 0.4:
                body = f"Reporting by {name}; Additional reporting by {other}; Editing by {editor}"
            return f"({body})" if r() < 0.6 else body
        letters = "abcdefghijklmnoprstvwy"
        if code == "AFP" and r() < 0.6:
            a = self.writer.p(letters) + self.writer.p(letters)
            b = self.writer.p(letters) + self.writer.p(letters) + self.writer.p(letters)
            return f"burs-{a}/{b}" if r() < 0.6 else f"{a}/{b}"
        if code == "Xinhua" and r() < 0.6:
            return "Enditem"
        if code == "PTI" and r() < 0.6:
            initials = " ".join(
                (self.writer.p(letters) + self.writer.p(letters) + self.writer.p(letters)).upper() for _ in range(2)
            )
            return f"PTI {initials}"
        return None

    def _members_labels(
        self, unit: _Unit, members: list[_Member], pars: list[_Par], kind: str, origin: str | None, has_source: bool
    ) -> None:
        """Label every source paragraph that landed in two or more of ``members``."""
        source = members[0].art if has_source and members else None
        for j, par in enumerate(pars):
            if par.words < self.cfg.min_label_words:
                continue
            spans = [(m.art, *m.spans[j]) for m in members if j in m.spans]
            if len(spans) < 2:
                continue
            edits = [(m.art, m.edits[j]) for m in members if m.edits is not None and j in m.spans]
            unit.labels.append(_Label(kind, origin, source, spans, edits))

    def _probs(self, probs: dict[str, float], light: float) -> dict[str, float]:
        """The chances of each edit, with those of :data:`HARD_EDITS` on a hard corpus (drawn last,
        so that the other draws stay those of the plain corpus up to them)."""
        if not self.cfg.hard:
            return probs
        return {**probs, "light_rewrite": light, "partial": light / 2, "embedded": 0.15, "flattened": 0.10,
                "heavy_rewrite": light / 2}

    def _copies(
        self,
        unit: _Unit,
        pars: list[_Par],
        title: str,
        topic: _Topic,
        t0: int,
        count: int,
        probs: dict[str, float],
        exclude: str = "",
        credit_source: str | None = None,
        city: str | None = None,
    ) -> list[_Member]:
        """Outlets' copies of a story, each with its own edits and lag; ``city`` is the dateline's."""
        members: list[_Member] = []
        for outlet in self._distinct_outlets(count, exclude):
            self.writer.start_article(topic, outlet.us)
            extra = None
            if credit_source is not None and self._r() < 0.5:
                extra = f"This article was originally published by {credit_source}."
            cp = self.copier.copy(pars, probs, outlet, city or topic.city, extra)
            text, spans = _layout(cp.blocks)
            new_title = self.writer.headline() if cp.headline_changed else title
            minute = t0 + self._lag()
            art = self._art(unit, minute, new_title, text, outlet.name, outlet.host, "news")
            members.append(_Member(art, spans, cp.edits))
        return members

    def _wire_unit(self, t0: int, budget: int) -> list[_Art]:
        """An agency story, its own copy (usually) and its republications."""
        code, display, host, us, _ = _AGENCIES[self._weighted([a[4] for a in _AGENCIES])]
        topic = self._topic()
        r = self._r()
        pars = self._story(topic, us, self._dateline(code, topic.city, t0), 6 + int(9 * r * (0.5 + 0.5 * r)))
        credit = self._credit(code)
        if credit is not None:
            pars.append(_Par("", [credit], fixed=True))
        self.writer.start_article(topic, us)
        title = self.writer.headline()
        return self._issued(_Unit(topic=topic.ident), pars, title, topic, t0, budget, (display, host, "article"),
                            (_COPY_WEIGHTS, _WIRE_EDITS, 0.25), ("agency", code), None)

    def _issued(self, unit: _Unit, pars: list[_Par], title: str, topic: _Topic, t0: int, budget: int,
                issuer: tuple[str, str, str], copying: tuple[Sequence[int], dict[str, float], float],
                label: tuple[str, str], city: str | None) -> list[_Art]:
        """A story an agency or a wire issues: its own copy (usually; ``issuer`` is its name, host
        and section) and outlets' copies (``copying``: copy-count weights, edit chances, chance
        of a light rewrite), labelled ``label`` (kind, origin)."""
        members: list[_Member] = []
        has_source = self._r() < self.cfg.agency_copy_rate
        if has_source:
            text, spans = _layout(_plain(pars))
            members.append(_Member(self._art(unit, t0, title, text, *issuer), spans, None))
        weights, edits, light = copying
        count = min(self._weighted(weights), budget - len(members))
        members += self._copies(unit, pars, title, topic, t0, max(0, count), self._probs(edits, light), city=city)
        self._members_labels(unit, members, pars, *label, has_source)
        return [m.art for m in members]

    def _pr_unit(self, t0: int, budget: int) -> list[_Art]:
        """A press release on its wire (usually) and outlets that run it."""
        wire, host, _ = _PR_WIRES[self._weighted([p[2] for p in _PR_WIRES])]
        w = self.writer
        topic = self._topic()
        w.start_article(topic, "U.S.")
        company = w.new_company()
        partner = w.new_company()
        w.company, w.partner = company, partner
        place = w.p(_PLACES)[0]
        city = place.upper()
        d = self._date(t0)
        if wire == "PR Newswire":
            lead = f"{city}, {_MONTHS_AP[d.month - 1]} {d.day}, {d.year} /PRNewswire/ -- "
        elif wire == "Business Wire":
            lead = f"{city}--(BUSINESS WIRE)--"
        else:
            lead = f"{city}, {_MONTHS[d.month - 1]} {d.day:02d}, {d.year} (GLOBE NEWSWIRE) -- "
        corp_adj = w.p(_CORP_ADJS)
        deal_adj = w.p(_CORP_ADJS)
        first = (
            f"{company}, {_an(corp_adj)} {corp_adj} provider of {w.p(_NOUNS)} {w.s_CNS()}, today "
            f"announced {_an(deal_adj)} {deal_adj} {w.p(_CORP_NOUNS)} with {partner} "
            f"to {w.p(_V_INF)} {w.s_NP()}."
        )
        pars = [_Par(lead, [first, *w.paragraph("pr", 10, 40)])]
        for k in range(3 + int(self._r() * 5)):
            kind = "prquote" if k in (0, 2) else "pr"
            pars.append(_Par("", w.paragraph(kind, 25, 80)))
        pars.append(_Par("", [f"About {company}"], fixed=True))
        about = (
            f"{company} is {_an(corp_adj)} {corp_adj} {w.p(_CORP_NOUNS)} company headquartered in "
            f"{w.p(_PLACES)[0]}. Founded in {w.s_YEAR()}, the company {w.s_V()} {w.s_NP()} for "
            f"{w.s_BIG()} {w.s_CNS()} in {2 + int(self._r() * 80)} countries."
        )
        pars.append(_Par("", [about, *w.paragraph("pr", 5, 30)[:1]], fixed=True))
        email = f"media@{''.join(ch for ch in company.lower() if ch.isalnum())}.example"
        pars.append(_Par("", [f"Media contact: {w.p(_FIRST)} {w.p(_LAST)}, {email}"], fixed=True))
        if wire == "PR Newswire":
            pars.append(_Par("", [f"SOURCE {company}"], fixed=True))
        title = f"{company} {w.s_V3()} {w.p(_CORP_ADJS)} {w.p(_CORP_NOUNS)} with {partner}"
        return self._issued(_Unit(topic=topic.ident), pars, title, topic, t0, budget, (wire, host, "news-release"),
                            (_PR_COPY_WEIGHTS, _PR_EDITS, 0.10), ("press_release", wire), place)

    def _original_pars(self, outlet: _Outlet, topic: _Topic, minute: int) -> list[_Par]:
        """An outlet's own story, with its house dateline."""
        d = self._date(minute)
        style = outlet.dateline
        if style == 0:
            lead = ""
        elif style == 1:
            lead = f"{topic.city.upper()} — "
        elif style == 2:
            lead = f"{topic.city}: "
        else:
            lead = f"{topic.city.upper()}, {_MONTHS_REUTERS[d.month - 1]} {d.day} — "
        pars = self._story(topic, outlet.us, lead, 5 + int(self._r() * 8), quotes=0.25)
        if self._r() < 0.03:
            pars.append(_Par("", ["This report contains material from Reuters and AFP."], fixed=True))
        return pars

    def _chromed(self, outlet: _Outlet, blocks: list[_Block]) -> list[_Block]:
        """An outlet's page around its own story."""
        top, bottom = self.copier.chrome(outlet)
        return [(line, []) for line in top] + blocks + [(line, []) for line in bottom]

    def _original_unit(self, t0: int, budget: int) -> list[_Art]:
        """An outlet's own story, sometimes copied by other outlets."""
        outlet = self._outlet()
        topic = self._topic()
        pars = self._original_pars(outlet, topic, t0)
        self.writer.start_article(topic, outlet.us)
        title = self.writer.headline()
        unit = _Unit(topic=topic.ident)
        text, spans = _layout(self._chromed(outlet, _plain(pars)))
        members = [_Member(self._art(unit, t0, title, text, outlet.name, outlet.host, "news"), spans, None)]
        if self._r() < self.cfg.republish_rate and budget > 1:
            count = min(self._weighted(_REPUB_COPY_WEIGHTS), budget - 1)
            members += self._copies(
                unit, pars, title, topic, t0, count, self._probs(_REPUB_EDITS, 0.30), exclude=outlet.name,
                credit_source=outlet.name
            )
            self._members_labels(unit, members, pars, "republished", outlet.name, True)
        return [m.art for m in members]

    def _quote_unit(self, t0: int, budget: int) -> list[_Art]:
        """Two or three outlets' own stories that quote the same words."""
        topic = self._topic()
        w = self.writer
        w.start_article(topic, "U.S.")
        quote = w.quote_text(15, 40)
        speaker_title, first, last = topic.people[int(self._r() * len(topic.people))]
        count = min(2 if self._r() < 0.75 else 3, budget)
        unit = _Unit(topic=topic.ident)
        spans: list[tuple[_Art, int, int]] = []
        for outlet in self._distinct_outlets(count):
            pars = self._original_pars(outlet, topic, t0)
            w.start_article(topic, outlet.us)
            title = w.headline()
            full = f"{speaker_title.replace('{US}', outlet.us)} {first} {last}"
            roll = self._r()
            if roll < 0.35:
                before, after = "“", f",” {full} said {w.s_TIME()}."
            elif roll < 0.7:
                before, after = f"{full} {w.p(('said', 'told reporters', 'wrote on social media'))}: “", ".”"
            else:
                before, after = f"{w.sentence()} {full} said: “", ".”"
            at = 1 + int(self._r() * (len(pars) - 1))
            pars.insert(at, _Par("", [before + quote + after]))
            text, sp = _layout(self._chromed(outlet, _plain(pars)))
            start = sp[at][0] + len(before)
            art = self._art(unit, t0 + self._lag() // 2, title, text, outlet.name, outlet.host, "news")
            spans.append((art, start, start + len(quote)))
        if len(spans) >= 2:
            unit.labels.append(_Label("quote", None, None, spans, []))
        return [a for a, _, _ in spans]

    def _script_unit(self, t0: int, budget: int) -> list[_Art]:
        """A story in another script: an agency's (TASS, Xinhua, Kyodo, PTI's Hindi service) with
        its copies, or an Urdu or Thai outlet's own story that other outlets of its language run."""
        script = _SCRIPTS[int(self._r() * len(_SCRIPTS))]
        topic = self._topic()
        d = self._date(t0)
        city = in_script(topic.city, script)
        code = {"ru": "TASS", "zh": "Xinhua", "ja": "Kyodo", "hi": "PTI"}.get(script)
        lead = {"ru": f"{city.upper()}, {d.day} января. /ТАСС/. ", "zh": f"新华社{city}{d.month}月{d.day}日电 ",
                "ja": f"【{city}共同】"}.get(script, "")
        story = self._story(topic, "U.S.", "", 5 + int(self._r() * 6))
        pars = [_Par(lead if i == 0 else "", [in_script(sent, script) for sent in par.sentences])
                for i, par in enumerate(story)]
        for par, old in zip(pars, story, strict=True):
            par.words = old.words  # a script written without spaces has as many words as the English
        if script == "hi":
            desk = " ".join(in_script(self.writer.p(_LAST).lower(), "hi") for _ in range(2))
            pars.append(_Par("", [f"भाषा {desk}"], fixed=True))
        self.writer.start_article(topic, "U.S.")
        title = in_script(self.writer.headline(), script)
        unit = _Unit(topic=topic.ident)
        members: list[_Member] = []
        if code is not None:
            display, host = {"TASS": ("ТАСС", "tass.example"), "Xinhua": ("新华社", "xinhuanet.example"),
                             "Kyodo": ("共同通信", "kyodonews.example"),
                             "PTI": ("पीटीआई भाषा", "ptinews.example")}[code]
            return self._issued(unit, pars, title, topic, t0, budget, (display, host, "article"),
                                (_COPY_WEIGHTS, _WIRE_EDITS, 0.25), ("agency", code), city)
        outlet = self._outlet()
        text, spans = _layout(self._chromed(outlet, _plain(pars)))
        members.append(_Member(self._art(unit, t0, title, text, outlet.name, outlet.host, "news"), spans, None))
        count = min(1 + self._weighted(_REPUB_COPY_WEIGHTS[1:]), budget - 1)
        members += self._copies(unit, pars, title, topic, t0, max(0, count), self._probs(_REPUB_EDITS, 0.30),
                                exclude=outlet.name, credit_source=outlet.name, city=city)
        self._members_labels(unit, members, pars, "republished", outlet.name, True)
        return [m.art for m in members]

    def _mirror(self, art: _Art) -> _Art:
        """The same page on an archive or aggregator under a header line of its own: every passage
        of the page holds the mirror too, and the page's own paragraphs are passages of the two."""
        name, host = _MIRRORS[int(self._r() * len(_MIRRORS))]
        header = f"{name}: archived copy of a page from {art.host}"
        shift = len(header) + 2
        unit = art.unit
        mirror = self._art(unit, art.minute + 1 + int(self._r() * 600), art.title, f"{header}\n\n{art.text}", name,
                           host, "archive")
        covered: list[tuple[int, int]] = []
        for label in unit.labels:
            held = [(a, lo, hi) for a, lo, hi in label.spans if a is art]
            covered += [(lo, hi) for _, lo, hi in held]
            label.spans += [(mirror, lo + shift, hi + shift) for _, lo, hi in held]
            if held:
                names = next((n for a, n in label.edits if a is art), [])
                label.edits.append((mirror, [*names, "mirror"]))
        at = 0
        for para in art.text.split("\n\n"):
            lo, hi = at, at + len(para)
            at = hi + 2
            if (len(para.split()) >= self.cfg.min_label_words and para.strip() not in self.chrome_lines
                    and not any(a < hi and lo < b for a, b in covered)):
                spans = [(art, lo, hi), (mirror, lo + shift, hi + shift)]
                unit.labels.append(_Label("republished", art.source, art, spans, [(mirror, ["mirror"])]))
        return mirror

    # ---- streaming -----------------------------------------------------------------------

    def _record(self, art: _Art) -> dict[str, Any]:
        """The public article record."""
        d = self._date(art.minute)
        stamp = d.strftime("%Y-%m-%dT%H:%M:%SZ")
        url = f"https://{art.host}/{art.section}/{d:%Y/%m/%d}/{_slug(art.title)}-{art.key:x}"
        return {
            "type": "article",
            "id": art.id,
            "title": art.title,
            "text": art.text,
            "source": art.source,
            "published": stamp,
            "url": url,
            **({"topic": art.unit.topic, "unit": art.unit.ident} if self.cfg.hard else {}),
        }

    @staticmethod
    def _passage(label: _Label, ident: str) -> dict[str, Any]:
        """The public passage record."""
        spans = sorted(label.spans, key=lambda s: (s[0].seq, s[1]))
        edits = sorted(label.edits, key=lambda e: e[0].seq)
        return {
            "type": "passage",
            "id": ident,
            "kind": label.kind,
            "origin": label.origin,
            "source_article": label.source.id if label.source is not None else None,
            "spans": [{"article": a.id, "start": s, "end": e} for a, s, e in spans],
            "edits": {a.id: names for a, names in edits},
        }

    def _flush(self, heap: list[tuple[int, int, _Art]], until: int) -> Iterator[dict[str, Any]]:
        """Emit waiting articles published by ``until``, and passages whose articles are all out."""
        while heap and heap[0][0] <= until:
            art = heapq.heappop(heap)[2]
            self.emitted += 1
            art.seq = self.emitted
            art.id = f"a{self.emitted:06d}"
            yield self._record(art)
            art.unit.pending -= 1
            if art.unit.pending == 0:
                for label in art.unit.labels:
                    self.passages += 1
                    yield self._passage(label, f"p{self.passages:06d}")

    def records(self) -> Iterator[dict[str, Any]]:
        """All records, articles in publication order, each passage after its articles.

        Units start at non-decreasing times and no article precedes its unit's start, so an
        article can go out as soon as a unit starts after it.
        """
        total = self.cfg.articles
        p_orig, p_pr, _ = self._unit_probs
        heap: list[tuple[int, int, _Art]] = []
        made = 0
        t0 = 0
        while made < total:
            yield from self._flush(heap, t0)
            budget = total - made
            roll = self._r()
            if roll < p_orig:
                if self._r() < self.cfg.quote_rate:
                    arts = self._quote_unit(t0, budget)
                else:
                    arts = self._original_unit(t0, budget)
            elif roll < p_orig + p_pr:
                arts = self._pr_unit(t0, budget)
            elif self.cfg.hard and self._r() < 0.15:
                arts = self._script_unit(t0, budget)
            else:
                arts = self._wire_unit(t0, budget)
            if self.cfg.hard:
                for art in list(arts):
                    if len(arts) < budget and self._r() < 0.04:
                        arts.append(self._mirror(art))
            self.units += 1
            for art in arts:
                art.unit.ident = self.units
                heapq.heappush(heap, (art.minute, art.key, art))
            made += len(arts)
            t0 += int(len(arts) * self._minutes_per_article * 2 * self._r())
        yield from self._flush(heap, 1 << 62)


def generate(config: SynthConfig) -> Iterator[dict[str, Any]]:
    """Yield records: articles and passage labels, in a streamable order.

    A passage record comes after all the articles it names, so consumers can stream. The
    configuration is checked at once, before the first record is asked for.
    """
    if config.articles < 0:
        raise ValueError("articles must be >= 0")
    if not 2 <= config.outlets <= 2000:
        raise ValueError("outlets must be between 2 and 2000")
    if config.articles_per_day < 1 or config.max_lag_hours < 0:
        raise ValueError("articles_per_day must be >= 1 and max_lag_hours >= 0")
    return _Generator(config).records()


def write_corpus(config: SynthConfig, articles_path: Path, labels_path: Path | None = None) -> dict[str, int]:
    """Write articles as JSON Lines to articles_path; if labels_path, write the labelled corpus there.

    The labelled corpus holds the article records and the passage records, so it is self-contained.
    Returns counts of articles, passages (overall and by kind), spans, paragraphs and text bytes.
    """
    counts = {"articles": 0, "passages": 0, "spans": 0, "paragraphs": 0, "bytes": 0}
    for kind in PASSAGE_KINDS:
        counts[f"passages_{kind}"] = 0
    articles_path.parent.mkdir(parents=True, exist_ok=True)
    labels: TextIO | None = None
    with articles_path.open("w", encoding="utf-8", newline="\n") as out:
        if labels_path is not None:
            labels_path.parent.mkdir(parents=True, exist_ok=True)
            labels = labels_path.open("w", encoding="utf-8", newline="\n")
        try:
            for rec in generate(config):
                line = json.dumps(rec, ensure_ascii=False) + "\n"
                if rec["type"] == "article":
                    out.write(line)
                    counts["articles"] += 1
                    counts["paragraphs"] += rec["text"].count("\n\n") + 1
                    counts["bytes"] += len(rec["text"].encode("utf-8"))
                else:
                    counts["passages"] += 1
                    counts["spans"] += len(rec["spans"])
                    counts[f"passages_{rec['kind']}"] += 1
                if labels is not None:
                    labels.write(line)
        finally:
            if labels is not None:
                labels.close()
    return counts


def main(argv: Sequence[str] | None = None) -> int:
    """Command line: write DIR/articles.jsonl (and DIR/labels.jsonl) and report counts and time."""
    parser = argparse.ArgumentParser(prog="python -m benchmarks.synth", description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=SynthConfig.articles, help="number of articles")
    parser.add_argument("--seed", type=int, default=SynthConfig.seed, help="random seed")
    parser.add_argument("--out", type=Path, required=True, help="output directory")
    parser.add_argument("--labels", action="store_true", help="also write the labelled corpus labels.jsonl")
    parser.add_argument("--hard", action="store_true", help="also light rewrites (SynthConfig.hard)")
    args = parser.parse_args(argv)
    config = SynthConfig(articles=args.articles, seed=args.seed, hard=args.hard)
    began = time.perf_counter()
    counts = write_corpus(config, args.out / "articles.jsonl", args.out / "labels.jsonl" if args.labels else None)
    elapsed = time.perf_counter() - began
    for name, value in counts.items():
        print(f"{name}: {value}", file=sys.stderr)
    print(f"seconds: {elapsed:.1f}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
