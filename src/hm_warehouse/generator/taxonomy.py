"""The H&M article hierarchy as plain, typed data for the synthetic-data generator.

Everything here is a constant; nothing is read from disk. Where the numbers come from:

* Codes and names (index, section, department, garment group, product type, pattern,
  colour group, perceived colour value/master) were taken from the 1,000 real
  ``articles.csv`` rows in ``../shared/real_sample/mirror_format/``. Codes that the sample
  does not show were filled in with plausible values that fit the real numbering
  (rows with an ``invented`` comment); those codes are synthetic and will not match
  Kaggle's.
* ``article_share`` = share of the 105,542 real articles, ``sales_share`` = share of the
  31,788,324 real transactions, from the exact aggregates in
  ``../shared/real_sample/aggregates/`` and ``../shared/hm_data_facts.md`` (rounded to 4
  significant digits). Exceptions: pattern shares are a rough real-like mix (Solid 47.1%
  is published, the rest is approximate), and per-index ``sales_share`` is an estimate
  that reproduces the published index-group transaction shares.
* The real data is not a strict tree (a section can sit under two indexes, a colour
  group under several perceived values/masters). Here every section has one index and
  every colour group one value and one master (the modal one in the real rows), so the
  generator can walk a consistent hierarchy. "Kids Outerwear" therefore appears twice,
  once under H and once under J, and "Umbrella" is two product types (83 Accessories,
  532 Items), as in the real data: 57 section numbers for 56 names, 132 product type
  numbers for 131 names.
* ``audiences``, ``season_peak_week``/``season_amplitude``, ``base_price`` (a typical
  price in the real price unit, SEK / ~590; real median 0.0254), department names
  beyond the real ones, ``PRODUCT_NAME_WORDS`` and ``DETAIL_DESC_TEMPLATES`` are
  judgement, written to look like H&M data.

Run ``validate()`` to check the tables are internally consistent.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from itertools import pairwise
from typing import Literal

Audience = Literal["women", "men", "kids", "teen", "sport"]

AUDIENCES: tuple[Audience, ...] = ("women", "men", "kids", "teen", "sport")
_ALL: tuple[Audience, ...] = AUDIENCES

N_REAL_ARTICLES = 105_542
N_REAL_TRANSACTIONS = 31_788_324


@dataclass(frozen=True, slots=True)
class IndexGroup:
    index_group_no: int
    index_group_name: str


@dataclass(frozen=True, slots=True)
class Index:
    index_code: str
    index_name: str
    index_group_no: int
    article_share: float
    sales_share: float
    audience: Audience


@dataclass(frozen=True, slots=True)
class Section:
    section_no: int
    section_name: str
    index_code: str
    article_share: float


@dataclass(frozen=True, slots=True)
class GarmentGroup:
    garment_group_no: int
    garment_group_name: str


@dataclass(frozen=True, slots=True)
class Department:
    department_no: int
    department_name: str
    section_no: int
    garment_group_no: int


@dataclass(frozen=True, slots=True)
class ProductGroup:
    product_group_name: str
    article_share: float
    sales_share: float


@dataclass(frozen=True, slots=True)
class ProductType:
    product_type_no: int
    product_type_name: str
    product_group_name: str
    article_share: float
    sales_share: float
    garment_group_no: int
    audiences: tuple[Audience, ...]
    season_peak_week: int | None
    season_amplitude: float
    base_price: float


@dataclass(frozen=True, slots=True)
class GraphicalAppearance:
    graphical_appearance_no: int
    graphical_appearance_name: str
    article_share: float


@dataclass(frozen=True, slots=True)
class PerceivedColourValue:
    perceived_colour_value_id: int
    perceived_colour_value_name: str


@dataclass(frozen=True, slots=True)
class PerceivedColourMaster:
    perceived_colour_master_id: int
    perceived_colour_master_name: str


@dataclass(frozen=True, slots=True)
class Colour:
    colour_group_code: int
    colour_group_name: str
    perceived_colour_value_id: int
    perceived_colour_value_name: str
    perceived_colour_master_id: int
    perceived_colour_master_name: str
    article_share: float
    sales_share: float


@dataclass(frozen=True, slots=True)
class AgeBucket:
    label: str
    min_age: int
    max_age: int
    share: float


# The tables below are laid out by hand, one row per line; keep ruff format away.
# fmt: off
# --------------------------------------------------------------------------- indexes

INDEX_GROUPS: tuple[IndexGroup, ...] = (
    IndexGroup(1, "Ladieswear"),
    IndexGroup(2, "Divided"),
    IndexGroup(3, "Menswear"),
    IndexGroup(4, "Baby/Children"),
    IndexGroup(26, "Sport"),
)

# Real index-group transaction shares (transaction_index_group_metrics.csv); the
# per-index sales_share below splits these and sums back to them.
INDEX_GROUP_SALES_SHARE: Mapping[int, float] = {
    1: 0.6422,
    2: 0.2246,
    3: 0.05571,
    4: 0.0383,
    26: 0.03921,
}

# index_code, index_name, index_group_no, article_share, sales_share, audience
INDEXES: tuple[Index, ...] = (
    Index("A", "Ladieswear", 1, 0.2464, 0.4422, "women"),
    Index("B", "Lingeries/Tights", 1, 0.06419, 0.155, "women"),
    Index("C", "Ladies Accessories", 1, 0.06595, 0.045, "women"),
    Index("D", "Divided", 2, 0.1435, 0.2246, "teen"),
    Index("F", "Menswear", 3, 0.1189, 0.05571, "men"),
    Index("G", "Baby Sizes 50-98", 4, 0.08409, 0.008, "kids"),
    Index("H", "Children Sizes 92-140", 4, 0.1138, 0.0125, "kids"),
    Index("I", "Children Sizes 134-170", 4, 0.0873, 0.0128, "kids"),
    Index("J", "Children Accessories, Swimwear", 4, 0.04373, 0.005, "kids"),
    Index("S", "Sport", 26, 0.03214, 0.03921, "sport"),
)

# ---------------------------------------------------------------------------- sections

# section_no, section_name, index_code, article_share (section_metrics.csv).
# Numbers not seen in the real rows are marked invented.
SECTIONS: tuple[Section, ...] = (
    # A Ladieswear
    Section(15, "Womens Everyday Collection", "A", 0.06912),
    Section(11, "Womens Tailoring", "A", 0.03199),  # invented no
    Section(6, "Womens Casual", "A", 0.02582),  # invented no
    Section(18, "Womens Trend", "A", 0.02484),  # invented no
    Section(2, "H&M+", "A", 0.02214),
    Section(8, "Mama", "A", 0.02147),
    Section(16, "Womens Everyday Basics", "A", 0.01498),
    Section(3, "Womens Premium", "A", 0.01203),  # invented no
    Section(12, "Womens Jackets", "A", 0.007855),  # invented no
    Section(19, "Special Collections", "A", 0.006462),  # invented no
    Section(17, "Collaborations", "A", 0.005296),  # invented no
    Section(4, "Ladies Other", "A", 3.79e-05),  # invented no
    # B Lingeries/Tights
    Section(61, "Womens Lingerie", "B", 0.03409),
    Section(60, "Womens Swimwear, beachwear", "B", 0.01742),
    Section(62, "Womens Nightwear, Socks & Tigh", "B", 0.01484),
    # C Ladies Accessories
    Section(66, "Womens Small accessories", "C", 0.03098),
    Section(64, "Womens Shoes", "C", 0.0192),  # invented no
    Section(65, "Womens Big accessories", "C", 0.01578),
    # D Divided
    Section(53, "Divided Collection", "D", 0.0675),
    Section(50, "Divided Projects", "D", 0.0224),  # invented no
    Section(52, "Divided Accessories", "D", 0.01641),
    Section(51, "Divided Basics", "D", 0.01633),
    Section(57, "Ladies Denim", "D", 0.01043),
    Section(58, "Divided Selected", "D", 0.00939),
    Section(54, "Divided Asia keys", "D", 0.002653),  # invented no
    Section(56, "Divided Complements Other", "D", 0.0003316),  # invented no
    Section(59, "EQ Divided", "D", 0.0002463),  # invented no
    # F Menswear
    Section(26, "Men Underwear", "F", 0.022),
    Section(20, "Contemporary Smart", "F", 0.01685),
    Section(21, "Contemporary Casual", "F", 0.01478),
    Section(55, "Contemporary Street", "F", 0.01412),
    Section(23, "Men Suits & Tailoring", "F", 0.01353),
    Section(25, "Men Accessories", "F", 0.01267),
    Section(27, "Men Shoes", "F", 0.006111),
    Section(31, "Mens Outerwear", "F", 0.00596),
    Section(30, "Denim Men", "F", 0.004936),  # invented no
    Section(24, "Men Edition", "F", 0.003127),  # invented no
    Section(28, "Men Project", "F", 0.002824),  # invented no
    Section(29, "Men Other 2", "F", 0.0018),  # invented no
    Section(32, "Men Other", "F", 0.0002369),  # invented no
    # G Baby Sizes 50-98
    Section(44, "Baby Essentials & Complements", "G", 0.04673),
    Section(41, "Baby Girl", "G", 0.01668),  # invented no
    Section(43, "Baby Boy", "G", 0.01627),  # invented no
    # H Children Sizes 92-140
    Section(45, "Kids Girl", "H", 0.04234),  # invented no
    Section(46, "Kids Boy", "H", 0.03153),
    Section(72, "Boys Underwear & Basics", "H", 0.01927),
    Section(40, "Kids Outerwear", "H", 0.01389),  # invented no
    Section(70, "Kids Local Relevance", "H", 0.001819),  # invented no
    # I Children Sizes 134-170
    Section(77, "Young Girl", "I", 0.03694),
    Section(79, "Girls Underwear & Basics", "I", 0.03307),
    Section(47, "Young Boy", "I", 0.02228),
    # J Children Accessories, Swimwear
    Section(48, "Kids & Baby Shoes", "J", 0.0203),  # invented no
    Section(42, "Kids Accessories, Swimwear & D", "J", 0.0164),  # invented no
    Section(80, "Kids Outerwear", "J", 0.01136),  # invented no
    # S Sport
    Section(5, "Ladies H&M Sport", "S", 0.01795),  # invented no
    Section(22, "Men H&M Sport", "S", 0.008262),
    Section(49, "Kids Sports", "S", 0.005931),  # invented no
)

# ---------------------------------------------------------------------- garment groups

GARMENT_GROUPS: tuple[GarmentGroup, ...] = (
    GarmentGroup(1001, "Unknown"),  # number invented
    GarmentGroup(1002, "Jersey Basic"),
    GarmentGroup(1003, "Knitwear"),
    GarmentGroup(1005, "Jersey Fancy"),
    GarmentGroup(1006, "Woven/Jersey/Knitted mix Baby"),  # number invented
    GarmentGroup(1007, "Outdoor"),
    GarmentGroup(1008, "Dressed"),
    GarmentGroup(1009, "Trousers"),
    GarmentGroup(1010, "Blouses"),  # number invented
    GarmentGroup(1011, "Shirts"),
    GarmentGroup(1012, "Skirts"),  # number invented
    GarmentGroup(1013, "Dresses Ladies"),
    GarmentGroup(1014, "Dresses/Skirts girls"),  # number invented
    GarmentGroup(1016, "Trousers Denim"),
    GarmentGroup(1017, "Under-, Nightwear"),
    GarmentGroup(1018, "Swimwear"),
    GarmentGroup(1019, "Accessories"),
    GarmentGroup(1020, "Shoes"),
    GarmentGroup(1021, "Socks and Tights"),
    GarmentGroup(1023, "Special Offers"),  # number invented
    GarmentGroup(1025, "Shorts"),
)

# ------------------------------------------------------------------------- departments

# department_no, department_name, section_no, garment_group_no. Real departments (seen in
# the real rows) keep their real number and name; the others are invented, named after
# H&M garment families. 299 departments, as in the real data.
DEPARTMENTS: tuple[Department, ...] = (
    # 15 Womens Everyday Collection (A)
    Department(1620, "Jersey fancy", 15, 1005),  # invented
    Department(1622, "Blouse", 15, 1010),  # invented
    Department(1623, "Dresses", 15, 1013),  # invented
    Department(1624, "Skirt", 15, 1012),  # invented
    Department(1625, "Shirt", 15, 1011),  # invented
    Department(1626, "Knitwear", 15, 1003),
    Department(1627, "Outdoor", 15, 1007),  # invented
    Department(1628, "Shorts", 15, 1025),  # invented
    Department(1629, "Knitwear Basic", 15, 1003),  # invented
    Department(1630, "Woven top", 15, 1010),  # invented
    Department(1631, "Jersey Basic", 15, 1002),  # invented
    Department(1722, "Trouser", 15, 1009),
    Department(1723, "Trousers Shorts", 15, 1025),  # invented
    Department(1724, "Denim", 15, 1016),  # invented
    Department(1725, "Jersey inactive from s1", 15, 1005),  # invented
    # 11 Womens Tailoring (A)
    Department(1510, "Blazer", 11, 1008),  # invented
    Department(1511, "Trousers", 11, 1009),  # invented
    Department(1512, "Blouse", 11, 1010),  # invented
    Department(1513, "Dresses", 11, 1013),  # invented
    Department(1514, "Skirt", 11, 1012),  # invented
    Department(1515, "Knitwear", 11, 1003),  # invented
    Department(1516, "Shirt", 11, 1011),  # invented
    Department(1517, "Suit", 11, 1008),  # invented
    Department(1518, "Jersey", 11, 1005),  # invented
    Department(1519, "Shorts", 11, 1025),  # invented
    # 6 Womens Casual (A)
    Department(1310, "Jersey fancy", 6, 1005),  # invented
    Department(1311, "Knitwear", 6, 1003),  # invented
    Department(1312, "Blouse", 6, 1010),  # invented
    Department(1313, "Trousers", 6, 1009),  # invented
    Department(1314, "Dresses", 6, 1013),  # invented
    Department(1315, "Skirt", 6, 1012),  # invented
    Department(1316, "Shorts", 6, 1025),  # invented
    Department(1317, "Outdoor", 6, 1007),  # invented
    Department(1318, "Denim", 6, 1016),  # invented
    # 18 Womens Trend (A)
    Department(1810, "Trend Jersey", 18, 1005),  # invented
    Department(1811, "Trend Woven Tops", 18, 1010),  # invented
    Department(1812, "Trend Dresses", 18, 1013),  # invented
    Department(1813, "Trend Bottoms", 18, 1009),  # invented
    Department(1814, "Trend Knitwear", 18, 1003),  # invented
    Department(1815, "Trend Outdoor", 18, 1007),  # invented
    Department(1816, "Trend Skirt", 18, 1012),  # invented
    Department(1817, "Trend Denim", 18, 1016),  # invented
    # 2 H&M+ (A)
    Department(1912, "Knitwear", 2, 1003),  # invented
    Department(1913, "Dresses", 2, 1013),  # invented
    Department(1915, "Blouse", 2, 1010),  # invented
    Department(1917, "Denim", 2, 1016),  # invented
    Department(1919, "Jersey", 2, 1005),
    Department(1921, "Outdoor", 2, 1007),  # invented
    Department(1937, "Basics", 2, 1002),  # invented
    Department(1939, "Woven bottoms", 2, 1009),
    # 8 Mama (A)
    Department(2031, "Woven bottoms", 8, 1009),
    Department(2032, "Jersey", 8, 1005),
    Department(2033, "Mama Denim", 8, 1016),  # invented
    Department(2034, "Mama Dresses", 8, 1013),  # invented
    Department(2035, "Nursing", 8, 1005),
    Department(2036, "Mama Knitwear", 8, 1003),  # invented
    Department(2037, "Mama Outdoor", 8, 1007),  # invented
    # 16 Womens Everyday Basics (A)
    Department(1676, "Jersey Basic", 16, 1002),
    Department(1677, "Light Basic Jersey", 16, 1002),  # invented
    Department(1678, "Heavy Basic Jersey", 16, 1002),  # invented
    Department(1679, "Basic Knit", 16, 1003),  # invented
    Department(1680, "Basic Trousers", 16, 1009),  # invented
    # 3 Womens Premium (A)
    Department(1401, "Premium Knit", 3, 1003),  # invented
    Department(1402, "Premium Woven", 3, 1010),  # invented
    Department(1403, "Premium Dresses", 3, 1013),  # invented
    Department(1404, "Premium Trousers", 3, 1009),  # invented
    Department(1405, "Premium Outdoor", 3, 1007),  # invented
    # 12 Womens Jackets (A)
    Department(1520, "Outdoor", 12, 1007),  # invented
    Department(1521, "Jackets Light", 12, 1007),  # invented
    Department(1522, "Coats", 12, 1007),  # invented
    # 19 Special Collections (A)
    Department(1820, "Special Collection", 19, 1005),  # invented
    Department(1821, "Conscious Exclusive", 19, 1013),  # invented
    Department(1822, "Campaigns", 19, 1023),  # invented
    # 17 Collaborations (A)
    Department(1801, "Collaboration", 17, 1005),  # invented
    Department(1802, "Collaboration Woven", 17, 1010),  # invented
    Department(1803, "Collaboration Acc", 17, 1019),  # invented
    # 4 Ladies Other (A)
    Department(1950, "Ladies Other", 4, 1001),  # invented
    # 61 Womens Lingerie (B)
    Department(1334, "Casual Lingerie", 61, 1017),
    Department(1335, "Shapewear", 61, 1017),  # invented
    Department(1336, "Lingerie Accessories", 61, 1017),  # invented
    Department(1338, "Expressive Lingerie", 61, 1017),
    Department(1339, "Clean Lingerie", 61, 1017),
    Department(1340, "Bodies", 61, 1017),  # invented
    Department(3705, "Mama Lingerie", 61, 1017),
    Department(3710, "Functional Lingerie", 61, 1017),
    # 60 Womens Swimwear, beachwear (B)
    Department(4242, "Swimwear", 60, 1018),
    Department(4243, "Beachwear", 60, 1018),  # invented
    Department(4244, "Swimwear Mix&Match", 60, 1018),  # invented
    Department(4245, "Mama Swimwear", 60, 1018),  # invented
    # 62 Womens Nightwear, Socks & Tigh (B)
    Department(3608, "Tights basic", 62, 1021),
    Department(3610, "Socks", 62, 1021),
    Department(3611, "Shopbasket Socks", 62, 1021),
    Department(3612, "Tights fancy", 62, 1021),  # invented
    Department(3613, "Loungewear", 62, 1017),  # invented
    Department(3709, "Nightwear", 62, 1017),
    Department(3711, "Mama Nightwear", 62, 1017),  # invented
    # 66 Womens Small accessories (C)
    Department(3419, "Other items", 66, 1019),
    Department(4342, "EQ & Special Collections", 66, 1019),
    Department(4343, "Hair Accessories", 66, 1019),
    Department(4344, "Jewellery", 66, 1019),
    Department(4345, "Watches", 66, 1019),  # invented
    Department(4346, "Beauty Accessories", 66, 1019),  # invented
    Department(8888, "Sunglasses", 66, 1019),
    # 64 Womens Shoes (C)
    Department(3520, "Shoes", 64, 1020),  # invented
    Department(3521, "Boots", 64, 1020),  # invented
    Department(3522, "Sandals", 64, 1020),  # invented
    Department(3523, "Sneakers", 64, 1020),  # invented
    Department(3524, "Ballerinas & Pumps", 64, 1020),  # invented
    # 65 Womens Big accessories (C)
    Department(3209, "Bags", 65, 1019),
    Department(3509, "Belts", 65, 1019),
    Department(3510, "Scarves", 65, 1019),  # invented
    Department(3511, "Umbrellas & Other", 65, 1019),  # invented
    Department(3519, "Gloves/Hats", 65, 1019),
    # 53 Divided Collection (D)
    Department(1240, "Jersey Fancy", 53, 1005),  # invented
    Department(1241, "Tops Knitwear", 53, 1003),  # invented
    Department(1242, "Dresses", 53, 1013),  # invented
    Department(1243, "Blouse", 53, 1010),  # invented
    Department(1244, "Outdoor/Blazers", 53, 1007),
    Department(1245, "Skirt", 53, 1012),  # invented
    Department(1246, "Shirt", 53, 1011),  # invented
    Department(1247, "Jersey Basic", 53, 1002),  # invented
    Department(1248, "Divided+", 53, 1005),  # invented
    Department(1249, "Swimwear", 53, 1018),  # invented
    Department(1250, "Nightwear", 53, 1017),  # invented
    Department(1745, "Shorts", 53, 1025),
    Department(1747, "Trousers", 53, 1009),
    Department(1748, "Denim Trousers", 53, 1016),  # invented
    Department(1749, "Woven inactive from s1", 53, 1010),  # invented
    # 50 Divided Projects (D)
    Department(5010, "Projects Jersey & Knitwear", 50, 1005),  # invented
    Department(5011, "Projects Woven Tops", 50, 1010),  # invented
    Department(5012, "Projects Dresses", 50, 1013),  # invented
    Department(5013, "Projects Woven bottoms", 50, 1009),  # invented
    Department(5014, "Projects Denim", 50, 1016),  # invented
    Department(5015, "Projects Outdoor", 50, 1007),  # invented
    Department(5016, "Projects Skirts", 50, 1012),  # invented
    # 52 Divided Accessories (D)
    Department(3929, "Divided Shoes", 52, 1020),
    Department(3944, "Bags", 52, 1019),
    Department(3945, "Knit & Woven", 52, 1019),
    Department(3946, "Small Accessories", 52, 1019),
    Department(3947, "Jewellery", 52, 1019),  # invented
    Department(3948, "Other Accessories", 52, 1019),
    Department(3949, "Socks & Tights", 52, 1021),  # invented
    # 51 Divided Basics (D)
    Department(1643, "Basic 1", 51, 1002),
    Department(1644, "Basic 2", 51, 1002),  # invented
    Department(1645, "Basic Knit", 51, 1003),  # invented
    Department(1646, "Basic Bottoms", 51, 1009),  # invented
    Department(3937, "UW", 51, 1017),
    # 57 Ladies Denim (D)
    Department(1772, "Denim Trousers", 57, 1016),
    Department(1773, "Denim Other Garments", 57, 1016),
    Department(1774, "Denim Shorts", 57, 1025),  # invented
    Department(1779, "Everyday Waredrobe Denim", 57, 1016),
    # 58 Divided Selected (D)
    Department(1649, "Trousers DS", 58, 1009),
    Department(5960, "Outdoor/Blazers DS", 58, 1007),
    Department(5961, "Dresses DS", 58, 1013),
    Department(5962, "Jersey Fancy DS", 58, 1005),
    Department(5963, "Tops Knitwear DS", 58, 1003),
    Department(5964, "Blouse DS", 58, 1010),  # invented
    # 54 Divided Asia keys (D)
    Department(5401, "Asia Assortment", 54, 1005),  # invented
    Department(5402, "Asia Woven", 54, 1010),  # invented
    # 56 Divided Complements Other (D)
    Department(5601, "Divided Complements", 56, 1023),  # invented
    # 59 EQ Divided (D)
    Department(5970, "EQ Divided", 59, 1023),  # invented
    # 26 Men Underwear (F)
    Department(5868, "Basics", 26, 1002),
    Department(5883, "Jersey Basic", 26, 1002),
    Department(7188, "Socks Bin", 26, 1021),
    Department(7189, "Socks", 26, 1021),  # invented
    Department(7988, "Underwear Jersey", 26, 1017),
    Department(7989, "Underwear Woven", 26, 1017),  # invented
    Department(7990, "Nightwear", 26, 1017),  # invented
    Department(7991, "Swimwear", 26, 1018),  # invented
    # 20 Contemporary Smart (F)
    Department(5827, "Shirt", 20, 1011),  # invented
    Department(5828, "Jersey Fancy", 20, 1005),
    Department(5829, "Trouser", 20, 1009),  # invented
    Department(5830, "Outdoor", 20, 1007),  # invented
    Department(5831, "Jersey Basic", 20, 1002),  # invented
    Department(5878, "Knitwear", 20, 1003),
    # 21 Contemporary Casual (F)
    Department(5655, "Jersey Fancy", 21, 1005),  # invented
    Department(5656, "Trouser", 21, 1009),
    Department(5657, "Shirt", 21, 1011),  # invented
    Department(5658, "Shorts", 21, 1025),
    Department(5659, "Knitwear", 21, 1003),  # invented
    Department(5660, "Denim", 21, 1016),  # invented
    # 55 Contemporary Street (F)
    Department(5683, "Trouser", 55, 1009),
    Department(5783, "Shirt", 55, 1011),
    Department(5882, "Jersey Fancy", 55, 1005),
    Department(5884, "Jersey Basic", 55, 1002),  # invented
    Department(5885, "Knitwear", 55, 1003),  # invented
    Department(5886, "Shorts", 55, 1025),  # invented
    Department(5887, "Denim", 55, 1016),  # invented
    # 23 Men Suits & Tailoring (F)
    Department(8615, "Blazer S&T", 23, 1008),
    Department(8616, "Suit", 23, 1008),  # invented
    Department(8617, "Trousers S&T", 23, 1009),  # invented
    Department(8618, "Shirt S&T", 23, 1011),  # invented
    Department(8619, "Knitwear S&T", 23, 1003),  # invented
    Department(8620, "Accessories S&T", 23, 1019),  # invented
    # 25 Men Accessories (F)
    Department(7389, "Belts", 25, 1019),
    Department(7390, "Bags", 25, 1019),  # invented
    Department(7391, "Caps & Hats", 25, 1019),  # invented
    Department(7392, "Gloves & Scarves", 25, 1019),  # invented
    Department(7393, "Sunglasses", 25, 1019),  # invented
    Department(7394, "Jewellery", 25, 1019),  # invented
    Department(9985, "Accessories", 25, 1019),
    # 27 Men Shoes (F)
    Department(3629, "Shoes", 27, 1020),
    Department(3630, "Shoes / Boots inactive from s5", 27, 1020),
    Department(3631, "Sneakers", 27, 1020),  # invented
    # 31 Mens Outerwear (F)
    Department(5283, "Jacket Street", 31, 1007),
    Department(5284, "Jacket Smart", 31, 1007),  # invented
    Department(5285, "Jacket Casual", 31, 1007),  # invented
    # 30 Denim Men (F)
    Department(5740, "Denim", 30, 1016),  # invented
    Department(5741, "Denim Shorts", 30, 1025),  # invented
    Department(5742, "Denim Jackets", 30, 1016),  # invented
    # 24 Men Edition (F)
    Department(5710, "Men Edition", 24, 1005),  # invented
    Department(5711, "Men Edition Woven", 24, 1011),  # invented
    # 28 Men Project (F)
    Department(5720, "Men Project", 28, 1005),  # invented
    Department(5721, "Men Project Woven", 28, 1011),  # invented
    # 29 Men Other 2 (F)
    Department(5730, "Men Other 2", 29, 1023),  # invented
    # 32 Men Other (F)
    Department(5750, "Men Other", 32, 1023),  # invented
    # 44 Baby Essentials & Complements (G)
    Department(6515, "Baby basics", 44, 1002),
    Department(6516, "Baby Essentials Jersey", 44, 1002),  # invented
    Department(6517, "Baby Exclusive", 44, 1006),  # invented
    Department(6518, "Baby Toys/Acc", 44, 1019),  # invented
    Department(6563, "Baby Nightwear", 44, 1017),
    Department(6564, "Baby Socks & Tights", 44, 1021),  # invented
    Department(6565, "Newborn", 44, 1006),  # invented
    Department(6566, "Baby Outdoor", 44, 1007),  # invented
    Department(6567, "Baby Swimwear", 44, 1018),  # invented
    # 41 Baby Girl (G)
    Department(6510, "Baby Girl Jersey Fancy", 41, 1005),  # invented
    Department(6511, "Baby Girl Woven", 41, 1006),  # invented
    Department(6512, "Baby Girl Knitwear", 41, 1003),  # invented
    Department(6513, "Baby Girl Dresses", 41, 1014),  # invented
    # 43 Baby Boy (G)
    Department(6520, "Baby Boy Jersey Fancy", 43, 1005),  # invented
    Department(6521, "Baby Boy Woven", 43, 1006),  # invented
    Department(6522, "Baby Boy Knitwear", 43, 1003),  # invented
    Department(6523, "Baby Boy Trousers", 43, 1009),  # invented
    # 45 Kids Girl (H)
    Department(7610, "Kids Girl Jersey Fancy", 45, 1005),  # invented
    Department(7611, "Kids Girl Jersey Basic", 45, 1002),  # invented
    Department(7612, "Kids Girl Knitwear", 45, 1003),  # invented
    Department(7613, "Kids Girl Trousers", 45, 1009),  # invented
    Department(7614, "Kids Girl Dresses", 45, 1014),  # invented
    Department(7615, "Kids Girl Denim", 45, 1016),  # invented
    Department(7616, "Kids Girl Shorts & Skirts", 45, 1014),  # invented
    Department(7617, "Kids Girl Blouse", 45, 1010),  # invented
    # 46 Kids Boy (H)
    Department(7950, "Kids Boy Jersey Fancy", 46, 1005),  # invented
    Department(7951, "Kids Boy Knitwear", 46, 1003),  # invented
    Department(7952, "Kids Boy Trouser", 46, 1009),  # invented
    Department(7953, "Kids Boy Shirt", 46, 1011),  # invented
    Department(7954, "Kids Boy Shorts", 46, 1025),  # invented
    Department(7955, "Kids Boy Jersey Basic", 46, 1002),  # invented
    Department(7956, "Kids Boy Denim", 46, 1016),
    # 72 Boys Underwear & Basics (H)
    Department(7668, "Kids Boy Jersey Basic", 72, 1002),
    Department(7669, "Kids Boy UW/NW", 72, 1017),  # invented
    Department(7670, "Kids Boy S&T", 72, 1021),  # invented
    Department(8768, "Young Boy Jersey Basic", 72, 1002),
    Department(8769, "Young Boy UW/NW", 72, 1017),  # invented
    # 40 Kids Outerwear (H)
    Department(7710, "Kids Outerwear", 40, 1007),  # invented
    Department(7711, "Kids Girl Outdoor", 40, 1007),  # invented
    Department(7712, "Kids Boy Outdoor", 40, 1007),  # invented
    # 70 Kids Local Relevance (H)
    Department(7720, "Kids Local Relevance", 70, 1005),  # invented
    # 77 Young Girl (I)
    Department(8716, "Young Girl Jersey Fancy", 77, 1005),
    Department(8717, "Young Girl Knitwear", 77, 1003),  # invented
    Department(8718, "Young Girl Trouser", 77, 1009),  # invented
    Department(8719, "Young Girl Dresses", 77, 1014),  # invented
    Department(8720, "Young Girl Denim", 77, 1016),  # invented
    Department(8721, "Young Girl Blouse", 77, 1010),  # invented
    Department(8722, "Young Girl Shorts", 77, 1025),  # invented
    # 79 Girls Underwear & Basics (I)
    Department(7920, "Kids Girl Jersey Basic", 79, 1002),  # invented
    Department(7921, "Kids Girl S&T", 79, 1021),
    Department(7922, "Kids Girl UW/NW", 79, 1017),
    Department(7930, "Young Girl Jersey Basic", 79, 1002),
    Department(7931, "Young Girl S&T", 79, 1021),
    Department(7932, "Young Girl UW/NW", 79, 1017),
    # 47 Young Boy (I)
    Department(8756, "Young Boy Trouser", 47, 1009),
    Department(8757, "Young Boy Jersey Fancy", 47, 1005),  # invented
    Department(8758, "Young Boy Knitwear", 47, 1003),  # invented
    Department(8759, "Young Boy Denim", 47, 1016),  # invented
    Department(8760, "Young Boy Shirt", 47, 1011),  # invented
    Department(8761, "Young Boy Shorts", 47, 1025),  # invented
    # 48 Kids & Baby Shoes (J)
    Department(7820, "Kids Girl Shoes", 48, 1020),  # invented
    Department(7821, "Kids Boy Shoes", 48, 1020),  # invented
    Department(7822, "Baby Shoes", 48, 1020),  # invented
    # 42 Kids Accessories, Swimwear & D (J)
    Department(7810, "Kids Girl Big Acc", 42, 1019),  # invented
    Department(7811, "Kids Girl Small Acc", 42, 1019),  # invented
    Department(7812, "Kids Boy Acc", 42, 1019),  # invented
    Department(7813, "Kids Swimwear", 42, 1018),  # invented
    Department(7814, "Kids Dress-up", 42, 1005),  # invented
    Department(7815, "Kids Socks & Tights", 42, 1021),  # invented
    # 80 Kids Outerwear (J)
    Department(7730, "Kids Rainwear", 80, 1007),  # invented
    Department(7731, "Kids Winter Outerwear", 80, 1007),  # invented
    # 5 Ladies H&M Sport (S)
    Department(8310, "Ladies Sport Bottoms", 5, 1005),  # invented
    Department(8311, "Ladies Sport Bras", 5, 1017),  # invented
    Department(8312, "Ladies Sport Woven", 5, 1007),  # invented
    Department(8313, "Ladies Sport Acc", 5, 1019),  # invented
    Department(8314, "Ladies Sport Tops", 5, 1005),  # invented
    # 22 Men H&M Sport (S)
    Department(8394, "Men Sport Bottoms", 22, 1005),
    Department(8558, "Men Sport Tops", 22, 1007),
    Department(8559, "Men Sport Woven", 22, 1005),
    Department(8560, "Men Sport Acc", 22, 1019),
    # 49 Kids Sports (S)
    Department(8630, "Kids Sports Tops", 49, 1005),  # invented
    Department(8631, "Kids Sports Bottoms", 49, 1005),  # invented
    Department(8632, "Kids Sports Outdoor", 49, 1007),  # invented
)

# ------------------------------------------------------------------ product groups/types

# product_group_name, article_share, sales_share
PRODUCT_GROUPS: tuple[ProductGroup, ...] = (
    ProductGroup("Garment Upper body", 0.405, 0.3949),
    ProductGroup("Garment Lower body", 0.1877, 0.2217),
    ProductGroup("Garment Full body", 0.1259, 0.1118),
    ProductGroup("Accessories", 0.1057, 0.05032),
    ProductGroup("Underwear", 0.05202, 0.08072),
    ProductGroup("Shoes", 0.05006, 0.02345),
    ProductGroup("Swimwear", 0.02963, 0.08114),
    ProductGroup("Socks & Tights", 0.02314, 0.02157),
    ProductGroup("Nightwear", 0.01799, 0.01095),
    ProductGroup("Unknown", 0.001146, 0.003053),
    ProductGroup("Underwear/nightwear", 0.0005116, 1.759e-05),
    ProductGroup("Cosmetic", 0.0004643, 4.719e-05),
    ProductGroup("Bags", 0.0002369, 0.0002301),
    ProductGroup("Items", 0.0001611, 0.0001707),
    ProductGroup("Furniture", 0.0001232, 1.677e-05),
    ProductGroup("Garment and Shoe care", 8.527e-05, 8.777e-06),
    ProductGroup("Stationery", 4.737e-05, 7.204e-06),
    ProductGroup("Interior textile", 2.842e-05, 2.328e-06),
    ProductGroup("Fun", 1.895e-05, 1.573e-07),
)

# product_type_no, product_type_name, product_group_name, article_share, sales_share,
# garment_group_no, audiences, season_peak_week (ISO week), season_amplitude, base_price.
# Numbers not seen in the real rows are marked invented. "Pre-walkers" never sold in the
# real data; it gets a tiny sales_share.
PRODUCT_TYPES: tuple[ProductType, ...] = (
    # Garment Upper body
    ProductType(252, "Sweater", "Garment Upper body", 0.08814, 0.08756,
                1003, _ALL, 47, 0.5, 0.03),
    ProductType(255, "T-shirt", "Garment Upper body", 0.07489, 0.06933,
                1002, _ALL, 24, 0.2, 0.015),
    ProductType(254, "Top", "Garment Upper body", 0.03937, 0.04981,
                1005, ("women", "kids", "teen", "sport"), 25, 0.25, 0.017),
    ProductType(258, "Blouse", "Garment Upper body", 0.0377, 0.04734,
                1010, ("women", "kids", "teen"), 24, 0.2, 0.03),  # invented no
    ProductType(262, "Jacket", "Garment Upper body", 0.03733, 0.01888,
                1007, _ALL, 44, 0.45, 0.055),
    ProductType(259, "Shirt", "Garment Upper body", 0.03226, 0.02479,
                1011, ("women", "men", "kids", "teen"), None, 0.0, 0.03),
    ProductType(253, "Vest top", "Garment Upper body", 0.02834, 0.04448,
                1002, _ALL, 25, 0.4, 0.012),
    ProductType(308, "Hoodie", "Garment Upper body", 0.02232, 0.01521,
                1002, _ALL, 45, 0.3, 0.03),
    ProductType(245, "Cardigan", "Garment Upper body", 0.01469, 0.01196,
                1003, ("women", "men", "kids", "teen"), 44, 0.35, 0.03),
    ProductType(264, "Blazer", "Garment Upper body", 0.01052, 0.0141,
                1008, ("women", "men", "kids", "teen"), 38, 0.15, 0.05),
    ProductType(256, "Bodysuit", "Garment Upper body", 0.008651, 0.004352,
                1002, ("kids", "women", "teen"), None, 0.0, 0.01),
    ProductType(263, "Coat", "Garment Upper body", 0.004358, 0.003791,
                1007, ("women", "men", "kids", "teen"), 46, 0.7, 0.065),  # invented no
    ProductType(257, "Polo shirt", "Garment Upper body", 0.004254, 0.002788,
                1002, ("men", "kids", "women"), 24, 0.3, 0.02),  # invented no
    ProductType(261, "Outdoor Waistcoat", "Garment Upper body", 0.001459, 0.0003263,
                1007, ("women", "men", "kids", "teen"), 45, 0.55, 0.045),  # invented no
    ProductType(260, "Tailored Waistcoat", "Garment Upper body", 0.0006917, 0.000181,
                1008, ("men", "women"), None, 0.0, 0.035),  # invented no
    # Garment Lower body
    ProductType(272, "Trousers", "Garment Lower body", 0.1058, 0.1327,
                1009, _ALL, None, 0.0, 0.035),
    ProductType(274, "Shorts", "Garment Lower body", 0.03732, 0.03626,
                1025, _ALL, 25, 0.6, 0.02),
    ProductType(275, "Skirt", "Garment Lower body", 0.02554, 0.02939,
                1012, ("women", "kids", "teen"), 24, 0.3, 0.028),
    ProductType(273, "Leggings/Tights", "Garment Lower body", 0.01779, 0.0231,
                1002, ("women", "kids", "teen", "sport"), None, 0.0, 0.015),
    ProductType(270, "Outdoor trousers", "Garment Lower body", 0.001232, 0.0002501,
                1007, ("kids", "sport"), 47, 0.65, 0.035),  # invented no
    # Garment Full body
    ProductType(265, "Dress", "Garment Full body", 0.09818, 0.1019,
                1013, ("women", "teen", "kids"), 24, 0.35, 0.035),
    ProductType(266, "Garment Set", "Garment Full body", 0.01251, 0.001249,
                1006, ("kids",), None, 0.0, 0.025),  # invented no
    ProductType(267, "Jumpsuit/Playsuit", "Garment Full body", 0.01087, 0.007162,
                1013, ("women", "teen", "kids"), 25, 0.4, 0.03),
    ProductType(268, "Dungarees", "Garment Full body", 0.002928, 0.001105,
                1009, ("kids", "women", "teen"), None, 0.0, 0.03),  # invented no
    ProductType(277, "Costumes", "Garment Full body", 0.0008527, 0.000304,
                1005, ("kids",), 43, 0.8, 0.025),
    ProductType(269, "Outdoor overall", "Garment Full body", 0.0006064, 5.949e-05,
                1007, ("kids",), 47, 0.75, 0.05),  # invented no
    # Accessories
    ProductType(75, "Hat/beanie", "Accessories", 0.01278, 0.002762,
                1019, _ALL, 48, 0.7, 0.012),
    ProductType(66, "Bag", "Accessories", 0.01213, 0.006886,
                1019, _ALL, None, 0.0, 0.025),
    ProductType(70, "Earring", "Accessories", 0.01098, 0.005523,
                1019, ("women", "teen"), None, 0.0, 0.01),
    ProductType(78, "Other accessories", "Accessories", 0.009797, 0.002922,
                1019, _ALL, None, 0.0, 0.012),  # invented no
    ProductType(80, "Scarf", "Accessories", 0.009598, 0.004924,
                1019, ("women", "men", "kids", "teen"), 48, 0.6, 0.017),  # invented no
    ProductType(74, "Hair/alice band", "Accessories", 0.008092, 0.002853,
                1019, ("women", "teen", "kids"), None, 0.0, 0.008),
    ProductType(81, "Sunglasses", "Accessories", 0.005884, 0.003699,
                1019, ("women", "men", "kids", "teen"), 23, 0.65, 0.012),
    ProductType(77, "Necklace", "Accessories", 0.005505, 0.004143,
                1019, ("women", "teen"), None, 0.0, 0.013),  # invented no
    ProductType(69, "Cap/peaked", "Accessories", 0.005429, 0.0009787,
                1019, _ALL, 24, 0.35, 0.013),
    ProductType(67, "Belt", "Accessories", 0.00434, 0.006368,
                1019, ("women", "men", "teen"), None, 0.0, 0.015),
    ProductType(76, "Hat/brim", "Accessories", 0.003752, 0.0008482,
                1019, ("women", "men", "kids", "teen"), 24, 0.5, 0.017),  # invented no
    ProductType(71, "Gloves", "Accessories", 0.003477, 0.001103,
                1019, _ALL, 49, 0.8, 0.012),
    ProductType(72, "Hair clip", "Accessories", 0.002312, 0.00126,
                1019, ("women", "teen", "kids"), None, 0.0, 0.008),
    ProductType(79, "Ring", "Accessories", 0.002274, 0.001175,
                1019, ("women", "teen"), None, 0.0, 0.008),  # invented no
    ProductType(73, "Hair string", "Accessories", 0.002255, 0.001387,
                1019, ("women", "teen", "kids", "sport"), None, 0.0, 0.006),
    ProductType(68, "Bracelet", "Accessories", 0.001705, 0.000323,
                1019, ("women", "teen"), None, 0.0, 0.01),  # invented no
    ProductType(82, "Tie", "Accessories", 0.001336, 0.0002032,
                1019, ("men",), None, 0.0, 0.015),  # invented no
    ProductType(84, "Wallet", "Accessories", 0.0007296, 0.0001496,
                1019, ("women", "men", "teen"), None, 0.0, 0.015),  # invented no
    ProductType(85, "Watch", "Accessories", 0.0006917, 0.0002055,
                1019, ("women", "men", "teen"), None, 0.0, 0.025),  # invented no
    ProductType(494, "Beanie", "Accessories", 0.0005306, 0.0001549,
                1019, ("women", "men", "kids", "teen"), 48, 0.7, 0.01),  # invented no
    ProductType(488, "Soft Toys", "Accessories", 0.0004358, 4.366e-05,
                1019, ("kids",), 50, 0.4, 0.012),  # invented no
    ProductType(83, "Umbrella", "Accessories", 0.0002463, 6.641e-05,
                1019, ("women", "men", "teen"), 42, 0.3, 0.02),
    ProductType(499, "Hair ties", "Accessories", 0.0002274, 0.001434,
                1019, ("women", "teen", "kids"), None, 0.0, 0.005),  # invented no
    ProductType(489, "Waterbottle", "Accessories", 0.0002084, 6.836e-05,
                1019, ("sport",), 25, 0.3, 0.012),  # invented no
    ProductType(486, "Dog Wear", "Accessories", 0.0001895, 0.0001118,
                1019, ("women", "men"), 47, 0.4, 0.015),  # invented no
    ProductType(487, "Giftbox", "Accessories", 0.0001421, 8.903e-06,
                1019, ("women", "men"), 50, 0.8, 0.02),  # invented no
    ProductType(495, "Cap", "Accessories", 0.0001232, 4.801e-05,
                1019, ("men", "kids"), 24, 0.3, 0.012),  # invented no
    ProductType(490, "Earrings", "Accessories", 0.0001042, 0.0003148,
                1019, ("women", "teen"), None, 0.0, 0.01),  # invented no
    ProductType(491, "Felt hat", "Accessories", 9.475e-05, 4.675e-05,
                1019, ("women", "teen"), 45, 0.5, 0.025),  # invented no
    ProductType(492, "Bucket hat", "Accessories", 6.632e-05, 6.499e-05,
                1019, ("women", "men", "kids", "teen"), 25, 0.5, 0.013),  # invented no
    ProductType(502, "Accessories set", "Accessories", 6.632e-05, 1.541e-06,
                1019, ("women", "kids"), 50, 0.5, 0.015),  # invented no
    ProductType(493, "Straw hat", "Accessories", 5.685e-05, 4.48e-05,
                1019, ("women", "kids", "teen"), 25, 0.8, 0.017),  # invented no
    ProductType(498, "Alice band", "Accessories", 5.685e-05, 3.338e-05,
                1019, ("women", "kids"), None, 0.0, 0.007),  # invented no
    ProductType(496, "Braces", "Accessories", 2.842e-05, 6.568e-05,
                1019, ("men", "kids"), None, 0.0, 0.015),  # invented no
    ProductType(503, "Baby Bib", "Accessories", 2.842e-05, 5.348e-06,
                1019, ("kids",), None, 0.0, 0.008),  # invented no
    ProductType(497, "Hairband", "Accessories", 1.895e-05, 8.811e-05,
                1019, ("women", "sport"), None, 0.0, 0.006),  # invented no
    ProductType(501, "Eyeglasses", "Accessories", 1.895e-05, 7.865e-07,
                1019, ("women", "men"), None, 0.0, 0.015),  # invented no
    ProductType(500, "Headband", "Accessories", 9.475e-06, 4.845e-06,
                1019, ("women", "sport"), None, 0.0, 0.007),  # invented no
    # Underwear
    ProductType(286, "Underwear bottom", "Underwear", 0.02604, 0.0336,
                1017, ("women", "men", "kids", "teen"), None, 0.0, 0.01),
    ProductType(306, "Bra", "Underwear", 0.02096, 0.042,
                1017, ("women", "teen", "sport"), None, 0.0, 0.03),
    ProductType(283, "Underwear body", "Underwear", 0.001649, 0.002685,
                1017, ("women",), None, 0.0, 0.03),  # invented no
    ProductType(305, "Robe", "Underwear", 0.001289, 0.0011,
                1017, ("women", "men", "kids"), 50, 0.4, 0.03),
    ProductType(307, "Kids Underwear top", "Underwear", 0.0009096, 0.00029,
                1017, ("kids",), None, 0.0, 0.01),
    ProductType(284, "Underwear set", "Underwear", 0.0004453, 0.0003942,
                1017, ("women", "kids"), None, 0.0, 0.025),  # invented no
    ProductType(287, "Long John", "Underwear", 0.0002842, 3.769e-05,
                1017, ("kids", "men"), 48, 0.6, 0.015),  # invented no
    ProductType(288, "Underdress", "Underwear", 0.0001895, 0.0002735,
                1017, ("women",), None, 0.0, 0.025),  # invented no
    ProductType(289, "Nipple covers", "Underwear", 0.00018, 0.000197,
                1017, ("women",), None, 0.0, 0.008),  # invented no
    ProductType(285, "Underwear corset", "Underwear", 6.632e-05, 8.503e-05,
                1017, ("women",), None, 0.0, 0.04),  # invented no
    ProductType(290, "Bra extender", "Underwear", 9.475e-06, 4.832e-05,
                1017, ("women",), None, 0.0, 0.004),  # invented no
    # Shoes
    ProductType(94, "Sneakers", "Shoes", 0.01536, 0.003911,
                1020, _ALL, 20, 0.2, 0.045),
    ProductType(87, "Boots", "Shoes", 0.00974, 0.005754,
                1020, ("women", "men", "kids", "teen"), 45, 0.7, 0.055),
    ProductType(91, "Sandals", "Shoes", 0.007173, 0.003941,
                1020, ("women", "men", "kids", "teen"), 24, 0.75, 0.03),
    ProductType(89, "Other shoe", "Shoes", 0.003743, 0.0008498,
                1020, ("women", "men", "kids", "teen"), None, 0.0, 0.04),
    ProductType(86, "Ballerinas", "Shoes", 0.003525, 0.00155,
                1020, ("women", "kids", "teen"), 22, 0.3, 0.03),  # invented no
    ProductType(92, "Slippers", "Shoes", 0.002359, 0.0007411,
                1020, ("women", "men", "kids"), 50, 0.5, 0.015),  # invented no
    ProductType(97, "Heeled sandals", "Shoes", 0.001914, 0.001972,
                1020, ("women", "teen"), 24, 0.7, 0.04),  # invented no
    ProductType(90, "Pumps", "Shoes", 0.001781, 0.001025,
                1020, ("women",), None, 0.0, 0.04),  # invented no
    ProductType(88, "Flat shoe", "Shoes", 0.001563, 0.001483,
                1020, ("women", "teen"), None, 0.0, 0.035),  # invented no
    ProductType(96, "Flip flop", "Shoes", 0.001184, 0.0006702,
                1020, ("women", "men", "kids", "teen"), 26, 0.8, 0.01),  # invented no
    ProductType(95, "Wedge", "Shoes", 0.001071, 0.001216,
                1020, ("women",), 23, 0.6, 0.04),  # invented no
    ProductType(99, "Bootie", "Shoes", 0.0002937, 8.308e-05,
                1020, ("women", "teen"), 44, 0.6, 0.05),  # invented no
    ProductType(98, "Heels", "Shoes", 0.0002084, 0.0002187,
                1020, ("women",), None, 0.0, 0.045),  # invented no
    ProductType(100, "Flat shoes", "Shoes", 9.475e-05, 3.495e-05,
                1020, ("women",), None, 0.0, 0.035),  # invented no
    ProductType(101, "Moccasins", "Shoes", 3.79e-05, 1.29e-06,
                1020, ("men",), None, 0.0, 0.045),  # invented no
    ProductType(102, "Pre-walkers", "Shoes", 9.475e-06, 9.437e-08,
                1020, ("kids",), None, 0.0, 0.015),  # invented no
    # Swimwear
    ProductType(59, "Swimwear bottom", "Swimwear", 0.01238, 0.03474,
                1018, ("women", "men", "kids", "teen"), 25, 0.8, 0.015),
    ProductType(298, "Bikini top", "Swimwear", 0.008054, 0.03543,
                1018, ("women", "kids", "teen"), 25, 0.8, 0.02),
    ProductType(57, "Swimsuit", "Swimwear", 0.006272, 0.008995,
                1018, ("women", "kids", "teen", "sport"), 25, 0.75, 0.035),
    ProductType(58, "Swimwear set", "Swimwear", 0.001819, 0.0006017,
                1018, ("kids", "women"), 25, 0.8, 0.025),  # invented no
    ProductType(60, "Sarong", "Swimwear", 0.0006253, 0.001365,
                1018, ("women", "teen"), 26, 0.8, 0.02),  # invented no
    ProductType(61, "Swimwear top", "Swimwear", 0.0004737, 1.004e-05,
                1018, ("women", "kids"), 25, 0.8, 0.02),  # invented no
    # Socks & Tights
    ProductType(302, "Socks", "Socks & Tights", 0.0179, 0.01521,
                1021, _ALL, 48, 0.2, 0.012),
    ProductType(304, "Underwear Tights", "Socks & Tights", 0.005173, 0.006352,
                1021, ("women", "kids", "teen"), 47, 0.4, 0.012),
    ProductType(303, "Leg warmers", "Socks & Tights", 6.632e-05, 1.013e-05,
                1021, ("women", "kids"), 47, 0.6, 0.012),  # invented no
    # Nightwear
    ProductType(297, "Pyjama set", "Nightwear", 0.01061, 0.006048,
                1017, ("women", "men", "kids", "teen"), 50, 0.35, 0.03),
    ProductType(295, "Pyjama jumpsuit/playsuit", "Nightwear", 0.003676, 0.0004003,
                1017, ("kids", "women"), 50, 0.3, 0.02),
    ProductType(296, "Pyjama bottom", "Nightwear", 0.002084, 0.003012,
                1017, ("women", "men", "teen"), 50, 0.3, 0.017),  # invented no
    ProductType(299, "Night gown", "Nightwear", 0.00162, 0.001493,
                1017, ("women", "kids"), 26, 0.2, 0.02),  # invented no
    # Unknown
    ProductType(-1, "Unknown", "Unknown", 0.001146, 0.003053,
                1001, _ALL, None, 0.0, 0.02),
    # Underwear/nightwear
    ProductType(195, "Sleeping sack", "Underwear/nightwear", 0.0004548, 1.504e-05,
                1017, ("kids",), 48, 0.3, 0.03),  # invented no
    ProductType(196, "Sleep Bag", "Underwear/nightwear", 5.685e-05, 2.548e-06,
                1017, ("kids",), 48, 0.3, 0.03),
    # Cosmetic
    ProductType(521, "Fine cosmetics", "Cosmetic", 0.0004358, 4.404e-05,
                1019, ("women", "teen"), 50, 0.3, 0.01),  # invented no
    ProductType(522, "Chem. cosmetics", "Cosmetic", 2.842e-05, 3.146e-06,
                1019, ("women",), None, 0.0, 0.008),  # invented no
    # Bags
    ProductType(512, "Weekend/Gym bag", "Bags", 8.527e-05, 4.398e-05,
                1019, ("men", "sport"), None, 0.0, 0.035),  # invented no
    ProductType(508, "Backpack", "Bags", 5.685e-05, 5.445e-05,
                1019, ("men", "kids", "teen", "sport"), 33, 0.4, 0.03),  # invented no
    ProductType(509, "Cross-body bag", "Bags", 4.737e-05, 2.86e-05,
                1019, ("women", "teen"), None, 0.0, 0.025),  # invented no
    ProductType(510, "Shoulder bag", "Bags", 1.895e-05, 1.589e-05,
                1019, ("women",), None, 0.0, 0.03),  # invented no
    ProductType(511, "Tote bag", "Bags", 1.895e-05, 8.664e-05,
                1019, ("women", "teen"), 25, 0.3, 0.02),  # invented no
    ProductType(513, "Bumbag", "Bags", 9.475e-06, 5.033e-07,
                1019, ("men", "teen", "sport"), 25, 0.3, 0.017),  # invented no
    # Items
    ProductType(533, "Dog wear", "Items", 6.632e-05, 8.336e-06,
                1019, ("women", "men"), 47, 0.4, 0.015),  # invented no
    ProductType(529, "Mobile case", "Items", 3.79e-05, 5.773e-05,
                1019, ("women", "teen"), None, 0.0, 0.01),  # invented no
    ProductType(532, "Umbrella", "Items", 2.842e-05, 9.246e-05,
                1019, ("women", "men", "kids"), 42, 0.3, 0.02),
    ProductType(530, "Wireless earphone case", "Items", 1.895e-05, 8.336e-06,
                1019, ("teen",), None, 0.0, 0.01),  # invented no
    ProductType(531, "Keychain", "Items", 9.475e-06, 3.869e-06,
                1019, ("kids", "teen"), None, 0.0, 0.006),  # invented no
    # Furniture
    ProductType(540, "Side table", "Furniture", 0.0001232, 1.677e-05,
                1019, ("women",), None, 0.0, 0.05),  # invented no
    # Garment and Shoe care
    ProductType(555, "Zipper head", "Garment and Shoe care", 2.842e-05, 2.013e-06,
                1019, ("women", "men"), None, 0.0, 0.004),  # invented no
    ProductType(550, "Stain remover spray", "Garment and Shoe care", 1.895e-05, 1.132e-06,
                1019, ("women", "men"), None, 0.0, 0.008),  # invented no
    ProductType(551, "Clothing mist", "Garment and Shoe care", 9.475e-06, 1.258e-07,
                1019, ("women", "men"), None, 0.0, 0.008),  # invented no
    ProductType(552, "Sewing kit", "Garment and Shoe care", 9.475e-06, 3.303e-06,
                1019, ("women", "men"), None, 0.0, 0.006),  # invented no
    ProductType(553, "Washing bag", "Garment and Shoe care", 9.475e-06, 1.101e-06,
                1019, ("women", "men"), None, 0.0, 0.005),  # invented no
    ProductType(554, "Wood balls", "Garment and Shoe care", 9.475e-06, 1.101e-06,
                1019, ("women", "men"), None, 0.0, 0.008),  # invented no
    # Stationery
    ProductType(560, "Marker pen", "Stationery", 4.737e-05, 7.204e-06,
                1019, ("kids", "teen"), 33, 0.4, 0.005),  # invented no
    # Interior textile
    ProductType(570, "Blanket", "Interior textile", 9.475e-06, 8.808e-07,
                1019, ("women", "kids"), 48, 0.3, 0.025),  # invented no
    ProductType(571, "Cushion", "Interior textile", 9.475e-06, 8.179e-07,
                1019, ("women",), None, 0.0, 0.017),  # invented no
    ProductType(572, "Towel", "Interior textile", 9.475e-06, 6.292e-07,
                1019, ("women", "sport"), 25, 0.3, 0.015),  # invented no
    # Fun
    ProductType(580, "Toy", "Fun", 1.895e-05, 1.573e-07,
                1019, ("kids",), 50, 0.5, 0.008),  # invented no
)

# ---------------------------------------------------------------------------- patterns

# graphical_appearance_no, graphical_appearance_name, article_share
GRAPHICAL_APPEARANCES: tuple[GraphicalAppearance, ...] = (
    GraphicalAppearance(1010016, "Solid", 0.4752),
    GraphicalAppearance(1010001, "All over pattern", 0.164),
    GraphicalAppearance(1010010, "Melange", 0.05672),
    GraphicalAppearance(1010017, "Stripe", 0.04767),
    GraphicalAppearance(1010023, "Denim", 0.03369),
    GraphicalAppearance(1010008, "Front print", 0.03071),
    GraphicalAppearance(1010014, "Placement print", 0.02959),
    GraphicalAppearance(1010004, "Check", 0.02081),
    GraphicalAppearance(1010005, "Colour blocking", 0.01748),
    GraphicalAppearance(1010021, "Lace", 0.01445),
    GraphicalAppearance(1010026, "Other structure", 0.01435),
    GraphicalAppearance(1010002, "Application/3D", 0.01263),
    GraphicalAppearance(1010007, "Embroidery", 0.01113),
    GraphicalAppearance(1010012, "Mixed solid/pattern", 0.01081),
    GraphicalAppearance(1010009, "Glittering/Metallic", 0.01038),
    GraphicalAppearance(1010022, "Jacquard", 0.007489),
    GraphicalAppearance(1010015, "Sequin", 0.006553),  # invented no
    GraphicalAppearance(1010006, "Dot", 0.006505),
    GraphicalAppearance(1010018, "Treatment", 0.006228),
    GraphicalAppearance(1010013, "Other pattern", 0.005923),
    GraphicalAppearance(1010020, "Contrast", 0.00449),
    GraphicalAppearance(1010024, "Chambray", 0.004299),
    GraphicalAppearance(1010011, "Metallic", 0.003821),
    GraphicalAppearance(1010019, "Transparent", 0.002675),
    GraphicalAppearance(1010028, "Slub", 0.0009552),  # invented no
    GraphicalAppearance(-1, "Unknown", 0.0004967),
    GraphicalAppearance(1010027, "Neps", 0.0003821),
    GraphicalAppearance(1010025, "Mesh", 0.0003821),  # invented no
    GraphicalAppearance(1010003, "Argyle", 0.0001433),  # invented no
    GraphicalAppearance(1010029, "Hologram", 5.731e-05),  # invented no
)

# ----------------------------------------------------------------------------- colours

PERCEIVED_COLOUR_VALUES: tuple[PerceivedColourValue, ...] = (
    PerceivedColourValue(-1, "Unknown"),
    PerceivedColourValue(1, "Dusty Light"),
    PerceivedColourValue(2, "Medium Dusty"),
    PerceivedColourValue(3, "Light"),
    PerceivedColourValue(4, "Dark"),
    PerceivedColourValue(5, "Bright"),
    PerceivedColourValue(6, "Undefined"),
    PerceivedColourValue(7, "Medium"),
)

PERCEIVED_COLOUR_MASTERS: tuple[PerceivedColourMaster, ...] = (
    PerceivedColourMaster(-1, "Unknown"),
    PerceivedColourMaster(1, "Mole"),
    PerceivedColourMaster(2, "Blue"),
    PerceivedColourMaster(3, "Orange"),
    PerceivedColourMaster(4, "Pink"),
    PerceivedColourMaster(5, "Black"),
    PerceivedColourMaster(6, "Lilac Purple"),
    PerceivedColourMaster(7, "Turquoise"),
    PerceivedColourMaster(8, "Yellow"),
    PerceivedColourMaster(9, "White"),
    PerceivedColourMaster(10, "Yellowish Green"),  # invented id
    PerceivedColourMaster(11, "Beige"),
    PerceivedColourMaster(12, "Grey"),
    PerceivedColourMaster(13, "Brown"),
    PerceivedColourMaster(14, "undefined"),
    PerceivedColourMaster(15, "Metal"),
    PerceivedColourMaster(16, "Bluish Green"),  # invented id
    PerceivedColourMaster(18, "Red"),
    PerceivedColourMaster(19, "Green"),
    PerceivedColourMaster(20, "Khaki green"),
)

# colour_group_code, colour_group_name, perceived_colour_value_id/name,
# perceived_colour_master_id/name, article_share (color_metrics.csv),
# sales_share (transaction_color_metrics.csv)
COLOURS: tuple[Colour, ...] = (
    Colour(-1, "Unknown", -1, "Unknown", -1, "Unknown", 0.0002653, 0.000176),
    Colour(1, "Other", 6, "Undefined", 14, "undefined", 0.0009949, 0.0006615),
    Colour(2, "Transparent", 3, "Light", 9, "White", 0.0002937, 0.0002656),
    Colour(3, "Silver", 3, "Light", 15, "Metal", 0.006718, 0.003691),
    Colour(4, "Bronze/Copper", 7, "Medium", 15, "Metal", 0.0008906, 0.0003105),  # invented
    Colour(5, "Gold", 5, "Bright", 15, "Metal", 0.01305, 0.007677),
    Colour(6, "Light Grey", 1, "Dusty Light", 12, "Grey", 0.01994, 0.01274),
    Colour(7, "Grey", 1, "Dusty Light", 12, "Grey", 0.04251, 0.02643),
    Colour(8, "Dark Grey", 4, "Dark", 12, "Grey", 0.02588, 0.02256),
    Colour(9, "Black", 4, "Dark", 5, "Black", 0.2148, 0.3472),
    Colour(10, "White", 3, "Light", 9, "White", 0.09041, 0.106),
    Colour(11, "Off White", 1, "Dusty Light", 9, "White", 0.02583, 0.02648),
    Colour(12, "Light Beige", 1, "Dusty Light", 11, "Beige", 0.0318, 0.03974),
    Colour(13, "Beige", 2, "Medium Dusty", 11, "Beige", 0.0257, 0.02898),
    Colour(14, "Dark Beige", 4, "Dark", 11, "Beige", 0.01027, 0.009145),
    Colour(15, "Greyish Beige", 4, "Dark", 1, "Mole", 0.002141, 0.001894),
    Colour(17, "Yellowish Brown", 4, "Dark", 13, "Brown", 0.01394, 0.01302),
    Colour(19, "Greenish Khaki", 2, "Medium Dusty", 20, "Khaki green", 0.02622, 0.02395),
    Colour(20, "Other Yellow", 5, "Bright", 8, "Yellow", 0.002132, 0.001318),
    Colour(21, "Light Yellow", 3, "Light", 8, "Yellow", 0.009323, 0.005842),
    Colour(22, "Yellow", 7, "Medium", 8, "Yellow", 0.01559, 0.0135),
    Colour(23, "Dark Yellow", 4, "Dark", 8, "Yellow", 0.005439, 0.003602),
    Colour(30, "Other Orange", 5, "Bright", 3, "Orange", 0.00145, 0.0008744),
    Colour(31, "Light Orange", 1, "Dusty Light", 3, "Orange", 0.0144, 0.01208),
    Colour(32, "Orange", 5, "Bright", 3, "Orange", 0.007381, 0.005153),
    Colour(33, "Dark Orange", 7, "Medium", 3, "Orange", 0.008395, 0.008707),
    Colour(40, "Other Red", 5, "Bright", 18, "Red", 0.00108, 0.0004835),
    Colour(41, "Light Red", 5, "Bright", 18, "Red", 0.0027, 0.001053),
    Colour(42, "Red", 7, "Medium", 18, "Red", 0.02896, 0.02418),
    Colour(43, "Dark Red", 4, "Dark", 18, "Red", 0.02217, 0.02257),
    Colour(50, "Other Pink", 5, "Bright", 4, "Pink", 0.007106, 0.002257),
    Colour(51, "Light Pink", 1, "Dusty Light", 4, "Pink", 0.05506, 0.027),
    Colour(52, "Pink", 2, "Medium Dusty", 4, "Pink", 0.01955, 0.01548),
    Colour(53, "Dark Pink", 4, "Dark", 4, "Pink", 0.00775, 0.006032),
    Colour(60, "Other Purple", 5, "Bright", 6, "Lilac Purple", 0.0004358, 0.0002476),  # invented
    Colour(61, "Light Purple", 1, "Dusty Light", 6, "Lilac Purple", 0.00524, 0.003421),  # invented
    Colour(62, "Purple", 3, "Light", 6, "Lilac Purple", 0.001724, 0.000909),
    Colour(63, "Dark Purple", 4, "Dark", 6, "Lilac Purple", 0.002985, 0.001585),
    Colour(70, "Other Blue", 5, "Bright", 2, "Blue", 0.0004832, 0.0002535),  # invented
    Colour(71, "Light Blue", 1, "Dusty Light", 2, "Blue", 0.02854, 0.02874),
    Colour(72, "Blue", 2, "Medium Dusty", 2, "Blue", 0.03134, 0.03424),
    Colour(73, "Dark Blue", 4, "Dark", 2, "Blue", 0.1153, 0.0686),
    Colour(80, "Other Turquoise", 5, "Bright", 16, "Bluish Green", 0.0001326, 1.746e-05),  # invented
    Colour(81, "Light Turquoise", 1, "Dusty Light", 7, "Turquoise", 0.009731, 0.002281),
    Colour(82, "Turquoise", 7, "Medium", 7, "Turquoise", 0.004122, 0.002274),
    Colour(83, "Dark Turquoise", 4, "Dark", 7, "Turquoise", 0.004482, 0.003707),  # invented
    Colour(90, "Other Green", 5, "Bright", 10, "Yellowish Green", 0.001222, 0.0004685),  # invented
    Colour(91, "Light Green", 3, "Light", 19, "Green", 0.006452, 0.00387),
    Colour(92, "Green", 5, "Bright", 19, "Green", 0.007722, 0.005907),
    Colour(93, "Dark Green", 4, "Dark", 19, "Green", 0.01995, 0.02246),
)

# --------------------------------------------------------------------------- customers

# label, min_age, max_age, share of customers with a known age (age_bucket_metrics.csv,
# renormalised without the unknowns). Real ages run from 16 to 99.
CUSTOMER_AGE_BUCKETS: tuple[AgeBucket, ...] = (
    AgeBucket("under_20", 16, 19, 0.05279),
    AgeBucket("20_to_29", 20, 29, 0.3896),
    AgeBucket("30_to_39", 30, 39, 0.1726),
    AgeBucket("40_to_49", 40, 49, 0.1505),
    AgeBucket("50_to_59", 50, 59, 0.1668),
    AgeBucket("60_plus", 60, 99, 0.06766),
)
# Share of customers whose age is missing (15,861 of 1,371,980).
CUSTOMER_AGE_UNKNOWN_SHARE = 0.01156

# ------------------------------------------------------------------------------- text

# Words for prod_name. Real names mix a model name ("Tilly"), a garment word ("tank",
# "TRS" = trousers), a fit ("Skinny", "HW" = high waist) and pack/size codes ("2p", "20 den").
PRODUCT_NAME_WORDS: tuple[str, ...] = (
    # model names
    "Jade", "Tilly", "Greta", "Luna", "Tina", "Cora", "Nora", "Mia", "Ella", "Alma",
    "Vera", "Elsa", "Ida", "Freja", "Wilma", "Stella", "Bianca", "Clara", "Molly", "Ruby",
    "Daisy", "Penny", "Lisa", "Maja", "Sofia", "Hanna", "Ebba", "Saga", "Siri", "Juno",
    "Iris", "Rosa", "Lola", "Nova", "Kim", "Alex", "Max", "Leo", "Oscar", "Hugo",
    "Axel", "Theo", "Elias", "Viktor", "Otto", "Bruno", "Felix", "Gustav", "Nils", "Erik",
    "Sam", "Charlie", "Harry", "Billy", "Bobby", "Timmy", "Rocco", "Didi", "Bryn", "Pelle",
    # fits and shapes
    "Skinny", "Superskinny", "Slim", "Regular", "Relaxed", "Loose", "Wide", "Straight",
    "Mom", "Boyfriend", "Paperbag", "Wrap", "Oversized", "Cropped", "Crop", "Midi", "Maxi",
    "Mini", "HW", "MW", "LW", "Shape", "Push", "Padded", "Seamless", "Shaftless",
    # garment words
    "tank", "tee", "top", "TRS", "Jeans", "Denim", "Jersey", "Basic", "Fancy", "dress",
    "Shirt", "Blouse", "Cardigan", "Hoodie", "Jogger", "Chino", "Cargo", "Shorts", "Skirt",
    "Tights", "Leggings", "Bikini", "Swimsuit", "Bra", "Brief", "Thong", "Hipster", "Body",
    "Pyjama", "PJ", "Robe", "Socks", "Sneaker", "Boot", "Sandal", "Cap", "Beanie", "Scarf",
    "Gloves", "Earring", "Necklace", "Hair", "Clip", "Bag", "Belt", "Blazer", "Parka",
    "Puffer", "Overshirt", "Henley", "Polo", "Sweater", "Playsuit", "Set",
    # fabrics and finishes
    "Cotton", "Linen", "Satin", "Lace", "Rib", "Pointelle", "Cableknit", "Fleece", "Terry",
    "Flanel", "Check", "Stripe", "Velvet", "Corduroy", "Teddy", "Frill", "Puff", "Smock",
    # pack, size and line codes
    "2p", "3p", "5p", "7p", "2-pack", "20 den", "40 den", "SS", "LS", "l/s", "s/s", "OP",
    "AOP", "EQ", "DS", "BG", "SG", "TVP", "(1)",
)

# detail_desc templates by product group, in the style of the real descriptions (several
# contain commas, as the real ones do). The generator may combine them with a fabric.
DETAIL_DESC_TEMPLATES: Mapping[str, tuple[str, ...]] = {
    "Garment Upper body": (
        "Jersey top with narrow shoulder straps.",
        "Short-sleeved T-shirt in soft cotton jersey with a round neckline.",
        "Fitted top in ribbed jersey with a deep neckline and long sleeves.",
        ("Jumper in a soft, fine knit containing some wool with dropped shoulders, "
         "long sleeves and ribbing around the neckline, cuffs and hem."),
        ("Hooded top in sweatshirt fabric with a kangaroo pocket and ribbed cuffs and hem. "
         "Soft brushed inside."),
        ("Blouse in an airy weave with a collar, buttons down the front and long sleeves "
         "with buttoned cuffs."),
        ("Padded jacket in woven fabric with a lined, drawstring hood, zip down the front and "
         "side pockets with a press-stud."),
        ("Shirt in cotton poplin with a turn-down collar, classic front and a yoke at the back. "
         "Regular fit."),
        ("Cardigan in a soft knit with buttons down the front, long sleeves and ribbing at "
         "the cuffs and hem."),
    ),
    "Garment Lower body": (
        ("5-pocket, ankle-length jeans in washed superstretch denim with a high waist "
         "and skinny legs."),
        ("Trousers in woven fabric with an elasticated drawstring waist, side pockets and "
         "tapered legs."),
        "Leggings in soft stretch jersey with an elasticated waist.",
        ("Short shorts in cotton twill with a high waist, zip fly and button, and side "
         "pockets."),
        "Knee-length skirt in a crêpe weave with an elasticated waist and a flared hem.",
        ("Tailored trousers in woven fabric with a regular waist, zip fly with a hook-and-eye "
         "fastener, pressed pleats and straight legs."),
    ),
    "Garment Full body": (
        ("Short dress in a patterned weave with a V-neck, short puff sleeves and a seam at "
         "the waist with a tie belt."),
        ("Long dress in jersey with narrow adjustable shoulder straps and a gathered, "
         "flared skirt."),
        ("Jumpsuit in a viscose weave with a V-neck, wrapover front, concealed zip at the "
         "back and wide legs."),
        "Set with a long-sleeved top and leggings in soft organic cotton jersey.",
    ),
    "Accessories": (
        "Earrings in metal with pendants decorated with sparkly stones. Diameter 3 cm.",
        "Hat in a soft rib knit with a fold-down brim.",
        ("Shoulder bag in imitation leather with a flap and magnetic fastener, "
         "an adjustable shoulder strap and one inner compartment."),
        "Leather belt with a metal buckle. Width 3 cm.",
        "Sunglasses with plastic frames and UV-protective, tinted lenses.",
        "Hair clips in metal, decorated with faux pearls.",
    ),
    "Underwear": (
        ("Microfibre T-shirt bra with underwired, moulded, lightly padded cups that shape "
         "the bust and provide good support. Adjustable shoulder straps and a hook-and-eye "
         "fastening at the back."),
        ("Hipster briefs in cotton jersey with a low waist, lined gusset and fully lined "
         "back."),
        "Boxer shorts in soft cotton jersey with an elasticated waist and fly.",
        ("Bralette in lace with non-wired cups, narrow adjustable shoulder straps and no "
         "fasteners."),
    ),
    "Shoes": (
        ("Trainers in imitation leather with lacing at the front, a padded edge and "
         "rubber soles."),
        ("Ankle boots in imitation suede with a side zip, fabric linings and insoles and "
         "chunky heels. Heel 7 cm."),
        "Sandals with narrow straps, a buckle at the ankle and rubber soles.",
    ),
    "Swimwear": (
        "Fully lined bikini bottoms with a high waist and medium coverage at the back.",
        ("Padded bikini top with underwired cups, adjustable shoulder straps and a "
         "fastener at the back."),
        "Fully lined swimsuit with a low-cut back and narrow adjustable shoulder straps.",
    ),
    "Socks & Tights": (
        "Fine-knit socks in a soft cotton blend.",
        "Matt tights with an elasticated waist. 20 denier.",
        "Trainer socks in a fine-knit cotton blend with silicone at the back of the heel.",
    ),
    "Nightwear": (
        ("Pyjamas in soft, printed cotton jersey. Long-sleeved top and bottoms with an "
         "elasticated waist."),
        "All-in-one pyjamas in soft cotton jersey with press-studs down the front.",
    ),
    "Unknown": ("Set of products in assorted designs.",),
    "Underwear/nightwear": (
        ("Padded sleep bag in cotton jersey with a zip down the front and a press-stud at "
         "the shoulder."),
    ),
    "Cosmetic": ("Nail polish with a high shine finish. 10 ml.",),
    "Bags": ("Backpack in durable weave with an adjustable, padded back strap and a zip.",),
    "Items": ("Umbrella with a wooden handle and an automatic opening mechanism.",),
    "Furniture": ("Side table in metal with a round top. Height 45 cm.",),
    "Garment and Shoe care": ("Spray for removing stains from garments. 100 ml.",),
    "Stationery": ("Set of markers in assorted colours.",),
    "Interior textile": ("Cushion cover in cotton with a concealed zip.",),
    "Fun": ("Soft toy in plush with embroidered details.",),
}

# fmt: on
# --------------------------------------------------------------------------- validation

_SHARE_TOLERANCE = 2e-3


def _duplicates(values: Iterable[object]) -> list[object]:
    return sorted((v for v, n in Counter(values).items() if n > 1), key=repr)


def _check_count(errors: list[str], name: str, rows: tuple[object, ...], expected: int) -> None:
    if len(rows) != expected:
        errors.append(f"{name}: expected {expected} rows, found {len(rows)}")


def _check_unique(errors: list[str], name: str, values: Iterable[object]) -> None:
    dupes = _duplicates(values)
    if dupes:
        errors.append(f"{name}: duplicate keys {dupes}")


def _check_shares(errors: list[str], name: str, shares: Iterable[float]) -> None:
    shares = list(shares)
    bad = [s for s in shares if not 0.0 < s <= 1.0]
    if bad:
        errors.append(f"{name}: shares outside (0, 1]: {bad}")
    total = sum(shares)
    if abs(total - 1.0) > _SHARE_TOLERANCE:
        errors.append(f"{name}: shares sum to {total:.6f}, expected 1")


def validate() -> None:
    """Check the tables for internal consistency; raise ValueError listing every problem."""
    errors: list[str] = []

    _check_count(errors, "INDEX_GROUPS", INDEX_GROUPS, 5)
    _check_count(errors, "INDEXES", INDEXES, 10)
    _check_count(errors, "SECTIONS", SECTIONS, 57)
    _check_count(errors, "GARMENT_GROUPS", GARMENT_GROUPS, 21)
    _check_count(errors, "PRODUCT_GROUPS", PRODUCT_GROUPS, 19)
    _check_count(errors, "PRODUCT_TYPES", PRODUCT_TYPES, 132)
    _check_count(errors, "GRAPHICAL_APPEARANCES", GRAPHICAL_APPEARANCES, 30)
    _check_count(errors, "COLOURS", COLOURS, 50)
    _check_count(errors, "PERCEIVED_COLOUR_VALUES", PERCEIVED_COLOUR_VALUES, 8)
    _check_count(errors, "PERCEIVED_COLOUR_MASTERS", PERCEIVED_COLOUR_MASTERS, 20)
    _check_count(errors, "CUSTOMER_AGE_BUCKETS", CUSTOMER_AGE_BUCKETS, 6)
    if not 250 <= len(DEPARTMENTS) <= 300:
        errors.append(f"DEPARTMENTS: expected 250-300 rows, found {len(DEPARTMENTS)}")

    # Unique keys.
    _check_unique(errors, "INDEX_GROUPS.index_group_no", (g.index_group_no for g in INDEX_GROUPS))
    _check_unique(
        errors, "INDEX_GROUPS.index_group_name", (g.index_group_name for g in INDEX_GROUPS)
    )
    _check_unique(errors, "INDEXES.index_code", (i.index_code for i in INDEXES))
    _check_unique(errors, "INDEXES.index_name", (i.index_name for i in INDEXES))
    _check_unique(errors, "SECTIONS.section_no", (s.section_no for s in SECTIONS))
    _check_unique(
        errors,
        "SECTIONS.(section_name, index_code)",
        ((s.section_name, s.index_code) for s in SECTIONS),
    )
    _check_unique(
        errors, "GARMENT_GROUPS.garment_group_no", (g.garment_group_no for g in GARMENT_GROUPS)
    )
    _check_unique(
        errors, "GARMENT_GROUPS.garment_group_name", (g.garment_group_name for g in GARMENT_GROUPS)
    )
    _check_unique(errors, "DEPARTMENTS.department_no", (d.department_no for d in DEPARTMENTS))
    _check_unique(
        errors,
        "DEPARTMENTS.(department_name, section_no)",
        ((d.department_name, d.section_no) for d in DEPARTMENTS),
    )
    _check_unique(
        errors, "PRODUCT_GROUPS.product_group_name", (g.product_group_name for g in PRODUCT_GROUPS)
    )
    _check_unique(
        errors, "PRODUCT_TYPES.product_type_no", (t.product_type_no for t in PRODUCT_TYPES)
    )
    _check_unique(
        errors,
        "PRODUCT_TYPES.(product_type_name, product_group_name)",
        ((t.product_type_name, t.product_group_name) for t in PRODUCT_TYPES),
    )
    _check_unique(
        errors,
        "GRAPHICAL_APPEARANCES.graphical_appearance_no",
        (g.graphical_appearance_no for g in GRAPHICAL_APPEARANCES),
    )
    _check_unique(
        errors,
        "GRAPHICAL_APPEARANCES.graphical_appearance_name",
        (g.graphical_appearance_name for g in GRAPHICAL_APPEARANCES),
    )
    _check_unique(errors, "COLOURS.colour_group_code", (c.colour_group_code for c in COLOURS))
    _check_unique(errors, "COLOURS.colour_group_name", (c.colour_group_name for c in COLOURS))
    _check_unique(
        errors,
        "PERCEIVED_COLOUR_VALUES.perceived_colour_value_id",
        (v.perceived_colour_value_id for v in PERCEIVED_COLOUR_VALUES),
    )
    _check_unique(
        errors,
        "PERCEIVED_COLOUR_MASTERS.perceived_colour_master_id",
        (m.perceived_colour_master_id for m in PERCEIVED_COLOUR_MASTERS),
    )
    _check_unique(errors, "CUSTOMER_AGE_BUCKETS.label", (b.label for b in CUSTOMER_AGE_BUCKETS))

    # Code formats.
    if any(not (len(i.index_code) == 1 and i.index_code.isupper()) for i in INDEXES):
        errors.append("INDEXES: index_code must be one upper-case letter")
    if any(not 1000 <= d.department_no <= 9999 for d in DEPARTMENTS):
        errors.append("DEPARTMENTS: department_no must be a 4-digit int")
    if any(not 1000 <= g.garment_group_no <= 9999 for g in GARMENT_GROUPS):
        errors.append("GARMENT_GROUPS: garment_group_no must be a 4-digit int")

    # Foreign keys and coverage of the hierarchy.
    group_nos = {g.index_group_no for g in INDEX_GROUPS}
    index_codes = {i.index_code for i in INDEXES}
    section_nos = {s.section_no for s in SECTIONS}
    garment_nos = {g.garment_group_no for g in GARMENT_GROUPS}
    product_groups = {g.product_group_name for g in PRODUCT_GROUPS}
    for i in INDEXES:
        if i.index_group_no not in group_nos:
            errors.append(f"INDEXES {i.index_code}: unknown index_group_no {i.index_group_no}")
        if i.audience not in AUDIENCES:
            errors.append(f"INDEXES {i.index_code}: unknown audience {i.audience!r}")
    for s in SECTIONS:
        if s.index_code not in index_codes:
            errors.append(f"SECTIONS {s.section_no}: unknown index_code {s.index_code!r}")
    for d in DEPARTMENTS:
        if d.section_no not in section_nos:
            errors.append(f"DEPARTMENTS {d.department_no}: unknown section_no {d.section_no}")
        if d.garment_group_no not in garment_nos:
            errors.append(
                f"DEPARTMENTS {d.department_no}: unknown garment_group_no {d.garment_group_no}"
            )
    missing = group_nos - {i.index_group_no for i in INDEXES}
    if missing:
        errors.append(f"INDEX_GROUPS without an index: {sorted(missing)}")
    missing_idx = index_codes - {s.index_code for s in SECTIONS}
    if missing_idx:
        errors.append(f"INDEXES without a section: {sorted(missing_idx)}")
    missing_sec = section_nos - {d.section_no for d in DEPARTMENTS}
    if missing_sec:
        errors.append(f"SECTIONS without a department: {sorted(missing_sec)}")

    for t in PRODUCT_TYPES:
        where = f"PRODUCT_TYPES {t.product_type_no} {t.product_type_name!r}"
        if t.product_group_name not in product_groups:
            errors.append(f"{where}: unknown product_group_name {t.product_group_name!r}")
        if t.garment_group_no not in garment_nos:
            errors.append(f"{where}: unknown garment_group_no {t.garment_group_no}")
        if not t.audiences or len(set(t.audiences)) != len(t.audiences):
            errors.append(f"{where}: audiences must be non-empty and distinct")
        if any(a not in AUDIENCES for a in t.audiences):
            errors.append(f"{where}: unknown audience in {t.audiences}")
        if t.season_peak_week is None:
            if t.season_amplitude != 0.0:
                errors.append(f"{where}: season_amplitude must be 0 without a peak week")
        elif not 1 <= t.season_peak_week <= 52 or not 0.0 < t.season_amplitude <= 0.8:
            errors.append(f"{where}: peak week must be 1-52 and amplitude in (0, 0.8]")
        if not 0.001 <= t.base_price <= 0.2:
            errors.append(f"{where}: base_price {t.base_price} outside [0.001, 0.2]")
    empty_groups = product_groups - {t.product_group_name for t in PRODUCT_TYPES}
    if empty_groups:
        errors.append(f"PRODUCT_GROUPS without a product type: {sorted(empty_groups)}")
    for audience in {i.audience for i in INDEXES}:
        if not any(audience in t.audiences for t in PRODUCT_TYPES):
            errors.append(f"audience {audience!r} has no product type")

    value_names = {
        v.perceived_colour_value_id: v.perceived_colour_value_name for v in PERCEIVED_COLOUR_VALUES
    }
    master_names = {
        m.perceived_colour_master_id: m.perceived_colour_master_name
        for m in PERCEIVED_COLOUR_MASTERS
    }
    for c in COLOURS:
        where = f"COLOURS {c.colour_group_code} {c.colour_group_name!r}"
        if value_names.get(c.perceived_colour_value_id) != c.perceived_colour_value_name:
            errors.append(
                f"{where}: value {c.perceived_colour_value_id} "
                f"{c.perceived_colour_value_name!r} not in PERCEIVED_COLOUR_VALUES"
            )
        if master_names.get(c.perceived_colour_master_id) != c.perceived_colour_master_name:
            errors.append(
                f"{where}: master {c.perceived_colour_master_id} "
                f"{c.perceived_colour_master_name!r} not in PERCEIVED_COLOUR_MASTERS"
            )
    unused_values = set(value_names) - {c.perceived_colour_value_id for c in COLOURS}
    unused_masters = set(master_names) - {c.perceived_colour_master_id for c in COLOURS}
    if unused_values or unused_masters:
        errors.append(
            f"colour values {sorted(unused_values)} / masters "
            f"{sorted(unused_masters)} are used by no colour group"
        )

    # Shares.
    _check_shares(errors, "INDEXES.article_share", (i.article_share for i in INDEXES))
    _check_shares(errors, "INDEXES.sales_share", (i.sales_share for i in INDEXES))
    _check_shares(errors, "SECTIONS.article_share", (s.article_share for s in SECTIONS))
    _check_shares(errors, "PRODUCT_GROUPS.article_share", (g.article_share for g in PRODUCT_GROUPS))
    _check_shares(errors, "PRODUCT_GROUPS.sales_share", (g.sales_share for g in PRODUCT_GROUPS))
    _check_shares(errors, "PRODUCT_TYPES.article_share", (t.article_share for t in PRODUCT_TYPES))
    _check_shares(errors, "PRODUCT_TYPES.sales_share", (t.sales_share for t in PRODUCT_TYPES))
    _check_shares(
        errors,
        "GRAPHICAL_APPEARANCES.article_share",
        (g.article_share for g in GRAPHICAL_APPEARANCES),
    )
    _check_shares(errors, "COLOURS.article_share", (c.article_share for c in COLOURS))
    _check_shares(errors, "COLOURS.sales_share", (c.sales_share for c in COLOURS))
    _check_shares(errors, "CUSTOMER_AGE_BUCKETS.share", (b.share for b in CUSTOMER_AGE_BUCKETS))
    _check_shares(errors, "INDEX_GROUP_SALES_SHARE", INDEX_GROUP_SALES_SHARE.values())
    if set(INDEX_GROUP_SALES_SHARE) != group_nos:
        errors.append("INDEX_GROUP_SALES_SHARE: keys differ from INDEX_GROUPS")

    # Shares roll up: product types -> product groups, indexes -> index groups.
    type_article: defaultdict[str, float] = defaultdict(float)
    type_sales: defaultdict[str, float] = defaultdict(float)
    for t in PRODUCT_TYPES:
        type_article[t.product_group_name] += t.article_share
        type_sales[t.product_group_name] += t.sales_share
    for g in PRODUCT_GROUPS:
        if (
            abs(type_article[g.product_group_name] - g.article_share) > _SHARE_TOLERANCE
            or abs(type_sales[g.product_group_name] - g.sales_share) > _SHARE_TOLERANCE
        ):
            errors.append(
                f"PRODUCT_TYPES shares do not add up to PRODUCT_GROUPS {g.product_group_name!r}"
            )
    index_sales: defaultdict[int, float] = defaultdict(float)
    for i in INDEXES:
        index_sales[i.index_group_no] += i.sales_share
    for no, share in INDEX_GROUP_SALES_SHARE.items():
        if abs(index_sales[no] - share) > _SHARE_TOLERANCE:
            errors.append(
                f"INDEXES.sales_share of group {no} sums to {index_sales[no]:.4f}, expected {share}"
            )

    # Age buckets are ordered and do not overlap.
    for low, high in pairwise(CUSTOMER_AGE_BUCKETS):
        if not low.min_age <= low.max_age < high.min_age <= high.max_age:
            errors.append(f"CUSTOMER_AGE_BUCKETS: {low.label}, {high.label} overlap or unordered")

    # Text helpers.
    if len(PRODUCT_NAME_WORDS) < 100:
        errors.append(f"PRODUCT_NAME_WORDS: only {len(PRODUCT_NAME_WORDS)} words")
    _check_unique(errors, "PRODUCT_NAME_WORDS", PRODUCT_NAME_WORDS)
    if set(DETAIL_DESC_TEMPLATES) != product_groups:
        errors.append(
            "DETAIL_DESC_TEMPLATES: keys must be exactly the product group names, "
            f"difference {sorted(set(DETAIL_DESC_TEMPLATES) ^ product_groups)}"
        )
    if sum(len(v) for v in DETAIL_DESC_TEMPLATES.values()) < 35:
        errors.append("DETAIL_DESC_TEMPLATES: expected about 40 templates")
    if any(not v for v in DETAIL_DESC_TEMPLATES.values()):
        errors.append("DETAIL_DESC_TEMPLATES: every product group needs a template")

    if errors:
        raise ValueError("taxonomy is inconsistent:\n  " + "\n  ".join(errors))
