# unit wrappers for csrc/zskiplist (filled by its module)
