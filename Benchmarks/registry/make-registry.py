#!/usr/bin/env python3
"""Makes a synthetic registry of Thai local administrative organisations (อปท.) as CSV, shaped
like the country: the 77 provinces, their real number of districts (878 อำเภอ), and 7,850
organisations with the national counts by type. For benchmarks and the README walk-through.

Real: the province names and their Ministry of Interior codes, each province's number of
districts, Khon Kaen's 26 district names and its counts by type, the 30 เทศบาลนคร, Khon Kaen's
six เทศบาลเมือง, and where เมืองพัทยา is. Everything else (other districts' and subdistricts'
names, which district holds what, codes, people, addresses, numbers) is made up from the seed.

Codes are seven digits T PP DD SS, not the Department of Local Administration's codes:
T the type (1 อบจ., 2 เทศบาลนคร, 3 เทศบาลเมือง, 4 เทศบาลตำบล, 5 อบต., 6 กรุงเทพมหานคร,
7 เมืองพัทยา), PP the province's code (ขอนแก่น 40), DD the district's number in the province
(00 for one that covers the whole province), SS the organisation's number in that district.

The same arguments give byte-identical output: the same seed makes the same registry, and
--province only leaves rows out of it.
"""
import argparse
import csv
import dataclasses
import io
import os
import random
import sys
import unicodedata

HEADER = ["code", "name", "type", "province", "district", "person", "email", "chat", "phone"]
THAI_HEADER = ["รหัส", "ชื่อ", "ประเภท", "จังหวัด", "อำเภอ", "ผู้รับผิดชอบ", "อีเมล", "ไลน์", "โทรศัพท์"]

# Types: the `type` column's value, the code's first digit, and what a full name starts with.
PAO, CITY, TOWN, SUBMUN, SAO, BKK, PATTAYA = "อบจ.", "เทศบาลนคร", "เทศบาลเมือง", "เทศบาลตำบล", "อบต.", "กรุงเทพมหานคร", "เมืองพัทยา"
TYPE_DIGIT = {PAO: 1, CITY: 2, TOWN: 3, SUBMUN: 4, SAO: 5, BKK: 6, PATTAYA: 7}
NAME_PREFIX = {PAO: "องค์การบริหารส่วนจังหวัด", CITY: "เทศบาลนคร", TOWN: "เทศบาลเมือง", SUBMUN: "เทศบาลตำบล",
               SAO: "องค์การบริหารส่วนตำบล"}
# Within a district, rows go in this order (and are numbered in it).
TYPE_RANK = {BKK: 0, PAO: 1, PATTAYA: 2, CITY: 3, TOWN: 4, SUBMUN: 5, SAO: 6}
# The national counts by type, as published for 2566 (2023); they add up to 7,850.
NATIONAL = {PAO: 76, CITY: 30, TOWN: 195, SUBMUN: 2247, SAO: 5300, BKK: 1, PATTAYA: 1}
TOTAL = 7850
TOTAL_DISTRICTS = 878

BANGKOK = "กรุงเทพมหานคร"
KHON_KAEN = "ขอนแก่น"

