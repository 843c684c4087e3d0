"""The raw material of the demo network: organisations, places, names, titles and topics.

Everything here is plain data. The builders draw from it with a seeded random
generator, so the same seed always gives the same network.

Email domains end in ``.example`` (reserved by RFC 2606): a demo that is pointed at a
real mail server must never write to thousands of made-up people at real agencies.
"""

from __future__ import annotations

from dataclasses import dataclass

from solex.accounts.models import Organization, Region

# --- Organisations ------------------------------------------------------------------


@dataclass(frozen=True)
class Agency:
    """A UN system organisation (internal) with its headquarters."""

    acronym: str
    name: str
    domain: str
    headquarters: str  # ISO country code of the headquarters duty station
    headquarters_city: str
    # Practice areas its staff usually work on (topic slugs of the top level).
    practices: tuple[str, ...]
    weight: int  # relative share of the demo's internal staff


AGENCIES: tuple[Agency, ...] = (
    Agency("UNDP", "United Nations Development Programme", "undp.example", "US", "New York",
           ("governance", "climate-and-environment", "poverty-and-inclusive-growth", "digital-transformation",
            "gender-equality", "crisis-response"), 18),
    Agency("UNICEF", "United Nations Children's Fund", "unicef.example", "US", "New York",
           ("children-and-youth", "education", "wash", "health", "food-security-and-nutrition"), 16),
    Agency("UNHCR", "Office of the United Nations High Commissioner for Refugees", "unhcr.example", "CH",
           "Geneva", ("migration-and-displacement", "crisis-response", "human-rights-and-inclusion"), 10),
    Agency("WFP", "World Food Programme", "wfp.example", "IT", "Rome",
           ("food-security-and-nutrition", "crisis-response", "climate-and-environment"), 10),
    Agency("WHO", "World Health Organization", "who.example", "CH", "Geneva",
           ("health", "wash", "crisis-response"), 9),
    Agency("UNFPA", "United Nations Population Fund", "unfpa.example", "US", "New York",
           ("health", "gender-equality", "children-and-youth"), 5),
    Agency("UN Women", "UN Women", "unwomen.example", "US", "New York",
           ("gender-equality", "governance", "human-rights-and-inclusion"), 4),
    Agency("FAO", "Food and Agriculture Organization of the United Nations", "fao.example", "IT", "Rome",
           ("food-security-and-nutrition", "climate-and-environment"), 5),
    Agency("UNESCO", "United Nations Educational, Scientific and Cultural Organization", "unesco.example",
           "FR", "Paris", ("education", "digital-transformation", "human-rights-and-inclusion"), 3),
    Agency("UNEP", "United Nations Environment Programme", "unep.example", "KE", "Nairobi",
           ("climate-and-environment",), 3),
    Agency("UN-Habitat", "United Nations Human Settlements Programme", "unhabitat.example", "KE", "Nairobi",
           ("urban-development", "climate-and-environment"), 2),
    Agency("OCHA", "Office for the Coordination of Humanitarian Affairs", "ocha.example", "US", "New York",
           ("crisis-response", "migration-and-displacement"), 4),
    Agency("ILO", "International Labour Organization", "ilo.example", "CH", "Geneva",
           ("poverty-and-inclusive-growth", "human-rights-and-inclusion"), 3),
    Agency("IOM", "International Organization for Migration", "iom.example", "CH", "Geneva",
           ("migration-and-displacement", "crisis-response"), 4),
    Agency("UNOPS", "United Nations Office for Project Services", "unops.example", "DK", "Copenhagen",
           ("urban-development", "knowledge-and-innovation"), 2),
    Agency("UNAIDS", "Joint United Nations Programme on HIV/AIDS", "unaids.example", "CH", "Geneva",
           ("health", "human-rights-and-inclusion"), 2),
)


@dataclass(frozen=True)
class Partner:
    """An external organisation: government, NGO, academia or private sector."""

    name: str
    acronym: str
    kind: str
    domain: str
    country: str  # where it sits; its people mostly work there
    practices: tuple[str, ...]


_GOV = Organization.Kind.GOVERNMENT
_NGO = Organization.Kind.NGO
_ACADEMIA = Organization.Kind.ACADEMIA
_PRIVATE = Organization.Kind.PRIVATE_SECTOR

