# unit wrappers for csrc/quicklist (filled by its module)
