"""Differential tests for the geo commands (t_geo).  Searches scan the
same cells in the same order as Redis, so even unsorted replies are
compared byte for byte."""
import random

import pytest

SICILY = ["13.361389", "38.115556", "Palermo", "15.087269", "37.502669", "Catania",
          "12.758489", "38.788135", "edge1", "13.583333", "37.316667", "Agrigento",
          "14.015", "37.49", "Caltanissetta"]


def resp3(pair):
    pair.both("HELLO", "3")


def sicily(pair, key="Sicily"):
    pair.check("GEOADD", key, *SICILY)


def random_points(rng, n):
    args = []
    for i in range(n):
        args += ["%.6f" % rng.uniform(-180, 180), "%.6f" % rng.uniform(-85.05112878, 85.05112878),
                 "p%d" % i]
    return args


# --- GEOADD -------------------------------------------------------------------

def test_geoadd_scores_are_bit_identical_for_random_points(pair):
    rng = random.Random(1)
    pts = random_points(rng, 300)
    pair.check("GEOADD", "g", *pts)
    for i in range(300):
        pair.check("ZSCORE", "g", "p%d" % i)


@pytest.mark.parametrize("lon,lat", [("180", "85.05112878"), ("-180", "-85.05112878"),
                                     ("180", "-85.05112878"), ("-180", "85.05112878"),
                                     ("0", "0"), ("-0.000001", "0.000001"), ("179.99999999", "1e-9")])
def test_geoadd_edges(pair, lon, lat):
    pair.check("GEOADD", "g", lon, lat, "m")
    pair.check("ZSCORE", "g", "m")
    pair.check("GEOPOS", "g", "m")
    pair.check("GEOHASH", "g", "m")


def test_geoadd_counts_added_and_ch(pair):
    sicily(pair)
    pair.check("GEOADD", "Sicily", "13.361389", "38.115556", "Palermo", "1", "1", "new")
    pair.check("GEOADD", "Sicily", "CH", "13.5", "38.1", "Palermo", "1", "1", "new2")
    pair.check("ZRANGE", "Sicily", "0", "-1", "WITHSCORES")


def test_geoadd_nx_xx(pair):
    sicily(pair)
    pair.check("GEOADD", "Sicily", "NX", "1", "1", "Palermo", "2", "2", "x")
    pair.check("GEOADD", "Sicily", "XX", "CH", "1", "1", "Palermo", "2", "2", "y")
    pair.check("GEOADD", "nokey", "XX", "1", "1", "a")
    pair.check("EXISTS", "nokey")
    pair.check("GEOPOS", "Sicily", "Palermo", "x", "y")


@pytest.mark.parametrize("args", [
    ["1", "100", "x"], ["181", "0", "x"], ["-180.5", "10", "x"], ["0", "-85.06", "x"],
    ["inf", "0", "x"], ["abc", "0", "x"], ["0", "nan", "x"], ["1", "1"], ["1", "1", "a", "2"],
    ["XX", "NX", "1", "1", "a"], ["GT", "1", "1", "a"], ["1", "1", "a", "1", "100", "b"],
])
def test_geoadd_errors(pair, args):
    pair.check("GEOADD", "g", *args)
    pair.check("EXISTS", "g")


def test_geoadd_wrongtype(pair):
    pair.check("SET", "s", "x")
    pair.check("GEOADD", "s", "1", "1", "a")
    pair.check("GEOADD", "s", "1", "100", "a")


# --- GEODIST GEOHASH GEOPOS ------------------------------------------------------

@pytest.mark.parametrize("unit", [None, "m", "km", "KM", "ft", "mi", "Mi"])
def test_geodist_units(pair, unit):
    sicily(pair)
    pair.check("GEODIST", "Sicily", "Palermo", "Catania", *([unit] if unit else []))


def test_geodist_missing(pair):
    sicily(pair)
    pair.check("GEODIST", "Sicily", "Palermo", "nope")
    pair.check("GEODIST", "nokey", "a", "b")
    pair.check("GEODIST", "Sicily", "Palermo", "Palermo")


def test_geodist_errors(pair):
    sicily(pair)
    pair.check("GEODIST", "Sicily", "Palermo", "Catania", "yards")
    pair.check("GEODIST", "Sicily", "Palermo", "Catania", "km", "x")
    pair.check("GEODIST", "nokey", "a", "b", "yards")
    pair.check("SET", "s", "x")
    pair.check("GEODIST", "s", "a", "b")


def test_geodist_random(pair):
    rng = random.Random(2)
    pair.check("GEOADD", "g", *random_points(rng, 100))
    for i in range(0, 100, 2):
        pair.check("GEODIST", "g", "p%d" % i, "p%d" % (i + 1), "km")


