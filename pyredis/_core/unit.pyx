# Thin Python wrappers over the C pieces of csrc/, for tests/unit only.
# The server never imports this module.
include "unit_dict.pxi"
include "unit_resp.pxi"
include "unit_util.pxi"
include "unit_listpack.pxi"
include "unit_quicklist.pxi"
include "unit_intset.pxi"
include "unit_zmalloc.pxi"
include "unit_zskiplist.pxi"
include "unit_geohash.pxi"
include "unit_rio.pxi"
include "unit_bitops.pxi"
include "unit_hll.pxi"
