/* object.c -- constructors, copies and release of value objects.
 *
 * See object.h for the layout.  Invariants kept here:
 *  - an EMBSTR object is one allocation of 8 + len + 1 bytes, NUL-ended;
 *  - a RAW object's buffer holds len bytes plus a NUL and its capacity is
 *    zmalloc_size(ptr), so growth needs no separate field;
 *  - INT is produced only for text that string2ll accepts, so converting
 *    back gives the very same bytes.
 */
#include "object.h"
#include "zmalloc.h"
#include "util.h"
#include "reply.h"

#include <malloc.h>
#include <stdlib.h>
#include <string.h>

unsigned int objLruClock = 0;
unsigned int objNewLru = 0;

static objTypeOps typeOps[16];

void objRegisterType(int type, objTypeOps ops) { typeOps[type & 15] = ops; }

static robj *newHeader(size_t extra) {
    robj *o = zmalloc(extra);
    if (!o) return NULL;
    o->lru = objNewLru;
    return o;
}

robj *objCreateRawString(const char *p, size_t len, size_t cap) {
    if (cap < len) cap = len;
    robj *o = newHeader(sizeof(robj));
    if (!o) return NULL;
    char *buf = zmalloc(cap + 1);
    if (!buf) {
        zfree(o);
        return NULL;
    }
    if (p && len) memcpy(buf, p, len);
    buf[len] = '\0';
    o->type = OBJ_STRING;
    o->encoding = OBJ_ENCODING_RAW;
    o->len = (uint32_t)len;
    o->v.ptr = buf;
    return o;
}

robj *objCreateString(const char *p, size_t len) {
    if (len > OBJ_EMBSTR_MAX) return objCreateRawString(p, len, len);
    robj *o = newHeader(8 + len + 1);
    if (!o) return NULL;
    o->type = OBJ_STRING;
    o->encoding = OBJ_ENCODING_EMBSTR;
    o->len = (uint32_t)len;
    if (p && len) memcpy(OBJ_EMB_PTR(o), p, len);
    OBJ_EMB_PTR(o)[len] = '\0';
    return o;
}

robj *objCreate(int type, int encoding, void *ptr) {
    robj *o = newHeader(sizeof(robj));
    if (!o) return NULL;
    o->type = type;
    o->encoding = encoding;
    o->len = 0;
    o->v.ptr = ptr;
    return o;
}

robj *objCreateInt(long long v) {
    robj *o = newHeader(sizeof(robj));
    if (!o) return NULL;
    o->type = OBJ_STRING;
    o->encoding = OBJ_ENCODING_INT;
    o->len = 0;
    o->v.ll = v;
    return o;
}

robj *objCreateStringTryInt(const char *p, size_t len) {
    long long v;
    if (len <= 20 && string2ll(p, len, &v)) return objCreateInt(v);
    return objCreateString(p, len);
}

robj *objDup(const robj *o) {
    if (o->type != OBJ_STRING)
        return typeOps[o->type].dup ? typeOps[o->type].dup(o) : NULL;
    switch (o->encoding) {
    case OBJ_ENCODING_INT: return objCreateInt(o->v.ll);
    case OBJ_ENCODING_EMBSTR: return objCreateString(OBJ_EMB_PTR(o), o->len);
    default: return objCreateRawString(o->v.ptr, o->len, o->len);
    }
}

void objFree(robj *o) {
    if (!o) return;
    if (o->type == OBJ_STRING) {
        if (o->encoding == OBJ_ENCODING_RAW) zfree(o->v.ptr);
    } else if (typeOps[o->type].freePayload) {
        typeOps[o->type].freePayload(o);
    }
    zfree(o);
}

const char *objStrPtr(const robj *o, char *scratch, size_t *len) {
    switch (o->encoding) {
    case OBJ_ENCODING_INT:
        *len = (size_t)fmtLongLong(scratch, o->v.ll);
        return scratch;
    case OBJ_ENCODING_EMBSTR:
        *len = o->len;
        return OBJ_EMB_PTR(o);
    default:
        *len = o->len;
        return o->v.ptr;
    }
}

size_t objStrLen(const robj *o) {
    if (o->encoding == OBJ_ENCODING_INT) {
        char tmp[32];
        return (size_t)fmtLongLong(tmp, o->v.ll);
    }
    return o->len;
}

char *objRawPtr(robj *o) { return o->v.ptr; }

robj *objMakeRawWithCap(robj *o, size_t need) {
    if (o->encoding == OBJ_ENCODING_RAW) {
        if (zmalloc_size(o->v.ptr) >= need + 1) return o;
        /* grow geometrically below 1 MB, then by 1 MB, as sds does */
        size_t cap = need < 1024 * 1024 ? need * 2 : need + 1024 * 1024;
        char *nb = zrealloc(o->v.ptr, cap + 1);
        if (!nb) return NULL;
        o->v.ptr = nb;
        return o;
    }
    char scratch[32];
    size_t len;
    const char *p = objStrPtr(o, scratch, &len);
    size_t cap = need < len ? len : need;
    robj *n = objCreateRawString(p, len, cap);
    if (!n) return NULL;
    n->lru = o->lru;
    objFree(o);
    return n;
}

const char *objTypeName(int type) {
    switch (type) {
    case OBJ_STRING: return "string";
    case OBJ_LIST: return "list";
    case OBJ_SET: return "set";
    case OBJ_ZSET: return "zset";
    case OBJ_HASH: return "hash";
    case OBJ_STREAM: return "stream";
    default: return "none";
    }
}

const char *objEncodingName(int encoding) {
    switch (encoding) {
    case OBJ_ENCODING_RAW: return "raw";
    case OBJ_ENCODING_INT: return "int";
    case OBJ_ENCODING_HT: return "hashtable";
    case OBJ_ENCODING_INTSET: return "intset";
    case OBJ_ENCODING_SKIPLIST: return "skiplist";
    case OBJ_ENCODING_EMBSTR: return "embstr";
    case OBJ_ENCODING_QUICKLIST: return "quicklist";
    case OBJ_ENCODING_STREAM: return "stream";
    case OBJ_ENCODING_LISTPACK: return "listpack";
    default: return "unknown";
    }
}
