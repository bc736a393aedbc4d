"""A seeded, UK-style synthetic set of children's records with the hard cases matching
must get right, and the truth: which records are the same child.

Families share a family name, address, postcode and often a school; some children are
twins with one date of birth. Each child may appear in several agencies' records, each
written differently: a nickname or another transliteration, a typing error, day and month
swapped, a year mistyped, given and family name swapped, a house move, blank fields.
"""

import random
import string
from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import date, timedelta

from joinedup.matching.normalise import is_valid_nhs_number
from joinedup.matching.records import PersonRecord

_ENGLISH_BOYS = (
    "oliver",
    "george",
    "harry",
    "noah",
    "jack",
    "leo",
    "arthur",
    "oscar",
    "charlie",
    "jacob",
    "thomas",
    "william",
    "james",
    "alfie",
    "henry",
    "joshua",
    "freddie",
    "archie",
    "ethan",
    "isaac",
    "alexander",
    "joseph",
    "edward",
    "samuel",
    "max",
    "logan",
    "lucas",
    "daniel",
    "theo",
    "benjamin",
    "mason",
    "harrison",
    "finley",
    "dylan",
    "riley",
    "tyler",
    "callum",
    "kieran",
    "connor",
    "reece",
    "liam",
    "robert",
    "michael",
    "matthew",
    "ryan",
)
_ENGLISH_GIRLS = (
    "olivia",
    "amelia",
    "isla",
    "ava",
    "mia",
    "ivy",
    "lily",
    "isabella",
    "rosie",
    "sophia",
    "grace",
    "freya",
    "willow",
    "florence",
    "emily",
    "ella",
    "poppy",
    "evie",
    "elsie",
    "charlotte",
    "evelyn",
    "sienna",
    "daisy",
    "phoebe",
    "sophie",
    "harper",
    "ruby",
    "chloe",
    "jessica",
    "lucy",
    "megan",
    "hannah",
    "katie",
    "abigail",
    "holly",
    "millie",
    "erin",
    "matilda",
    "scarlett",
    "eleanor",
    "elizabeth",
    "catherine",
    "margaret",
    "rebecca",
)
_SOMALI_BOYS = (
    "mohamed",
    "abdirahman",
    "abdullahi",
    "hassan",
    "hussein",
    "ahmed",
    "omar",
    "yusuf",
    "ibrahim",
    "hamza",
    "abdi",
    "ismail",
    "khalid",
    "ayub",
    "bilal",
)
_SOMALI_GIRLS = (
    "fatima",
    "aisha",
    "khadija",
    "zainab",
    "amina",
    "hodan",
    "ayaan",
    "hawa",
    "sumaya",
    "nasra",
    "halima",
    "hafsa",
    "maryam",
    "safiya",
    "iman",
)
_SOUTH_ASIAN_BOYS = (
    "muhammad",
    "ali",
    "hamza",
    "ibrahim",
    "yusuf",
    "zakaria",
    "rayyan",
    "imran",
    "bilal",
    "adam",
    "musa",
    "tariq",
    "irfan",
    "faisal",
    "omar",
)
_SOUTH_ASIAN_GIRLS = (
    "aisha",
    "fatima",
    "zainab",
    "maryam",
    "hafsa",
    "mahnoor",
    "nadia",
    "sana",
    "tasnim",
    "nasreen",
    "salma",
    "amina",
    "rukhsana",
    "iman",
)
_POLISH_BOYS = (
    "jakub",
    "szymon",
    "filip",
    "kacper",
    "wojciech",
    "mikolaj",
    "jan",
    "aleksander",
    "oskar",
    "lukasz",
    "piotr",
    "tomasz",
    "pawel",
    "igor",
)
_POLISH_GIRLS = (
    "zuzanna",
    "julia",
    "maja",
    "zofia",
    "katarzyna",
    "aleksandra",
    "weronika",
    "magdalena",
    "agnieszka",
    "natalia",
    "wiktoria",
    "ola",
    "joanna",
)
_ENGLISH_SURNAMES = (
    "smith",
    "jones",
    "williams",
    "taylor",
    "brown",
    "davies",
    "evans",
    "wilson",
    "thomas",
    "johnson",
    "roberts",
    "robinson",
    "thompson",
    "wright",
    "walker",
    "white",
    "edwards",
    "hughes",
    "green",
    "hall",
    "lewis",
    "harris",
    "clarke",
    "patel",
    "jackson",
    "wood",
    "turner",
    "martin",
    "cooper",
    "hill",
    "ward",
    "morris",
    "moore",
    "clark",
    "lee",
    "king",
    "baker",
    "harrison",
    "morgan",
    "allen",
    "james",
    "scott",
    "phillips",
    "watson",
    "davis",
    "parker",
    "price",
    "bennett",
    "young",
    "griffiths",
    "mitchell",
    "kelly",
    "cook",
    "carter",
    "richardson",
    "bailey",
    "collins",
    "bell",
    "shaw",
    "murphy",
    "miller",
    "cox",
    "richards",
    "khan",
    "marshall",
    "anderson",
    "simpson",
    "ellis",
    "adams",
    "singh",
    "begum",
    "wilkinson",
    "foster",
    "chapman",
    "powell",
    "webb",
    "rogers",
    "gray",
    "mason",
    "ali",
    "hunt",
    "hussain",
    "campbell",
    "matthews",
    "owen",
    "palmer",
    "holmes",
    "mills",
    "barnes",
    "knight",
    "lloyd",
    "butler",
    "russell",
    "barker",
    "fisher",
    "stevens",
    "jenkins",
    "murray",
    "dixon",
    "o'brien",
    "smith-jones",
    "fitzgerald",
    "o'connor",
    "mcdonald",
    "macleod",
    "ashworth",
)
_SOMALI_SURNAMES = (
    "mohamed",
    "ali",
    "hassan",
    "ahmed",
    "abdi",
    "hussein",
    "omar",
    "farah",
    "warsame",
    "jama",
    "osman",
    "yusuf",
    "ismail",
    "nur",
    "aden",
    "ibrahim",
)
_SOUTH_ASIAN_SURNAMES = (
    "khan",
    "hussain",
    "ahmed",
    "ali",
    "begum",
    "rahman",
    "chowdhury",
    "islam",
    "uddin",
    "miah",
    "akhtar",
    "iqbal",
    "shah",
    "malik",
    "qureshi",
    "mahmood",
    "hoque",
    "siddiqui",
)
_POLISH_SURNAMES = (
    "nowak",
    "kowalski",
    "wisniewski",
    "wojcik",
    "kowalczyk",
    "kaminski",
    "lewandowski",
    "zielinski",
    "szymanski",
    "wozniak",
    "dabrowski",
)
_COMMUNITIES = (
    # (weight, boys, girls, surnames)
    (60, _ENGLISH_BOYS, _ENGLISH_GIRLS, _ENGLISH_SURNAMES),
    (14, _SOMALI_BOYS, _SOMALI_GIRLS, _SOMALI_SURNAMES),
    (16, _SOUTH_ASIAN_BOYS, _SOUTH_ASIAN_GIRLS, _SOUTH_ASIAN_SURNAMES),
    (10, _POLISH_BOYS, _POLISH_GIRLS, _POLISH_SURNAMES),
)
_STREETS = (
    "church road",
    "stapleton road",
    "high street",
    "victoria street",
    "gloucester road",
    "st marks road",
    "city road",
    "ashley road",
    "mina road",
    "lawrence hill",
    "easton road",
    "filwood broadway",
    "hartcliffe way",
    "station road",
    "park street",
    "mill lane",
    "queens road",
    "kings avenue",
    "grove park",
    "fishponds road",
    "lodge causeway",
    "whitehall road",
    "chelsea road",
    "bell hill",
    "wells road",
    "st johns lane",
)
_SCHOOLS = (
    "st barnabas primary",
    "easton primary",
    "cabot primary",
    "city academy",
    "fairfield high",
    "bannerman road academy",
    "hannah more primary",
    "parson street primary",
    "oasis academy brightstowe",
    "bristol brunel academy",
    "hillfields primary",
    "st werburghs primary",
    "whitehall primary",
    "cotham school",
    "merchants academy",
    "hareclive academy",
    "four acres academy",
    "broadoak academy",
    "henbury court primary",
)
# Spellings that staff in different agencies write for one child's name.
_SPELLINGS: dict[str, tuple[str, ...]] = {
    "mohamed": ("mohammed", "muhammad", "mohamad", "mohammad", "muhammed"),
    "muhammad": ("mohammed", "mohamed", "muhammed", "mohammad"),
    "abdirahman": ("abdurahman", "abdulrahman"),
    "fatima": ("fatuma", "fatimah"),
    "aisha": ("ayesha", "aishah", "ayisha"),
    "hussein": ("hussain", "husein"),
    "hussain": ("hussein", "husain"),
    "yusuf": ("yousef", "yousuf", "youssef"),
    "ibrahim": ("ebrahim",),
    "khadija": ("khadijah", "hadija"),
    "hamza": ("hamsa", "hamzah"),
    "zainab": ("zaynab", "zeinab"),
    "katarzyna": ("kasia",),
    "wojciech": ("wojtek",),
    "william": ("bill", "will", "liam", "billy"),
    "robert": ("bob", "rob", "bobby"),
    "catherine": ("kate", "katie", "kathryn"),
    "alexander": ("alex",),
    "aleksandra": ("ola", "alexandra"),
    "samuel": ("sam",),
    "thomas": ("tom", "tommy"),
    "joseph": ("joe",),
    "margaret": ("peggy", "maggie"),
    "elizabeth": ("liz", "beth", "lizzie"),
    "jacob": ("jake",),
    "michael": ("mike", "mikey"),
    "daniel": ("dan", "danny"),
    "rebecca": ("becky",),
    "matthew": ("matt",),
    "benjamin": ("ben",),
    "edward": ("ed", "eddie", "ted"),
    "charlotte": ("lottie",),
    "abigail": ("abby",),
    "isabella": ("bella", "izzy"),
    "ahmed": ("ahmad",),
    "omar": ("umar",),
    "chowdhury": ("choudhury", "chaudhry"),
    "kowalski": ("kowalska",),
    "hassan": ("hasan",),
    "maryam": ("mariam",),
    "amina": ("aminah",),
    "osman": ("othman", "usman"),
}
_FIELDS_THAT_GO_BLANK = ("postcode", "address", "school", "sex", "nhs_number")
_PC_AREAS = (
    "BS1",
    "BS2",
    "BS3",
    "BS4",
    "BS5",
    "BS6",
    "BS7",
    "BS8",
    "BS9",
    "BS10",
    "BS11",
    "BS13",
    "BS14",
    "BS15",
    "BS16",
)
_TODAY = date(2025, 9, 1)