# (province code, name, number of อำเภอ). Bangkok's 50 เขต are not listed: กรุงเทพมหานคร is one
# organisation for the whole province, so its row has no district.
PROVINCES = [
    (10, "กรุงเทพมหานคร", 0), (11, "สมุทรปราการ", 6), (12, "นนทบุรี", 6), (13, "ปทุมธานี", 7),
    (14, "พระนครศรีอยุธยา", 16), (15, "อ่างทอง", 7), (16, "ลพบุรี", 11), (17, "สิงห์บุรี", 6), (18, "ชัยนาท", 8),
    (19, "สระบุรี", 13), (20, "ชลบุรี", 11), (21, "ระยอง", 8), (22, "จันทบุรี", 10), (23, "ตราด", 7),
    (24, "ฉะเชิงเทรา", 11), (25, "ปราจีนบุรี", 7), (26, "นครนายก", 4), (27, "สระแก้ว", 9),
    (30, "นครราชสีมา", 32), (31, "บุรีรัมย์", 23), (32, "สุรินทร์", 17), (33, "ศรีสะเกษ", 22),
    (34, "อุบลราชธานี", 25), (35, "ยโสธร", 9), (36, "ชัยภูมิ", 16), (37, "อำนาจเจริญ", 7), (38, "บึงกาฬ", 8),
    (39, "หนองบัวลำภู", 6), (40, "ขอนแก่น", 26), (41, "อุดรธานี", 20), (42, "เลย", 14), (43, "หนองคาย", 9),
    (44, "มหาสารคาม", 13), (45, "ร้อยเอ็ด", 20), (46, "กาฬสินธุ์", 18), (47, "สกลนคร", 18), (48, "นครพนม", 12),
    (49, "มุกดาหาร", 7), (50, "เชียงใหม่", 25), (51, "ลำพูน", 8), (52, "ลำปาง", 13), (53, "อุตรดิตถ์", 9),
    (54, "แพร่", 8), (55, "น่าน", 15), (56, "พะเยา", 9), (57, "เชียงราย", 18), (58, "แม่ฮ่องสอน", 7),
    (60, "นครสวรรค์", 15), (61, "อุทัยธานี", 8), (62, "กำแพงเพชร", 11), (63, "ตาก", 9), (64, "สุโขทัย", 9),
    (65, "พิษณุโลก", 9), (66, "พิจิตร", 12), (67, "เพชรบูรณ์", 11), (70, "ราชบุรี", 10), (71, "กาญจนบุรี", 13),
    (72, "สุพรรณบุรี", 10), (73, "นครปฐม", 7), (74, "สมุทรสาคร", 3), (75, "สมุทรสงคราม", 3), (76, "เพชรบุรี", 8),
    (77, "ประจวบคีรีขันธ์", 8), (80, "นครศรีธรรมราช", 23), (81, "กระบี่", 8), (82, "พังงา", 8), (83, "ภูเก็ต", 3),
    (84, "สุราษฎร์ธานี", 19), (85, "ระนอง", 5), (86, "ชุมพร", 8), (90, "สงขลา", 16), (91, "สตูล", 7),
    (92, "ตรัง", 10), (93, "พัทลุง", 11), (94, "ปัตตานี", 12), (95, "ยะลา", 8), (96, "นราธิวาส", 13),
]

