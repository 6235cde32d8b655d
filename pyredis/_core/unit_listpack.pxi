# unit wrappers for csrc/listpack (filled by its module)