PARTNERS: tuple[Partner, ...] = (
    Partner("Ministry of Local Government, Kenya", "MoLG", _GOV, "molg.go.ke.example", "KE",
            ("governance", "urban-development")),
    Partner("Ministry of Health, Ghana", "MoH Ghana", _GOV, "moh.gov.gh.example", "GH", ("health",)),
    Partner("Ministry of Environment and Sustainable Development, Colombia", "MinAmbiente", _GOV,
            "minambiente.gov.co.example", "CO", ("climate-and-environment",)),
    Partner("National Disaster Management Authority, Pakistan", "NDMA", _GOV, "ndma.gov.pk.example", "PK",
            ("crisis-response", "climate-and-environment")),
    Partner("Ministry of Education, Jordan", "MoE Jordan", _GOV, "moe.gov.jo.example", "JO", ("education",)),
    Partner("Ministry of Planning, Bangladesh", "MoP Bangladesh", _GOV, "plandiv.gov.bd.example", "BD",
            ("poverty-and-inclusive-growth", "governance")),
    Partner("Ministry of Water and Sanitation, Senegal", "MEA Sénégal", _GOV, "eau.gouv.sn.example", "SN",
            ("wash",)),
    Partner("Ministry of Social Policy, Ukraine", "MSP Ukraine", _GOV, "msp.gov.ua.example", "UA",
            ("poverty-and-inclusive-growth", "crisis-response")),
    Partner("National Statistics Office, Philippines", "PSA", _GOV, "psa.gov.ph.example", "PH",
            ("digital-transformation",)),
    Partner("Ministry of Women and Social Development, Peru", "MIMP", _GOV, "mimp.gob.pe.example", "PE",
            ("gender-equality",)),
    Partner("Sahel Water Alliance", "SWA", _NGO, "sahelwater.example", "ML", ("wash", "climate-and-environment")),
    Partner("Frontline Health Workers Coalition", "FHWC", _NGO, "frontlinehealth.example", "UG", ("health",)),
    Partner("Andean Climate Network", "RedClima", _NGO, "redclima.example", "BO",
            ("climate-and-environment", "food-security-and-nutrition")),
    Partner("Mekong Youth Forum", "MYF", _NGO, "mekongyouth.example", "KH", ("children-and-youth", "education")),
    Partner("Pacific Islands Resilience Network", "PIRN", _NGO, "pirn.example", "FJ",
            ("climate-and-environment", "crisis-response")),
    Partner("Women's Voice and Leadership Collective", "WVL", _NGO, "womensvoice.example", "NP",
            ("gender-equality", "human-rights-and-inclusion")),
    Partner("Refugee Legal Aid Centre", "RLAC", _NGO, "refugeelegal.example", "LB",
            ("migration-and-displacement", "human-rights-and-inclusion")),
    Partner("Disability Rights Action Network", "DRAN", _NGO, "dran.example", "ZA", ("human-rights-and-inclusion",)),
    Partner("Institute for Development Studies, Nairobi", "IDS Nairobi", _ACADEMIA, "ids-nairobi.example",
            "KE", ("governance", "knowledge-and-innovation")),
    Partner("Centre for Public Health Research, Dhaka", "CPHR", _ACADEMIA, "cphr-dhaka.example", "BD", ("health",)),
    Partner("Latin American School of Public Policy", "ELAPP", _ACADEMIA, "elapp.example", "MX",
            ("governance", "poverty-and-inclusive-growth")),
    Partner("Maghreb Climate Research Institute", "MCRI", _ACADEMIA, "mcri.example", "MA",
            ("climate-and-environment",)),
    Partner("Geneva Graduate School of Humanitarian Studies", "GGSHS", _ACADEMIA, "ggshs.example", "CH",
            ("crisis-response", "migration-and-displacement")),
    Partner("Open Data Labs", "ODL", _PRIVATE, "opendatalabs.example", "IN", ("digital-transformation",)),
    Partner("SolarBridge Energy", "SolarBridge", _PRIVATE, "solarbridge.example", "NG",
            ("climate-and-environment",)),
    Partner("Mobile Money for All", "MM4A", _PRIVATE, "mm4a.example", "TZ", ("poverty-and-inclusive-growth",)),
)

# --- Places ---------------------------------------------------------------------


@dataclass(frozen=True)
class Country:
    code: str  # ISO 3166-1 alpha-2
    name: str
    city: str  # where the UN country offices sit
    region: str  # a ``Region`` value
    languages: tuple[str, ...]  # Django language codes, most used first
    culture: str  # the name pool most local staff draw from


_AF = Region.AFRICA
_AS = Region.ARAB_STATES
_AP = Region.ASIA_PACIFIC
_EU = Region.EUROPE_CENTRAL_ASIA
_LA = Region.LATIN_AMERICA_CARIBBEAN
_NA = Region.NORTH_AMERICA