KHON_KAEN_DISTRICTS = [
    "เมืองขอนแก่น", "บ้านฝาง", "พระยืน", "หนองเรือ", "ชุมแพ", "สีชมพู", "น้ำพอง", "อุบลรัตน์", "กระนวน",
    "บ้านไผ่", "เปือยน้อย", "พล", "แวงใหญ่", "แวงน้อย", "หนองสองห้อง", "ภูเวียง", "มัญจาคีรี", "ชนบท",
    "เขาสวนกวาง", "ภูผาม่าน", "ซำสูง", "โคกโพธิ์ไชย", "หนองนาคำ", "บ้านแฮด", "โนนศิลา", "เวียงเก่า",
]
# Khon Kaen as published (2019): 1 อบจ., 1 เทศบาลนคร, 6 เทศบาลเมือง, 77 เทศบาลตำบล, 140 อบต.
PINNED = {KHON_KAEN: {SUBMUN: 77, SAO: 140}}
# เทศบาลเมือง placed by hand: (province, district, place).
FIXED_TOWNS = [
    (KHON_KAEN, "เมืองขอนแก่น", "ศิลา"), (KHON_KAEN, "เมืองขอนแก่น", "บ้านทุ่ม"), (KHON_KAEN, "ชุมแพ", "ชุมแพ"),
    (KHON_KAEN, "บ้านไผ่", "บ้านไผ่"), (KHON_KAEN, "พล", "เมืองพล"), (KHON_KAEN, "กระนวน", "กระนวน"),
]
# The 30 เทศบาลนคร: (province, district, place); district None is the capital district.
CITIES = [
    ("เชียงใหม่", None, "เชียงใหม่"), ("นครศรีธรรมราช", None, "นครศรีธรรมราช"), ("นนทบุรี", None, "นนทบุรี"),
    ("สงขลา", "หาดใหญ่", "หาดใหญ่"), ("อุดรธานี", None, "อุดรธานี"), (KHON_KAEN, None, KHON_KAEN),
    ("นครราชสีมา", None, "นครราชสีมา"), ("นนทบุรี", "ปากเกร็ด", "ปากเกร็ด"), ("สงขลา", None, "สงขลา"),
    ("อุบลราชธานี", None, "อุบลราชธานี"), ("ภูเก็ต", None, "ภูเก็ต"), ("ตรัง", None, "ตรัง"), ("ลำปาง", None, "ลำปาง"),
    ("นครสวรรค์", None, "นครสวรรค์"), ("พิษณุโลก", None, "พิษณุโลก"), ("สุราษฎร์ธานี", None, "สุราษฎร์ธานี"),
    ("นครปฐม", None, "นครปฐม"), ("เชียงราย", None, "เชียงราย"), ("ยะลา", None, "ยะลา"),
    ("พระนครศรีอยุธยา", None, "พระนครศรีอยุธยา"), ("สมุทรปราการ", None, "สมุทรปราการ"),
    ("สมุทรสาคร", None, "สมุทรสาคร"), ("ระยอง", None, "ระยอง"), ("ปทุมธานี", "ธัญบุรี", "รังสิต"),
    ("สมุทรสาคร", "กระทุ่มแบน", "อ้อมน้อย"), ("ชลบุรี", "ศรีราชา", "แหลมฉบัง"),
    ("ชลบุรี", "ศรีราชา", "เจ้าพระยาสุรศักดิ์"), ("สุราษฎร์ธานี", "เกาะสมุย", "เกาะสมุย"), ("ตาก", "แม่สอด", "แม่สอด"),
    ("สกลนคร", None, "สกลนคร"),
]
PATTAYA_AT = ("ชลบุรี", "บางละมุง")
# Real districts named here because something above sits in them; a province's others are made up.
KNOWN_DISTRICTS = {
    "ชลบุรี": ["ศรีราชา", "บางละมุง"], "สงขลา": ["หาดใหญ่"], "สุราษฎร์ธานี": ["เกาะสมุย"], "นนทบุรี": ["ปากเกร็ด"],
    "ปทุมธานี": ["ธัญบุรี"], "สมุทรสาคร": ["กระทุ่มแบน"], "ตาก": ["แม่สอด"],
}
CAPITAL_DISTRICT = {"พระนครศรีอยุธยา": "พระนครศรีอยุธยา"}  # otherwise เมือง<province>
SEAT_TOWN = {"สุโขทัย": "สุโขทัยธานี"}  # the capital's เทศบาลเมือง, otherwise named after the province

# Place names: a first part and a second, as villages and subdistricts are named; some first
# parts belong to a region (by the province code's first digit).
PLACE_FIRST = ["บ้าน", "หนอง", "โคก", "ดอน", "นา", "ห้วย", "ท่า", "วัง", "ทุ่ง", "สระ", "เขา", "ป่า", "บ่อ", "หัว",
               "ศรี", "สำโรง", "โพธิ์"]
REGION_FIRST = {
    1: ["บาง", "คลอง", "ลาด", "บึง"], 2: ["บาง", "คลอง", "หาด", "บึง"], 3: ["โนน", "กุด", "ดง", "บึง", "ซับ"],
    4: ["โนน", "กุด", "ดง", "บึง", "ซับ"], 5: ["แม่", "ดอย", "ปง", "สบ"], 6: ["แม่", "บึง", "ลาด", "คลอง"],
    7: ["บาง", "คลอง", "ลาด", "หาด"], 8: ["ควน", "บาง", "คลอง", "ปาก", "หาด"], 9: ["ควน", "บาง", "คลอง", "ปาก"],
}
PLACE_SECOND = ["สูง", "ใหญ่", "น้อย", "แดง", "ขาม", "บัว", "ตะเคียน", "ยาง", "ไผ่", "แก", "คำ", "ทอง", "งาม", "ใหม่",
                "เก่า", "ดู่", "หว้า", "กุง", "สี", "ม่วง", "ขี้เหล็ก", "เต่า", "หิน", "ทราย", "ตูม", "ช้าง", "เสือ",
                "กระทุ่ม", "แวง", "ค้อ", "ขาว", "ตาล", "ศาลา", "สะแก", "ไร่", "สะอาด", "สว่าง", "ชัย", "เจริญ", "ลาน",
                "เรือ", "ปลา", "กลาง", "จิก", "เปือย", "ฝาง", "ผือ", "คูณ", "พระ", "กวาง", "กุ่ม", "ยาว", "เตย",
                "มะนาว", "สำราญ", "โพธิ์", "แคน", "หอย", "หญ้า", "ตะแบก", "มะค่า", "แสง", "เม็ก", "บก", "ทุ่ม", "เหล็ก",
                "ลำดวน", "จาน", "พลับ", "กอก", "ขี", "ดินดำ", "ศิลา", "นกเขา", "กระเบื้อง", "สามัคคี", "พัฒนา"]

