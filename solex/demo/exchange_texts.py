"""What the demo's exchanges say: queries, replies, consultations, discussions, action groups.

Written the way practitioners in a UN community of practice write: a concrete
question from a country office, the context and what was tried, and replies that
cite experience elsewhere, say what worked and what did not, and point to
resources. The builder combines these pieces deterministically (an opening, one
experience, one lesson, one resource, a closing), so a few hundred paragraphs give
tens of thousands of different replies, each piece rendered to HTML only once.

Placeholders: ``{country}`` and ``{city}`` are the asker's duty station.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class QueryText:
    practice: str  # top-level topic slug (solex.demo.catalogue.TOPICS)
    topic: str  # the sub-topic's name, as in the catalogue
    title: str
    question: str
    context: str
    experiences: tuple[str, ...]  # replies' main paragraph: what someone did, and how it went
    lessons: tuple[str, ...]  # what did not work, or what to watch for
    resources: tuple[str, ...]  # links a reply cites


@dataclass(frozen=True)
class ConsultationText:
    practice: str
    topic: str
    title: str
    paragraphs: tuple[str, ...]  # the draft, one numbered paragraph each
    comments: tuple[str, ...]
    answers: tuple[str, ...]  # the owner answering a comment ("you said, we did")


@dataclass(frozen=True)
class DiscussionText:
    practice: str
    topic: str
    title: str
    framing: str
    questions: tuple[str, ...]
    contributions: tuple[str, ...]
    summaries: tuple[str, ...]  # the facilitator's periodic summaries


@dataclass(frozen=True)
class CollaborationText:
    practice: str
    topic: str
    title: str
    purpose: str
    updates: tuple[str, ...]


OPENINGS: tuple[str, ...] = (
    "Thanks for raising this: several of us have been through the same question.",
    "Sharing our experience, in case it helps.",
    "Good question, and a timely one for our office too.",
    "A few points from what we tried over the last two years.",
    "We had almost exactly this situation last year.",
    "Briefly, from the country office side:",
    "Adding to the replies so far, from a slightly different angle.",
    "I can share what we learned the hard way.",
)

CLOSINGS: tuple[str, ...] = (
    "Happy to share our templates if you write to me directly.",
    "Glad to set up a short call with the team that ran it.",
    "Good luck, and please share what you decide: it would help the rest of us.",
    "I will ask our M&E colleague to add the evaluation figures.",
    "Hope this helps.",
    "Do let us know how it goes.",
    "",
    "",
)

FOLLOW_UPS: tuple[str, ...] = (
    "Following this one closely: we are facing the same question and would value the consolidated reply.",
    "+1 to the point above about involving the local authorities from the start. In our case it "
    "made the difference between a pilot and a programme.",
    "Could whoever ran the pilot say what it cost per household? Budget holders always ask us first.",
    "Thank you all, this is very useful. We will discuss these options with the government counterpart "
    "next week and report back.",
    "One caution from our side: the evidence from the pilot phase was thin, so please do not read too "
    "much into the early figures.",
    "Agree with the previous reply. The guidance note from headquarters also covers this; it is in "
    "the knowledge library under the practice area.",
    "Copying in our regional adviser, who reviewed a similar design last quarter.",
    "We disagree slightly here: in our context the community-based approach was slower and did not "
    "reach the poorest households. It depends a lot on how strong local structures are.",
)

QUERIES: tuple[QueryText, ...] = (
    QueryText(
        "crisis-response",
        "Cash-based assistance",
        "Multipurpose cash in {country}: how to set the transfer value when prices move every month?",
        "We are about to scale up multipurpose cash assistance in {country} and the government asks "
        "how we will keep the transfer value meaningful while market prices change month to month. "
        "How have other offices set and revised the transfer value, and how often?",
        "We use a minimum expenditure basket calculated last year. Inflation since then is above 30%, "
        "and partners in {city} use three different values.",
        (
            "In **Lebanon** we revised the transfer value every quarter against the survival minimum "
            "expenditure basket, with a trigger for an extra revision when prices moved more than 15%. "
            "The trigger mattered more than the schedule: it gave the working group a rule everyone "
            "had agreed in advance.",
            "In **Somalia** the cash working group agreed one regional value and published it monthly. "
            "Having a single number avoided the competition between partners you describe, even if it "
            "was imperfect for some districts.",
            "We indexed the transfer to the joint market monitoring by WFP and the national statistics "
            "office. Households told us in post-distribution monitoring that predictability was worth "
            "more to them than a slightly higher amount.",
            "In **Yemen** we paid in two currencies for a period because the exchange rate differed "
            "between areas. It worked, but only with very close monitoring of agents.",
        ),
        (
            "What did not work for us: revising the value without explaining it to communities. The "
            "complaints line was flooded and trust took months to rebuild.",
            "Be careful with monthly revisions: the administrative cost of re-registering amounts in "
            "the payment system ate most of the benefit.",
            "Do not forget the sectoral top-ups: when the basic value moved, the education top-up "
            "became inconsistent and had to be recalculated too.",
        ),
        (
            "The CALP Network's library has good guidance on transfer values: "
            "[calpnetwork.org](https://www.calpnetwork.org/library-and-resources/).",
            "See the minimum expenditure basket guidance from the cash working groups on "
            "[ReliefWeb](https://reliefweb.int/).",
        ),
    ),
    QueryText(
        "poverty-and-inclusive-growth",
        "Social protection",
        "Linking humanitarian cash to the national social protection system in {country}",
        "The Ministry of Social Affairs in {country} wants our emergency cash caseload to move onto "
        "the national safety net. Has anyone managed this transition? What were the main steps and "
        "how long did it take?",
        "The national registry covers about 40% of the poorest households; our beneficiary lists were "
        "built with a different targeting method.",
        (
            "In **Malawi** we aligned our targeting with the unified beneficiary registry before the "
            "lean season response, so that households could be moved across afterwards. It took 18 "
            "months, mostly to agree on data sharing.",
            "In **Jordan** the shift happened in stages: first the same payment provider, then shared "
            "grievance mechanisms, and only then a common registry. Doing it in that order built trust "
            "with the ministry.",
            "We used the humanitarian caseload to test the ministry's new payment system. When it "
            "worked, the ministry took over the caseload without any new registration.",
            "In **the Philippines** the government used the national ID to enrol households after "
            "the typhoon; it was fast but excluded people without documents, so we kept a parallel "
            "channel for them.",
        ),
        (
            "The data protection agreement took much longer than we planned: start it on day one.",
            "Our mistake was to assume that the ministry's targeting criteria matched ours. They did "
            "not, and about a fifth of our households were not eligible.",
            "Transition without a budget line in the ministry simply moves the problem to next year.",
        ),
        (
            "The SPACE guidance on shock-responsive social protection is a good start: "
            "[socialprotection.org](https://socialprotection.org/).",
            "The World Bank's note on adaptive social protection covers the sequencing: "
            "[worldbank.org](https://www.worldbank.org/en/topic/socialprotection).",
        ),
    ),
    QueryText(
        "governance",
        "Local governance and decentralisation",
        "Participatory budgeting in municipalities in {country}: what makes it stick?",
        "We support twelve municipalities in {country} that want to try participatory budgeting. "
        "Which conditions made it last beyond the first cycle elsewhere, and what role did the "
        "national government play?",
        "Mayors are enthusiastic, but the municipal finance law only allows a small share of the "
        "budget to be allocated outside the council.",
        (
            "In **Kenya** county governments wrote participation into their budget regulations, which "
            "made it harder to drop after an election. The legal anchor mattered more than training.",
            "In **Brazil** (Porto Alegre is the famous case) what kept it going was that residents saw "
            "projects they chose actually built within the year.",
            "We started with a small envelope, about 5% of capital spending, and published every "
            "project's progress on a simple web page. Trust grew with each completed project.",
            "In **Indonesia** village funds were linked to participatory planning by law; the "
            "quality varied, but participation never fell back to zero.",
        ),
        (
            "It failed in two of our municipalities where the council saw it as competition. Involve "
            "councillors as facilitators of the assemblies, not as spectators.",
            "Do not underestimate the cost of running assemblies in rural areas: transport and meals "
            "were our biggest budget line.",
            "Women and young people attended less when meetings were held in the evening.",
        ),
        (
            "UN-Habitat has a practical toolkit on participatory budgeting: "
            "[unhabitat.org](https://unhabitat.org/).",
            "The UNCDF local development finance resources are useful for the fiscal side: "
            "[uncdf.org](https://www.uncdf.org/).",
        ),
    ),
    QueryText(
        "governance",
        "Anti-corruption",
        "Social audits of public works: experience with community monitoring in {country}?",
        "The government of {country} has asked us to help design community monitoring of local "
        "public works (roads, classrooms, water points). What has worked in making social audits "
        "lead to actual follow-up?",
        "A first round of social audits two years ago produced reports that nobody acted on.",
        (
            "In **India** the social audits under the rural employment scheme worked because the "
            "findings were read out in a public hearing with officials present, and the state audit "
            "unit had the power to recover funds.",
            "In **Uganda** we trained community monitors and gave them a hotline to the district. "
            "Response times went from months to weeks once the district published the cases it closed.",
            "We used simple photos with geotags of each work site, uploaded by monitors. It was cheap "
            "and hard to dispute.",
        ),
        (
            "Monitors were threatened in one district; plan for their protection before you publish "
            "anything.",
            "Reports written in the official language only were not read by communities: translate "
            "the summary.",
        ),
        (
            "See the U4 Anti-Corruption Resource Centre: [u4.no](https://www.u4.no/).",
            "Transparency International's community monitoring guides: "
            "[transparency.org](https://www.transparency.org/).",
        ),
    ),
    QueryText(
        "wash",
        "Water supply",
        "Keeping rural water points working in {country}: who pays for repairs?",
        "About a third of the hand pumps installed in our programme area in {country} are not "
        "working two years later. What maintenance models have worked elsewhere, and how are "
        "repairs financed?",
        "Water committees collect fees irregularly; the district has no budget for spare parts.",
        (
            "In **Ethiopia** we moved from village committees to professional area mechanics paid "
            "through a service contract with the district. Functionality went from 60% to over 85% "
            "in three years.",
            "In **Malawi** the pay-as-you-fetch model with prepaid tokens raised enough for repairs, "
            "but only at water points with more than about 300 users.",
            "We set up a maintenance fund pooled across 40 villages, topped up by the district. The "
            "pooling was the key: no single village could afford a major repair.",
            "In **Uganda** the hand pump mechanics' associations worked well where the district "
            "signed a framework contract with them; elsewhere they dissolved.",
        ),
        (
            "Training committees alone did not work: three years later most of the trained members "
            "had moved on.",
            "Spare parts were the bottleneck, not skills: check the supply chain before anything else.",
            "Tariffs set too low to please the community left nothing for major repairs.",
        ),
        (
            "The Rural Water Supply Network has a lot on maintenance models: "
            "[rural-water-supply.net](https://www.rural-water-supply.net/).",
            "The WHO/UNICEF Joint Monitoring Programme data helps make the case: "
            "[washdata.org](https://washdata.org/).",
        ),
    ),
    QueryText(
        "wash",
        "WASH in emergencies",
        "Cholera preparedness in camps in {country}: what should be in place before the rains?",
        "We expect the rainy season to start in six weeks in camps around {city}. What are the "
        "minimum WASH measures others put in place ahead of a cholera season, and what would you "
        "prioritise with a limited budget?",
        "The last outbreak two years ago started in the most crowded block, where latrine coverage "
        "is still below Sphere standards.",
        (
            "In **Bangladesh** (Cox's Bazar) the oral cholera vaccination campaign before the season "
            "combined with chlorination at household level brought cases down sharply.",
            "We pre-positioned chlorine and set up case-area targeted interventions: a rapid team "
            "that disinfects and distributes hygiene kits around each suspected case within 48 hours.",
            "In **Haiti** community health workers doing household visits with soap and water "
            "treatment were the most cost-effective measure we had.",
            "Desludging capacity was our weak point: we signed a standby contract with a private "
            "operator before the rains, which saved us in the peak weeks.",
        ),
        (
            "Do not rely on free residual chlorine tests at the tap only; test at household level "
            "too, where most contamination happens.",
            "Hygiene messages without soap were useless: people knew the messages already.",
        ),
        (
            "The Global Task Force on Cholera Control has the preparedness checklist: "
            "[gtfcc.org](https://www.gtfcc.org/).",
            "The Sphere handbook WASH chapter: [spherestandards.org](https://spherestandards.org/handbook/).",
        ),
    ),
    QueryText(
        "wash",
        "Sanitation",
        "Community-led total sanitation: how to avoid slippage back to open defecation?",
        "Villages in our district in {country} were certified open defecation free two years ago, "
        "but a verification found about half have slipped back. How have others sustained ODF "
        "status after certification?",
        "Most latrines were built with local materials and collapsed in the last rainy season.",
        (
            "In **Zambia** we followed certification with sanitation marketing: local masons trained "
            "to sell durable slabs at a price people could afford. Slippage fell noticeably.",
            "In **Nepal** the district coordination committees kept monitoring after certification "
            "and linked it to local budgets; that follow-up was what sustained it.",
            "We targeted the poorest households with a small, one-off subsidy for a durable slab, "
            "which is controversial in CLTS circles but worked for us.",
        ),
        (
            "Celebrating certification and then leaving was our main mistake.",
            "Shaming approaches backfired in some communities and we dropped them.",
        ),
        (
            "The CLTS Knowledge Hub: [communityledtotalsanitation.org]"
            "(https://www.communityledtotalsanitation.org/).",
        ),
    ),
    QueryText(
        "gender-equality",
        "Gender-based violence",
        "Safe referral pathways for GBV survivors where services are scarce: experience from {country}?",
        "In the districts we cover in {country} there is one health facility and no specialised "
        "GBV service within a day's travel. How have others built safe referral pathways in such "
        "settings, and what can community workers do safely?",
        "Partners have mapped services, but the map is mostly empty outside {city}.",
        (
            "In **South Sudan** we trained community focal points on the pocket guide approach: they "
            "do not ask about the incident, they give information on the services that exist and "
            "respect the survivor's choice.",
            "In **the Democratic Republic of the Congo** mobile teams visited health posts on fixed "
            "days, and the pathway was built around that schedule. It was slow but survivors knew "
            "when care would be available.",
            "We integrated GBV case management into existing women and girls' safe spaces rather "
            "than creating a separate service. Uptake was much higher.",
            "In **Iraq** remote case management by phone covered areas without services, with strict "
            "protocols for safety checks at the start of each call.",
        ),
        (
            "Do not collect incident data you cannot protect: a list of survivors' names on a shared "
            "drive put people at risk in one of our programmes.",
            "Referral pathways printed once and never updated caused harm: survivors were sent to "
            "services that had closed.",
            "Awareness campaigns before services existed raised expectations we could not meet.",
        ),
        (
            "The GBV Pocket Guide for non-specialists: "
            "[gbvguidelines.org](https://gbvguidelines.org/en/pocketguide/).",
            "The Inter-Agency GBV Case Management Guidelines: "
            "[gbvaor.net](https://www.gbvaor.net/).",
        ),
    ),
    QueryText(
        "gender-equality",
        "Women's economic empowerment",
        "Savings groups for women: do they lead to lasting economic empowerment?",
        "We are designing a livelihoods programme in {country} and the donor wants village savings "
        "and loan associations as the main entry point for women. What is the evidence that they "
        "lead to lasting empowerment, beyond savings?",
        "Earlier groups in the area dissolved once the NGO facilitator left.",
        (
            "In **Niger** the groups that lasted were those linked to a local microfinance "
            "institution after two cycles; the others stayed small.",
            "In **Rwanda** we added a gender dialogue component with husbands. Control of income by "
            "women improved far more than in the groups without it.",
            "Our evaluation in **Bangladesh** found strong effects on savings and resilience to shocks "
            "but little on women's decision-making without complementary activities.",
        ),
        (
            "Groups that were formed to receive a grant fell apart once the grant was spent.",
            "Watch for backlash at home: a few women faced violence when their income became visible.",
        ),
        (
            "The SEEP Network's savings group resources: [seepnetwork.org](https://seepnetwork.org/).",
        ),
    ),
    QueryText(
        "climate-and-environment",
        "Climate change adaptation",
        "Locally led adaptation in {country}: how to get funds to the community level?",
        "The government of {country} wants adaptation finance to reach communities directly, not "
        "only national projects. What mechanisms have others used to devolve climate finance to "
        "local governments and communities, with acceptable fiduciary control?",
        "The national climate fund exists on paper but has disbursed only to ministries.",
        (
            "In **Kenya** the county climate change funds channel money to ward-level committees that "
            "choose investments. The legislation in each county was what made it durable.",
            "We used performance-based climate resilience grants to local governments (the LoCAL "
            "mechanism). The top-up on the regular transfer kept the fiduciary system the same.",
            "In **Bangladesh** local government engineers were trained to screen projects for "
            "climate risk, which made the ministry comfortable with devolving funds.",
            "In **Nepal** the local adaptation plans of action were the entry point; about 80% of "
            "the money reached the local level, though planning took more than a year.",
        ),
        (
            "Too many reporting requirements meant the smallest councils could not apply at all.",
            "Communities chose infrastructure every time; softer measures like early warning needed "
            "a separate window.",
        ),
        (
            "UNCDF's LoCAL mechanism: [uncdf.org/local](https://www.uncdf.org/local).",
            "The principles for locally led adaptation from WRI: [wri.org](https://www.wri.org/).",
        ),
    ),
    QueryText(
        "climate-and-environment",
        "Disaster risk reduction",
        "Impact-based forecasting for floods in {country}: where to start?",
        "The meteorological service in {country} issues flood warnings, but they say where rain "
        "will fall, not what it will do. We want to move to impact-based forecasts. Who has done "
        "this, and what data did you need first?",
        "We have a hazard map from 2015 and household data from the last census.",
        (
            "In **the Philippines** the weather service worked with local governments to combine "
            "forecasts with exposure data by village. The first step was an agreed list of impact "
            "thresholds with the disaster agency.",
            "In **Mozambique** we started with one river basin and historical flood footprints; "
            "it was imperfect but good enough to trigger anticipatory cash.",
            "We invested first in the communication chain: a warning that reaches the village "
            "leader by SMS in the local language was worth more than a better model.",
        ),
        (
            "Building a sophisticated model before agreeing who acts on it wasted a year.",
            "Warnings in technical language were ignored; test them with communities.",
        ),
        (
            "WMO guidelines on multi-hazard impact-based forecasting: [wmo.int](https://wmo.int/).",
            "The Anticipation Hub collects trigger designs: "
            "[anticipation-hub.org](https://www.anticipation-hub.org/).",
        ),
    ),
    QueryText(
        "climate-and-environment",
        "Energy access",
        "Solar for health facilities in {country}: maintenance after the project ends",
        "We are installing solar systems in 60 rural health facilities in {country}. Experience "
        "elsewhere shows many stop working after a few years. How did others organise maintenance "
        "and battery replacement?",
        "The health ministry has no budget line for energy; facilities pay nothing for electricity now.",
        (
            "In **Zimbabwe** the solar for health programme included remote monitoring of every system "
            "and a maintenance contract with the installer for five years. Failures were caught early.",
            "We required the district health office to include battery replacement in its budget "
            "from year three, and it worked where the district director championed it.",
            "In **Sierra Leone** facilities sold phone charging to cover small repairs; small amounts "
            "but enough for fuses and cleaning.",
        ),
        (
            "Lead-acid batteries failed far earlier than planned in hot climates; lithium cost more "
            "but lasted.",
            "Without a named person responsible at each facility, nobody reported faults.",
        ),
        (
            "The Sustainable Energy for All powering healthcare hub: [seforall.org](https://www.seforall.org/).",
        ),
    ),
    QueryText(
        "digital-transformation",
        "Digital public infrastructure",
        "Digital ID for social protection in {country}: how to avoid excluding people?",
        "{country} is rolling out a national digital ID and the social protection programme will "
        "require it for enrolment next year. How have others managed the risk of excluding people "
        "who cannot get an ID, and what safeguards worked?",
        "About 15% of adults in rural areas have no birth certificate, which the ID requires.",
        (
            "In **India** the biometric authentication failures hit older people and manual workers "
            "hardest; the programme had to allow an exception process with a local official.",
            "In **Peru** the registry office sent mobile teams to remote communities before the "
            "requirement applied, and enrolment was free. Coverage closed most of the gap.",
            "We negotiated a two-year transition in which the ID was requested but not required, "
            "with a clear alternative proof. That gave time for the registration campaign.",
            "In **Kenya** the data protection act and its regulations came first, which made the "
            "community organisations more willing to support enrolment.",
        ),
        (
            "Making the ID mandatory on a fixed date, without measuring coverage first, excluded "
            "thousands of eligible households in one programme we supported.",
            "Biometric readers in rural offices were often offline; plan for offline authentication.",
        ),
        (
            "The ID4D practitioner's guide: [id4d.worldbank.org](https://id4d.worldbank.org/guide).",
            "The Principles on Identification for Sustainable Development: "
            "[id4d.worldbank.org/principles](https://id4d.worldbank.org/principles).",
        ),
    ),
    QueryText(
        "digital-transformation",
        "Data for development",
        "Using mobile phone data for displacement estimates in {country}: safeguards?",
        "After the floods in {country} a mobile operator offered anonymised call records to "
        "estimate displacement. What safeguards have others put in place, and were the estimates "
        "actually useful for operations?",
        "There is no data protection authority yet, and the operator proposes a simple memorandum.",
        (
            "In **Nepal** after the 2015 earthquake, mobile data gave population movement estimates "
            "within days, and the estimates matched later surveys reasonably well.",
            "We used aggregated data only, with a minimum cell size of 20 people and a third-party "
            "review of the method before anything was published.",
            "In **Haiti** the analysis was useful for planning, less so for targeting; we never used "
            "it to find individuals, and said so publicly.",
        ),
        (
            "The legal agreement took longer than the analysis; prepare a template agreement before "
            "the crisis.",
            "Phone ownership is lower among women and the poorest, so the estimates under-counted them.",
        ),
        (
            "The OCHA Centre for Humanitarian Data guidance notes: "
            "[centre.humdata.org](https://centre.humdata.org/).",
        ),
    ),
    QueryText(
        "health",
        "Primary health care",
        "Retaining community health workers in remote districts of {country}",
        "We are losing community health workers in the remote districts of {country} within a year "
        "of training. What has helped other programmes keep them: pay, supervision, career paths? "
        "Any evidence on what matters most?",
        "Community health workers receive a small stipend, paid irregularly, and supervision visits "
        "happen about twice a year.",
        (
            "In **Ethiopia** the health extension workers are salaried civil servants, which made "
            "retention much better than in volunteer models; the cost is real but so is the result.",
            "In **Liberia** regular supportive supervision with a clinical supervisor every month "
            "made the difference, more than the stipend level, according to our exit interviews.",
            "We paid stipends by mobile money on a fixed day. Irregular pay was the first reason for "
            "leaving in our survey, so fixing it was the cheapest improvement.",
            "In **Rwanda** cooperatives of community health workers with performance-based funding "
            "gave them a voice and an income; turnover stayed low.",
        ),
        (
            "Recruiting people from outside the community did not work: they left first.",
            "Adding new tasks every year without adding time or pay burned people out.",
            "Training without a supply of medicines made health workers lose credibility with families.",
        ),
        (
            "The WHO guideline on health policy and system support for community health worker "
            "programmes: [who.int](https://www.who.int/publications/i/item/9789241550369).",
            "The Community Health Impact Coalition's design checklists: "
            "[joinchic.org](https://joinchic.org/).",
        ),
    ),
    QueryText(
        "health",
        "Immunization",
        "Reaching zero-dose children in urban informal settlements of {city}",
        "Coverage data for {country} show a concentration of zero-dose children in informal "
        "settlements of {city}. What strategies have worked to find and vaccinate them, given "
        "that many families move often?",
        "Fixed clinics open only during office hours; outreach is planned from outdated census maps.",
        (
            "In **Nigeria** we used satellite-based microplanning to find settlements missing from "
            "the maps; several hundred were added to the plan in the first round.",
            "In **Pakistan** evening and weekend sessions at community venues doubled the number of "
            "working mothers we reached.",
            "We trained community mobilisers from the settlements themselves, who tracked defaulters "
            "door to door. It was labour-intensive but reached the children nobody else did.",
        ),
        (
            "Incentives paid per child vaccinated led to over-reporting in one district.",
            "Messages about vaccine safety were less important than opening hours and waiting times.",
        ),
        (
            "Gavi's zero-dose agenda: [gavi.org](https://www.gavi.org/).",
            "WHO Immunization Agenda 2030: [who.int](https://www.who.int/teams/immunization-vaccines-and-biologicals/strategies/ia2030).",
        ),
    ),
    QueryText(
        "health",
        "Mental health and psychosocial support",
        "Scaling psychosocial support through non-specialists in {country}",
        "The health ministry in {country} wants to scale up psychosocial support for conflict-affected "
        "people through non-specialist workers. What has worked for training and supervision, and "
        "how did you keep quality as you scaled?",
        "There are four psychiatrists for the whole country, all in {city}.",
        (
            "We used Problem Management Plus with lay helpers, supervised weekly by a psychologist "
            "remotely. Outcomes held up at scale as long as supervision did.",
            "In **Uganda** group interpersonal therapy delivered by trained community workers reduced "
            "depression symptoms substantially; the groups also reduced stigma.",
            "In **Lebanon** we integrated mhGAP into primary care; doctors needed refresher training "
            "and a referral line to specialists to feel confident.",
        ),
        (
            "Cascade training (train the trainer, twice) lost most of the content by the third level.",
            "Helpers carrying heavy caseloads without supervision burned out within months.",
        ),
        (
            "The IASC guidelines on MHPSS in emergencies: "
            "[interagencystandingcommittee.org](https://interagencystandingcommittee.org/).",
            "WHO's scalable psychological interventions: [who.int](https://www.who.int/teams/mental-health-and-substance-use).",
        ),
    ),
    QueryText(
        "education",
        "Education in emergencies",
        "Accelerated education for out-of-school adolescents in {country}: certification?",
        "We run accelerated education classes for displaced adolescents in {country}. The main "
        "problem is that the certificates are not recognised by the ministry, so learners cannot "
        "transition to formal school. How did others get certification?",
        "The ministry accepts the curriculum in principle, but exam registration requires documents "
        "many learners do not have.",
        (
            "In **Sierra Leone** the ministry co-designed the programme and its exams from the start, "
            "so recognition came with it.",
            "In **Kenya** (Dadaab) learners sat the national primary exam as external candidates; "
            "we paid exam fees and helped with the documents.",
            "We negotiated a placement test instead of the full exam for transition, which the ministry "
            "agreed to as a pilot.",
        ),
        (
            "Running a parallel curriculum for years made recognition harder later.",
            "Teachers paid less than in public schools left as soon as they could.",
        ),
        (
            "The Accelerated Education Working Group's principles: [inee.org](https://inee.org/collections/accelerated-education).",
            "The INEE Minimum Standards: [inee.org](https://inee.org/minimum-standards).",
        ),
    ),
    QueryText(
        "education",
        "Girls' education",
        "Keeping adolescent girls in secondary school in rural {country}",
        "Dropout of girls after primary school is very high in rural {country}. We are considering "
        "cash transfers, scholarships, and menstrual health support. What has the strongest "
        "evidence, and what did you combine?",
        "Distance to the nearest secondary school is often more than 10 km.",
        (
            "In **Malawi** a conditional cash transfer to girls kept them in school and reduced early "
            "marriage; the unconditional arm also helped, through different channels.",
            "In **Bangladesh** the female secondary stipend raised enrolment strongly, but learning "
            "outcomes lagged without investment in teaching quality.",
            "Bicycles for girls in **India** (Bihar) reduced the gender gap in secondary enrolment, "
            "mainly where distance was the barrier.",
        ),
        (
            "Menstrual health kits alone had little effect on attendance in our evaluation.",
            "Scholarships paid to the school rather than to families were partly captured by fees.",
        ),
        (
            "The Global Partnership for Education's resources: [globalpartnership.org](https://www.globalpartnership.org/).",
        ),
    ),
    QueryText(
        "food-security-and-nutrition",
        "School feeding",
        "Home-grown school feeding in {country}: sourcing from smallholders",
        "The government of {country} wants its school feeding programme to buy from local "
        "smallholder farmers. How have others organised procurement so that small farmers can "
        "sell to schools, and what went wrong?",
        "Procurement rules require tenders that only large traders can answer.",
        (
            "In **Brazil** the law requires 30% of school food budgets to be spent on family farming; "
            "simplified procurement for cooperatives made it possible.",
            "In **Ghana** we worked through farmer-based organisations that aggregated produce and "
            "handled quality; schools bought from them directly.",
            "We supported a decentralised model where school management committees buy locally with "
            "a cash transfer. It needed strong financial oversight.",
        ),
        (
            "Late payments to farmers destroyed trust: they went back to traders.",
            "Quality and storage were underestimated; aflatoxin testing became necessary.",
        ),
        (
            "WFP and FAO's home-grown school feeding framework: [wfp.org](https://www.wfp.org/school-meals).",
        ),
    ),
    QueryText(
        "food-security-and-nutrition",
        "Malnutrition treatment",
        "Simplified approaches to treating acute malnutrition in {country}",
        "With funding cuts, we are asked to look at simplified protocols for acute malnutrition "
        "(one product, reduced dosage, family MUAC). What is the experience so far, and how did "
        "you get the ministry on board?",
        "The national protocol still separates moderate and severe treatment across two agencies.",
        (
            "In **Mali** the combined protocol with a single product was tested with good recovery "
            "rates and lower cost per child; the ministry then adopted it nationally.",
            "Family MUAC in **Niger**: mothers detected malnutrition earlier than community workers, "
            "and children arrived less severely ill.",
            "We ran the simplified protocol first in a few districts with close monitoring of "
            "relapse, which gave the ministry the evidence it needed.",
        ),
        (
            "Without stock of the single product at every site, the simplified approach collapsed.",
            "Training was planned for health workers but not for the data clerks; reporting broke down.",
        ),
        (
            "The Simplified Approaches hub: [simplifiedapproaches.org](https://www.simplifiedapproaches.org/).",
        ),
    ),
    QueryText(
        "migration-and-displacement",
        "Durable solutions",
        "Local integration of long-term refugees in {country}: land and livelihoods",
        "Some refugees in {country} have lived here for over 15 years. The government is open to "
        "local integration but worried about land. What arrangements have worked for access to "
        "land and livelihoods?",
        "Host communities around the settlements complain that services favour refugees.",
        (
            "In **Uganda** the settlement approach gives refugees plots of land to farm; it works "
            "best where host communities get an equal share of new services.",
            "In **Zambia** the local integration programme gave residence permits and land in "
            "resettlement schemes alongside Zambian families.",
            "We supported joint cooperatives of refugees and hosts, which reduced tension more than "
            "any awareness campaign.",
        ),
        (
            "Plots became smaller as new arrivals came; the model needs a land plan for growth.",
            "Refugee-only programmes increased resentment in the host community.",
        ),
        (
            "The Global Compact on Refugees' digital platform: "
            "[globalcompactrefugees.org](https://globalcompactrefugees.org/).",
        ),
    ),
    QueryText(
        "migration-and-displacement",
        "Internal displacement",
        "Profiling internally displaced people in {country}: joint or agency by agency?",
        "Several agencies in {country} plan separate surveys of internally displaced people. "
        "The government asks for one joint profile. How did others organise a joint profiling "
        "exercise, and how long did it take?",
        "The last figures are from an assessment two years ago and are disputed.",
        (
            "In **Somalia** the joint profiling under the durable solutions initiative had a steering "
            "group chaired by the government. It took eight months but ended the disputes.",
            "We used the JIPS approach: agree the questions first, then the methods. The consensus "
            "was worth the time.",
            "In **Colombia** the victims' registry gave the baseline and the profiling filled gaps "
            "on living conditions.",
        ),
        (
            "Agencies kept running their own surveys in parallel, which undermined the joint one.",
            "Figures published without the government's agreement became politically contested.",
        ),
        ("JIPS, the Joint IDP Profiling Service: [jips.org](https://www.jips.org/).",),
    ),
    QueryText(
        "migration-and-displacement",
        "Refugee protection",
        "Remote protection monitoring when access is restricted in {country}",
        "Our teams in {country} have lost access to several areas hosting displaced people. How "
        "have others kept protection monitoring going remotely without putting informants at risk?",
        "We have a network of community focal points but no secure way to collect information.",
        (
            "In **Syria** we used trained community focal points reporting through a secure messaging "
            "app, with a strict rule never to record names.",
            "A call centre with a free hotline gave us more information than the focal points, "
            "because people called when they needed something.",
            "In **Myanmar** the monitoring moved to aggregated trends only; we stopped collecting "
            "individual incidents that could identify people.",
        ),
        (
            "One informant was identified because we asked about too specific locations.",
            "Data collected but never used discouraged focal points.",
        ),
        ("The Protection Information Management framework: [pim.guide](https://pim.guide/).",),
    ),
    QueryText(
        "children-and-youth",
        "Child protection",
        "Case management for unaccompanied children in {country}: workforce gaps",
        "The number of unaccompanied and separated children in {country} has tripled. There are "
        "not enough social workers for case management. How have others expanded the workforce "
        "quickly without lowering standards?",
        "The social welfare department has 30 social workers for the whole region.",
        (
            "In **Greece** the guardianship network used trained para-professionals under the "
            "supervision of qualified social workers; caseloads stayed at about 25 per worker.",
            "We seconded staff to the social welfare department rather than building a parallel "
            "system, which meant the capacity stayed after the response.",
            "In **Ethiopia** the community-based child protection committees did the follow-up "
            "visits, with the social worker handling only the complex cases.",
        ),
        (
            "Rapid trainings of five days produced caseworkers who were not ready for complex cases.",
            "Information management was neglected and cases were lost between agencies.",
        ),
        (
            "The Alliance for Child Protection in Humanitarian Action's standards: "
            "[alliancecpha.org](https://alliancecpha.org/).",
        ),
    ),
    QueryText(
        "children-and-youth",
        "Youth engagement",
        "Youth councils that influence local decisions in {country}",
        "Many municipalities in {country} have youth councils on paper. How did others make them "
        "more than symbolic, with influence on actual budgets or plans?",
        "Youth councils meet once a year; members are chosen by the mayor.",
        (
            "In **Morocco** the youth councils got a small budget line they controlled; it was "
            "small but changed how seriously they were taken.",
            "We trained youth councils to use the municipal budget data and prepare proposals; "
            "two municipalities adopted their proposals.",
        ),
        ("Councils selected by officials were not seen as legitimate by other young people.",),
        ("The UN Youth Strategy: [un.org/youthenvoy](https://www.un.org/youthenvoy/).",),
    ),
    QueryText(
        "human-rights-and-inclusion",
        "Disability inclusion",
        "Disability data in programme monitoring: using the Washington Group questions in {country}",
        "We want to disaggregate our programme data by disability in {country}. Has anyone used "
        "the Washington Group short set in routine monitoring, and how did staff and partners "
        "manage it?",
        "Our current forms only ask 'do you have a disability?', which gives very low figures.",
        (
            "In **Jordan** we added the short set to registration; the share of people with "
            "disabilities identified went from 2% to about 12%.",
            "Enumerators needed a half-day training on how to ask the questions without leading "
            "answers; without it, results were inconsistent.",
            "We used the child functioning module for children, which is different; do not use "
            "the adult set for them.",
        ),
        ("Collecting the data without adapting the programme made people ask why we asked.",),
        (
            "The Washington Group on Disability Statistics: "
            "[washingtongroup-disability.com](https://www.washingtongroup-disability.com/).",
        ),
    ),
    QueryText(
        "human-rights-and-inclusion",
        "Indigenous peoples",
        "Free, prior and informed consent for a climate project in {country}: practical steps",
        "A reforestation project in {country} will affect land used by indigenous communities. "
        "What practical steps did others follow for free, prior and informed consent, and how "
        "did you document it?",
        "The project document mentions consent but the timeline allows one month for it.",
        (
            "In **Peru** the consultation followed the communities' own decision-making calendar; "
            "it took six months, not one, and the project was better for it.",
            "We documented consent in the communities' languages, with video recordings of the "
            "assemblies, kept by the communities themselves.",
        ),
        ("Consent obtained from a leader alone was contested later by the community.",),
        (
            "The FAO manual on free, prior and informed consent: [fao.org](https://www.fao.org/indigenous-peoples/).",
        ),
    ),
    QueryText(
        "urban-development",
        "Housing and informal settlements",
        "Upgrading informal settlements in {city} without displacing residents",
        "The city of {city} plans to upgrade several informal settlements. Residents fear eviction. "
        "What approaches have allowed upgrading while keeping residents in place?",
        "Most residents have no formal title; land belongs partly to the state, partly to private owners.",
        (
            "In **Thailand** the Baan Mankong programme gave loans to community cooperatives that "
            "planned the upgrading themselves; most residents stayed.",
            "In **Kenya** (Mukuru) the special planning area brought residents, the county and "
            "utilities together, and services came before any relocation.",
            "We used community enumeration as the first step; the data the residents collected "
            "became the basis of negotiation with the city.",
        ),
        (
            "Formal titles issued without protection led to residents selling to speculators.",
            "Upgrading roads first required demolitions that broke trust.",
        ),
        (
            "UN-Habitat's participatory slum upgrading programme: [unhabitat.org](https://unhabitat.org/).",
        ),
    ),
    QueryText(
        "urban-development",
        "Resilient cities",
        "Heat action plans for cities in {country}: what to do first?",
        "Heatwaves are becoming deadlier in {city}. The municipality wants a heat action plan. "
        "What were the first, most effective measures in other cities?",
        "There is no early warning for heat; hospitals do not report heat-related admissions.",
        (
            "In **India** (Ahmedabad) the heat action plan started with an early warning system "
            "and training for health workers; mortality in heatwaves fell.",
            "We mapped the hottest neighbourhoods with volunteers and sensors, then targeted cool "
            "roofs and shaded water points there first.",
        ),
        ("Advice to stay indoors was useless for outdoor workers; employers had to be involved.",),
        ("The Global Heat Health Information Network: [ghhin.org](https://ghhin.org/).",),
    ),
    QueryText(
        "knowledge-and-innovation",
        "Monitoring and evaluation",
        "Measuring the value of a community of practice: indicators that convinced management?",
        "Our management asks us to show the value of the community of practice we facilitate "
        "for staff in {country} and the region. Which indicators did you use beyond membership "
        "numbers, and which convinced decision makers?",
        "We report members and posts monthly, but that does not show what changed.",
        (
            "We used the value creation framework by Wenger-Trayner: short stories collected from "
            "members on how an answer changed their work, plus the usual activity figures.",
            "We tracked time saved per query answered, estimated by the asker; management "
            "understood that immediately.",
            "In our network the most convincing evidence was programme documents that cited "
            "consolidated replies.",
        ),
        (
            "Counting posts encouraged noise, not value.",
            "Long annual surveys had very low response rates; short pulse questions worked better.",
        ),
        (
            "Wenger-Trayner's value creation framework: [wenger-trayner.com](https://www.wenger-trayner.com/).",
        ),
    ),
    QueryText(
        "knowledge-and-innovation",
        "South-South cooperation",
        "Organising a peer exchange visit between ministries: {country} and a neighbour",
        "The ministry in {country} wants to learn from a neighbouring country's experience. "
        "How did others organise peer exchanges that led to real change, not study tours?",
        "Past study tours produced reports but few changes.",
        (
            "We used a learning agenda agreed in advance, with specific questions, and a follow-up "
            "visit six months later to see what was applied.",
            "Pairing technical staff, not only senior officials, gave the most practical results.",
        ),
        ("Visits planned around protocol, with little time with practitioners, were wasted.",),
        (
            "The UN Office for South-South Cooperation: [unsouthsouth.org](https://unsouthsouth.org/).",
        ),
    ),
)

CONSULTATIONS: tuple[ConsultationText, ...] = (
    ConsultationText(
        "health",
        "Primary health care",
        "Draft: Regional strategy for community health 2026-2030",
        (
            "This strategy sets out how agencies will support governments to build "
            "community health programmes that are integrated into national health systems.",
            "Community health workers should be recognised as part of the health workforce, with "
            "a contract, regular pay and a clear career path.",
            "Supervision will be organised from the nearest primary health care facility, with at "
            "least one supportive supervision visit per month.",
            "Agencies will stop funding parallel incentive schemes by 2028 and channel support "
            "through the national programme.",
            "Data from community health workers will flow into the national health information "
            "system; no agency-specific reporting tools will be introduced.",
            "Progress will be reviewed every year with governments and civil society.",
        ),
        (
            "Paragraph 3 seems unrealistic for remote areas where facilities have one nurse. "
            "Suggest allowing remote or group supervision where monthly visits are impossible.",
            "Strongly support the end of parallel incentive schemes, but 2028 is too early for "
            "fragile settings where governments cannot yet pay.",
            "Could the strategy mention community health workers' safety in insecure areas?",
            "We would add a paragraph on gender: most community health workers are women, and "
            "their pay and safety issues are specific.",
            "The data paragraph is welcome. Please add that the data must be usable at community "
            "level, not only sent upwards.",
            "Missing: the role of the private sector and pharmacies in many urban areas.",
            "Who pays for the contract and regular pay? A financing section would make this "
            "credible with ministries of finance.",
        ),
        (
            "Taken up: we added remote and group supervision as options in paragraph 3.",
            "Partly taken up: the date stays, but fragile settings get a transition plan.",
            "Not taken up in this strategy: it is covered by the financing annex under preparation.",
            "Taken up, thank you: a new paragraph on gender and safety.",
        ),
    ),
    ConsultationText(
        "crisis-response",
        "Anticipatory action",
        "Draft: Anticipatory action framework for drought",
        (
            "This framework covers anticipatory action ahead of predictable drought in "
            "the region's arid and semi-arid areas.",
            "Triggers combine seasonal rainfall forecasts and vegetation indices, agreed in advance "
            "with the national disaster management authority.",
            "When the trigger is reached, pre-arranged finance is released within 72 hours.",
            "Actions include cash transfers, livestock feed and destocking, and water trucking.",
            "Each activation is evaluated against a comparison area.",
        ),
        (
            "Paragraph 2: vegetation indices lag; consider adding market prices as an early signal.",
            "72 hours is ambitious; in our last activation it took two weeks for contracts alone.",
            "Please include pastoralist organisations in agreeing the triggers.",
            "Destocking needs functioning livestock markets; in some areas that is not the case.",
            "Strong support for evaluation against a comparison area.",
        ),
        (
            "Taken up: market prices added as a secondary indicator.",
            "Partly taken up: 72 hours stays as the target, with pre-signed contracts.",
            "Taken up: pastoralist organisations join the technical working group.",
        ),
    ),
    ConsultationText(
        "gender-equality",
        "Gender mainstreaming",
        "Draft: Gender equality marker guidance for country programmes",
        (
            "This guidance explains how country offices apply the gender "
            "equality marker to every project at design stage.",
            "Each project receives a code from 0 (no contribution) to 3 (gender equality is the "
            "principal objective).",
            "A project coded 2 or 3 must have at least one gender-specific outcome indicator.",
            "Codes are reviewed by the gender focal point before approval.",
            "Country offices report the share of budget by code every year.",
        ),
        (
            "Paragraph 4: in small offices the gender focal point is a part-time role; reviews will "
            "be a bottleneck.",
            "Please add examples of good gender-specific indicators, by sector.",
            "The marker measures intentions at design; we also need a check at completion.",
            "Suggest aligning the codes with the UN system-wide action plan to reduce reporting.",
        ),
        (
            "Taken up: regional advisers can review when the office has no focal point.",
            "Taken up: an annex with example indicators by sector.",
            "Not taken up: a completion check is beyond the scope of this guidance.",
        ),
    ),
    ConsultationText(
        "digital-transformation",
        "Digital inclusion",
        "Draft: Principles for responsible use of beneficiary data",
        (
            "Agencies collect more data about the people they serve than "
            "ever. These principles guide how that data is collected, shared and deleted.",
            "Collect only the data needed for the purpose stated to the person.",
            "Share personal data with governments only under a written agreement.",
            "Delete personal data when the purpose has ended, at most five years after.",
            "Explain to people, in their language, what is collected and why.",
        ),
        (
            "Paragraph 3 should also cover sharing with donors, who increasingly ask for lists.",
            "Five years may be too long for biometric data; suggest a shorter limit.",
            "How will offices verify deletion by partners?",
            "Paragraph 5 needs a plan for people who cannot read.",
        ),
        (
            "Taken up: donors are now covered explicitly.",
            "Partly taken up: biometric data has a two-year limit unless a law requires more.",
        ),
    ),
    ConsultationText(
        "wash",
        "Hygiene promotion",
        "Draft: National hygiene behaviour change strategy",
        (
            "Every household practises handwashing with soap at critical times.",
            "Campaigns will use emotional drivers (disgust, nurture, status), not only health messages.",
            "Handwashing stations will be placed near latrines and kitchens in all schools.",
            "Soap will be included in social protection transfers during outbreaks.",
            "Progress will be measured by observation, not self-report.",
        ),
        (
            "Strongly support paragraph 5: self-report overestimates handwashing by a factor of two.",
            "Schools need a budget for soap and water, not only stations.",
            "Emotional drivers work, but test messages locally first.",
        ),
        (
            "Taken up: school budgets now include a consumables line.",
            "Taken up: message testing is added as the first step of each campaign.",
        ),
    ),
    ConsultationText(
        "knowledge-and-innovation",
        "Lessons learned",
        "Draft: After-action review guidance for country offices",
        (
            "After every emergency response and at the end of every major project.",
            "The review is facilitated by someone who was not responsible for the work.",
            "Findings are shared within one month in the knowledge library.",
            "Each review ends with no more than five actions, each with an owner.",
        ),
        (
            "One month is too short in a response that is still going on.",
            "Please include a short format for small projects.",
            "Who follows up on the actions? Without that, reviews become rituals.",
        ),
        (
            "Partly taken up: three months for ongoing responses.",
            "Taken up: a one-page format for small projects.",
            "Taken up: the coordinator tracks the actions every quarter.",
        ),
    ),
)

DISCUSSIONS: tuple[DiscussionText, ...] = (
    DiscussionText(
        "poverty-and-inclusive-growth",
        "Informal economy",
        "E-discussion: Extending social protection to informal workers",
        "Most workers in our region work informally and are not covered by social insurance or "
        "social assistance. This two-week e-discussion collects experience on what has worked to "
        "extend coverage to them.",
        (
            "Which schemes have reached informal workers at scale, and how were they financed?",
            "How did you identify and register informal workers?",
            "What role did workers' organisations play?",
        ),
        (
            "In our country a simplified tax regime for small businesses included health insurance; "
            "uptake was slow at first, then doubled once contributions could be paid by phone.",
            "Registration through market associations worked better than through the labour office, "
            "which informal traders did not trust.",
            "We should be honest that contributory schemes rarely reach the poorest informal "
            "workers; tax-financed transfers are needed for them.",
            "The street vendors' union negotiated the design of the scheme with the ministry. "
            "That made it credible to its members.",
            "Matching contributions from the government for the first years was decisive for us.",
            "Seasonal incomes need flexible contributions; monthly fixed amounts excluded farmers.",
            "Platform workers are a new group: the platforms hold the data needed to register them.",
        ),
        (
            "**Week one summary.** Three themes: simplified, digital contributions; trusted "
            "organisations for registration; and the limits of contributory schemes for the "
            "poorest. Views differ on how much governments should subsidise contributions.",
            "**Week two summary.** Contributions this week focused on flexible contributions for "
            "seasonal workers and on platform workers. There is broad agreement that workers' "
            "organisations must be involved in design.",
        ),
    ),
    DiscussionText(
        "crisis-response",
        "Humanitarian–development–peace nexus",
        "E-discussion: Making the nexus work at country level",
        "Agencies talk about the humanitarian-development-peace nexus, but country teams say it is "
        "hard to do in practice. This e-discussion asks what has actually worked.",
        (
            "Where have collective outcomes changed how agencies programme?",
            "How did you combine humanitarian and development funding?",
            "What is the place of peace in the nexus in your context?",
        ),
        (
            "Collective outcomes worked when they were few (three in our case) and owned by the "
            "government, not just the UN.",
            "Pooled funds with both humanitarian and development windows were the most practical tool.",
            "The peace part is the most difficult: we focused on local conflict analysis in every "
            "programme, which is modest but real.",
            "Joint analysis was the first step and the most useful one.",
            "Donor reporting requirements pulled us back into silos every year.",
            "Area-based programming gave us a concrete way to work together in one district.",
        ),
        (
            "**Summary of the first week.** Participants agree on the value of joint analysis and "
            "few, government-owned collective outcomes; they differ on whether peace belongs in "
            "every programme or only in specific ones.",
        ),
    ),
    DiscussionText(
        "climate-and-environment",
        "Nature-based solutions",
        "E-discussion: Nature-based solutions for coastal protection",
        "Mangroves, reefs and dunes protect coasts, but projects often fail. This e-discussion "
        "gathers what makes nature-based coastal protection work.",
        (
            "What made restoration projects survive beyond the project period?",
            "How did you combine nature-based and built protection?",
        ),
        (
            "Mangrove planting failed where we planted in the wrong place; restoring hydrology first "
            "was what worked.",
            "Community ownership through tenure rights for mangrove areas was decisive in our project.",
            "We combined a small sea wall with mangroves behind it; neither alone would have worked.",
            "Payment for ecosystem services gave communities an income from protecting the mangroves.",
            "Monitoring survival rates for five years showed most loss happened in the third year.",
        ),
        (
            "**Week one summary.** Restoration works when the site is right (hydrology first) and "
            "communities have rights and income from it. Hybrid protection is common and useful.",
        ),
    ),
    DiscussionText(
        "health",
        "Health emergencies",
        "E-discussion: Community engagement in outbreak response",
        "Lessons from recent outbreaks show that community trust decides how a response goes. "
        "This e-discussion asks how to build that trust before and during outbreaks.",
        (
            "How did you collect and act on community feedback during an outbreak?",
            "Which community actors were most trusted?",
            "What would you do differently?",
        ),
        (
            "A feedback system that closes the loop (we tell people what changed because of what "
            "they said) was the most important thing we did in the Ebola response.",
            "Religious leaders were the most trusted in our context; we briefed them before the media.",
            "Rumour tracking told us early about fears of vaccination, and we could respond.",
            "Safe and dignified burials, negotiated with communities, reduced resistance a lot.",
            "We would hire more local staff from the affected communities next time.",
            "Community health workers were trusted, but they were overloaded with outbreak tasks.",
        ),
        (
            "**First summary.** Trust depends on feedback loops that visibly change the response, "
            "on working through trusted local actors, and on respect for local practices.",
        ),
    ),
    DiscussionText(
        "knowledge-and-innovation",
        "Communities of practice",
        "E-discussion: What makes a community of practice thrive?",
        "Many of our communities start with energy and fade after a year. What keeps them alive?",
        (
            "What does your facilitator do every week?",
            "How do you keep members contributing, not only reading?",
        ),
        (
            "Facilitation is a job, not a side task: our community revived when we had a facilitator "
            "for half of her time.",
            "Consolidated replies gave members a reason to contribute: their input became a product.",
            "We greet every new member personally and ask what they work on. It is slow but it works.",
            "Regular e-discussions on topics members chose kept the rhythm.",
            "Management recognition of contributions in performance reviews helped a lot.",
        ),
        (
            "**Summary.** A dedicated facilitator, visible products from members' input and a "
            "steady rhythm are the common threads.",
        ),
    ),
    DiscussionText(
        "education",
        "Digital learning",
        "E-discussion: Remote learning where connectivity is poor",
        "School closures showed how hard remote learning is without connectivity. What has worked "
        "with radio, TV, SMS and printed materials?",
        (
            "Which low-tech channels reached the most children?",
            "How did you support teachers and parents?",
        ),
        (
            "Radio lessons reached the most children in our programme, especially with printed "
            "worksheets distributed with food rations.",
            "SMS quizzes kept children engaged, but only those with phones in the family.",
            "Phone calls from teachers to parents once a week improved learning outcomes in a trial.",
            "Printed materials were expensive to distribute but the only option in remote villages.",
        ),
        (
            "**Summary.** Radio plus print reached most; phone contact with teachers added "
            "learning gains where families had phones.",
        ),
    ),
)

COLLABORATIONS: tuple[CollaborationText, ...] = (
    CollaborationText(
        "crisis-response",
        "Cash-based assistance",
        "Task team: Common cash feedback and complaints mechanism",
        "Design a joint feedback and complaints mechanism for all cash actors in the response, "
        "test it in two districts, and hand it over to the cash working group.",
        (
            "Kick-off done. Tasks assigned: mapping existing hotlines (WFP), data protection review "
            "(UNHCR), draft referral rules (NRC).",
            "The mapping found seven separate hotlines with different opening hours. Draft of the "
            "common intake form is in the shared folder.",
            "Data sharing agreement signed by four of six partners. Two are waiting for headquarters.",
            "Testing started in the first district; 120 calls in the first week, mostly about "
            "payment dates.",
            "Deliverable: the mechanism's standard operating procedures are in the knowledge library.",
        ),
    ),
    CollaborationText(
        "knowledge-and-innovation",
        "Lessons learned",
        "Action group: Lessons from the flood response",
        "Collect lessons from the flood response across agencies and publish a joint lessons paper "
        "before the next monsoon.",
        (
            "Interviews scheduled with twelve teams. Please add your team to the list if missing.",
            "First synthesis of the interviews: coordination and early warnings come up most.",
            "Draft paper circulated for comments, deadline next Friday.",
            "Final paper published; thank you all. Presentation to the country team next month.",
        ),
    ),
    CollaborationText(
        "health",
        "Immunization",
        "Task team: Microplanning tools for urban immunisation",
        "Adapt the microplanning tools for urban settlements and train district teams in three cities.",
        (
            "Tools reviewed; the main gap is population estimates for informal settlements.",
            "Satellite-based population layer obtained through the geospatial team.",
            "Training of the first district team done; second city next month.",
        ),
    ),
    CollaborationText(
        "gender-equality",
        "Gender-based violence",
        "Task team: Updating the GBV referral pathway",
        "Verify every service on the GBV referral pathway and publish an updated version in the "
        "three main languages.",
        (
            "Service verification calls started. Please do not share the draft outside the team.",
            "Nine services verified, three closed, two new ones added.",
            "Translations received; layout in progress.",
            "Updated pathway published and shared with the protection cluster.",
        ),
    ),
    CollaborationText(
        "climate-and-environment",
        "Climate finance",
        "Action group: Joint pipeline for the adaptation fund proposal",
        "Prepare a joint concept note for the adaptation fund with the ministry of environment.",
        (
            "Concept note outline agreed with the ministry.",
            "Vulnerability assessment data compiled; gaps in two provinces.",
            "Draft concept note shared for internal review.",
        ),
    ),
)
