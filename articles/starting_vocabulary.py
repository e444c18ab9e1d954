"""The newsroom's starting vocabulary: the officials and agreements the seed corpus names.

Countries come from pycountry (see articles.ingest.countries). Editors change all of it afterwards in the admin;
this is only where a fresh database begins.
"""

import datetime

# (name, role, ISO country code)
OFFICIALS = [
    ("Rajnath Singh", "Defence Minister", "IN"),
    ("Rajesh Kumar Singh", "Defence Secretary", "IN"),
    ("Kirti Vardhan Singh", "Minister of State for External Affairs", "IN"),
    ("Subrahmanyam Jaishankar", "External Affairs Minister", "IN"),
    ("Neena Malhotra", "Secretary (South), Ministry of External Affairs", "IN"),
    ("Abdellatif Loudiyi", "Minister Delegate in charge of National Defence Administration", "MA"),
    ("Nasser Bourita", "Minister of Foreign Affairs", "MA"),
    ("Omar Hejira", "Secretary of State in charge of Foreign Trade", "MA"),
    ("Ryad Mezzour", "Minister of Industry and Trade", "MA"),
    ("Leila Benali", "Minister of Energy Transition and Sustainable Development", "MA"),
    ("Mostafa Terrab", "Chairman and CEO, OCP Group", "MA"),
    ("Mohammed VI", "King of Morocco", "MA"),
    ("Marco Rubio", "Secretary of State", "US"),
    ("JD Vance", "Vice President", "US"),
    ("Israel Katz", "Defence Minister", "IL"),
    ("Amir Baram", "Director General, Ministry of Defence", "IL"),
    ("Guido Crosetto", "Defence Minister", "IT"),
    ("Luisa Riccardi", "Secretary General of Defence", "IT"),
]

# name, kind, signed on, parties, subject
AGREEMENTS = [
    ("India–Morocco Defence MoU", "mou", datetime.date(2025, 9, 22), "India; Morocco", "defence"),
    ("India–Israel Defence MoU", "mou", datetime.date(2025, 11, 4), "India; Israel", "defence"),
    ("SIDM–AIAD MoU", "mou", datetime.date(2025, 4, 15), "SIDM; AIAD", "defence industry"),
    (
        "India–Italy Joint Strategic Action Plan 2025–2029",
        "action_plan",
        datetime.date(2024, 11, 18),
        "India; Italy",
        "defence, security, technology and industry",
    ),
]
