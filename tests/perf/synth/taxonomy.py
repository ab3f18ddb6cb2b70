"""The taxonomy a synthetic store grows: what the store holds, then places, companies and clusters.

Part of tests.perf.synth (see there for the choices). Nothing is invented above the
clusters: every new cluster sits under the seeds' own groupings, and the metrics
are the store's.
"""

from __future__ import annotations

import json
import random
import re
from bisect import bisect_right

from store.errors import StoreError
from tests.perf.synth.facts import FIRST_YEAR, LAST_YEAR
from tests.perf.synth.sql import CLUSTER_SQL, ENTITY_SQL, GROUPING_SQL
from tests.perf.synth.words import BRANDS, CITIES, GBA, PROVINCES, REGION_OF, SECTORS, ZONES

META_KEY = "synthetic"
MAX_CLUSTERS = 4000


def slug(name: str) -> str:
    return re.sub(r"[^0-9a-z]+", "_", name.casefold()).strip("_")


def cluster_target(figures: int) -> int:
    """How many clusters to add: one per ~300 figures, at least 200, at most 4,000."""
    return min(MAX_CLUSTERS, max(200, figures // 300))


def cumulative(weights: list[float]) -> list[float]:
    total, out = 0.0, []
    for weight in weights:
        total += weight
        out.append(total)
    return out


def pick(cum: list[float], rnd: random.Random) -> int:
    """An index drawn in proportion to its weight, from cumulative weights."""
    return min(bisect_right(cum, rnd.random() * cum[-1]), len(cum) - 1)


class Taxonomy:
    """What the store holds (read first), and the entities and clusters synth adds to it.

    A theme, what a document is about, is (cluster id, how a sentence names it, entity id, sector,
    revenue in 2011, growth, companies).
    """

    def __init__(self, cur, rnd: random.Random, figures: int):
        self.cur, self.rnd, self.n = cur, rnd, figures
        self._read_store()

    def _read_store(self) -> None:
        cur = self.cur
        found = cur.execute("SELECT value FROM meta WHERE key = ?", (META_KEY,)).fetchone()
        if found:
            raise StoreError(f"this store already holds synthetic data {found[0]}; synth needs a store without it")
        found = cur.execute("SELECT key, id, kind, parent_id FROM groupings ORDER BY id").fetchall()
        self.groupings = {key: gid for key, gid, _, _ in found}
        self.grouping_kind = {key: kind for key, _, kind, _ in found}
        parents = {parent for _, _, _, parent in found}
        self.leaf_groupings = [key for key, gid, _, _ in found if gid not in parents]
        self.metrics = {k: (i, kind) for k, i, kind in cur.execute("SELECT key, id, unit_kind FROM metrics ORDER BY id")}
        if not self.groupings or not self.metrics:
            raise StoreError("the store has no groupings or metrics to grow from; open it with its seeds first")
        self.entity_ids = dict(cur.execute("SELECT key, id FROM entities ORDER BY id"))
        self.names = {i: name for i, name in cur.execute("SELECT id, name FROM entities")}
        found = cur.execute("SELECT key, id, name FROM clusters ORDER BY id").fetchall()
        self.seed_clusters = {key: cid for key, cid, _ in found}
        self.cluster_names = {cid: name for _, cid, name in found}
        self.member_of: dict[int, list[str]] = {}
        for cid, gkey in cur.execute("SELECT cg.cluster_id, g.key FROM cluster_groupings cg "
                                     "JOIN groupings g ON g.id = cg.grouping_id ORDER BY cg.cluster_id, g.key"):
            self.member_of.setdefault(cid, []).append(gkey)
        # Keys already stated (by the seeds or anyone) are not fresh: restating them is a choice, never an accident.
        self.existing = cur.execute("SELECT count(*) FROM figures").fetchone()[0]
        self.used = set(cur.execute("SELECT metric_id, entity_id, coalesce(cluster_id, 0), period FROM figures"))
        self.next_id = {t: (cur.execute(f"SELECT max(id) FROM {t}").fetchone()[0] or 0) + 1
                        for t in ("figures", "documents", "clusters", "entities")}
        self.first_cluster = self.next_id["clusters"]

    def grow(self) -> None:
        self._grow_entities()
        self._grow_clusters()

    def _entity(self, rows: list, key: str, name: str, kind: str, parent: str | None, short: str = "") -> int:
        if key not in self.entity_ids:  # else a seed entity (Guangzhou, Panyu ...): reuse it
            eid = self.next_id["entities"]
            self.next_id["entities"] += 1
            rows.append((eid, key, name, kind, json.dumps([short] if short else []), self.entity_ids.get(parent)))
            self.entity_ids[key] = eid
        eid = self.entity_ids[key]
        self.names[eid] = short or name
        return eid

    def _grow_entities(self) -> None:
        """Provinces, Guangdong's cities and districts (where clusters are), and companies of each sector."""
        rnd, rows = self.rnd, []
        self.provinces = [self._entity(rows, slug(p), p, "province", "china") for p in PROVINCES]
        self.places: list[tuple[str, int, str]] = []  # (name, entity id, city)
        for city, districts in CITIES.items():
            self.places.append((city, self._entity(rows, slug(city), city, "city", "guangdong"), city))
            for district in [w.replace("_", " ") for w in districts.split()]:
                eid = self._entity(rows, slug(district), f"{district} District, {city}", "district", slug(city), district)
                self.places.append((district, eid, city))
        self.firms: dict[str, list[tuple[str, int]]] = {}
        for sector in SECTORS:
            for brand in rnd.sample(BRANDS, rnd.randint(4, 8)):
                name = f"{brand} {sector[2]}"
                home = slug(rnd.choice(list(CITIES)))
                self.firms.setdefault(sector[0], []).append((name, self._entity(rows, "co_" + slug(name), name,
                                                                                 "company", home)))
        self.cur.executemany(ENTITY_SQL, rows)
        self.new_entities = len(rows)

    def _grow_clusters(self) -> None:
        """Clusters named for a place and a sector, each under its region's and its sector's seed groupings."""
        rnd, want = self.rnd, cluster_target(self.n)
        pairs = [(place, sector) for place in self.places for sector in SECTORS]
        rnd.shuffle(pairs)
        rows, links, keys = [], [], set(self.seed_clusters)
        self.clusters: list[tuple] = []  # the themes
        for zone in (None, *ZONES):
            for (place, eid, city), sector in pairs:
                if len(rows) >= want:
                    break
                name = f"{place} {zone} {sector[0]}" if zone else f"{place} {sector[0]}"
                cid = self.next_id["clusters"]
                self.next_id["clusters"] += 1
                key = "syn_" + slug(name)[:56]
                key = key if key not in keys else f"{key}_{cid}"
                keys.add(key)
                rows.append((cid, key, name, "Synthetic cluster (tests.perf.synth).", json.dumps([f"{name} cluster"])))
                base, growth = 10 ** rnd.uniform(8.5, 11.3), rnd.uniform(0.02, 0.2)
                revenue = min(base * (1 + growth) ** (LAST_YEAR - FIRST_YEAR), 2e12)
                links += [(cid, self.groupings[g]) for g in self._groupings_for(city, sector[1], revenue)]
                firms = [f for f in self.firms.get(sector[0], []) if rnd.random() < 0.4][:3]
                self.clusters.append((cid, f"the {name} cluster", eid, sector, base, growth, firms))
        province = self.entity_ids.get("guangdong")
        seen = set()
        for sector in SECTORS:  # some articles are about the seed clusters themselves, province-wide
            cid = self.seed_clusters.get(sector[1])
            if cid is not None and cid not in seen and province is not None and rnd.random() < 0.5:
                seen.add(cid)
                self.clusters.append((cid, f"the province's {self.cluster_names[cid].lower()} cluster", province,
                                      sector, 10 ** rnd.uniform(10.5, 11.8), rnd.uniform(0.03, 0.12), []))
        self.cur.executemany(CLUSTER_SQL, rows)
        self.cur.executemany(GROUPING_SQL, links)
        self.popularity = cumulative([rnd.lognormvariate(0, 0.6) for _ in self.clusters])  # some are in the news more
        self.new_clusters, self.new_links = len(rows), links

    def _groupings_for(self, city: str, seed_key: str, revenue: float) -> list[str]:
        """One or two of the seeds' groupings: the place's region, and the sector's or the tier its size earns."""
        rnd, kind = self.rnd, self.grouping_kind
        region = REGION_OF.get(city) or ("region_gba" if city in GBA else "region_guangdong")
        sector = [g for g in self.member_of.get(self.seed_clusters.get(seed_key), [])
                  if kind[g] not in ("region", "tier")]  # a tier is earned by size, not inherited
        tier = ("tier_trillion" if revenue >= 1e12 else "tier_500bn" if revenue >= 5e11
                else "tier_100bn" if revenue >= 1e11 else "tier_10bn" if revenue >= 1e10 else None)
        other = tier if tier in self.groupings and rnd.random() < 0.3 else rnd.choice(sector) if sector else None
        picked = [g for g in (region, other) if g in self.groupings]
        if len(picked) == 2 and rnd.random() < 0.25:
            picked = [picked[rnd.randrange(2)]]
        return picked or [rnd.choice(self.leaf_groupings)]
