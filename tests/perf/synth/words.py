"""The words synthetic documents are made of: places, sectors, metrics, sentence templates.

Kept apart from the loader (tests/perf/synth/__init__.py) so that each reads on its own.
"""

from __future__ import annotations

CITIES = {  # Guangdong's prefecture-level cities and some of their districts
    "Guangzhou": "Tianhe Huangpu Nansha Baiyun Huadu Zengcheng Haizhu Conghua Panyu",
    "Shenzhen": "Nanshan Futian Bao'an Longgang Longhua Pingshan Guangming", "Foshan": "Shunde Nanhai Chancheng Sanshui Gaoming",
    "Dongguan": "Songshan_Lake Chang'an Humen Houjie Tangxia", "Zhuhai": "Xiangzhou Jinwan Doumen",
    "Huizhou": "Zhongkai Huiyang Daya_Bay", "Zhongshan": "Xiaolan Guzhen", "Jiangmen": "Xinhui Heshan",
    "Zhaoqing": "Gaoyao Sihui", "Shantou": "Chenghai Longhu", "Zhanjiang": "Xiashan Leizhou",
    "Maoming": "Dianbai Gaozhou Huazhou", "Qingyuan": "Yingde", "Jieyang": "Puning", "Shaoguan": "", "Meizhou": "",
    "Shanwei": "", "Heyuan": "", "Yangjiang": "", "Chaozhou": "", "Yunfu": "",
}
GBA = {"Guangzhou", "Shenzhen", "Zhuhai", "Foshan", "Huizhou", "Dongguan", "Zhongshan", "Jiangmen", "Zhaoqing"}
REGION_OF = {"Guangzhou": "region_guangzhou", "Shenzhen": "region_shenzhen", "Maoming": "region_maoming"}
PROVINCES = "Jiangsu Zhejiang Fujian Shandong Hunan Jiangxi Guangxi Hainan Sichuan Hubei".split()
ZONES = ("high-tech zone", "port area", "industrial park", "new town")
# sector words | the seed cluster whose groupings it joins | what its companies are called
SECTORS = [line.split("|") for line in """electronic information|electronics|Electronics
green petrochemicals|green_petrochem|Petrochemical
smart home appliances|smart_home_appliances|Smart Home
auto parts|automotive|Auto Parts
advanced materials|advanced_materials|Materials
textiles and garments|light_textiles|Textiles
furniture|light_textiles|Furniture
ceramics|light_textiles|Ceramics
software and information services|software_it|Software
food processing|agri_food|Foods
ultra-HD display|uhd_video|Display
biomedicine|biomedicine_health|Biotech
medical devices|biomedicine_health|Medical
integrated circuits|semiconductors_ic|Semiconductor
high-end equipment|high_end_equipment|Equipment
robotics|smart_robots|Robotics
blockchain|blockchain_quantum|Chain Tech
new materials|frontier_materials|New Materials
new energy|new_energy|New Energy
photovoltaics|new_energy|Solar
lasers and additive manufacturing|lasers_additive|Photonics
digital creativity|digital_creativity|Digital Media
environmental protection|safety_env|Environmental
precision instruments|precision_instruments|Instruments
low-altitude economy|low_altitude|Aviation
drones|industrial_drones|Drone
new energy vehicles|nev|EV
energy storage|energy_storage|Energy Storage
artificial intelligence|ai_core|AI
marine economy|marine_economy|Marine
shipbuilding|ship_marine|Shipbuilding
biomanufacturing|biomanufacturing|Bio
fashion consumer goods|fashion_consumer|Fashion
humanoid robots|embodied_ai|Humanoid
service robots|service_robots|Service Robots
lychee and longan|maoming_fruit_chains|Orchards""".splitlines()]
BRANDS = ("Huaxin Jinlong Ruifeng Tianyi Hengtai Xinda Zhongke Lingnan Nanfang Yuehai Kaida Boyuan Dexin Fuhua "
          "Guanghe Haoyu Jiahe Kangsheng Longteng Mingyang Ningda Oulong Pengcheng Qianhai Runxing Shengda Taihe "
          "Wanfeng Xingyuan Yaoda Zhenghe Anke Baolong Chenguang Dingsheng Feiyang Gaoke Hongtu Jingwei").split()
