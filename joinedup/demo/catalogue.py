"""The demo partnership's places and partners, as plain data.

Drawn from the research behind JoinedUp: the University of the West of England's 2004 review
of multi-agency working for the Bristol Children's Fund (seeds/000_dbdf23c982925f12.txt). Each
organisation's ``source`` names the section of that report where it appears. Organisations the
report does not name are marked ``"illustrative"`` and carry an obviously fictional name ending
in "(demo)". No person is named here.

Order matters: the demo loader gives each made-up person the first organisation of the kind
(and locality) their role asks for, so the city-wide statutory agencies come first and the
illustrative school leads the Easton schools.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class LocalitySeed:
    slug: str
    name: str
    description: str
    postcode_districts: tuple[str, ...]
    wards: tuple[str, ...]


@dataclass(frozen=True)
class OrganisationSeed:
    slug: str
    name: str
    kind: str
    localities: tuple[str, ...]  # locality slugs; () means city-wide
    description: str
    source: str  # section of the research, or "illustrative"


EASTON = "easton-lawrence-hill"
LOCKLEAZE = "lockleaze-upper-horfield"
KNOWLE_WEST = "knowle-west"

LOCALITIES: tuple[LocalitySeed, ...] = (
    LocalitySeed(
        slug=EASTON,
        name="Easton & Lawrence Hill",
        description=(
            "Two inner-city wards east of Bristol city centre, home to many communities with "
            "different faiths, cultures and traditions. Many voluntary, community and faith "
            "groups work with young people here, alongside the statutory services."
        ),
        postcode_districts=("BS5", "BS2"),
        wards=("Easton", "Lawrence Hill"),
    ),
    LocalitySeed(
        slug=LOCKLEAZE,
        name="Lockleaze & Upper Horfield",
        description=(
            "Most of Lockleaze ward and the eastern part of Horfield ward in north Bristol, "
            "bordering Purdown. Local workers from schools, police, youth work and community "
            "groups meet in a multi-agency forum facilitated by Better Together."
        ),
        postcode_districts=("BS7",),
        wards=("Lockleaze", "Horfield"),
    ),
    LocalitySeed(
        slug=KNOWLE_WEST,
        name="Knowle West",
        description=(
            "An area of south Bristol and one of the Bristol Children's Fund's three YISP "
            "development areas. It was part of the first stage of the research, which noted "
            "good partnership working there, but not of the detailed case studies."
        ),
        postcode_districts=("BS4",),
        wards=("Filwood", "Knowle"),
    ),
)

ORGANISATIONS: tuple[OrganisationSeed, ...] = (
    # --- City-wide statutory agencies and partnership bodies -------------------------------
    OrganisationSeed(
        slug="bristol-city-council",
        name="Bristol City Council",
        kind="local_authority",
        localities=(),
        description=(
            "The city council, whose departments deliver and fund services and regeneration "
            "programmes and which manages Better Together within Health and Social Services."
        ),
        source="3.1 Easton; 3.2 Lockleaze",
    ),
    OrganisationSeed(
        slug="social-services",
        name="Social Services (Bristol City Council)",
        kind="social_care",
        localities=(),
        description=(
            "The council's social services, with clear priorities on child protection and "
            "confidentiality; its Director chaired the Children's Fund partnership."
        ),
        source="2.3 Policy context; 3.3 Managers",
    ),
    OrganisationSeed(
        slug="local-education-authority",
        name="Local Education Authority (LEA)",
        kind="education",
        localities=(),
        description=(
            "The council's education service, whose encouragement helped schools build working "
            "relationships with other agencies."
        ),
        source="2.3 Policy context; 3.1 Easton",
    ),
    OrganisationSeed(
        slug="education-welfare-service",
        name="Education Welfare Service (EWS)",
        kind="education",
        localities=(),
        description=(
            "Works with schools and families on school attendance across the city, with a move "
            "to a neighbourhood approach under discussion."
        ),
        source="3.1 Easton",
    ),
    OrganisationSeed(
        slug="youth-service",
        name="Youth Service",
        kind="youth_service",
        localities=(),
        description=(
            "The council's youth work service, which runs holiday activity programmes and sits "
            "on the YISPs."
        ),
        source="2.3 Policy context; 3.2 Lockleaze",
    ),
    OrganisationSeed(
        slug="avon-and-somerset-constabulary",
        name="Avon and Somerset Constabulary",
        kind="police",
        localities=(),
        description=(
            "The police service for Bristol, whose beat officers take part in local multi-agency "
            "forums and who sit on the YISPs."
        ),
        source="2.3 Policy context; 3.1 Easton; 3.2 Lockleaze",
    ),
    OrganisationSeed(
        slug="camhs",
        name="Child and Adolescent Mental Health Services (CAMHS)",
        kind="health",
        localities=(),
        description="Specialist mental health services for children and young people.",
        source="2.3 Policy context; 3.1 Easton",
    ),
    OrganisationSeed(
        slug="community-health-services",
        name="Community Health Services (Primary Care Trust)",
        kind="health",
        localities=(),
        description=(
            "Community health professionals who support day-to-day casework and seconded staff "
            "to Better Together."
        ),
        source="3.1 Easton; 3.2 Lockleaze",
    ),
    OrganisationSeed(
        slug="housing-services",
        name="Housing Services (Bristol City Council)",
        kind="housing",
        localities=(),
        description="The council's housing service, one of the agencies represented on YISPs.",
        source="2.3 Policy context; appendix",
    ),
    OrganisationSeed(
        slug="connexions",
        name="Connexions",
        kind="careers",
        localities=(),
        description="The careers advice and support service for young people.",
        source="2.3 Policy context; 3.2 Lockleaze",
    ),
    OrganisationSeed(
        slug="youth-offending-team",
        name="Bristol Youth Offending Team (YOT)",
        kind="youth_justice",
        localities=(),
        description=(
            "The multi-agency youth justice team with which Children's Fund crime prevention "
            "programmes, including the YISPs, are jointly agreed."
        ),
        source="2.3 Policy context; 3.1 Easton",
    ),
    OrganisationSeed(
        slug="bristol-childrens-fund",
        name="Bristol Children's Fund",
        kind="partnership_body",
        localities=(),
        description=(
            "The city's Children's Fund partnership, which funds preventive services for children "
            "and the three YISPs and commissioned the research."
        ),
        source="2.3 Policy context; 7.4 Acknowledgements",
    ),
    OrganisationSeed(
        slug="yisp-partnership-board",
        name="YISP Partnership Board",
        kind="partnership_body",
        localities=(),
        description=(
            "The city-wide strategic board for the YISPs, which also acted as the advisory group "
            "for the research."
        ),
        source="3.3 Managers; 7.2 Design; appendix",
    ),
    OrganisationSeed(
        slug="bristol-community-safety-partnership",
        name="Bristol Community Safety Partnership",
        kind="partnership_body",
        localities=(),
        description=(
            "The city's crime and disorder partnership, of which the Southmead Local Action Group "
            "is part."
        ),
        source="3.1 Easton; 3.2 Lockleaze",
    ),
    OrganisationSeed(
        slug="barnardos",
        name="Barnardo's",
        kind="voluntary",
        localities=(),
        description=(
            "A children's charity that, with the Bristol Children's Fund, commissioned the review "
            "on behalf of partner agencies."
        ),
        source="7.4 Acknowledgements",
    ),
    # --- Easton & Lawrence Hill ------------------------------------------------------------
    OrganisationSeed(
        slug="easton-yisp",
        name="Easton YISP",
        kind="partnership_body",
        localities=(EASTON,),
        description=(
            "The Easton Youth Inclusion and Support Panel, which drew participation from 28 "
            "agencies, many of them voluntary and community groups."
        ),
        source="3.1 Easton",
    ),
    OrganisationSeed(
        slug="e-map",
        name="E-MAP",
        kind="partnership_body",
        localities=(EASTON,),
        description=(
            "A local network of youth services whose directory listed 28 affiliated agencies, "
            "most of them voluntary and community groups."
        ),
        source="3.1 Easton",
    ),
    OrganisationSeed(
        slug="community-at-heart",
        name="Community at Heart",
        kind="partnership_body",
        localities=(EASTON,),
        description=(
            "The area's New Deal for Communities programme, funding work on jobs, crime, "
            "education, health, housing and the physical environment."
        ),
        source="3.1 Easton",
    ),
    OrganisationSeed(
        slug="easton-education-action-zone",
        name="Education Action Zone (Easton)",
        kind="partnership_body",
        localities=(EASTON,),
        description="An Education Action Zone partnership working with the area's schools.",
        source="3.1 Easton",
    ),
    OrganisationSeed(
        slug="sure-start-easton",
        name="Sure Start (Easton)",
        kind="partnership_body",
        localities=(EASTON,),
        description=(
            "A large Sure Start programme aimed at tackling the roots of educational "
            "underachievement."
        ),
        source="3.1 Easton",
    ),
    OrganisationSeed(
        slug="best-easton",
        name="Behaviour and Education Support Teams (BEST)",
        kind="education",
        localities=(EASTON,),
        description=(
            "Multi-agency teams supporting schools, with which school learning mentors have begun "
            "to link effectively."
        ),
        source="3.1 Easton; appendix",
    ),
    OrganisationSeed(
        slug="sikh-resource-centre",
        name="Sikh Resource Centre",
        kind="community",
        localities=(EASTON,),
        description=(
            "An organisation developed by and for the Sikh community, based in Easton and "
            "supporting its community across the city."
        ),
        source="3.1 Easton",
    ),
    OrganisationSeed(
        slug="bristol-muslim-cultural-society",
        name="Bristol Muslim Cultural Society",
        kind="community",
        localities=(EASTON,),
        description=(
            "An organisation developed by and for Muslim communities, based in Easton and "
            "supporting its community across the city."
        ),
        source="3.1 Easton",
    ),
    OrganisationSeed(
        slug="sari",
        name="SARI (Support Against Racist Incidents)",
        kind="voluntary",
        localities=(EASTON,),
        description=(
            "A voluntary organisation based in Easton that supports minority ethnic communities "
            "across the city."
        ),
        source="3.1 Easton",
    ),
    OrganisationSeed(
        slug="easton-mosques",
        name="Mosques of Easton",
        kind="faith",
        localities=(EASTON,),
        description=(
            "Three of Bristol's five mosques are in Easton, places of worship and community "
            "for the area's Muslim families."
        ),
        source="3.1 Easton",
    ),
    OrganisationSeed(
        slug="easton-lawrence-hill-gurdwaras",
        name="Gurdwaras of Easton and Lawrence Hill",
        kind="faith",
        localities=(EASTON,),
        description=(
            "Three of the city's four gurdwaras are in Easton and Lawrence Hill, attended each "
            "week by Sikhs from across Bristol."
        ),
        source="3.1 Easton",
    ),
    OrganisationSeed(
        slug="barton-hill-settlement",
        name="Barton Hill Settlement",
        kind="community",
        localities=(EASTON,),
        description=(
            "A community settlement in Barton Hill that has hosted family, learning and childcare "
            "projects."
        ),
        source="3.1 Easton",
    ),
    OrganisationSeed(
        slug="easton-fields-primary-demo",
        name="Easton Fields Primary School (demo)",
        kind="school",
        localities=(EASTON,),
        description=(
            "A fictional primary school for the demo, with a learning mentor who links with "
            "other agencies."
        ),
        source="illustrative",
    ),
    OrganisationSeed(
        slug="city-academy-bristol",
        name="City Academy",
        kind="school",
        localities=(EASTON,),
        description="A major secondary school in the area.",
        source="3.1 Easton",
    ),
    # --- Lockleaze & Upper Horfield --------------------------------------------------------
    OrganisationSeed(
        slug="lockleaze-yisp",
        name="Lockleaze YISP",
        kind="partnership_body",
        localities=(LOCKLEAZE,),
        description=(
            "The Lockleaze Youth Inclusion and Support Panel, built on the Better Together "
            "network of keyworkers and the Southmead Local Action Group."
        ),
        source="3.2 Lockleaze",
    ),
    OrganisationSeed(
        slug="better-together",
        name="Better Together",
        kind="partnership_body",
        localities=(LOCKLEAZE,),
        description=(
            "A multi-agency project that facilitates the local workers' forum and runs group "
            "work with children, young people and families in Lockleaze and Upper Horfield."
        ),
        source="3.2 Lockleaze; appendix",
    ),
    OrganisationSeed(
        slug="southmead-local-action-group",
        name="Southmead Local Action Group (LAG)",
        kind="partnership_body",
        localities=(LOCKLEAZE,),
        description=(
            "A group of senior managers, part of the Community Safety Partnership, that oversees "
            "Better Together and is the basis of the local YISP steering group."
        ),
        source="3.2 Lockleaze",
    ),
    OrganisationSeed(
        slug="holiday-activities-group",
        name="Holiday Activities Group",
        kind="partnership_body",
        localities=(LOCKLEAZE,),
        description=(
            "A subgroup of the local forum, with police, youth work, schools and community groups, "
            "that plans one joint programme of holiday activities."
        ),
        source="3.2 Lockleaze",
    ),
    OrganisationSeed(
        slug="upper-horfield-community-trust",
        name="Upper Horfield Community Trust",
        kind="community",
        localities=(LOCKLEAZE,),
        description=(
            "A pivotal local community organisation and development trust that runs activities "
            "for children and young people."
        ),
        source="3.2 Lockleaze",
    ),
    OrganisationSeed(
        slug="lockleaze-neighbourhood-trust",
        name="Lockleaze Neighbourhood Trust",
        kind="community",
        localities=(LOCKLEAZE,),
        description="A local community development trust in Lockleaze.",
        source="3.2 Lockleaze",
    ),
    OrganisationSeed(
        slug="opportunities-for-women-in-lockleaze",
        name="Opportunities for Women in Lockleaze (OWL)",
        kind="community",
        localities=(LOCKLEAZE,),
        description="A local community organisation for women in Lockleaze.",
        source="3.2 Lockleaze",
    ),
    OrganisationSeed(
        slug="north-bristol-advice-centre",
        name="North Bristol Advice Centre",
        kind="voluntary",
        localities=(LOCKLEAZE,),
        description="A local advice centre serving residents of the area.",
        source="3.2 Lockleaze",
    ),
    OrganisationSeed(
        slug="lockleaze-adventure-playground",
        name="Lockleaze Adventure Playground (the Vench)",
        kind="community",
        localities=(LOCKLEAZE,),
        description=(
            "A local adventure playground whose play workers take part in the forum and welcome "
            "children after school."
        ),
        source="3.2 Lockleaze",
    ),
    OrganisationSeed(
        slug="taharka",
        name="Taharka",
        kind="community",
        localities=(LOCKLEAZE,),
        description=(
            "The only local organisation oriented largely towards the needs of the area's black "
            "and minority ethnic population."
        ),
        source="3.2 Lockleaze",
    ),
    OrganisationSeed(
        slug="upper-horfield-primary-school",
        name="Upper Horfield Primary School",
        kind="school",
        localities=(LOCKLEAZE,),
        description=(
            "A primary school with an outstanding record of community involvement, which helped "
            "develop the Upper Horfield Community Trust."
        ),
        source="3.2 Lockleaze",
    ),
    OrganisationSeed(
        slug="romney-avenue-junior-school",
        name="Romney Avenue Junior School",
        kind="school",
        localities=(LOCKLEAZE,),
        description=(
            "A junior school that hosted a Pyramid Club run by a play worker, a police officer and "
            "a learning mentor."
        ),
        source="3.2 Lockleaze",
    ),
    OrganisationSeed(
        slug="lockleaze-school",
        name="Lockleaze School",
        kind="school",
        localities=(LOCKLEAZE,),
        description=(
            "The area's own secondary school, closing in 2004, with most pupils transferring to "
            "Monks Park School."
        ),
        source="3.2 Lockleaze",
    ),
    OrganisationSeed(
        slug="monks-park-school",
        name="Monks Park School",
        kind="school",
        localities=(LOCKLEAZE,),
        description=(
            "The secondary school to which most Lockleaze School pupils were transferring."
        ),
        source="3.2 Lockleaze",
    ),
    # --- Knowle West ------------------------------------------------------------------------
    OrganisationSeed(
        slug="knowle-west-yisp",
        name="Knowle West YISP",
        kind="partnership_body",
        localities=(KNOWLE_WEST,),
        description=(
            "The Knowle West Youth Inclusion and Support Panel, one of the Children's Fund's three "
            "YISP development areas."
        ),
        source="2.3 Policy context; 7.2 Design",
    ),
    OrganisationSeed(
        slug="knowle-skyline-primary-demo",
        name="Knowle Skyline Primary School (demo)",
        kind="school",
        localities=(KNOWLE_WEST,),
        description="A fictional primary school for the demo.",
        source="illustrative",
    ),
)