COUNTRIES: tuple[Country, ...] = (
    # Africa
    Country("KE", "Kenya", "Nairobi", _AF, ("en", "sw"), "east_africa"),
    Country("UG", "Uganda", "Kampala", _AF, ("en", "sw"), "east_africa"),
    Country("TZ", "Tanzania", "Dar es Salaam", _AF, ("sw", "en"), "east_africa"),
    Country("ET", "Ethiopia", "Addis Ababa", _AF, ("en",), "east_africa"),
    Country("RW", "Rwanda", "Kigali", _AF, ("fr", "en", "sw"), "east_africa"),
    Country("SS", "South Sudan", "Juba", _AF, ("en", "ar"), "east_africa"),
    Country("SO", "Somalia", "Mogadishu", _AF, ("ar", "en"), "east_africa"),
    Country("SN", "Senegal", "Dakar", _AF, ("fr",), "west_africa_fr"),
    Country("ML", "Mali", "Bamako", _AF, ("fr",), "west_africa_fr"),
    Country("NE", "Niger", "Niamey", _AF, ("fr",), "west_africa_fr"),
    Country("BF", "Burkina Faso", "Ouagadougou", _AF, ("fr",), "west_africa_fr"),
    Country("CI", "Côte d'Ivoire", "Abidjan", _AF, ("fr",), "west_africa_fr"),
    Country("CM", "Cameroon", "Yaoundé", _AF, ("fr", "en"), "west_africa_fr"),
    Country("TD", "Chad", "N'Djamena", _AF, ("fr", "ar"), "west_africa_fr"),
    Country("CD", "Democratic Republic of the Congo", "Kinshasa", _AF, ("fr", "sw"), "west_africa_fr"),
    Country("NG", "Nigeria", "Abuja", _AF, ("en", "ig"), "west_africa_en"),
    Country("GH", "Ghana", "Accra", _AF, ("en",), "west_africa_en"),
    Country("ZA", "South Africa", "Pretoria", _AF, ("en", "af"), "southern_africa"),
    Country("ZW", "Zimbabwe", "Harare", _AF, ("en",), "southern_africa"),
    Country("MW", "Malawi", "Lilongwe", _AF, ("en",), "southern_africa"),
    Country("MZ", "Mozambique", "Maputo", _AF, ("pt", "en"), "lusophone"),
    # Arab States
    Country("JO", "Jordan", "Amman", _AS, ("ar", "en"), "arab"),
    Country("LB", "Lebanon", "Beirut", _AS, ("ar", "fr", "en"), "arab"),
    Country("EG", "Egypt", "Cairo", _AS, ("ar", "en"), "arab"),
    Country("SY", "Syrian Arab Republic", "Damascus", _AS, ("ar",), "arab"),
    Country("IQ", "Iraq", "Baghdad", _AS, ("ar", "ckb"), "arab"),
    Country("YE", "Yemen", "Sana'a", _AS, ("ar",), "arab"),
    Country("SD", "Sudan", "Khartoum", _AS, ("ar", "en"), "arab"),
    Country("MA", "Morocco", "Rabat", _AS, ("ar", "fr"), "arab"),
    Country("TN", "Tunisia", "Tunis", _AS, ("ar", "fr"), "arab"),
    Country("LY", "Libya", "Tripoli", _AS, ("ar",), "arab"),
    Country("DJ", "Djibouti", "Djibouti", _AS, ("fr", "ar"), "arab"),
    # Asia and the Pacific
    Country("TH", "Thailand", "Bangkok", _AP, ("th", "en"), "southeast_asia"),
    Country("BD", "Bangladesh", "Dhaka", _AP, ("bn", "en"), "south_asia"),
    Country("IN", "India", "New Delhi", _AP, ("hi", "en"), "south_asia"),
    Country("PK", "Pakistan", "Islamabad", _AP, ("ur", "en"), "south_asia"),
    Country("AF", "Afghanistan", "Kabul", _AP, ("fa",), "south_asia"),
    Country("NP", "Nepal", "Kathmandu", _AP, ("ne", "en"), "south_asia"),
    Country("LK", "Sri Lanka", "Colombo", _AP, ("ta", "en"), "south_asia"),
    Country("MM", "Myanmar", "Yangon", _AP, ("my", "en"), "southeast_asia"),
    Country("VN", "Viet Nam", "Hanoi", _AP, ("vi", "en"), "vietnamese"),
    Country("KH", "Cambodia", "Phnom Penh", _AP, ("km", "en"), "southeast_asia"),
    Country("ID", "Indonesia", "Jakarta", _AP, ("id", "en"), "southeast_asia"),
    Country("PH", "Philippines", "Manila", _AP, ("en",), "filipino"),
    Country("FJ", "Fiji", "Suva", _AP, ("en",), "pacific"),
    Country("PG", "Papua New Guinea", "Port Moresby", _AP, ("en",), "pacific"),
    Country("CN", "China", "Beijing", _AP, ("zh-hans", "en"), "chinese"),
    Country("MN", "Mongolia", "Ulaanbaatar", _AP, ("mn", "ru"), "mongolian"),
    Country("TL", "Timor-Leste", "Dili", _AP, ("pt", "id"), "lusophone"),
    # Europe and Central Asia
    Country("TR", "Türkiye", "Istanbul", _EU, ("tr", "en"), "eurasia"),
    Country("UA", "Ukraine", "Kyiv", _EU, ("uk", "ru", "en"), "eurasia"),
    Country("MD", "Republic of Moldova", "Chișinău", _EU, ("ro", "ru"), "eurasia"),
    Country("GE", "Georgia", "Tbilisi", _EU, ("ka", "en", "ru"), "eurasia"),
    Country("AM", "Armenia", "Yerevan", _EU, ("hy", "ru"), "eurasia"),
    Country("AZ", "Azerbaijan", "Baku", _EU, ("az", "ru"), "eurasia"),
    Country("KZ", "Kazakhstan", "Astana", _EU, ("kk", "ru"), "eurasia"),
    Country("KG", "Kyrgyzstan", "Bishkek", _EU, ("ky", "ru"), "eurasia"),
    Country("TJ", "Tajikistan", "Dushanbe", _EU, ("tg", "ru"), "eurasia"),
    Country("UZ", "Uzbekistan", "Tashkent", _EU, ("uz", "ru"), "eurasia"),
    Country("BA", "Bosnia and Herzegovina", "Sarajevo", _EU, ("bs", "en"), "eurasia"),
    Country("RS", "Serbia", "Belgrade", _EU, ("sr", "en"), "eurasia"),
    Country("AL", "Albania", "Tirana", _EU, ("sq", "en"), "eurasia"),
    Country("CH", "Switzerland", "Geneva", _EU, ("fr", "en", "de"), "european"),
    Country("IT", "Italy", "Rome", _EU, ("it", "en"), "european"),
    Country("FR", "France", "Paris", _EU, ("fr", "en"), "european"),
    Country("DK", "Denmark", "Copenhagen", _EU, ("da", "en"), "european"),
    Country("DE", "Germany", "Bonn", _EU, ("de", "en"), "european"),
    # Latin America and the Caribbean
    Country("PA", "Panama", "Panama City", _LA, ("es", "en"), "latin"),
    Country("CO", "Colombia", "Bogotá", _LA, ("es",), "latin"),
    Country("PE", "Peru", "Lima", _LA, ("es",), "latin"),
    Country("BO", "Bolivia", "La Paz", _LA, ("es",), "latin"),
    Country("EC", "Ecuador", "Quito", _LA, ("es",), "latin"),
    Country("GT", "Guatemala", "Guatemala City", _LA, ("es",), "latin"),
    Country("HN", "Honduras", "Tegucigalpa", _LA, ("es",), "latin"),
    Country("MX", "Mexico", "Mexico City", _LA, ("es", "en"), "latin"),
    Country("VE", "Venezuela", "Caracas", _LA, ("es",), "latin"),
    Country("CL", "Chile", "Santiago", _LA, ("es",), "latin"),
    Country("BR", "Brazil", "Brasília", _LA, ("pt", "es"), "lusophone"),
    Country("HT", "Haiti", "Port-au-Prince", _LA, ("fr", "ht"), "haitian"),
    Country("JM", "Jamaica", "Kingston", _LA, ("en",), "anglo_caribbean"),
    Country("BB", "Barbados", "Bridgetown", _LA, ("en",), "anglo_caribbean"),
    # North America
    Country("US", "United States", "New York", _NA, ("en",), "european"),
    Country("CA", "Canada", "Montreal", _NA, ("en", "fr"), "european"),
)