@dataclass(frozen=True)
class SyntheticSet:
    records: list[PersonRecord]
    cluster_of: dict[str, str]  # record_id -> the child it truly belongs to


def _nhs_number(rng: random.Random) -> str:
    while True:
        digits = "".join(rng.choice(string.digits) for _ in range(9))
        for check in string.digits:
            if is_valid_nhs_number(digits + check):
                return digits + check


def _postcode(rng: random.Random) -> str:
    return f"{rng.choice(_PC_AREAS)} {rng.randint(0, 9)}{rng.choice('ABDEFGHJLNPQRSTUWXYZ')}" + (
        rng.choice("ABDEFGHJLNPQRSTUWXYZ")
    )


def _typo(rng: random.Random, text: str) -> str:
    if len(text) < 4:
        return text
    position = rng.randrange(1, len(text) - 1)
    kind = rng.random()
    if kind < 0.35:
        return text[:position] + text[position + 1 :]
    if kind < 0.7 and text[position - 1] != text[position]:
        return text[: position - 1] + text[position] + text[position - 1] + text[position + 1 :]
    return text[:position] + rng.choice(string.ascii_lowercase) + text[position + 1 :]


def _styled(rng: random.Random, name: str) -> str:
    """Agencies write names in capitals, title case or lower case."""
    choice = rng.random()
    if choice < 0.6:
        return "-".join(part.capitalize() for part in name.split("-"))
    return name.upper() if choice < 0.85 else name