MALE = ["สมชาย", "สมศักดิ์", "วิชัย", "สมบัติ", "ประเสริฐ", "สุริยา", "อนุชา", "ธนากร", "กิตติพงษ์", "ณัฐพล",
        "วีระพงษ์", "ชัยวัฒน์", "สุทธิพงษ์", "อภิชาติ", "ปริญญา", "เกียรติศักดิ์", "ธีรวัฒน์", "บุญมี", "ทองใบ",
        "สมพงษ์", "ไพโรจน์", "จักรพันธ์", "ศุภชัย", "วัชระ", "พงศกร", "ภานุวัฒน์", "ชาญชัย", "อำนาจ", "สุรเชษฐ์", "ประยูร"]
FEMALE = ["สมใจ", "สุดารัตน์", "วันเพ็ญ", "กาญจนา", "ศิริพร", "อรุณี", "นงลักษณ์", "จันทร์เพ็ญ", "พรทิพย์", "ปราณี",
          "รัตนา", "สุนิสา", "ณัฐธิดา", "กมลวรรณ", "อัญชลี", "วิไลวรรณ", "ดวงใจ", "มาลัย", "บุษบา", "จิราพร",
          "ปิยะนุช", "เบญจวรรณ", "ศศิธร", "ธิดารัตน์", "อรทัย", "สุภาพร", "นภาพร", "ยุพิน", "พัชรินทร์", "ลำดวน"]
SURNAMES = ["ใจดี", "รักดี", "มีสุข", "ทองดี", "ศรีสุข", "แก้วมณี", "บุญมา", "สุขสวัสดิ์", "วงศ์ใหญ่", "ศรีวงศ์",
            "พรหมมา", "ชัยมงคล", "แสนสุข", "อินทร์แก้ว", "บุญเรือง", "ทองคำ", "ศรีทอง", "สายทอง", "จันทร์หอม",
            "ภูมิพันธ์", "คำมูล", "พิมพ์ทอง", "ประทุมวงศ์", "ศรีบุญเรือง", "นามวงศ์", "ธรรมวงศ์", "สิทธิโชค",
            "มณีวงศ์", "ปัญญาดี", "วิเศษศักดิ์", "โพธิ์ศรี", "บุตรดี", "คำภา", "ไชยสิทธิ์", "แก่นจันทร์", "สีหานาม",
            "ภูผาสุข", "ศรีสะอาด", "ทองสุข", "อุ่นเรือน"]


@dataclasses.dataclass
class District:
    number: int
    name: str  # without its prefix: บ้านฝาง
    capital: bool
    places: "Places"  # the province's
    orgs: list = dataclasses.field(default_factory=list)  # (type, place)

    def has_municipality(self):
        return any(t in (CITY, TOWN, SUBMUN) for t, _ in self.orgs)


@dataclasses.dataclass
class Province:
    code: int
    name: str
    districts: list