COUNTRY_BY_CODE: dict[str, Country] = {country.code: country for country in COUNTRIES}

#: The duty station of each region's regional office or hub.
REGIONAL_HUBS: dict[str, str] = {
    Region.AFRICA: "KE",
    Region.ARAB_STATES: "JO",
    Region.ASIA_PACIFIC: "TH",
    Region.EUROPE_CENTRAL_ASIA: "TR",
    Region.LATIN_AMERICA_CARIBBEAN: "PA",
    Region.NORTH_AMERICA: "US",
}

# --- Names ------------------------------------------------------------------------


@dataclass(frozen=True)
class NamePool:
    given: tuple[str, ...]
    family: tuple[str, ...]
    family_first: bool = False  # "Nguyễn Thị Lan", "Wang Fang"
    two_family_names: float = 0.0  # share with two family names ("García Quispe")
    # Languages people of this pool grew up with, for those serving abroad.
    languages: tuple[str, ...] = ("en",)


NAME_POOLS: dict[str, NamePool] = {
    "west_africa_fr": NamePool(
        ("Amadou", "Aminata", "Moussa", "Fatou", "Ibrahima", "Mariama", "Ousmane", "Aïssatou", "Seydou",
         "Khady", "Mamadou", "Awa", "Cheikh", "Ndeye", "Boubacar", "Rokia", "Abdoulaye", "Kadiatou",
         "Souleymane", "Adama", "Salimata", "Issa", "Clarisse", "Serge"),
        ("Diallo", "Ndiaye", "Traoré", "Keïta", "Sow", "Ba", "Coulibaly", "Diop", "Touré", "Camara",
         "Sylla", "Konaté", "Ouédraogo", "Sawadogo", "Kaboré", "Koné", "Cissé", "Fall", "Mbaye",
         "Sangaré", "Mbala", "Kabila", "Nkulu", "Tshibanda"),
        languages=("fr",),
    ),
    "west_africa_en": NamePool(
        ("Chinedu", "Ngozi", "Kwame", "Abena", "Oluwaseun", "Yetunde", "Emeka", "Adaeze", "Kofi",
         "Akosua", "Tunde", "Funmilayo", "Ifeoma", "Kwabena", "Efua", "Babajide", "Zainab", "Musa"),
        ("Okafor", "Adeyemi", "Mensah", "Boateng", "Okonkwo", "Eze", "Owusu", "Asante", "Balogun",
         "Nwosu", "Adebayo", "Osei", "Danjuma", "Bello", "Appiah", "Abubakar"),
        languages=("en", "ig"),
    ),
    "east_africa": NamePool(
        ("Wanjiru", "Otieno", "Achieng", "Kamau", "Nyambura", "Amani", "Baraka", "Neema", "Tesfaye",
         "Selamawit", "Abebe", "Hiwot", "Mulugeta", "Ayaan", "Faisal", "Nakato", "Mugisha", "Uwase",
         "Deng", "Nyandeng", "Halima", "Joseph", "Grace", "Esther"),
        ("Ochieng", "Wanjiku", "Kiprop", "Mutua", "Njoroge", "Kariuki", "Okello", "Byaruhanga", "Haile",
         "Bekele", "Tadesse", "Girma", "Warsame", "Abdi", "Hakizimana", "Uwimana", "Mwakalinga", "Garang",
         "Akol", "Nalubega"),
        languages=("sw", "en"),
    ),
    "southern_africa": NamePool(
        ("Thandiwe", "Sipho", "Nomvula", "Tendai", "Chipo", "Tatenda", "Lerato", "Thabo", "Naledi",
         "Kagiso", "Chikondi", "Mphatso", "Precious", "Blessing"),
        ("Dlamini", "Nkosi", "Moyo", "Ndlovu", "Mokoena", "Banda", "Phiri", "Chirwa", "Khumalo",
         "Sibanda", "Mbeki", "Chiwenga"),
        languages=("en", "af"),
    ),
    "arab": NamePool(
        ("Ahmed", "Fatima", "Omar", "Layla", "Youssef", "Mariam", "Khaled", "Nour", "Hassan", "Rania",
         "Karim", "Huda", "Tarek", "Salma", "Samir", "Amal", "Rami", "Dina", "Walid", "Leila", "Mohamed",
         "Zeinab", "Hamza", "Yasmin", "Abdelrahman", "Hiba"),
        ("Haddad", "Khoury", "Al-Masri", "Mansour", "Saleh", "Nasser", "Hamdan", "Ibrahim", "El-Sayed",
         "Abdallah", "Benali", "Bouzid", "Al-Tamimi", "Farouk", "Khalil", "Osman", "Suleiman", "Yousef",
         "Zaki", "Al-Hashimi", "Idrissi", "Tahir"),
        languages=("ar", "fr"),
    ),
    "south_asia": NamePool(
        ("Priya", "Rahul", "Ananya", "Arjun", "Sunita", "Vikram", "Farhana", "Tanvir", "Nusrat", "Rashid",
         "Ayesha", "Imran", "Sita", "Bikash", "Dilani", "Kasun", "Shabnam", "Farid", "Meena", "Sanjay",
         "Lakshmi", "Ravi", "Sadia", "Hamid"),
        ("Sharma", "Patel", "Rahman", "Hossain", "Khan", "Chowdhury", "Iyer", "Reddy", "Gurung", "Shrestha",
         "Perera", "Fernando", "Ahmadzai", "Karimi", "Siddiqui", "Das", "Nair", "Qureshi", "Thapa",
         "Bhattarai", "Sultani", "Raman"),
        languages=("hi", "bn", "ur", "ne", "ta"),
    ),
    "southeast_asia": NamePool(
        ("Siriporn", "Somchai", "Sokha", "Dara", "Putri", "Budi", "Aung", "Thandar", "Kanya", "Sopheap",
         "Dewi", "Rizky", "Nilar", "Chanthy", "Ayu", "Kyaw"),
        ("Srisuk", "Wongsakul", "Sok", "Chan", "Santoso", "Wijaya", "Htun", "Win", "Kusuma", "Prasetyo",
         "Chea", "Meas", "Rattanakorn", "Oo"),
        languages=("th", "id", "km", "my"),
    ),
    "vietnamese": NamePool(
        ("Thị Lan", "Văn Minh", "Thu Hà", "Quang Huy", "Ngọc Anh", "Đức Thắng", "Thanh Hương", "Minh Tuấn",
         "Hồng Nhung", "Văn Hải"),
        ("Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đặng", "Bùi", "Đỗ"),
        family_first=True,
        languages=("vi",),
    ),
    "chinese": NamePool(
        ("Wei", "Fang", "Jing", "Lei", "Min", "Xiaoling", "Jun", "Yan", "Hao", "Mei", "Lihua", "Tao"),
        ("Wang", "Li", "Zhang", "Liu", "Chen", "Yang", "Zhao", "Huang", "Zhou", "Wu"),
        family_first=True,
        languages=("zh-hans",),
    ),
    "mongolian": NamePool(
        ("Bolormaa", "Batbayar", "Oyuntsetseg", "Enkhjargal", "Tuvshin", "Saruul", "Gerelmaa", "Temuulen"),
        ("Ganbold", "Dorj", "Bat-Erdene", "Tsogt", "Enkhbayar", "Sukhbaatar"),
        languages=("mn",),
    ),
    "filipino": NamePool(
        ("Maria", "Jose", "Angelica", "Mark", "Kristine", "Paolo", "Rowena", "Jerome", "Liza", "Ramon"),
        ("Reyes", "Santos", "dela Cruz", "Bautista", "Garcia", "Mendoza", "Villanueva", "Aquino", "Ramos"),
        languages=("en",),
    ),
    "pacific": NamePool(
        ("Sefo", "Losana", "Mere", "Tevita", "Salote", "Ioane", "Litia", "Pita", "Kalolaine", "Joni"),
        ("Tuilagi", "Naivalu", "Waqa", "Kaufana", "Faleolo", "Vunibola", "Kila", "Moresi", "Ratu"),
        languages=("en",),
    ),
    "eurasia": NamePool(
        ("Olena", "Andriy", "Iryna", "Nino", "Giorgi", "Anahit", "Armen", "Aigerim", "Nurlan", "Dilnoza",
         "Farrukh", "Gulnara", "Elif", "Mehmet", "Ayşe", "Emir", "Jelena", "Marko", "Arben", "Elira",
         "Natalia", "Rustam", "Aida", "Timur"),
        ("Kovalenko", "Shevchenko", "Beridze", "Kapanadze", "Petrosyan", "Hovhannisyan", "Aliyev",
         "Nurlanov", "Yılmaz", "Kaya", "Demir", "Hodžić", "Petrović", "Jovanović", "Hoxha", "Berisha",
         "Rusu", "Ceban", "Sadykov", "Rahimov", "Tashkentova", "Abenov"),
        languages=("ru", "tr", "uk", "ka", "sr"),
    ),
    "latin": NamePool(
        ("María José", "Carlos", "Lucía", "Alejandro", "Valentina", "Diego", "Camila", "Andrés", "Paola",
         "Javier", "Gabriela", "Luis", "Daniela", "Juan Pablo", "Ximena", "Mateo", "Rosa", "Fernando",
         "Marisol", "Ricardo"),
        ("García", "Rodríguez", "Martínez", "López", "Hernández", "González", "Pérez", "Sánchez",
         "Ramírez", "Torres", "Flores", "Quispe", "Mamani", "Vargas", "Castillo", "Morales", "Rojas",
         "Gutiérrez", "Mendoza", "Choque"),
        two_family_names=0.35,
        languages=("es",),
    ),
    "lusophone": NamePool(
        ("João", "Ana Paula", "Luiz", "Mariana", "Thiago", "Beatriz", "Rafael", "Juliana", "Celso",
         "Graça", "Armando", "Lurdes"),
        ("Silva", "Santos", "Oliveira", "Souza", "Costa", "Pereira", "Almeida", "Ferreira", "Machava",
         "Cossa", "Guterres", "Soares"),
        two_family_names=0.2,
        languages=("pt",),
    ),
    "haitian": NamePool(
        ("Jean", "Marie-Claude", "Widlene", "Fritznel", "Nadège", "Stéphane", "Guerline", "Wilson"),
        ("Pierre", "Joseph", "Jean-Louis", "Baptiste", "Charles", "Dorvil", "Étienne", "Augustin"),
        languages=("fr", "ht"),
    ),
    "anglo_caribbean": NamePool(
        ("Andre", "Keisha", "Marlon", "Shanice", "Dwayne", "Tamika", "Kemar", "Alicia"),
        ("Campbell", "Brown", "Williams", "Thompson", "Clarke", "Gordon", "Grant", "Bailey"),
        languages=("en",),
    ),
    "european": NamePool(
        ("Emma", "James", "Sophie", "Lukas", "Anna", "Thomas", "Claire", "Matteo", "Giulia", "Sarah",
         "Michael", "Ingrid", "Lars", "Julia", "Pierre", "Hannah", "David", "Elena", "Marie", "Benjamin",
         "Chloé", "Niamh", "Jonas", "Francesca"),
        ("Müller", "Rossi", "Dubois", "Jensen", "Smith", "Johnson", "Martin", "Bernard", "Hansen",
         "Schmidt", "Bianchi", "Larsen", "Fischer", "Lefebvre", "O'Brien", "Novak", "Andersson", "Weber",
         "Moreau", "Ricci", "Tremblay", "Murphy"),
        languages=("de", "it", "fr", "da", "en"),
    ),
}