CURATORS = "chen.yu li.na wang.hao zhou.min huang.lei liang.xin he.jing lin.tao".split()
PUBLISHERS = ("Southern Industry Daily", "Pearl River Economic Herald", "Bay Area Business Review",
              "Guangdong Manufacturing Weekly", "Lingnan Finance", "South China Industry Observer")
WRITERS = ("Chen Hui", "Li Mei", "Zhang Wei", "Liang Jun", "Huang Ting", "Xu Bo", "Feng Yan", "Deng Kai", "")
SOURCES = ("the local bureau of statistics", "the industry association", "the city government",
           "the provincial department of industry and information technology")
QUALIFIERS = (("over", "over"), ("more than", "over"), ("nearly", "nearly"), ("about", "approximately"),
              ("approximately", "approximately"), ("at least", "at least"))
TITLES = ("{place}'s {sector} cluster keeps growing", "How {place} built its {sector} industry",
          "{place} bets on {sector}", "Inside {subject}", "{Sector}: {place} raises its game")
FILLERS = ("Officials said {subject} would keep investing in its supply chain.",
           "Analysts expect {subject} to benefit from stronger demand at home and abroad.",
           "The city has listed {subject} among its priorities for the coming years.",
           "Local companies have moved up the value chain, according to industry insiders.",
           "Land, talent and financing remain the main constraints, executives said.",
           "New production lines came on stream during the period.",
           "Exports were weighed down by weaker orders from overseas.",
           "The provincial plan calls for deeper integration of research and manufacturing.",
           "Several research institutes have set up joint laboratories with manufacturers.",
           "Industry associations said competition for skilled workers remained intense.")
REASONS = {
    "disputed": ("The value differs from the statistics bureau's bulletin for the same period.",
                 "Likely mistranslation: the original may count in 亿 (1e8), not billions.",
                 "The text does not say whether this is revenue or output value.",
                 "The period is unclear: the article mixes the full year and the first half."),
    "rejected": ("Not about the cluster: the sentence describes the whole city.",
                 "A forecast reported as a result.", "Duplicate entry of another figure."),
}
FIGURE_NOTES = ("Year stated in the sentence.", "Rounded in the article.", "Repeated in the summary box.",
                "Figure from the article's info box.")
NOTES = ("Check against the statistics yearbook.", "Ask the author which year this refers to.",
         "Same figure as in the city's work report.", "Compare with the provincial bulletin.",
         "The English translation may have lost a qualifier here.")
CLUSTER_NOTES = ("Boundaries of this cluster differ between city and provincial reports.",
                 "Often reported together with its neighbouring district.", "Candidate for the 100-billion tier.")