def _new_child_record(rng: random.Random, record_id: str, child: PersonRecord) -> PersonRecord:
    """Another agency's record of the child, with one to three differences."""
    record = replace(child, record_id=record_id)
    changes = rng.sample(range(10), k=rng.choice((1, 1, 2, 2, 3)))
    for change in changes:
        if change == 0 and record.given_name.lower() in _SPELLINGS:
            record = replace(record, given_name=rng.choice(_SPELLINGS[record.given_name.lower()]))
        elif change == 1:
            record = replace(record, given_name=_typo(rng, record.given_name.lower()))
        elif change == 2:
            record = replace(record, family_name=_typo(rng, record.family_name.lower()))
        elif change == 3 and record.date_of_birth and record.date_of_birth.day <= 12:
            dob = record.date_of_birth
            record = replace(record, date_of_birth=date(dob.year, dob.day, dob.month))
        elif change == 4 and record.date_of_birth:
            dob = record.date_of_birth
            record = replace(
                record,
                date_of_birth=dob.replace(year=dob.year + rng.choice((-1, 1)))
                if not (dob.month == 2 and dob.day == 29)
                else dob,
            )
        elif change == 5:
            record = replace(record, given_name=record.family_name, family_name=record.given_name)
        elif change == 6:
            record = replace(
                record,
                postcode=_postcode(rng),
                address=f"{rng.randint(1, 200)} {rng.choice(_STREETS)}",
            )
        elif change == 7:
            blank = rng.sample(_FIELDS_THAT_GO_BLANK, k=rng.randint(1, 3))
            blanks: dict[str, str] = dict.fromkeys(blank, "")
            record = replace(record, **blanks)  # type: ignore[arg-type]
        elif change == 8 and rng.random() < 0.3:
            record = replace(record, date_of_birth=None)
        elif change == 9 and record.family_name.lower() in _SPELLINGS:
            record = replace(record, family_name=rng.choice(_SPELLINGS[record.family_name.lower()]))
    return replace(
        record,
        given_name=_styled(rng, record.given_name.lower()),
        family_name=_styled(rng, record.family_name.lower()),
    )