class Places:
    """Place names unique within one province."""

    def __init__(self, rng, code, reserved):
        self.rng = rng
        self.first = PLACE_FIRST + REGION_FIRST[code // 10]
        self.used = set(reserved)

    def take(self, name):
        self.used.add(name)
        return name

    def fresh(self):
        for _ in range(200):
            first, second = self.rng.choice(self.first), self.rng.choice(PLACE_SECOND)
            if first != second and first + second not in self.used:
                return self.take(first + second)
        for first in self.first:  # nearly full: the first free one, in order
            for second in PLACE_SECOND:
                if first != second and first + second not in self.used:
                    return self.take(first + second)
        raise RuntimeError("ran out of place names")


def apportion(total, weights):
    """Splits total into whole shares by weight (largest remainder; ties to the earlier one)."""
    s = sum(weights)
    quotas = [total * w / s for w in weights]
    shares = [int(q) for q in quotas]
    by_remainder = sorted(range(len(weights)), key=lambda i: (shares[i] - quotas[i], i))
    for i in by_remainder[:total - sum(shares)]:
        shares[i] += 1
    return shares


def build(seed):
    """The whole registry as rows (lists of the CSV's fields), in province, district, type order."""
    rng = random.Random(seed)
    provinces = []
    for code, name, count in PROVINCES:
        reserved = {name, SEAT_TOWN.get(name, name)} | {place for p, _, place in CITIES + FIXED_TOWNS if p == name}
        if name == KHON_KAEN:
            names = list(KHON_KAEN_DISTRICTS)
        elif count:
            names = [CAPITAL_DISTRICT.get(name, "เมือง" + name)] + KNOWN_DISTRICTS.get(name, [])
        else:
            names = []
        places = Places(rng, code, reserved | set(names))
        while len(names) < count:
            names.append(places.fresh())
        districts = [District(i + 1, n, i == 0, places) for i, n in enumerate(names)]
        provinces.append(Province(code, name, districts))
    assert len(provinces) == 77 and sum(len(p.districts) for p in provinces) == TOTAL_DISTRICTS

    by_name = {p.name: p for p in provinces}

    def district(province, name):
        p = by_name[province]
        return p.districts[0] if name is None else next(d for d in p.districts if d.name == name)

    # Those the script places by hand.
    for province, name, place in CITIES:
        district(province, name).orgs.append((CITY, place))
    for province, name, place in FIXED_TOWNS:
        district(province, name).orgs.append((TOWN, place))
    district(*PATTAYA_AT).orgs.append((PATTAYA, "พัทยา"))
    seats = 0
    for p in provinces:
        if p.districts and not any(t == CITY for t, _ in p.districts[0].orgs):
            p.districts[0].orgs.append((TOWN, SEAT_TOWN.get(p.name, p.name)))  # เทศบาลเมือง of the capital
            seats += 1

    # The rest in two groups: the pinned provinces with their own counts, the others with what is left.
    rest = [d for p in provinces if p.name not in PINNED for d in p.districts]
    left = {TOWN: NATIONAL[TOWN] - len(FIXED_TOWNS) - seats,
            SUBMUN: NATIONAL[SUBMUN] - sum(c[SUBMUN] for c in PINNED.values()),
            SAO: NATIONAL[SAO] - sum(c[SAO] for c in PINNED.values())}
    for name, counts in PINNED.items():
        fill(rng, by_name[name].districts, {TOWN: 0, **counts})
    fill(rng, rest, left)

    rows = []
    contacts = random.Random(seed * 1_000_003 + 7)  # a stream of its own
    for p in provinces:
        entries = [(0, "", BKK if p.name == BANGKOK else PAO, p.name)]
        for d in p.districts:
            ordered = sorted(d.orgs, key=lambda o: TYPE_RANK[o[0]])  # stable: a district's seat first
            entries += [(d.number, d.name, t, place) for t, place in ordered]
        sequence = {}
        for number, district_name, kind, place in entries:
            sequence[number] = sequence.get(number, 0) + 1
            assert sequence[number] < 100, "more than 99 organisations in a district"
            code = f"{TYPE_DIGIT[kind]}{p.code:02d}{number:02d}{sequence[number]:02d}"
            if kind == BKK:
                name = BANGKOK
            elif kind == PATTAYA:
                name = PATTAYA
            else:
                name = NAME_PREFIX[kind] + place
            rows.append([code, name, kind, p.name, "อำเภอ" + district_name if district_name else ""]
                        + contact(contacts, code))
    return rows


def fill(rng, districts, counts):
    """Gives each district its tambon-level organisations: at least one each, more in bigger
    ones; a district without a municipality gets one named after it (the district seat), a
    เทศบาลเมือง while counts[TOWN] lasts, then a เทศบาลตำบล; the rest are dealt at random."""
    weights = [round(rng.lognormvariate(0, 0.5) * (1.4 if d.capital else 1.0), 6) for d in districts]
    total = sum(counts.values())
    shares = [1 + s for s in apportion(total - len(districts), weights)]
    bare = [i for i, d in enumerate(districts) if not d.has_municipality()]
    rng.shuffle(bare)
    town_seats = set(bare[:counts[TOWN]])
    submun_seats = set(bare[counts[TOWN]:counts[TOWN] + counts[SUBMUN]])
    if len(town_seats) < counts[TOWN]:
        raise RuntimeError("more เทศบาลเมือง than districts to hold them")
    pool = [SUBMUN] * (counts[SUBMUN] - len(submun_seats)) + [SAO] * counts[SAO]
    rng.shuffle(pool)
    dealt = 0
    for i, d in enumerate(districts):
        n = shares[i]
        if i in town_seats or i in submun_seats:
            d.orgs.append((TOWN if i in town_seats else SUBMUN, d.places.take(d.name)))
            n -= 1
        for kind in pool[dealt:dealt + n]:
            d.orgs.append((kind, d.places.fresh()))
        dealt += n
    assert dealt == len(pool)


def contact(rng, code):
    """person, email, chat, phone; one of them empty for about 2 % of rows."""
    title, first = (("นาย", rng.choice(MALE)) if rng.random() < 0.45
                    else (rng.choice(["นาง", "นางสาว"]), rng.choice(FEMALE)))
    person = f"{title}{first} {rng.choice(SURNAMES)}"
    digits = "".join(str(rng.randrange(10)) for _ in range(8))
    phone = f"0{rng.choice('689')}{digits[0]}-{digits[1:4]}-{digits[4:]}"
    fields = [person, f"saraban.{code}@example.org", f"@lao{code}", phone]
    blank, which = rng.random() < 0.02, rng.randrange(4)
    if blank:
        fields[which] = ""
    return fields


def province_name(text):
    text = text.strip()
    for prefix in ("จังหวัด", "จ."):
        if text.startswith(prefix) and len(text) > len(prefix):
            text = text[len(prefix):].strip()
    return text


def main(argv=None):
    parser = argparse.ArgumentParser(description="Make a synthetic registry of Thai local administrations (อปท.) as CSV.")
    parser.add_argument("-o", metavar="FILE", help="write here (default: standard output)")
    parser.add_argument("--province", metavar="NAME", help="only that province's rows, e.g. ขอนแก่น")
    parser.add_argument("--encoding", choices=["utf-8", "utf-8-sig", "cp874"], default="utf-8",
                        help="utf-8 (default), utf-8-sig (with a BOM) or cp874 (Windows-874, as Thai Excel saves)")
    parser.add_argument("--seed", type=int, default=2560, help="the same seed makes the same registry (default 2560)")
    parser.add_argument("--thai-header", action="store_true", help="name the columns in Thai")
    args = parser.parse_args(argv)

    rows = build(args.seed)
    every = len(rows)
    if args.province is not None:
        wanted = province_name(args.province)
        if wanted not in {name for _, name, _ in PROVINCES}:
            parser.error(f"no province {args.province!r}: give one of the 77 names as written in Thai, e.g. ขอนแก่น")
        rows = [r for r in rows if r[3] == wanted]

    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(THAI_HEADER if args.thai_header else HEADER)
    writer.writerows(rows)
    text = buffer.getvalue()
    try:
        data = text.encode(args.encoding)
    except UnicodeEncodeError as e:
        line = text.count("\n", 0, e.start) + 1
        sys.exit(f"make-registry.py: U+{ord(text[e.start]):04X} {text[e.start]!r} on line {line} "
                 f"has no {args.encoding} encoding; nothing written")

    counts = {kind: 0 for kind in TYPE_DIGIT}
    for r in rows:
        counts[r[2]] += 1
    provinces = len({r[3] for r in rows})
    districts = len({(r[3], r[4]) for r in rows if r[4]})
    scope = f" of {every:,}" if args.province is not None else ""
    print(f"{len(rows):,} organisations{scope}, {provinces} province{'s' * (provinces != 1)}, "
          f"{districts} district{'s' * (districts != 1)} (seed {args.seed}, {args.encoding}):", file=sys.stderr)
    for kind, n in counts.items():
        width = sum(not unicodedata.combining(c) for c in kind)  # Thai vowel and tone marks take no column
        print(f"  {kind}{' ' * (14 - width)}{n:>6,}", file=sys.stderr)

    if args.o:
        with open(args.o, "wb") as f:
            f.write(data)
    else:
        try:
            sys.stdout.buffer.write(data)
            sys.stdout.flush()
        except BrokenPipeError:  # `| head`: not an error of ours
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    return 0


if __name__ == "__main__":
    sys.exit(main())