# --- Titles -----------------------------------------------------------------------

#: Job titles of agency staff, by practice (top-level topic slug).
STAFF_TITLES: dict[str, tuple[str, ...]] = {
    "governance": ("Governance Specialist", "Rule of Law Officer", "Local Governance Analyst",
                   "Peacebuilding Adviser", "Programme Specialist, Democratic Governance"),
    "climate-and-environment": ("Climate Change Adaptation Specialist", "Environment Programme Officer",
                                "Disaster Risk Reduction Specialist", "Energy Access Analyst",
                                "Climate Finance Specialist"),
    "gender-equality": ("Gender Specialist", "Gender-Based Violence Coordinator",
                        "Women's Economic Empowerment Analyst", "Gender Focal Point"),
    "health": ("Health Officer", "Medical Officer", "Technical Officer, Immunization",
               "Maternal and Newborn Health Specialist", "Mental Health and Psychosocial Support Officer",
               "Sexual and Reproductive Health Specialist", "HIV Prevention Adviser"),
    "wash": ("WASH Specialist", "WASH Officer", "Water Engineer", "Hygiene Promotion Officer"),
    "education": ("Education Specialist", "Education Officer", "Education in Emergencies Coordinator",
                  "Early Childhood Development Specialist"),
    "crisis-response": ("Humanitarian Affairs Officer", "Emergency Coordinator", "Early Recovery Adviser",
                        "Cash-Based Transfers Officer", "Protection Officer", "Logistics Officer"),
    "food-security-and-nutrition": ("Nutrition Specialist", "Programme Policy Officer (Nutrition)",
                                    "Food Security Analyst", "Agricultural Officer", "School Feeding Officer"),
    "poverty-and-inclusive-growth": ("Social Protection Specialist", "Livelihoods Officer", "Economist",
                                     "Financial Inclusion Specialist", "Employment Specialist"),
    "digital-transformation": ("Digital Transformation Specialist", "Data Scientist",
                               "Information Management Officer", "Statistics Specialist"),
    "migration-and-displacement": ("Protection Officer", "Durable Solutions Officer",
                                   "Migration Programme Officer", "Resettlement Officer",
                                   "Community-Based Protection Associate"),
    "children-and-youth": ("Child Protection Specialist", "Child Protection Officer", "Adolescent Development Officer",
                           "Youth Engagement Specialist"),
    "human-rights-and-inclusion": ("Human Rights Officer", "Disability Inclusion Specialist",
                                   "Social Inclusion Analyst"),
    "urban-development": ("Urban Planner", "Housing Specialist", "Infrastructure Project Manager"),
    "knowledge-and-innovation": ("Knowledge Management Specialist", "Monitoring and Evaluation Specialist",
                                 "Innovation Lead", "Results-Based Management Officer"),
}