def test_geohash_and_geopos(pair):
    sicily(pair)
    pair.check("GEOHASH", "Sicily", "Palermo", "Catania", "nope")
    pair.check("GEOPOS", "Sicily", "Palermo", "nope", "Catania")
    pair.check("GEOHASH", "nokey", "a")
    pair.check("GEOPOS", "nokey", "a", "b")
    pair.check("GEOHASH", "Sicily")
    pair.check("GEOPOS", "Sicily")


def test_geohash_geopos_random(pair):
    rng = random.Random(3)
    pair.check("GEOADD", "g", *random_points(rng, 200))
    names = ["p%d" % i for i in range(200)]
    pair.check("GEOHASH", "g", *names)
    pair.check("GEOPOS", "g", *names)


def test_geohash_geopos_resp3(pair):
    resp3(pair)
    sicily(pair)
    pair.check("GEOHASH", "Sicily", "Palermo", "nope")
    pair.check("GEOPOS", "Sicily", "Palermo", "nope")
    pair.check("GEODIST", "Sicily", "Palermo", "Catania")
    pair.check("GEODIST", "Sicily", "Palermo", "nope")


def test_geo_wrongtype(pair):
    pair.check("SET", "s", "x")
    for cmd in (["GEOHASH", "s", "a"], ["GEOPOS", "s", "a"],
                ["GEOSEARCH", "s", "FROMLONLAT", "0", "0", "BYRADIUS", "1", "m"],
                ["GEORADIUS", "s", "0", "0", "1", "m"], ["GEORADIUSBYMEMBER", "s", "a", "1", "m"]):
        pair.check(*cmd)


# --- searches -------------------------------------------------------------------------

SEARCHES = [
    ["FROMLONLAT", "15", "37", "BYRADIUS", "200", "km"],
    ["FROMLONLAT", "15", "37", "BYRADIUS", "200", "km", "ASC"],
    ["FROMLONLAT", "15", "37", "BYRADIUS", "200", "km", "DESC", "WITHCOORD", "WITHDIST", "WITHHASH"],
    ["FROMLONLAT", "15", "37", "BYRADIUS", "100", "km", "WITHDIST"],
    ["FROMLONLAT", "15", "37", "BYBOX", "400", "400", "km", "ASC", "WITHCOORD", "WITHDIST"],
    ["FROMLONLAT", "15", "37", "BYBOX", "100", "300", "mi", "WITHDIST"],
    ["FROMMEMBER", "Palermo", "BYRADIUS", "100", "mi", "WITHDIST", "ASC"],
    ["FROMMEMBER", "Palermo", "BYBOX", "300000", "300000", "ft", "DESC", "WITHHASH"],
    ["FROMMEMBER", "Palermo", "BYRADIUS", "0", "m"],
    ["FROMLONLAT", "15", "37", "BYRADIUS", "200", "km", "COUNT", "2"],
    ["FROMLONLAT", "15", "37", "BYRADIUS", "200", "km", "COUNT", "2", "DESC", "WITHDIST"],
    ["FROMLONLAT", "15", "37", "BYRADIUS", "200", "km", "COUNT", "1", "ANY"],
    ["FROMLONLAT", "15", "37", "BYRADIUS", "200", "km", "COUNT", "3", "ANY", "ASC"],
    ["FROMLONLAT", "15", "37", "BYRADIUS", "200", "km", "COUNT", "100"],
    ["FROMLONLAT", "-100", "-60", "BYRADIUS", "10", "km"],
    ["fromlonlat", "15", "37", "byradius", "20000", "km", "withdist"],
]


@pytest.mark.parametrize("args", SEARCHES)
def test_geosearch(pair, args):
    sicily(pair)
    pair.check("GEOSEARCH", "Sicily", *args)


@pytest.mark.parametrize("args", SEARCHES[:5])
def test_geosearch_resp3(pair, args):
    resp3(pair)
    sicily(pair)
    pair.check("GEOSEARCH", "Sicily", *args)


def test_geosearch_missing_key(pair):
    pair.check("GEOSEARCH", "nokey", "FROMLONLAT", "15", "37", "BYRADIUS", "200", "km")
    pair.check("GEOSEARCH", "nokey", "FROMMEMBER", "x", "BYRADIUS", "200", "km")
    pair.check("GEOSEARCHSTORE", "dst", "nokey", "FROMMEMBER", "x", "BYBOX", "1", "1", "km")


