"""A labelled relevance set: realistic UN-practice content and what each query should find.

``DOCUMENTS`` is a deterministic fixture (exchanges, knowledge items, people and
communities in the six UN languages, with a few distractors); ``QUERIES`` pairs each
query with the keys of the documents that should come first, best first. ``evaluate``
returns MRR and nDCG@10 (graded: the first listed key is the most relevant).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

# key: (kind, title, text)
DOCUMENTS: dict[str, tuple[str, str, str]] = {
    "cash-kenya": (
        "exchange",
        "Cash transfers for drought-affected households in Kenya",
        "We are designing unconditional cash transfers through mobile money for pastoralist "
        "households hit by drought. How did you target beneficiaries and prevent exclusion errors?",
    ),
    "cash-consolidated": (
        "knowledge",
        "Consolidated reply: targeting cash transfers in drought response",
        "Community-based targeting combined with a proxy means test reduced exclusion errors; "
        "mobile money cut delivery costs by a third.",
    ),
    "vouchers-lebanon": (
        "exchange",
        "Food vouchers or cash for refugees in Lebanon",
        "Which worked better for Syrian refugee families: e-vouchers redeemable in shops, or "
        "multipurpose cash?",
    ),
    "water-tariffs": (
        "exchange",
        "Water tariffs in informal settlements",
        "How have municipalities set pro-poor tariffs for informal settlements without "
        "bankrupting the utility?",
    ),
    "water-committees": (
        "exchange",
        "Water user committees in rural districts",
        "Experiences with training village committees to maintain hand pumps and collect fees?",
    ),
    "handpump-lesson": (
        "knowledge",
        "Lesson learned: hand pump maintenance needs a spare-parts supply chain",
        "Trained mechanics were idle because spare parts for the hand pumps were sold only in the capital.",
    ),
    "election-observers": (
        "exchange",
        "Training domestic election observers",
        "Curriculum and codes of conduct for citizen observers before national elections.",
    ),
    "voter-registration": (
        "exchange",
        "Biometric voter registration: costs and risks",
        "Our electoral commission is weighing fingerprint kits against the paper register.",
    ),
    "gbv-referral": (
        "exchange",
        "Referral pathways for gender-based violence survivors",
        "Setting up safe referral pathways between health centres, police and shelters in camps.",
    ),
    "gbv-hotline": (
        "knowledge",
        "Good practice: a toll-free hotline run by women's organisations",
        "Survivors of gender-based violence (GBV) called a free line staffed by trained counsellors.",
    ),
    "malaria-nets": (
        "exchange",
        "Distributing insecticide-treated bed nets",
        "Mass campaigns or continuous distribution of malaria nets through antenatal clinics?",
    ),
    "vaccine-cold-chain": (
        "exchange",
        "Solar refrigerators for the vaccine cold chain",
        "Health posts without grid power lose vaccines; solar direct-drive fridges are an option.",
    ),
    "covid-schools": (
        "exchange",
        "Reopening schools after COVID-19 closures",
        "Catch-up learning programmes and remedial classes once schools reopened.",
    ),
    "remote-learning-radio": (
        "knowledge",
        "Case study: interactive radio instruction for remote learning",
        "Radio lessons reached children without internet during the closures.",
    ),
    "decentralisation": (
        "exchange",
        "Fiscal decentralisation and local revenue",
        "Property tax reform in secondary cities to raise municipal revenue.",
    ),
    "procurement": (
        "exchange",
        "E-procurement to reduce corruption in public tenders",
        "Publishing every tender and contract online: what changed in bid prices?",
    ),
    "crop-insurance": (
        "knowledge",
        "Index-based crop insurance for smallholder farmers",
        "Weather-index insurance paid out automatically when rainfall fell below the threshold.",
    ),
    "early-warning": (
        "exchange",
        "Community early warning systems for floods",
        "SMS alerts and river gauges maintained by volunteers in flood-prone villages.",
    ),
    "mangroves": (
        "knowledge",
        "Mangrove restoration for coastal protection",
        "Replanted mangrove belts reduced storm surge damage to fishing villages.",
    ),
    "youth-employment": (
        "exchange",
        "Youth employment: apprenticeships that work",
        "Dual apprenticeships with small businesses and a stipend for young people.",
    ),
    "microfinance": (
        "knowledge",
        "Microfinance and women's economic empowerment",
        "Savings groups gave women control over income before loans were offered.",
    ),
    "disability": (
        "exchange",
        "Disability inclusion in humanitarian response",
        "Accessible shelters and data disaggregated by disability with the Washington Group questions.",
    ),
    "peace-committees": (
        "exchange",
        "Local peace committees and intercommunal dialogue",
        "How were elders, women and youth brought into local peace committees?",
    ),
    "sdg-localisation": (
        "knowledge",
        "Localising the SDGs: voluntary local reviews",
        "Cities reported on the Sustainable Development Goals with voluntary local reviews.",
    ),
    "census-gis": (
        "exchange",
        "Using GIS for census mapping",
        "Satellite imagery and tablets to draw enumeration areas before the census.",
    ),
    "knowledge-cafe": (
        "knowledge",
        "KM approach: knowledge café",
        "An informal conversation format that surfaces what people know but never wrote down.",
    ),
    "after-action": (
        "knowledge",
        "KM approach: after-action review",
        "A structured debrief: what was planned, what happened, why, and what to do next time.",
    ),
    "peer-assist": (
        "knowledge",
        "KM approach: peer assist",
        "Invite colleagues who have done it before to advise a team before it starts.",
    ),
    "ar-education": (
        "exchange",
        "تجارب التعليم عن بعد في المدارس الريفية",
        "كيف واصلت المدارس الريفية التعليم أثناء الإغلاق؟ استخدمنا الإذاعة والرسائل النصية.",
    ),
    "ar-water": (
        "knowledge",
        "إدارة المياه في المناطق الجافة",
        "تجارب في حصاد مياه الأمطار وإعادة استخدام المياه الرمادية.",
    ),
    "ar-women": (
        "exchange",
        "تمكين المرأة اقتصاديًا في الأردن",
        "برامج القروض الصغيرة والتدريب المهني للنساء.",
    ),
    "zh-poverty": ("exchange", "减贫战略的地方经验", "精准扶贫中的建档立卡和产业扶贫经验。"),
    "zh-ewaste": ("knowledge", "电子废物回收的政策", "生产者责任延伸制度在城市中的实施。"),
    "zh-rural": ("exchange", "农村电商助力乡村振兴", "农产品通过网络销售增加了农民收入。"),
    "ru-vaccination": (
        "exchange",
        "Вакцинация детей в сельских районах",
        "Как организовать выездные бригады и холодовую цепь?",
    ),
    "ru-energy": (
        "knowledge",
        "Энергоэффективность в жилых домах",
        "Утепление панельных домов и счётчики тепла.",
    ),
    "ru-youth": (
        "exchange",
        "Занятость молодёжи в малых городах",
        "Программы стажировок для выпускников колледжей.",
    ),
    "fr-education": (
        "exchange",
        "Réforme de l'éducation de base au Sénégal",
        "Les classes multigrades et la formation des enseignants contractuels.",
    ),
    "fr-decentralisation": (
        "knowledge",
        "Décentralisation et finances locales au Bénin",
        "Les communes ont levé des taxes locales et reçu des transferts de l'État.",
    ),
    "fr-sante": (
        "exchange",
        "Santé communautaire : les relais communautaires au Mali",
        "Comment motiver et superviser les relais dans les villages ?",
    ),
    "es-ninez": (
        "exchange",
        "Políticas de primera infancia en Perú",
        "Cuna Más y las visitas domiciliarias a familias con niños pequeños.",
    ),
    "es-agua": (
        "knowledge",
        "Gestión comunitaria del agua en Bolivia",
        "Las juntas de agua fijaron tarifas solidarias.",
    ),
    "es-violencia": (
        "exchange",
        "Prevención de la violencia contra las mujeres en Guatemala",
        "Campañas en escuelas y redes de apoyo comunitario.",
    ),
    "p-fatima": ("person", "Fatima Haddad", "Water governance specialist. Water, sanitation."),
    "p-ndiaye": ("person", "Jean-Pierre Ndiaye", "Education policy adviser, Dakar office."),
    "p-liwei": ("person", "Li Wei", "Poverty reduction economist."),
    "p-olga": ("person", "Olga Petrova", "Immunisation officer, Almaty."),
    "c-cash": (
        "community",
        "Cash and Voucher Assistance Network",
        "Practitioners of cash-based humanitarian assistance.",
    ),
    "c-water": (
        "community",
        "Water Governance Community of Practice",
        "Utilities, regulators and municipalities improving water services.",
    ),
    "c-gender": ("community", "Gender Equality Network", "Mainstreaming gender equality."),
    "c-francophone": (
        "community",
        "Réseau francophone de gouvernance locale",
        "Élus et agents des collectivités territoriales.",
    ),
    "x-relocation": (
        "exchange",
        "Office relocation logistics",
        "Moving boxes, water coolers and desks.",
    ),
    "x-retreat": (
        "exchange",
        "Annual staff retreat agenda",
        "Sessions on cash flow and team building.",
    ),
    "x-travel": ("exchange", "Travel policy for consultants", "Flights, per diem and insurance."),
    "x-reports": ("exchange", "Template for quarterly reports", "Headings for results and risks."),
}

QUERIES: list[tuple[str, list[str]]] = [
    ("cash transfers drought", ["cash-consolidated", "cash-kenya"]),
    ("mobile money", ["cash-consolidated", "cash-kenya"]),
    ("targeting beneficiaries", ["cash-kenya", "cash-consolidated"]),
    ("vouchers refugees", ["vouchers-lebanon"]),
    ("cash assistance network", ["c-cash"]),
    ("Water tariffs in informal settlements", ["water-tariffs"]),
    ("pro-poor tariffs", ["water-tariffs"]),
    ("hand pumps", ["handpump-lesson", "water-committees"]),
    ("water committees", ["water-committees"]),
    ("water governance", ["c-water", "p-fatima"]),
    ("election observers", ["election-observers"]),
    ("biometric registration", ["voter-registration"]),
    ("gender-based violence referral", ["gbv-referral", "gbv-hotline"]),
    ("GBV hotline", ["gbv-hotline"]),
    ("malaria bed nets", ["malaria-nets"]),
    ("vaccine cold chain", ["vaccine-cold-chain"]),
    ("solar vaccines", ["vaccine-cold-chain"]),
    ("schools reopening covid", ["covid-schools"]),
    ("radio remote learning", ["remote-learning-radio"]),
    ("property tax municipal revenue", ["decentralisation"]),
    ("e-procurement corruption", ["procurement"]),
    ("crop insurance smallholders", ["crop-insurance"]),
    ("flood early warning", ["early-warning"]),
    ("mangrove", ["mangroves"]),
    ("apprenticeships youth", ["youth-employment"]),
    ("microfinance women", ["microfinance"]),
    ("disability inclusion humanitarian", ["disability"]),
    ("Washington Group questions", ["disability"]),
    ("peace committees", ["peace-committees"]),
    ("voluntary local reviews SDG", ["sdg-localisation"]),
    ("census mapping GIS", ["census-gis"]),
    ("knowledge café", ["knowledge-cafe"]),
    ("after-action review", ["after-action"]),
    ("peer assist", ["peer-assist"]),
    ("التعليم عن بعد", ["ar-education"]),
    ("الإذاعة", ["ar-education"]),
    ("حصاد مياه الأمطار", ["ar-water"]),
    ("تمكين المرأة", ["ar-women"]),
    ("减贫", ["zh-poverty"]),
    ("精准扶贫", ["zh-poverty"]),
    ("电子废物", ["zh-ewaste"]),
    ("乡村振兴", ["zh-rural"]),
    ("вакцинация", ["ru-vaccination"]),
    ("холодовая цепь", ["ru-vaccination"]),
    ("энергоэффективность", ["ru-energy"]),
    ("занятость молодежи", ["ru-youth"]),
    ("education de base Senegal", ["fr-education"]),
    ("enseignants contractuels", ["fr-education"]),
    ("décentralisation Bénin", ["fr-decentralisation"]),
    ("relais communautaires", ["fr-sante"]),
    ("primera infancia", ["es-ninez"]),
    ("visitas domiciliarias", ["es-ninez"]),
    ("gestion comunitaria del agua", ["es-agua"]),
    ("violencia contra las mujeres", ["es-violencia"]),
    ("Fatima Haddad", ["p-fatima"]),
    ("education policy adviser", ["p-ndiaye"]),
    ("poverty reduction economist", ["p-liwei"]),
    ("immunisation", ["p-olga"]),
    ("reseau francophone gouvernance", ["c-francophone"]),
    ("Gender Equality Network", ["c-gender"]),
]


@dataclass
class Scores:
    mrr: float
    ndcg10: float
    misses: list[str]  # queries whose relevant documents were not in the top 10


def _dcg(gains: Sequence[float]) -> float:
    return sum((2**gain - 1) / math.log2(rank + 2) for rank, gain in enumerate(gains))


def evaluate(
    run: Callable[[str], list[str]], queries: Sequence[tuple[str, list[str]]] = QUERIES
) -> Scores:
    """``run(query)`` returns document keys, best first."""
    reciprocal, ndcg, misses = [], [], []
    for query, relevant in queries:
        ranked = run(query)[:10]
        grades = {key: len(relevant) - i for i, key in enumerate(relevant)}
        first = next((i for i, key in enumerate(ranked) if key in grades), None)
        reciprocal.append(0.0 if first is None else 1 / (first + 1))
        if first is None:
            misses.append(query)
        ideal = _dcg(sorted(grades.values(), reverse=True))
        ndcg.append(_dcg([grades.get(key, 0) for key in ranked]) / ideal)
    count = len(queries)
    return Scores(sum(reciprocal) / count, sum(ndcg) / count, misses)
