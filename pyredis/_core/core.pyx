# cython: language_level=3
# The compiled core of pyredis: one extension made of small files joined by
# `include`, so calls between them are direct C calls.
include "consts.pxi"
include "state.pyx"
include "keyspace.pyx"
include "replies.pyx"
include "cmdtable.pyx"
include "call.pyx"
include "conn.pyx"
include "t_string.pyx"
include "t_generic.pyx"
include "t_list.pyx"
include "t_hash.pyx"
include "t_set.pyx"
include "blocking.pyx"
include "t_server.pyx"
include "api.pyx"
