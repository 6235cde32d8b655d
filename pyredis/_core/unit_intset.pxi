# unit wrappers for csrc/intset (filled by its module)