def _family_children(rng: random.Random, family_number: int) -> Iterator[PersonRecord]:
    community = rng.choices(_COMMUNITIES, weights=[c[0] for c in _COMMUNITIES])[0]
    _, boys, girls, surnames = community
    family_name = rng.choice(surnames)
    postcode = _postcode(rng)
    address = f"{rng.randint(1, 200)} {rng.choice(_STREETS)}"
    school = rng.choice(_SCHOOLS)
    first_birth = _TODAY - timedelta(days=rng.randint(365, 17 * 365))
    size = rng.choices((1, 2, 3, 4), weights=(35, 35, 20, 10))[0]
    twins_at = rng.randrange(size) if size >= 2 and rng.random() < 0.25 else -1
    used_names: set[str] = set()
    birth = first_birth
    for child_number in range(size):
        if child_number > 0 and child_number != twins_at + 1:
            birth = birth + timedelta(days=rng.randint(330, 6 * 365))
            if birth > _TODAY:
                birth = _TODAY - timedelta(days=rng.randint(1, 300))
        sex = rng.choice("MF")
        names = [name for name in (boys if sex == "M" else girls) if name not in used_names]
        given = rng.choice(names)
        used_names.add(given)
        yield PersonRecord(
            record_id=f"f{family_number}c{child_number}",
            given_name=given,
            family_name=family_name,
            date_of_birth=birth,
            sex=sex,
            postcode=postcode,
            address=address,
            school=school if rng.random() < 0.8 else rng.choice(_SCHOOLS),
            nhs_number=_nhs_number(rng) if rng.random() < 0.5 else "",
        )


def generate_children(
    family_count: int, *, seed: int = 7, duplicate_rate: float = 0.5
) -> SyntheticSet:
    """Records of children in `family_count` families; about `duplicate_rate` of
    children have one to three further records written by other agencies."""
    rng = random.Random(seed)  # noqa: S311 - reproducible test data, not secrets
    records: list[PersonRecord] = []
    cluster_of: dict[str, str] = {}
    for family_number in range(family_count):
        for child in _family_children(rng, family_number):
            original = replace(
                child,
                given_name=_styled(rng, child.given_name),
                family_name=_styled(rng, child.family_name),
            )
            records.append(original)
            cluster_of[child.record_id] = child.record_id
            if rng.random() < duplicate_rate:
                for copy_number in range(rng.choice((1, 1, 1, 2, 3))):
                    copy_id = f"{child.record_id}d{copy_number}"
                    records.append(_new_child_record(rng, copy_id, child))
                    cluster_of[copy_id] = child.record_id
    rng.shuffle(records)
    return SyntheticSet(records=records, cluster_of=cluster_of)


def generate_index_records(count: int, *, seed: int = 11) -> Iterator[PersonRecord]:
    """`count` distinct children (no duplicates), for filling a large intake index."""
    rng = random.Random(seed)  # noqa: S311 - reproducible test data, not secrets
    produced = 0
    family_number = 0
    while produced < count:
        for child in _family_children(rng, family_number):
            if produced >= count:
                return
            yield child
            produced += 1
        family_number += 1