#: Titles anyone in an agency may hold, whatever the practice.
GENERAL_STAFF_TITLES: tuple[str, ...] = (
    "Programme Analyst", "Programme Associate", "Programme Officer", "Programme Specialist",
    "Deputy Resident Representative", "Country Director", "Head of Sub-Office", "Partnerships Specialist",
    "Communications Officer", "Monitoring and Evaluation Officer", "Knowledge Management Analyst",
    "Operations Manager", "Reporting Officer", "Policy Specialist", "UN Volunteer", "Junior Professional Officer",
)

PARTNER_TITLES: dict[str, tuple[str, ...]] = {
    Organization.Kind.GOVERNMENT: ("Director of Planning", "Deputy Director", "Senior Policy Officer",
                                   "Head of Department", "Technical Adviser to the Minister",
                                   "District Coordinator", "Statistician"),
    Organization.Kind.NGO: ("Programme Manager", "Executive Director", "Field Coordinator",
                            "Advocacy Officer", "Community Mobiliser", "Project Officer"),
    Organization.Kind.ACADEMIA: ("Senior Lecturer", "Research Fellow", "Professor", "Doctoral Researcher",
                                 "Director of Research"),
    Organization.Kind.PRIVATE_SECTOR: ("Sustainability Manager", "Product Manager", "Partnerships Lead",
                                       "Data Engineer", "Chief Executive Officer"),
}

