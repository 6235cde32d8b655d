# unit wrappers for csrc/geohash (filled by its module)