@pytest.mark.parametrize("args", [
    ["BYRADIUS", "1", "km"],
    ["FROMLONLAT", "15", "37"],
    ["FROMMEMBER", "Palermo", "FROMLONLAT", "15", "37", "BYRADIUS", "1", "km"],
    ["FROMLONLAT", "15", "37", "FROMMEMBER", "Palermo", "BYRADIUS", "1", "km"],
    ["FROMLONLAT", "15", "37", "BYRADIUS", "1", "km", "BYBOX", "1", "1", "km"],
    ["FROMLONLAT", "15", "37", "BYBOX", "1", "1", "km", "BYRADIUS", "1", "km"],
    ["FROMMEMBER", "nope", "BYRADIUS", "1", "km"],
    ["FROMLONLAT", "15", "100", "BYRADIUS", "1", "km"],
    ["FROMLONLAT", "x", "37", "BYRADIUS", "1", "km"],
    ["FROMLONLAT", "15", "37", "BYRADIUS", "-1", "km"],
    ["FROMLONLAT", "15", "37", "BYRADIUS", "abc", "km"],
    ["FROMLONLAT", "15", "37", "BYRADIUS", "1", "yd"],
    ["FROMLONLAT", "15", "37", "BYBOX", "x", "1", "km"],
    ["FROMLONLAT", "15", "37", "BYBOX", "1", "x", "km"],
    ["FROMLONLAT", "15", "37", "BYBOX", "-1", "1", "km"],
    ["FROMLONLAT", "15", "37", "BYBOX", "1", "1", "yd"],
    ["FROMLONLAT", "15", "37", "BYRADIUS", "1", "km", "COUNT", "0"],
    ["FROMLONLAT", "15", "37", "BYRADIUS", "1", "km", "COUNT", "x"],
    ["FROMLONLAT", "15", "37", "BYRADIUS", "1", "km", "COUNT"],
    ["FROMLONLAT", "15", "37", "BYRADIUS", "1", "km", "ANY"],
    ["FROMLONLAT", "15", "37", "BYRADIUS", "1", "km", "STORE", "x"],
    ["FROMLONLAT", "15", "37", "BYRADIUS", "1", "km", "STOREDIST"],
    ["FROMLONLAT", "15", "37", "BYRADIUS", "1", "km", "bogus"],
    ["FROMLONLAT", "15", "BYRADIUS", "1", "km"],
])
def test_geosearch_errors(pair, args):
    sicily(pair)
    pair.check("GEOSEARCH", "Sicily", *args)
    pair.check("geosearch", "nokey", *args)


def test_geosearchstore(pair):
    sicily(pair)
    pair.check("GEOSEARCHSTORE", "dst", "Sicily", "FROMLONLAT", "15", "37", "BYRADIUS", "200", "km")
    pair.check("ZRANGE", "dst", "0", "-1", "WITHSCORES")
    pair.check("GEOSEARCHSTORE", "dst", "Sicily", "FROMLONLAT", "15", "37", "BYBOX", "400", "400",
               "km", "STOREDIST", "COUNT", "2")
    pair.check("ZRANGE", "dst", "0", "-1", "WITHSCORES")
    pair.check("OBJECT", "ENCODING", "dst")
    pair.check("GEOSEARCHSTORE", "dst", "Sicily", "FROMLONLAT", "-100", "-60", "BYRADIUS", "1", "km")
    pair.check("EXISTS", "dst")
    pair.check("GEOSEARCHSTORE", "Sicily", "Sicily", "FROMMEMBER", "Palermo", "BYRADIUS", "100", "km",
               "STOREDIST")
    pair.check("ZRANGE", "Sicily", "0", "-1", "WITHSCORES")


@pytest.mark.parametrize("opt", ["WITHDIST", "WITHHASH", "WITHCOORD"])
def test_geosearchstore_rejects_with_options(pair, opt):
    sicily(pair)
    pair.check("GEOSEARCHSTORE", "dst", "Sicily", "FROMLONLAT", "15", "37", "BYRADIUS", "200", "km", opt)
    pair.check("GEOSEARCHSTORE", "dst", "Sicily", "FROMLONLAT", "15", "37", "BYRADIUS", "200", "km",
               "STORE", "x")


def test_geosearchstore_replaces_other_types(pair):
    sicily(pair)
    pair.check("SET", "dst", "x")
    pair.check("EXPIRE", "dst", "100")
    pair.check("GEOSEARCHSTORE", "dst", "Sicily", "FROMMEMBER", "Palermo", "BYRADIUS", "1", "km")
    pair.check("TYPE", "dst")
    pair.check("TTL", "dst")


RADIUS_OPTS = [
    [], ["WITHDIST"], ["WITHCOORD", "WITHHASH", "WITHDIST", "ASC"], ["DESC", "COUNT", "2"],
    ["COUNT", "1", "ANY"], ["COUNT", "2", "ANY", "DESC", "WITHDIST"],
]