# --- Topics -----------------------------------------------------------------------


@dataclass(frozen=True)
class TopicSpec:
    slug: str
    name: str
    description: str
    children: tuple[str, ...]


TOPICS: tuple[TopicSpec, ...] = (
    TopicSpec("governance", "Governance and peacebuilding",
              "Effective, inclusive and accountable institutions; conflict prevention and peace.",
              ("Local governance and decentralisation", "Rule of law and access to justice", "Anti-corruption",
               "Electoral assistance", "Conflict prevention", "Public administration reform")),
    TopicSpec("climate-and-environment", "Climate and environment",
              "Adaptation, mitigation, energy, ecosystems and disaster risk reduction.",
              ("Climate change adaptation", "Climate finance", "Disaster risk reduction",
               "Biodiversity and ecosystems", "Energy access", "Nature-based solutions")),
    TopicSpec("gender-equality", "Gender equality",
              "Women's empowerment, gender mainstreaming and ending gender-based violence.",
              ("Gender-based violence", "Women's economic empowerment", "Women's political participation",
               "Gender mainstreaming")),
    TopicSpec("health", "Health",
              "Primary health care, immunization, sexual and reproductive health, health emergencies.",
              ("Primary health care", "Immunization", "Maternal and newborn health",
               "Mental health and psychosocial support", "HIV and AIDS", "Health emergencies",
               "Sexual and reproductive health")),
    TopicSpec("wash", "Water, sanitation and hygiene (WASH)",
              "Safe water, sanitation and hygiene at home, in schools, in health centres and in emergencies.",
              ("Water supply", "Sanitation", "Hygiene promotion", "WASH in emergencies")),
    TopicSpec("education", "Education",
              "Learning from early childhood to skills for work, including in crises.",
              ("Early childhood education", "Education in emergencies", "Girls' education", "Digital learning",
               "Technical and vocational skills")),
    TopicSpec("crisis-response", "Crisis response and humanitarian action",
              "Preparedness, coordination, assistance and early recovery when crises strike.",
              ("Humanitarian coordination", "Cash-based assistance", "Early recovery", "Anticipatory action",
               "Humanitarian logistics", "Humanitarian–development–peace nexus")),
    TopicSpec("food-security-and-nutrition", "Food security and nutrition",
              "Food systems, resilient agriculture and the prevention and treatment of malnutrition.",
              ("School feeding", "Resilient agriculture", "Malnutrition treatment", "Food systems")),
    TopicSpec("poverty-and-inclusive-growth", "Poverty and inclusive growth",
              "Social protection, decent work and livelihoods, and financial inclusion.",
              ("Social protection", "Jobs and livelihoods", "Financial inclusion", "Informal economy")),
    TopicSpec("digital-transformation", "Digital transformation",
              "Digital public infrastructure, data for development and digital inclusion.",
              ("Digital public infrastructure", "Data for development", "Digital inclusion")),
    TopicSpec("migration-and-displacement", "Migration and displacement",
              "Refugees, internally displaced people, durable solutions and safe migration.",
              ("Refugee protection", "Internal displacement", "Durable solutions", "Labour migration")),
    TopicSpec("children-and-youth", "Children and youth",
              "Child protection, adolescent development and youth participation.",
              ("Child protection", "Adolescent development", "Youth engagement")),
    TopicSpec("human-rights-and-inclusion", "Human rights and inclusion",
              "Leaving no one behind: disability inclusion, indigenous peoples, equality and non-discrimination.",
              ("Disability inclusion", "Indigenous peoples", "Leaving no one behind")),
    TopicSpec("urban-development", "Urban development",
              "Planning, housing and basic services for sustainable and resilient cities.",
              ("Urban planning", "Housing and informal settlements", "Resilient cities")),
    TopicSpec("knowledge-and-innovation", "Knowledge management and innovation",
              "How we learn: communities of practice, lessons learned, evaluation and innovation.",
              ("Communities of practice", "Lessons learned", "Monitoring and evaluation", "Innovation labs",
               "South-South cooperation")),
)