# key | scope (c cluster, e entity as a whole, b both) | weight | kind | unit | words after the number |
# verb before the quote | words after it | lo (money: share of the cluster's revenue) | hi
METRICS = {f[0]: f[1:] for f in (line.split("|") for line in """operating_revenue|c|4|money|yuan||earned operating revenue of||1|
output_value|c|3|money|yuan||recorded an output value of||1.1|
added_value|c|3|money|yuan||generated added value of||0.27|
added_value_growth|c|2|growth|%||saw its added value grow by| year on year||
revenue_growth|c|2|growth|%||saw its revenue grow by| year on year||
share_of_gdp|c|1.5|pct|%||accounted for| of local GDP|2|30
contribution_to_growth|c|1|pct|%||contributed| of local economic growth|3|45
share_of_value_added|c|1|pct|%||made up| of the value added of industry above designated size|1|35
gdp|e|3|money|yuan||recorded a GDP of||1|
gdp_growth|e|2|growth|%||grew at a rate of| a year||
gdp_increase|e|1|money|yuan||added| to its economic aggregate|0.06|
rd_investment|b|1.5|money|yuan||invested| in research and development|0.03|
rd_intensity|e|1.5|pct|%||spent| of its GDP on research and development|1|6
production_volume|c|2|count|units|units|produced||2000|6000000
production_growth|c|1.5|growth|%||raised production by| year on year||
national_share|c|1.5|pct|%||supplied| of the national total|1|45
global_share|c|1|pct|%||held| of the global market|0.5|30
enterprise_count|b|2|count|enterprises|enterprises|was home to||20|9000
cluster_count|e|1|count|clusters|industrial clusters|counted| above the provincial threshold|2|30
consecutive_years|c|0.5|count|years|consecutive years|had ranked first in the province for||2|15
invention_patents|c|2|count|patents|invention patents|was granted||30|25000
invention_patents_growth|c|1|growth|%||saw its invention patents grow by| year on year||
tech_contract_value|e|1|money|yuan||registered technology contracts worth||0.01|
delivery_volume|c|1|count|units|units|delivered||500|900000
production_capacity|c|1|count|units|units|reached an annual production capacity of||5000|5000000
innovation_centres|c|0.7|count|centres|national innovation centres|hosted||2|12
product_categories|c|0.7|count|categories|product categories|made goods in||3|60
ai_benefits|c|0.7|money|yuan||reported benefits from AI applications of||0.01|
digitalised_enterprises|c|0.7|count|enterprises|enterprises|helped| go digital|20|6000
digitalised_share|c|0.7|pct|%||said| of its enterprises had gone digital|5|80
travel_time|e|0.5|count|minutes|minutes|cut the trip to the provincial capital to||20|180
participants|c|0.5|count|participants|participants|drew| to its trade fair|200|60000
talent_target|e|0.7|count|professionals|professionals|set out to attract||500|50000
area|e|0.7|count|hectares|hectares|set aside| for industrial land|50|20000
share_of_national_land_population|e|0.5|pct|%||accounted for| of the national economy|0.1|12
urbanization_change|e|0.7|dec|percentage points|percentage points|raised its urbanization rate by||0.1|3
funding_share|e|0.5|pct|%||received| of the province's sci-tech funds|0.5|40
industrial_parks|c|0.7|count|parks|industrial parks|built||2|20
platforms|c|0.7|count|platforms|digital platforms|launched||2|30
milestone_time|c|0.4|count|years|years|took| to reach its production target|2|12
milestone_units|c|0.4|count|units|units|passed the milestone of||1000|1000000
industrial_innovation_centres|c|0.5|count|centres|national industrial innovation centres|hosted||2|8
share_of_clusters|e|0.4|pct|%||counted| of the province's clusters among its own|2|40
growth_vs_gdp_growth|c|0.5|dec|times|times|grew| as fast as local GDP|1.1|3.5
leading_categories|c|0.5|count|categories|categories|topped the sales rankings in||2|25
market_size|c|1|money|yuan||had a market size of||1.6|
focus_areas|e|0.4|count|areas|key areas|named| as priorities|3|12""".splitlines())}
BY_UNIT_KIND = {  # metrics the table does not know, by their unit_kind (new seeds): same shapes
    "money": "b|0.3|money|yuan||reported||0.1|", "percent": "b|0.3|pct|%||reported||1|40",
    "count": "b|0.3|count|units|units|reported||2|5000", "duration": "b|0.3|count|years|years|reported||2|12",
    "area": "b|0.3|count|hectares|hectares|reported||50|5000", "ratio": "b|0.3|dec|times|times|reported||1.1|4",
    "percentage_points": "b|0.3|dec|percentage points|percentage points|reported||0.1|3",
}
PARTNERS = {"operating_revenue": "revenue_growth", "added_value": "added_value_growth", "gdp": "gdp_growth",
            "production_volume": "production_growth", "invention_patents": "invention_patents_growth"}
NUMBER_WORDS = "zero one two three four five six seven eight nine ten eleven twelve".split()
MONTHS = "January February March April May June July August September October November December".split()
