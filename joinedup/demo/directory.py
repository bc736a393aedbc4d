"""The demo's service directory: services for children, young people and families in the three
localities of the research, written by hand.

The providers are the demo's partner organisations (each keeps its own entries: the demo
keyworker's Upper Horfield Community Trust and Youth Service, the demo referrer's school) and
other local groups. What they run is drawn from the research: learning mentors and Pyramid
Clubs, the Lockleaze Adventure Playground, holiday play schemes, youth clubs, faith and
culturally specific groups in Easton, and "outward-bound activities provided by several
organisations" in one area, which the overlap view shows. Groups the research does not name
end in "(demo)". Addresses use real street names with made-up numbers; telephone numbers are
in Ofcom's range for drama (0117 496 0xxx).

Dates are relative to the day it is loaded, so the demo stays current: funding streams end
within 3, 6 and 12 months and later, and two entries were last reviewed over six months ago.
Safe to run again: each service is matched on its provider and name and brought back to these
words; nothing is duplicated."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import time, timedelta
from decimal import Decimal

from django.utils import timezone

from joinedup.demo.catalogue import EASTON, KNOWLE_WEST, LOCKLEAZE
from joinedup.directory.models import (
    Contact,
    CostOption,
    Funding,
    Location,
    Provider,
    ReferralRoute,
    Schedule,
    Service,
    ServiceArea,
    ServiceAtLocation,
    ServiceLanguage,
    ServiceStatus,
    ServiceTerm,
    TaxonomyTerm,
)
from joinedup.directory.needs import needs_ensure_defaults
from joinedup.directory.postcodes import postcode_districts_ensure_defaults
from joinedup.directory.search_text import search_text_refresh
from joinedup.organisations.models import Locality, Organisation
from joinedup.plans.models import Intervention

OPEN, REFERRAL, PANEL = ReferralRoute.OPEN_ACCESS, ReferralRoute.REFERRAL, ReferralRoute.PANEL
ENGLISH = ("English", "en")
SOMALI = ("Somali", "so")
PUNJABI = ("Punjabi", "pa")
URDU = ("Urdu", "ur")
ARABIC = ("Arabic", "ar")
POLISH = ("Polish", "pl")


@dataclass(frozen=True)
class ProviderSeed:
    name: str
    description: str
    maintained_by: str = ""  # the partner organisation's slug in the demo catalogue
    website: str = ""
    charity_number: str = ""


@dataclass(frozen=True)
class PlaceSeed:
    name: str
    address_1: str
    postal_code: str
    latitude: float
    longitude: float
    accessibility: str = "Step-free entrance and an accessible toilet."


@dataclass(frozen=True)
class ServiceSeed:
    name: str
    provider: str  # key in PROVIDERS
    description: str
    needs: tuple[str, ...]  # codes in joinedup/directory/needs.py
    ages: tuple[int, int]
    localities: tuple[str, ...]  # () means the whole city
    places: tuple[str, ...]  # keys in PLACES
    schedule: tuple[tuple[str, str, str], ...]  # (iCal days, opens, closes)
    route: str
    how_to_refer: str
    funding: tuple[str, int | None] | None = None  # (source, days until it ends)
    languages: tuple[tuple[str, str], ...] = (ENGLISH,)
    cost: tuple[str, str] | None = None  # (amount in pounds, what it pays for)
    faith_based: bool = False
    culturally_specific_for: str = ""
    capacity: int | None = None
    waiting: tuple[int, int] | None = None  # (children waiting, weeks)
    reviewed_days_ago: int = 30
    status: str = ServiceStatus.ACTIVE
    eligibility: str = ""


PROVIDERS: dict[str, ProviderSeed] = {
    "uhct": ProviderSeed(
        "Upper Horfield Community Trust",
        "A community trust in Upper Horfield running youth, family and community projects.",
        maintained_by="upper-horfield-community-trust",
        website="https://uhct.example.org",
    ),
    "youth-service": ProviderSeed(
        "Bristol Youth Service",
        "The council's youth work service: youth clubs, detached work and holiday programmes.",
        maintained_by="youth-service",
        website="https://youth.bristol.example.org",
    ),
    "easton-fields": ProviderSeed(
        "Easton Fields Primary School (demo)",
        "A primary school in Easton with learning mentors and after-school clubs.",
        maintained_by="easton-fields-primary-demo",
    ),
    "vench": ProviderSeed(
        "Lockleaze Adventure Playground (the Vench)",
        "An adventure playground whose play workers welcome children after school.",
        maintained_by="lockleaze-adventure-playground",
        website="https://vench.example.org",
    ),
    "lnt": ProviderSeed(
        "Lockleaze Neighbourhood Trust",
        "A community development trust in Lockleaze.",
        maintained_by="lockleaze-neighbourhood-trust",
    ),
    "taharka": ProviderSeed(
        "Taharka",
        "A Lockleaze organisation working largely with black and minority ethnic families.",
        maintained_by="taharka",
    ),
    "barton-hill": ProviderSeed(
        "Barton Hill Settlement",
        "A community settlement with family, learning and youth projects.",
        maintained_by="barton-hill-settlement",
        website="https://bartonhill.example.org",
        charity_number="100001",
    ),
    "sikh-centre": ProviderSeed(
        "Sikh Resource Centre",
        "Supports Sikh families across the city, with youth and Punjabi classes.",
        maintained_by="sikh-resource-centre",
    ),
    "bmcs": ProviderSeed(
        "Bristol Muslim Cultural Society",
        "Cultural, educational and youth activities for Muslim families across Bristol.",
        maintained_by="bristol-muslim-cultural-society",
    ),
    "sari": ProviderSeed(
        "SARI (Support Against Racist Incidents)",
        "Supports people who experience racist harassment, including children at school.",
        maintained_by="sari",
        website="https://sari.example.org",
    ),
    "mosques": ProviderSeed(
        "Mosques of Easton",
        "The mosques of Easton and their youth and supplementary education work.",
        maintained_by="easton-mosques",
    ),
    "gurdwaras": ProviderSeed(
        "Gurdwaras of Easton and Lawrence Hill",
        "The gurdwaras' youth and community activities.",
        maintained_by="easton-lawrence-hill-gurdwaras",
    ),
    "connexions": ProviderSeed(
        "Connexions",
        "Careers advice and support for young people.",
        maintained_by="connexions",
    ),
    "camhs": ProviderSeed(
        "Child and Adolescent Mental Health Services (CAMHS)",
        "Specialist mental health services for children and young people.",
        maintained_by="camhs",
    ),
    "advice": ProviderSeed(
        "North Bristol Advice Centre",
        "Free advice on benefits, debt and housing.",
        maintained_by="north-bristol-advice-centre",
    ),
    "barnardos": ProviderSeed(
        "Barnardo's",
        "A national children's charity running family and young people's projects in Bristol.",
        maintained_by="barnardos",
        charity_number="216250",
    ),
    "owl": ProviderSeed(
        "Opportunities for Women in Lockleaze (OWL)",
        "A local community organisation for women in Lockleaze.",
        maintained_by="opportunities-for-women-in-lockleaze",
    ),
    "somali-youth": ProviderSeed(
        "Somali Youth Link (demo)",
        "Young Somali volunteers running homework, football and mentoring for Somali children.",
    ),
    "easton-boxing": ProviderSeed(
        "Easton Boxing Club (demo)",
        "A community boxing club with junior sessions and coaches who mentor.",
    ),
    "easton-juniors": ProviderSeed(
        "Easton Juniors Football Club (demo)",
        "A volunteer-run football club with teams from under-9s to under-16s.",
    ),
    "st-marks": ProviderSeed(
        "St Mark's Church, Easton (demo)",
        "A parish church running a youth club and a parents' group.",
    ),
    "kw-youth": ProviderSeed(
        "Knowle West Young People's Project (demo)",
        "Youth work, music and outdoor activities in Knowle West.",
    ),
    "filwood-centre": ProviderSeed(
        "Filwood Community Centre (demo)",
        "A community centre on Filwood Broadway.",
    ),
    "kw-families": ProviderSeed(
        "Knowle West Families Together (demo)",
        "Parenting groups and family support in south Bristol.",
    ),
    "brook": ProviderSeed(
        "Young People's Sexual Health Clinic (demo)",
        "Confidential sexual health advice and clinics for under-25s.",
    ),
    "winstons": ProviderSeed(
        "Bristol Children's Bereavement Support (demo)",
        "Support for children and young people after someone close has died.",
    ),
    "youth-drugs": ProviderSeed(
        "Bristol Young People's Drug and Alcohol Team (demo)",
        "Advice and one-to-one support about drugs and alcohol for under-18s and families.",
    ),
    "avon-outdoors": ProviderSeed(
        "Avon Gorge Outdoor Centre (demo)",
        "Climbing, canoeing and residential trips for groups of young people.",
    ),
}

PLACES: dict[str, PlaceSeed] = {
    "uhct-hub": PlaceSeed(
        "Upper Horfield Community Hub", "14 Sheridan Road", "BS7 0PU", 51.4930, -2.5840
    ),
    "lockleaze-hub": PlaceSeed(
        "Lockleaze Hub", "3 Gainsborough Square", "BS7 9XA", 51.4878, -2.5662
    ),
    "vench": PlaceSeed(
        "The Vench",
        "Glenfrome Road entrance, Bonnington Walk",
        "BS7 9XB",
        51.4851,
        -2.5640,
        "Outdoor site with uneven ground; the hut is step-free.",
    ),
    "romney": PlaceSeed(
        "Romney Avenue Junior School", "Romney Avenue", "BS7 9ST", 51.4839, -2.5700
    ),
    "purdown": PlaceSeed(
        "Purdown meeting point",
        "Purdown car park, Hogarth Walk",
        "BS7 9TA",
        51.4826,
        -2.5615,
        "Meets outdoors; the minibus has a wheelchair lift.",
    ),
    "easton-fields": PlaceSeed(
        "Easton Fields Primary School (demo)", "22 Chelsea Road", "BS5 6AU", 51.4649, -2.5629
    ),
    "easton-cc": PlaceSeed(
        "Easton Community Centre", "Kilburn Street", "BS5 6AW", 51.4637, -2.5620
    ),
    "barton-hill": PlaceSeed(
        "Barton Hill Settlement", "43 Ducie Road", "BS5 0AX", 51.4568, -2.5696
    ),
    "sikh-centre": PlaceSeed(
        "Sikh Resource Centre", "114 Fishponds Road", "BS5 6SG", 51.4712, -2.5587
    ),
    "stapleton-road": PlaceSeed(
        "Stapleton Road community rooms",
        "182 Stapleton Road",
        "BS5 0NZ",
        51.4640,
        -2.5705,
        "First floor, reached by stairs only.",
    ),
    "st-marks": PlaceSeed("St Mark's Church hall", "St Mark's Road", "BS5 6JH", 51.4659, -2.5658),
    "lawrence-hill": PlaceSeed(
        "Lawrence Hill youth centre", "5 Easton Road", "BS5 0EJ", 51.4585, -2.5700
    ),
    "st-pauls": PlaceSeed("City centre drop-in", "30 Portland Square", "BS2 8RZ", 51.4620, -2.5860),
    "filwood": PlaceSeed(
        "Filwood Community Centre", "Filwood Broadway", "BS4 1JN", 51.4210, -2.5860
    ),
    "kw-youth": PlaceSeed(
        "Knowle West youth base", "46 Leinster Avenue", "BS4 1NL", 51.4232, -2.5905
    ),
    "melvin-square": PlaceSeed(
        "Melvin Square family rooms", "9 Melvin Square", "BS4 1PE", 51.4245, -2.5839
    ),
}

SERVICES: tuple[ServiceSeed, ...] = (
    # --- Lockleaze & Upper Horfield --------------------------------------------------------
    ServiceSeed(
        "One-to-one mentoring",
        "uhct",
        "A trained volunteer mentor meets the young person every week for an hour, for up to "
        "a year: talking, setting small goals, trying new things together.",
        ("mentoring",),
        (8, 16),
        (LOCKLEAZE, EASTON),
        ("uhct-hub",),
        (("TU,TH", "15:30", "18:30"),),
        REFERRAL,
        "A professional fills in the trust's referral form with the family's agreement and "
        "emails it to mentoring@uhct.example.org. We call the family within two weeks.",
        funding=("Children's Fund: Youth Inclusion and Support Panels", 45),
        capacity=20,
        waiting=(6, 8),
    ),
    ServiceSeed(
        "Family support at home",
        "uhct",
        "A family support worker visits every week or two to help with routines, school, "
        "boundaries and anything else the family wants to work on.",
        ("family-support", "parenting"),
        (5, 16),
        (LOCKLEAZE,),
        ("uhct-hub",),
        (("MO,TU,WE,TH,FR", "09:00", "17:00"),),
        PANEL,
        "Through the Lockleaze panel: the panel coordinator passes on the referral.",
        funding=("Neighbourhood Renewal Fund", 150),
        capacity=12,
        waiting=(3, 4),
    ),
    ServiceSeed(
        "Wild Days residential weekends",
        "uhct",
        "Outward-bound weekends away: climbing, canoeing, camping and cooking together.",
        ("outdoor-adventure",),
        (10, 16),
        (LOCKLEAZE,),
        ("uhct-hub",),
        (("SA,SU", "09:00", "17:00"),),
        REFERRAL,
        "Telephone the youth team on 0117 496 0101.",
        funding=("Children's Fund: holiday activities", 75),
        cost=("10.00", "Towards food on each weekend; the trust pays for those who cannot."),
        capacity=14,
    ),
    ServiceSeed(
        "Purdown Outdoor Challenge",
        "youth-service",
        "An outward-bound programme over ten weeks: orienteering on Purdown, a climbing wall, "
        "a canoe trip and an overnight camp.",
        ("outdoor-adventure",),
        (11, 17),
        (LOCKLEAZE,),
        ("purdown",),
        (("WE", "16:00", "19:00"),),
        REFERRAL,
        "Referral by a youth worker, teacher or keyworker: ring 0117 496 0200.",
        funding=("Bristol City Council youth budget", 300),
        capacity=16,
    ),
    ServiceSeed(
        "Explorers outdoor programme",
        "lnt",
        "Days out and outdoor skills for young people from Lockleaze, with a residential in "
        "the summer.",
        ("outdoor-adventure", "youth-club"),
        (9, 15),
        (LOCKLEAZE,),
        ("lockleaze-hub",),
        (("SA", "10:00", "15:00"),),
        OPEN,
        "Come along to Lockleaze Hub on a Saturday morning with a parent or carer to sign up.",
        funding=("Lottery community fund", 160),
        reviewed_days_ago=240,
    ),
    ServiceSeed(
        "Adventure playground after school",
        "vench",
        "Play workers run the adventure playground after school and in the holidays: building, "
        "fires, swings and den-making. Children come and go.",
        ("youth-club",),
        (6, 14),
        (LOCKLEAZE,),
        ("vench",),
        (("MO,TU,WE,TH,FR", "15:30", "18:00"), ("SA", "11:00", "16:00")),
        OPEN,
        "No referral: children can just turn up. Under-8s come with an adult.",
        funding=("Bristol City Council play grant", 330),
    ),
    ServiceSeed(
        "Pyramid Club",
        "youth-service",
        "A ten-week after-school club for quieter children, run by a play worker, a police "
        "officer and a learning mentor together.",
        ("emotional-wellbeing", "youth-club"),
        (7, 11),
        (LOCKLEAZE,),
        ("romney",),
        (("TH", "15:15", "16:45"),),
        REFERRAL,
        "The school's learning mentor refers; other professionals ask the school.",
        funding=("Children's Fund: preventive services", 45),
        capacity=12,
    ),
    ServiceSeed(
        "Summer holiday activity programme",
        "youth-service",
        "The Holiday Activities Group's joint programme: sport, trips and play across "
        "Lockleaze in the summer holidays, planned together so they do not clash.",
        ("sport", "outdoor-adventure", "youth-club"),
        (8, 16),
        (LOCKLEAZE,),
        ("lockleaze-hub",),
        (("MO,TU,WE,TH,FR", "10:00", "16:00"),),
        OPEN,
        "Sign up at Lockleaze Hub from June. Some places are kept for the panel's referrals.",
        funding=("Children's Fund: holiday activities", 100),
        cost=("2.00", "A day, for trips; free to families on benefits."),
    ),
    ServiceSeed(
        "Girls' group",
        "owl",
        "A weekly group for girls, with women youth workers: talking, cooking, trips and "
        "building confidence.",
        ("emotional-wellbeing", "staying-safe"),
        (11, 16),
        (LOCKLEAZE,),
        ("lockleaze-hub",),
        (("MO", "17:00", "19:00"),),
        OPEN,
        "Girls can come along; professionals can ring 0117 496 0310 first.",
        eligibility="Girls and young women only.",
    ),
    ServiceSeed(
        "Saturday school and homework club",
        "taharka",
        "Help with English, maths and homework, with black history and culture, for children "
        "of black and minority ethnic families.",
        ("learning-support",),
        (7, 14),
        (LOCKLEAZE,),
        ("lockleaze-hub",),
        (("SA", "10:00", "12:30"),),
        OPEN,
        "Parents can bring their children along; schools can ring 0117 496 0330.",
        culturally_specific_for="Black and minority ethnic families",
        cost=("3.00", "A session; free to families who cannot pay."),
    ),
    ServiceSeed(
        "Benefits and debt advice for families",
        "advice",
        "Free, confidential advice for parents and carers on benefits, debts and rent arrears.",
        ("money", "housing"),
        (0, 25),
        (LOCKLEAZE,),
        ("lockleaze-hub",),
        (("TU,TH", "10:00", "13:00"),),
        OPEN,
        "Drop in on Tuesday or Thursday mornings, or ring 0117 496 0340 for an appointment.",
        funding=("Bristol City Council advice grant", 500),
        eligibility="For parents and carers of children in the area.",
    ),
    ServiceSeed(
        "Lockleaze School youth club",
        "youth-service",
        "The youth club at Lockleaze School, which closed with the school.",
        ("youth-club",),
        (11, 16),
        (LOCKLEAZE,),
        ("lockleaze-hub",),
        (("WE", "18:00", "20:00"),),
        OPEN,
        "It has closed; try the Summer holiday activity programme or Explorers.",
        status=ServiceStatus.DEFUNCT,
    ),
    # --- Easton & Lawrence Hill ------------------------------------------------------------
    ServiceSeed(
        "Learning mentor sessions",
        "easton-fields",
        "The school's learning mentors meet children one to one or in small groups to help "
        "them settle, learn and get on with others.",
        ("learning-support", "mentoring"),
        (5, 11),
        (EASTON,),
        ("easton-fields",),
        (("MO,TU,WE,TH,FR", "08:45", "15:15"),),
        REFERRAL,
        "Through the child's class teacher or the school's inclusion lead.",
        funding=("Education Action Zone", 200),
        capacity=30,
    ),
    ServiceSeed(
        "Homework club",
        "easton-fields",
        "A quiet place with computers and help from staff after school.",
        ("learning-support",),
        (7, 11),
        (EASTON,),
        ("easton-fields",),
        (("MO,WE", "15:15", "16:30"),),
        OPEN,
        "Pupils sign up with their class teacher.",
        eligibility="Pupils of the school.",
    ),
    ServiceSeed(
        "Family learning and parenting groups",
        "barton-hill",
        "Courses for parents and carers on routines, behaviour and helping with school work, "
        "with a crèche.",
        ("parenting", "learning-support"),
        (0, 16),
        (EASTON,),
        ("barton-hill",),
        (("WE", "09:30", "11:30"),),
        OPEN,
        "Parents can book on 0117 496 0400; professionals can refer by email.",
        languages=(ENGLISH, SOMALI, URDU),
        funding=("Sure Start", 80),
        waiting=(5, 6),
    ),
    ServiceSeed(
        "Barton Hill youth project",
        "barton-hill",
        "Youth club nights, sport and trips for young people from Barton Hill and Lawrence Hill.",
        ("youth-club", "sport"),
        (11, 18),
        (EASTON,),
        ("barton-hill",),
        (("TU,FR", "18:00", "21:00"),),
        OPEN,
        "Young people can just turn up.",
        funding=("Bristol City Council youth budget", 400),
    ),
    ServiceSeed(
        "Sikh youth and Punjabi classes",
        "sikh-centre",
        "Punjabi classes, kirtan and youth activities, and someone to talk to about growing up "
        "Sikh in Bristol.",
        ("learning-support", "emotional-wellbeing"),
        (6, 18),
        (),
        ("sikh-centre",),
        (("SU", "10:00", "13:00"),),
        OPEN,
        "Families can come along on a Sunday morning or ring 0117 496 0420.",
        languages=(ENGLISH, PUNJABI),
        faith_based=True,
        culturally_specific_for="Sikh families",
    ),
    ServiceSeed(
        "Gurdwara youth sports",
        "gurdwaras",
        "Football, hockey and kabaddi for young people, with the gurdwara's sewadars.",
        ("sport",),
        (8, 17),
        (EASTON,),
        ("sikh-centre",),
        (("SA", "14:00", "16:00"),),
        OPEN,
        "Come along on a Saturday afternoon.",
        languages=(ENGLISH, PUNJABI),
        faith_based=True,
        culturally_specific_for="Sikh young people; others welcome",
        reviewed_days_ago=260,
    ),
    ServiceSeed(
        "Muslim youth mentoring",
        "bmcs",
        "Young Muslim adults mentor boys and girls who are struggling at school or at home, "
        "working with their families and the mosques.",
        ("mentoring", "staying-safe"),
        (10, 17),
        (),
        ("stapleton-road",),
        (("FR,SA", "17:00", "20:00"),),
        REFERRAL,
        "A professional or a parent rings 0117 496 0440; we meet the family first.",
        languages=(ENGLISH, URDU, ARABIC, SOMALI),
        faith_based=True,
        culturally_specific_for="Muslim families",
        funding=("Children's Fund: preventive services", 120),
        waiting=(4, 6),
    ),
    ServiceSeed(
        "Madrassah and supplementary school",
        "mosques",
        "Qur'an classes with help with school work, after school and at weekends.",
        ("learning-support",),
        (5, 16),
        (EASTON,),
        ("stapleton-road",),
        (("MO,TU,WE,TH", "17:00", "19:00"), ("SA,SU", "10:00", "13:00")),
        OPEN,
        "Parents register their children at the mosque.",
        languages=(ENGLISH, ARABIC, URDU, SOMALI),
        faith_based=True,
        culturally_specific_for="Muslim families",
        cost=("15.00", "A month; reduced for brothers and sisters."),
    ),
    ServiceSeed(
        "Homework and football for Somali children",
        "somali-youth",
        "Homework help followed by football, run by young Somali volunteers who grew up in "
        "Easton, who also talk with parents about school.",
        ("learning-support", "sport", "mentoring"),
        (8, 15),
        (EASTON,),
        ("easton-cc",),
        (("WE", "16:00", "19:00"),),
        OPEN,
        "Families can come along; professionals can ring 0117 496 0460.",
        languages=(ENGLISH, SOMALI),
        culturally_specific_for="Somali families",
        funding=("Community foundation grant", 60),
    ),
    ServiceSeed(
        "Support after racist bullying",
        "sari",
        "A caseworker supports children and families after racist bullying or harassment, "
        "with the school, the police or the housing office.",
        ("anti-bullying", "staying-safe"),
        (5, 25),
        (),
        ("stapleton-road",),
        (("MO,TU,WE,TH,FR", "09:30", "17:00"),),
        OPEN,
        "Anyone can ring 0117 496 0480 or email help@sari.example.org.",
        languages=(ENGLISH, SOMALI, URDU, PUNJABI, POLISH),
        funding=("Home Office", 420),
    ),
    ServiceSeed(
        "Junior boxing",
        "easton-boxing",
        "Boxing training for juniors, with coaches who keep an eye out and talk things "
        "through. No sparring until 13.",
        ("sport", "mentoring"),
        (9, 17),
        (EASTON,),
        ("lawrence-hill",),
        (("MO,WE", "17:30", "19:00"),),
        OPEN,
        "Come along with a parent or carer for the first session.",
        cost=("2.00", "A session; the first month is free."),
    ),
    ServiceSeed(
        "Saturday juniors football",
        "easton-juniors",
        "Coached football and matches on Saturday mornings.",
        ("sport",),
        (7, 15),
        (EASTON,),
        ("easton-cc",),
        (("SA", "10:00", "12:00"),),
        OPEN,
        "Come along; the club lends boots.",
        cost=("30.00", "A season; kit lent, free for families who cannot pay."),
        funding=("Football Foundation grant", 340),
    ),
    ServiceSeed(
        "St Mark's youth club and parents' group",
        "st-marks",
        "A youth club on Thursday nights and a parents' coffee morning, for anyone in the area.",
        ("youth-club", "parenting"),
        (10, 16),
        (EASTON,),
        ("st-marks",),
        (("TH", "18:30", "20:30"),),
        OPEN,
        "Just come along.",
        faith_based=True,
    ),
    # --- Knowle West -----------------------------------------------------------------------
    ServiceSeed(
        "Knowle West youth club",
        "kw-youth",
        "Youth club nights with music, games, a kitchen and youth workers to talk to.",
        ("youth-club",),
        (11, 18),
        (KNOWLE_WEST,),
        ("kw-youth",),
        (("MO,WE,FR", "18:00", "21:00"),),
        OPEN,
        "Young people can just turn up.",
        funding=("Bristol City Council youth budget", 190),
    ),
    ServiceSeed(
        "Music and media studio",
        "kw-youth",
        "Making music, podcasts and films in the studio, with a showcase each term.",
        ("arts",),
        (12, 19),
        (KNOWLE_WEST,),
        ("kw-youth",),
        (("TU", "17:00", "20:00"),),
        OPEN,
        "Sign up at the youth club.",
        funding=("Arts Council project grant", 85),
    ),
    ServiceSeed(
        "Outdoor adventure days",
        "kw-youth",
        "Climbing, caving and canoeing days out for young people from Knowle West.",
        ("outdoor-adventure",),
        (11, 16),
        (KNOWLE_WEST,),
        ("kw-youth",),
        (("SA", "09:00", "17:00"),),
        REFERRAL,
        "A professional rings 0117 496 0520.",
        funding=("Children's Fund: Youth Inclusion and Support Panels", 45),
    ),
    ServiceSeed(
        "Parenting teenagers course",
        "kw-families",
        "An eight-week course for parents and carers of 10 to 16 year olds.",
        ("parenting",),
        (10, 16),
        (KNOWLE_WEST,),
        ("melvin-square",),
        (("TH", "10:00", "12:00"),),
        REFERRAL,
        "Referral by a professional, or parents can ring 0117 496 0540.",
        funding=("Sure Start", 170),
        waiting=(9, 10),
    ),
    ServiceSeed(
        "Filwood after-school sports",
        "filwood-centre",
        "Multi-sports, dodgeball and table tennis after school.",
        ("sport",),
        (7, 12),
        (KNOWLE_WEST,),
        ("filwood",),
        (("TU,TH", "15:30", "17:00"),),
        OPEN,
        "Children can come along.",
        cost=("1.00", "A session."),
    ),
    # --- City-wide -------------------------------------------------------------------------
    ServiceSeed(
        "Careers advice for young people",
        "connexions",
        "A personal adviser helps with choices at school, college, training and first jobs.",
        ("careers-training",),
        (13, 19),
        (),
        ("st-pauls",),
        (("MO,TU,WE,TH,FR", "09:00", "17:00"),),
        OPEN,
        "Young people can drop in or ring 0117 496 0600; schools book advisers.",
        funding=("Department for Education", 280),
    ),
    ServiceSeed(
        "CAMHS community team",
        "camhs",
        "Assessment and treatment for children and young people with mental health difficulties.",
        ("emotional-wellbeing",),
        (0, 18),
        (),
        ("st-pauls",),
        (("MO,TU,WE,TH,FR", "09:00", "17:00"),),
        REFERRAL,
        "Referral by a GP, school nurse or other professional on the CAMHS referral form.",
        waiting=(120, 18),
    ),
    ServiceSeed(
        "Family support project",
        "barnardos",
        "Family support workers help families under pressure, at home and in groups.",
        ("family-support",),
        (0, 17),
        (),
        ("st-pauls",),
        (("MO,TU,WE,TH,FR", "09:00", "17:00"),),
        PANEL,
        "Through a Youth Inclusion and Support Panel.",
        funding=("Children's Fund: Youth Inclusion and Support Panels", 150),
        capacity=25,
    ),
    ServiceSeed(
        "Young people's sexual health clinic",
        "brook",
        "Confidential advice, testing and contraception for under-25s.",
        ("sexual-health",),
        (13, 25),
        (),
        ("st-pauls",),
        (("MO,WE", "15:00", "19:00"),),
        OPEN,
        "Walk in during clinic hours; no need to give your name.",
        languages=(ENGLISH, POLISH, SOMALI),
    ),
    ServiceSeed(
        "Children's bereavement support",
        "winstons",
        "One-to-one and group support for children and young people after a death.",
        ("bereavement", "emotional-wellbeing"),
        (5, 18),
        (),
        ("st-pauls",),
        (("TU", "16:00", "18:00"),),
        REFERRAL,
        "Parents or professionals ring 0117 496 0660.",
        funding=("Charitable donations", None),
    ),
    ServiceSeed(
        "Drug and alcohol support for young people",
        "youth-drugs",
        "Advice and one-to-one work about drugs, alcohol and smoking, and support for parents.",
        ("drugs-alcohol",),
        (10, 18),
        (),
        ("st-pauls",),
        (("MO,TU,WE,TH,FR", "10:00", "18:00"),),
        REFERRAL,
        "Young people or professionals ring 0117 496 0680.",
        funding=("Public health grant", 230),
    ),
    ServiceSeed(
        "Climbing and canoeing for groups",
        "avon-outdoors",
        "Outward-bound days and residentials for groups of young people, booked by youth projects.",
        ("outdoor-adventure",),
        (8, 18),
        (),
        ("st-pauls",),
        (("SA,SU", "09:00", "17:00"),),
        REFERRAL,
        "A youth project books a group by ringing 0117 496 0700.",
        cost=("25.00", "A young person a day; grants for panel referrals."),
    ),
)

# Support in the demo's plans that is one of these services (service name in the plan ->
# provider key and service name in the directory), so the funding cliffs count children.
PLAN_LINKS: dict[str, tuple[str, str]] = {
    "Weekly mentoring": ("uhct", "One-to-one mentoring"),
    "Family support sessions at home": ("uhct", "Family support at home"),
    "Saturday football club": ("easton-juniors", "Saturday juniors football"),
    "Learning mentor sessions": ("easton-fields", "Learning mentor sessions"),
    "Boxing club": ("easton-boxing", "Junior boxing"),
}


PHONE = re.compile(r"0117 496 0\d{3}")
EMAIL = re.compile(r"[\w.]+@[\w.]+\.example\.org")


def _postcode_district(postal_code: str) -> str:
    return postal_code.split()[0].upper()


def _clock(text: str) -> time:
    hours, minutes = text.split(":")
    return time(int(hours), int(minutes))


def _providers() -> dict[str, Provider]:
    partners = {o.slug: o for o in Organisation.objects.all()}
    providers = {}
    for key, seed in PROVIDERS.items():
        provider, _ = Provider.objects.update_or_create(
            name=seed.name,
            defaults={
                "description": seed.description,
                "website": seed.website,
                "maintained_by": partners.get(seed.maintained_by),
                "identifier_scheme": "charity-number" if seed.charity_number else "",
                "identifier": seed.charity_number,
            },
        )
        providers[key] = provider
    return providers


def _places() -> dict[str, Location]:
    places = {}
    for key, seed in PLACES.items():
        place, _ = Location.objects.update_or_create(
            name=seed.name,
            postal_code=seed.postal_code,
            defaults={
                "address_1": seed.address_1,
                "city": "Bristol",
                "state_province": "City of Bristol",
                "postcode_district": _postcode_district(seed.postal_code),
                "latitude": seed.latitude,
                "longitude": seed.longitude,
                "accessibility": seed.accessibility,
            },
        )
        places[key] = place
    return places


def _service(
    seed: ServiceSeed,
    *,
    provider: Provider,
    places: dict[str, Location],
    terms: dict[str, TaxonomyTerm],
    localities: dict[str, Locality],
) -> Service:
    now = timezone.now()
    today = timezone.localdate()
    service, created = Service.objects.update_or_create(
        provider=provider,
        name=seed.name,
        defaults={
            "description": seed.description,
            "status": seed.status,
            "minimum_age": seed.ages[0],
            "maximum_age": seed.ages[1],
            "eligibility_description": seed.eligibility,
            "referral_route": seed.route,
            "how_to_refer": seed.how_to_refer,
            "capacity": seed.capacity,
            "waiting_list_count": seed.waiting[0] if seed.waiting else None,
            "waiting_weeks": seed.waiting[1] if seed.waiting else None,
            "faith_based": seed.faith_based,
            "culturally_specific_for": seed.culturally_specific_for,
            "is_free": seed.cost is None,
            "fees": seed.cost[1] if seed.cost else "Free",
            "reviewed_at": now - timedelta(days=seed.reviewed_days_ago),
        },
    )
    # The parts of the entry are written afresh each time, so a second load matches the first
    # (a service just made has none to remove).
    if not created:
        for parts in (
            service.service_terms,
            service.service_areas,
            service.languages,
            service.cost_options,
            service.fundings,
            service.contacts,
            service.service_at_locations,
            service.schedules,
        ):
            parts.all().delete()
    ServiceTerm.objects.bulk_create(
        ServiceTerm(service=service, term=terms[code]) for code in seed.needs
    )
    ServiceArea.objects.bulk_create(
        [
            ServiceArea(service=service, name=localities[s].name, locality=localities[s])
            for s in seed.localities
        ]
        or [ServiceArea(service=service, name="Bristol")]
    )
    ServiceLanguage.objects.bulk_create(
        ServiceLanguage(service=service, name=name, code=code) for name, code in seed.languages
    )
    if seed.cost:
        CostOption.objects.create(
            service=service, amount=Decimal(seed.cost[0]), amount_description=seed.cost[1]
        )
    if seed.funding:
        source, days_left = seed.funding
        Funding.objects.create(
            service=service,
            source=source,
            starts_on=today - timedelta(days=365),
            ends_on=today + timedelta(days=days_left) if days_left is not None else None,
        )
    phone = PHONE.search(seed.how_to_refer)
    email = EMAIL.search(seed.how_to_refer)
    if phone or email:
        Contact.objects.create(
            service=service,
            title="Duty worker",
            phone=phone.group(0) if phone else "",
            email=email.group(0) if email else "",
        )
    for key in seed.places:
        at = ServiceAtLocation.objects.create(service=service, location=places[key])
        Schedule.objects.bulk_create(
            Schedule(
                service_at_location=at,
                byday=days,
                opens_at=_clock(opens),
                closes_at=_clock(closes),
                description=f"{opens} to {closes}",
            )
            for days, opens, closes in seed.schedule
        )
    return service


def _link_plans(found: dict[tuple[str, str], Service]) -> None:
    for name, key in PLAN_LINKS.items():
        service = found.get(key)
        if service is not None:
            Intervention.objects.filter(service=name, directory_service__isnull=True).update(
                directory_service=service
            )


def load_demo_directory() -> None:
    """Load the demo directory, then link the demo plans' support to its services. Runs after
    the plans are loaded."""
    terms = needs_ensure_defaults()
    postcode_districts_ensure_defaults()
    providers = _providers()
    places = _places()
    localities = {locality.slug: locality for locality in Locality.objects.all()}
    found = {}
    for seed in SERVICES:
        found[(seed.provider, seed.name)] = _service(
            seed,
            provider=providers[seed.provider],
            places=places,
            terms=terms,
            localities=localities,
        )
    _link_plans(found)
    search_text_refresh()