@pytest.mark.parametrize("opts", RADIUS_OPTS)
@pytest.mark.parametrize("cmd", ["GEORADIUS", "GEORADIUS_RO"])
def test_georadius(pair, cmd, opts):
    sicily(pair)
    pair.check(cmd, "Sicily", "15", "37", "200", "km", *opts)


@pytest.mark.parametrize("opts", RADIUS_OPTS)
@pytest.mark.parametrize("cmd", ["GEORADIUSBYMEMBER", "GEORADIUSBYMEMBER_RO"])
def test_georadiusbymember(pair, cmd, opts):
    sicily(pair)
    pair.check(cmd, "Sicily", "Agrigento", "150", "km", *opts)


def test_georadius_store_and_storedist(pair):
    sicily(pair)
    pair.check("GEORADIUS", "Sicily", "15", "37", "200", "km", "STORE", "a")
    pair.check("GEORADIUSBYMEMBER", "Sicily", "Palermo", "200", "km", "STOREDIST", "b", "COUNT", "2")
    pair.check("ZRANGE", "a", "0", "-1", "WITHSCORES")
    pair.check("ZRANGE", "b", "0", "-1", "WITHSCORES")
    pair.check("GEORADIUS", "Sicily", "15", "37", "200", "km", "STORE", "a", "WITHDIST")
    pair.check("GEORADIUS_RO", "Sicily", "15", "37", "200", "km", "STORE", "a")
    pair.check("GEORADIUSBYMEMBER_RO", "Sicily", "Palermo", "200", "km", "STOREDIST", "a")
    pair.check("GEORADIUS", "nokey", "15", "37", "200", "km", "STORE", "a")
    pair.check("EXISTS", "a")


@pytest.mark.parametrize("args", [
    ["15", "100", "1", "km"], ["15", "37", "-1", "km"], ["15", "37", "1", "yd"], ["15", "37", "x", "km"],
    ["15", "37", "1", "km", "COUNT", "-2"], ["15", "37", "1", "km", "ANY"],
    ["15", "37", "1", "km", "FROMLONLAT", "1", "1"], ["15", "37", "1", "km", "BYBOX", "1", "1", "km"],
])
def test_georadius_errors(pair, args):
    sicily(pair)
    pair.check("GEORADIUS", "Sicily", *args)
    pair.check("GEORADIUS", "nokey", *args)


def test_georadiusbymember_errors(pair):
    sicily(pair)
    pair.check("GEORADIUSBYMEMBER", "Sicily", "nope", "1", "km")
    pair.check("GEORADIUSBYMEMBER", "Sicily", "Palermo", "-1", "km")
    pair.check("GEORADIUSBYMEMBER", "nokey", "nope", "-1", "yd")
    pair.check("GEORADIUSBYMEMBER", "nokey", "nope", "1", "km", "ANY")


@pytest.mark.parametrize("seed", range(4))
def test_random_searches_match(pair, seed):
    rng = random.Random(seed)
    pair.check("GEOADD", "g", *random_points(rng, 400))
    pair.check("OBJECT", "ENCODING", "g")
    for _ in range(25):
        lon, lat = "%.5f" % rng.uniform(-180, 180), "%.5f" % rng.uniform(-85, 85)
        r = "%d" % rng.choice([10, 500, 2000, 6000])
        pair.check("GEOSEARCH", "g", "FROMLONLAT", lon, lat, "BYRADIUS", r, "km", "WITHDIST", "WITHHASH")
        pair.check("GEOSEARCH", "g", "FROMLONLAT", lon, lat, "BYBOX", r, r, "km", "ASC", "WITHCOORD")
        pair.check("GEOSEARCH", "g", "FROMMEMBER", "p%d" % rng.randrange(400), "BYRADIUS", r, "km",
                   "COUNT", "3", "ANY")
        pair.check("GEORADIUS", "g", lon, lat, r, "km", "COUNT", "5", "DESC")


def test_search_near_the_poles_and_antimeridian(pair):
    pair.check("GEOADD", "g", "179.9", "0", "a", "-179.9", "0", "b", "0", "85", "c", "120", "84.9", "d",
               "-179.99", "-85", "e")
    for args in (["FROMLONLAT", "179.95", "0", "BYRADIUS", "50", "km", "ASC"],
                 ["FROMLONLAT", "0", "84.95", "BYRADIUS", "1000", "km", "WITHDIST"],
                 ["FROMLONLAT", "180", "-85", "BYBOX", "100", "100", "km"]):
        pair.check("GEOSEARCH", "g", *args)
