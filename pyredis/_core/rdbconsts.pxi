# RDB format constants (value types, opcodes, length encodings), as
# Redis 7.0 numbers them.

cdef enum:
    RDB_VERSION = 10

    # value types
    RDB_TYPE_STRING = 0
    RDB_TYPE_LIST = 1
    RDB_TYPE_SET = 2
    RDB_TYPE_ZSET = 3
    RDB_TYPE_HASH = 4
    RDB_TYPE_ZSET_2 = 5
    RDB_TYPE_MODULE = 6
    RDB_TYPE_MODULE_2 = 7
    RDB_TYPE_HASH_ZIPMAP = 9
    RDB_TYPE_LIST_ZIPLIST = 10
    RDB_TYPE_SET_INTSET = 11
    RDB_TYPE_ZSET_ZIPLIST = 12
    RDB_TYPE_HASH_ZIPLIST = 13
    RDB_TYPE_LIST_QUICKLIST = 14
    RDB_TYPE_STREAM_LISTPACKS = 15
    RDB_TYPE_HASH_LISTPACK = 16
    RDB_TYPE_ZSET_LISTPACK = 17
    RDB_TYPE_LIST_QUICKLIST_2 = 18
    RDB_TYPE_STREAM_LISTPACKS_2 = 19

    # opcodes of the file layer
    RDB_OPCODE_FUNCTION2 = 245
    RDB_OPCODE_FUNCTION = 246
    RDB_OPCODE_MODULE_AUX = 247
    RDB_OPCODE_IDLE = 248
    RDB_OPCODE_FREQ = 249
    RDB_OPCODE_AUX = 250
    RDB_OPCODE_RESIZEDB = 251
    RDB_OPCODE_EXPIRETIME_MS = 252
    RDB_OPCODE_EXPIRETIME = 253
    RDB_OPCODE_SELECTDB = 254
    RDB_OPCODE_EOF = 255

    # length encodings: the two high bits of the first byte
    RDB_6BITLEN = 0
    RDB_14BITLEN = 1
    RDB_32BITLEN = 0x80
    RDB_64BITLEN = 0x81
    RDB_ENCVAL = 3
    # special string encodings (RDB_ENCVAL, low 6 bits)
    RDB_ENC_INT8 = 0
    RDB_ENC_INT16 = 1
    RDB_ENC_INT32 = 2
    RDB_ENC_LZF = 3

    # quicklist node containers in LIST_QUICKLIST_2
    QUICKLIST_NODE_CONTAINER_PLAIN = 1
    QUICKLIST_NODE_CONTAINER_PACKED = 2

    # rdb_load_object *error
    RDB_LOAD_ERR_EMPTY_KEY = 1
    RDB_LOAD_ERR_OTHER = 2

    # sanitize-dump-payload
    SANITIZE_DUMP_NO = 0
    SANITIZE_DUMP_YES = 1
    SANITIZE_DUMP_CLIENTS = 2
