/* The report's reader: the facts of one message (msg_info) from its decoded
 * tree, found by filter names through the public API.  Payload numbers are
 * RFC 2408 3.1 (IKEv1) and RFC 7296 3.2 (IKEv2); proposals (2) and
 * transforms (3) are the substructures of SA payloads in both versions. */
#include <string.h>

#include "report_walk.h"

/* What an item means to the report; looked up by field id. */
enum {
    C_NONE, C_ISPI, C_RSPI, C_EXCH, C_MSGID, C_FLAG_I, C_FLAG_R, C_FLAG_E, C_PAYLOAD,
    C_PROTOID, C_SPI, C_TF_ENCR, C_TF_PRF, C_TF_INTEG, C_TF_DH, C_TF_ESN, C_KEYLEN2,
    C_TRANS_ID, C_V1_ENCR, C_V1_HASH, C_V1_AUTH, C_V1_GROUP, C_V1_LTYPE, C_V1_LDUR,
    C_V1_KEYLEN, C_ESP_AUTH, C_ESP_GROUP, C_ESP_ENCAP, C_ESP_LTYPE, C_ESP_LDUR,
    C_ESP_KEYLEN, C_NOTIFY, C_VID_STRING, C_VID_BYTES, C_KE_GROUP, C_AUTH_METHOD,
    C_VERIFY_ICV, C_VERIFY_HASH, C_VERIFY_AUTH, C_ID_DATA, C_TS_ADDR, C_FRAG,
    C_SIGHASH, C_EAP_TYPE, C_DECRYPTED
};

struct walk_fields {
    uint8_t *code;   /* by field id */
    size_t n;
};

/* Filter names the report reads, and what each means. */
static const struct { const char *abbrev; uint8_t code; } field_codes[] = {
    { "ike.ispi", C_ISPI }, { "ike.rspi", C_RSPI }, { "ike.exchangetype", C_EXCH },
    { "ike.messageid", C_MSGID }, { "ike.flag_i", C_FLAG_I }, { "ike.flag_r", C_FLAG_R },
    { "ike.flag_e", C_FLAG_E }, { "ike.typepayload", C_PAYLOAD },
    { "ike.prop.protoid", C_PROTOID }, { "ike.spi", C_SPI },
    { "ike.tf.id.encr", C_TF_ENCR }, { "ike.tf.id.prf", C_TF_PRF },
    { "ike.tf.id.integ", C_TF_INTEG }, { "ike.tf.id.dh", C_TF_DH },
    { "ike.tf.id.esn", C_TF_ESN }, { "ike.ike2.attr.key_length", C_KEYLEN2 },
    { "ike.trans.id", C_TRANS_ID },
    { "ike.ike.attr.encryption_algorithm", C_V1_ENCR },
    { "ike.ike.attr.hash_algorithm", C_V1_HASH },
    { "ike.ike.attr.authentication_method", C_V1_AUTH },
    { "ike.ike.attr.group_description", C_V1_GROUP },
    { "ike.ike.attr.life_type", C_V1_LTYPE }, { "ike.ike.attr.life_duration", C_V1_LDUR },
    { "ike.ike.attr.life_duration64", C_V1_LDUR }, { "ike.ike.attr.key_length", C_V1_KEYLEN },
    { "ike.ipsec.attr.auth_algorithm", C_ESP_AUTH },
    { "ike.ipsec.attr.group_description", C_ESP_GROUP },
    { "ike.ipsec.attr.encap_mode", C_ESP_ENCAP },
    { "ike.ipsec.attr.life_type", C_ESP_LTYPE },
    { "ike.ipsec.attr.life_duration", C_ESP_LDUR },
    { "ike.ipsec.attr.life_duration64", C_ESP_LDUR },
    { "ike.ipsec.attr.key_length", C_ESP_KEYLEN },
    { "ike.notify.msgtype", C_NOTIFY }, { "ike.vid_string", C_VID_STRING },
    { "ike.vid_bytes", C_VID_BYTES }, { "ike.key_exchange.dh_group", C_KE_GROUP },
    { "ike.auth.method", C_AUTH_METHOD }, { "ike.verify.icv", C_VERIFY_ICV },
    { "ike.verify.hash", C_VERIFY_HASH }, { "ike.verify.auth", C_VERIFY_AUTH },
    { "ike.ts.start_ipv4", C_TS_ADDR }, { "ike.ts.end_ipv4", C_TS_ADDR },
    { "ike.ts.start_ipv6", C_TS_ADDR }, { "ike.ts.end_ipv6", C_TS_ADDR },
    { "ike.notify.data.signature_hash_algorithms", C_SIGHASH },
    { "ike.eap.type", C_EAP_TYPE }, { "ike.enc.decrypted", C_DECRYPTED },
};

/* Families matched by prefix: every identification datum, every fragment field. */
static const struct { const char *prefix; uint8_t code; } prefix_codes[] = {
    { "ike.id.data.", C_ID_DATA }, { "ike.frag.", C_FRAG }, { "ike.fragment", C_FRAG },
};

walk_fields *walk_fields_new(void)
{
    walk_fields *wf = g_new0(walk_fields, 1);
    const isakmp_field *t = isakmp_fields(&wf->n);
    wf->code = g_new0(uint8_t, wf->n);
    for (size_t i = 0; i < wf->n; i++)
        for (size_t k = 0; k < G_N_ELEMENTS(prefix_codes); k++)
            if (g_str_has_prefix(t[i].abbrev, prefix_codes[k].prefix))
                wf->code[i] = prefix_codes[k].code;
    for (size_t k = 0; k < G_N_ELEMENTS(field_codes); k++) {
        const isakmp_field *f = isakmp_field_by_abbrev(field_codes[k].abbrev);
        if (f && (size_t)f->id < wf->n)   /* a name the decoder lacks is simply never seen */
            wf->code[f->id] = field_codes[k].code;
    }
    return wf;
}

void walk_fields_free(walk_fields *wf)
{
    if (!wf)
        return;
    g_free(wf->code);
    g_free(wf);
}

void rpt_copy(char *dst, size_t size, const char *s)
{
    g_strlcpy(dst, s ? s : "", size);
}

static int code_of(const walk_fields *wf, const isakmp_item *it)
{
    const isakmp_field *f = isakmp_item_field(it);
    return f && (size_t)f->id < wf->n ? wf->code[f->id] : C_NONE;
}

/* Pre-order successor of `it` within `root`, into the children or not. */
static const isakmp_item *next_item(const isakmp_item *it, const isakmp_item *root, bool descend)
{
    const isakmp_item *c = descend ? isakmp_item_first_child(it) : NULL;
    if (c)
        return c;
    while (it && it != root) {
        const isakmp_item *n = isakmp_item_next(it);
        if (n)
            return n;
        it = isakmp_item_parent(it);
    }
    return NULL;
}

/* ---------------------------------------------------------------- values */

static uint32_t u32(const isakmp_item *it) { return (uint32_t)isakmp_item_uint(it); }

static void set_alg(rpt_alg *a, const isakmp_item *it)
{
    a->set = true;
    a->id = u32(it);
    const char *n = isakmp_item_value_name(it);
    if (n)
        rpt_copy(a->name, sizeof a->name, n);
    else
        g_snprintf(a->name, sizeof a->name, "%u", a->id);
}

static void copy_bytes(uint8_t *dst, size_t cap, size_t *len, const isakmp_item *it)
{
    size_t n = 0;
    const uint8_t *b = isakmp_item_bytes(it, &n);
    *len = b ? MIN(n, cap) : 0;
    if (*len)
        memcpy(dst, b, *len);
}

/* Appends "sep value" to a bounded text. */
static void append(char *dst, size_t size, const char *sep, const char *s)
{
    if (dst[0])
        g_strlcat(dst, sep, size);
    g_strlcat(dst, s, size);
}

static void append_value(char *dst, size_t size, const char *sep, const isakmp_item *it)
{
    char v[96];
    isakmp_item_format_value(it, v, sizeof v);
    append(dst, size, sep, v);
}

/* ---------------------------------------------------------------- SA */

static void v1_life(rpt_suite *s, uint32_t type, uint64_t v)
{
    if (type == 1)          /* RFC 2407 4.5 / RFC 2409 App. A: 1 seconds, 2 kilobytes */
        s->life_s = v;
    else if (type == 2)
        s->life_kb = v;
}

static void transform_item(const walk_fields *wf, rpt_suite *s, const isakmp_item *it,
                           uint32_t *ltype)
{
    switch (code_of(wf, it)) {
    case C_TF_ENCR: set_alg(&s->encr, it); break;
    case C_TF_PRF: set_alg(&s->prf, it); break;
    case C_TF_INTEG: set_alg(&s->integ, it); break;
    case C_TF_DH: set_alg(&s->dh, it); break;
    case C_TF_ESN: set_alg(&s->esn, it); break;
    case C_KEYLEN2: s->key_length = u32(it); break;
    case C_TRANS_ID: if (s->protoid != 1) set_alg(&s->encr, it); break;   /* ESP/AH: the cipher */
    case C_V1_ENCR: set_alg(&s->encr, it); break;
    case C_V1_HASH: set_alg(&s->prf, it); break;
    case C_V1_AUTH: set_alg(&s->auth, it); break;
    case C_V1_GROUP: case C_ESP_GROUP: set_alg(&s->dh, it); break;
    case C_ESP_AUTH: set_alg(&s->integ, it); break;
    case C_ESP_ENCAP: set_alg(&s->encap, it); break;
    case C_V1_KEYLEN: case C_ESP_KEYLEN: s->key_length = u32(it); break;
    case C_V1_LTYPE: case C_ESP_LTYPE: *ltype = u32(it); break;
    case C_V1_LDUR: case C_ESP_LDUR: v1_life(s, *ltype, isakmp_item_uint(it)); break;
    default: break;
    }
}

/* Reads one transform into a fresh suite `t` (same protocol as `s`). */
static void read_transform(const walk_fields *wf, const rpt_suite *s, rpt_suite *t,
                           const isakmp_item *tf)
{
    uint32_t ltype = 0;
    memset(t, 0, sizeof *t);
    t->protoid = s->protoid;
    for (const isakmp_item *it = isakmp_item_first_child(tf); it; it = next_item(it, tf, true))
        transform_item(wf, t, it, &ltype);
}

static void text_alg(char *dst, size_t size, const rpt_alg *a)
{
    if (a->set)
        append(dst, size, ", ", a->name);
}

/* The readable text of a whole suite: cipher-keylength, integrity, PRF or
 * hash, authentication, DH group, lifetimes. */
static void suite_text(rpt_suite *s)
{
    char t[96] = "";
    s->text[0] = 0;
    if (s->encr.set) {
        g_snprintf(t, sizeof t, s->key_length ? "%s-%u" : "%s", s->encr.name, s->key_length);
        append(s->text, sizeof s->text, ", ", t);
    }
    text_alg(s->text, sizeof s->text, &s->integ);
    text_alg(s->text, sizeof s->text, &s->prf);
    text_alg(s->text, sizeof s->text, &s->auth);
    if (s->dh.set) {
        g_snprintf(t, sizeof t, "DH%u", s->dh.id);
        append(s->text, sizeof s->text, ", ", t);
    }
    if (s->life_s) {
        g_snprintf(t, sizeof t, "%" G_GUINT64_FORMAT "s", s->life_s);
        append(s->text, sizeof s->text, ", ", t);
    }
    if (s->life_kb) {
        g_snprintf(t, sizeof t, "%" G_GUINT64_FORMAT "KB", s->life_kb);
        append(s->text, sizeof s->text, ", ", t);
    }
}

/* IKEv2: a transform of a type already set is an alternative; the suite
 * keeps the first, the alternatives go into `alts`. */
static void merge_alg(rpt_alg *dst, const rpt_alg *src, char *alts, size_t size)
{
    if (!src->set)
        return;
    if (dst->set)
        append(alts, size, "|", src->name);
    else
        *dst = *src;
}

static void merge_v2(rpt_suite *s, const rpt_suite *t, char *alts, size_t size)
{
    if (t->encr.set && !s->encr.set)
        s->key_length = t->key_length;
    else if (t->encr.set && t->key_length) {
        char k[RPT_NAME + 16];
        g_snprintf(k, sizeof k, "%s-%u", t->encr.name, t->key_length);
        append(alts, size, "|", k);
        return;
    }
    merge_alg(&s->encr, &t->encr, alts, size);
    merge_alg(&s->integ, &t->integ, alts, size);
    merge_alg(&s->prf, &t->prf, alts, size);
    merge_alg(&s->dh, &t->dh, alts, size);
    merge_alg(&s->esn, &t->esn, alts, size);
}

static bool is_payload(const walk_fields *wf, const isakmp_item *it, uint32_t type)
{
    return code_of(wf, it) == C_PAYLOAD && u32(it) == type;
}

/* RFC 2408 3.5 / RFC 7296 3.3.1: protocol, SPI, transforms.  IKEv2: one
 * suite per proposal; IKEv1: one suite per transform. */
static void walk_proposal(const walk_fields *wf, msg_info *mi, const isakmp_item *p)
{
    rpt_suite base, v2, t;
    char alts[128] = "";
    memset(&base, 0, sizeof base);
    for (const isakmp_item *it = isakmp_item_first_child(p); it; it = isakmp_item_next(it)) {
        int c = code_of(wf, it);
        if (c == C_PROTOID)
            base.protoid = u32(it);
        else if (c == C_SPI)
            copy_bytes(base.spi, sizeof base.spi, &base.spi_len, it);
    }
    v2 = base;
    for (const isakmp_item *it = isakmp_item_first_child(p); it; it = isakmp_item_next(it)) {
        if (!is_payload(wf, it, 3))
            continue;
        if (mi->suites->len >= RPT_MAX_OFFERS) {   /* IKEv1: one suite per transform */
            mi->suites_dropped += mi->version == 1;
            continue;
        }
        read_transform(wf, &base, &t, it);
        if (mi->version == 2) {
            merge_v2(&v2, &t, alts, sizeof alts);
            continue;
        }
        memcpy(t.spi, base.spi, sizeof t.spi);
        t.spi_len = base.spi_len;
        suite_text(&t);
        g_array_append_val(mi->suites, t);
    }
    if (mi->version != 2)
        return;
    if (mi->suites->len >= RPT_MAX_OFFERS) {
        mi->suites_dropped++;
        return;
    }
    suite_text(&v2);
    if (alts[0])
        append(v2.text, sizeof v2.text, " | also ", alts);
    g_array_append_val(mi->suites, v2);
}

/* ---------------------------------------------------------------- payloads */

static void walk_notify(const walk_fields *wf, msg_info *mi, const isakmp_item *p)
{
    uint32_t type = 0;
    for (const isakmp_item *it = isakmp_item_first_child(p); it; it = next_item(it, p, true)) {
        int c = code_of(wf, it);
        if (c == C_NOTIFY) {
            type = u32(it);
            if (type >= 1 && type < 16384 && !mi->has_error) {   /* error types, both versions */
                mi->has_error = true;
                mi->error = type;
                rpt_copy(mi->error_name, sizeof mi->error_name, isakmp_item_value_name(it));
                if (!mi->error_name[0])
                    g_snprintf(mi->error_name, sizeof mi->error_name, "notify %u", type);
            }
        } else if (c == C_SPI && type == 16393) {   /* REKEY_SA (RFC 7296 3.10.1) */
            copy_bytes(mi->rekey_spi, sizeof mi->rekey_spi, &mi->rekey_spi_len, it);
        } else if (c == C_SIGHASH) {
            const char *n = isakmp_item_value_name(it);
            append(mi->sig_hashes, sizeof mi->sig_hashes, ",", n ? n : "?");
            if (u32(it) == 1)   /* RFC 7427: 1 SHA1 */
                mi->sig_hash_sha1 = true;
        }
    }
    if (mi->version == 2 && (type == 16388 || type == 16389))   /* NAT_DETECTION_* */
        mi->nat_d = true;
    else if (mi->version == 2 && type == 16430)                 /* IKEV2_FRAGMENTATION_SUPPORTED */
        mi->frag_supported = true;
    else if (mi->version == 2 && type == 16391)                 /* USE_TRANSPORT_MODE */
        mi->transport_mode = true;
}

static bool is_unknown_vid(const isakmp_item *it)
{
    char v[16];
    isakmp_item_format_value(it, v, sizeof v);
    return g_str_has_prefix(v, "Unknown");   /* the decoder's "Unknown Vendor ID" */
}

static void walk_vid(const walk_fields *wf, msg_info *mi, const isakmp_item *p)
{
    char name[RPT_NAME] = "";
    for (const isakmp_item *it = isakmp_item_first_child(p); it; it = next_item(it, p, true)) {
        int c = code_of(wf, it);
        if (c == C_VID_STRING && !is_unknown_vid(it)) {
            char v[RPT_NAME];
            isakmp_item_format_value(it, v, sizeof v);
            size_t n = strlen(g_strstrip(v));
            if (n >= 2 && strcmp(v + n - 2, "\\n") == 0)   /* a name ending in a newline */
                v[n - 2] = 0;
            rpt_copy(name, sizeof name, v);
            break;
        }
        if (c == C_VID_BYTES && !name[0]) {
            isakmp_item_format_value(it, name, sizeof name);
            if (strlen(name) > 32)
                name[32] = 0;
        }
    }
    if (g_strstr_len(name, -1, "FRAGMENTATION") || g_strstr_len(name, -1, "Fragmentation"))
        mi->frag_supported = true;   /* IKEv1 fragmentation is announced by vendor ID */
    if (name[0] && mi->n_vids < MI_MAX_VIDS)
        rpt_copy(mi->vids[mi->n_vids++], RPT_NAME, name);
}

/* Identification data (RFC 2407 4.6.2, RFC 7296 3.5) or traffic selectors,
 * as text: the data items joined by '/' or '-'. */
static void walk_id(const walk_fields *wf, const isakmp_item *p, char *out, size_t size)
{
    out[0] = 0;
    for (const isakmp_item *it = isakmp_item_first_child(p); it; it = next_item(it, p, true)) {
        int c = code_of(wf, it);
        if (c == C_ID_DATA && isakmp_item_field(it)->type != ISAKMP_FT_NONE)
            append_value(out, size, "/", it);
        else if (c == C_TS_ADDR)
            append_value(out, size, strstr(isakmp_item_field(it)->abbrev, "end") ? "-" : " ", it);
    }
}

/* RFC 3748 5: the EAP method; Identity (1), Notification (2) and Nak (3)
 * say nothing about it. */
static void walk_eap(msg_info *mi, const isakmp_item *it)
{
    uint32_t t = u32(it);
    const char *n = isakmp_item_value_name(it);
    if (t <= 3)
        return;
    if (t == 4)
        rpt_copy(mi->eap_name, sizeof mi->eap_name, "EAP-MD5");
    else
        g_snprintf(mi->eap_name, sizeof mi->eap_name, "EAP-%s", n ? n : "?");
}

static void payload_id(const walk_fields *wf, msg_info *mi, const isakmp_item *it, uint32_t t)
{
    if (t == 35)
        walk_id(wf, it, mi->id_i, sizeof mi->id_i);
    else if (t == 36)
        walk_id(wf, it, mi->id_r, sizeof mi->id_r);
    else if (t == 44)
        walk_id(wf, it, mi->ts_i, sizeof mi->ts_i);
    else if (t == 45)
        walk_id(wf, it, mi->ts_r, sizeof mi->ts_r);
    else if (mi->n_ids < MI_MAX_IDS)
        walk_id(wf, it, mi->ids[mi->n_ids++], sizeof mi->ids[0]);
}

/* Returns whether to look inside the payload. */
static bool walk_payload(const walk_fields *wf, msg_info *mi, const isakmp_item *it)
{
    uint32_t t = u32(it);
    bool v2 = mi->version == 2;
    switch (t) {
    case 1: case 33: mi->has_sa = true; return true;
    case 2: walk_proposal(wf, mi, it); return false;
    case 4: case 34: mi->has_ke = true; return true;
    case 5: case 35: case 36: case 44: case 45: payload_id(wf, mi, it, t); return false;
    case 9: if (!v2) mi->has_sig = true; return true;
    case 11: case 41: walk_notify(wf, mi, it); return false;
    case 13: case 43: walk_vid(wf, mi, it); return false;
    case 20: case 130: if (!v2) mi->nat_d = true; return true;
    case 39: mi->has_auth = true; return true;
    case 46: mi->encrypted = true; return true;
    case 48: mi->has_eap = true; return true;
    case 53: mi->encrypted = mi->frag_used = true; return true;
    case 132: if (!v2) mi->frag_used = true; return true;
    default: return true;
    }
}

static void count_verify(uint32_t *ok, uint32_t *bad, const isakmp_item *it)
{
    if (isakmp_item_uint(it))
        (*ok)++;
    else
        (*bad)++;
}

/* Returns whether to look inside the item. */
static bool walk_item(const walk_fields *wf, msg_info *mi, const isakmp_item *it)
{
    switch (code_of(wf, it)) {
    case C_ISPI: { size_t n; copy_bytes(mi->ispi, 8, &n, it); break; }
    case C_RSPI: { size_t n; copy_bytes(mi->rspi, 8, &n, it); break; }
    case C_EXCH:
        mi->exch = u32(it);
        rpt_copy(mi->exch_name, sizeof mi->exch_name, isakmp_item_value_name(it));
        break;
    case C_MSGID: mi->msgid = u32(it); break;
    case C_FLAG_I: mi->flag_i = isakmp_item_uint(it) != 0; break;
    case C_FLAG_R: mi->flag_r = isakmp_item_uint(it) != 0; break;
    case C_FLAG_E: mi->flag_e = mi->encrypted = isakmp_item_uint(it) != 0; break;
    case C_PAYLOAD: return walk_payload(wf, mi, it);
    case C_KE_GROUP: mi->ke_group = u32(it); break;
    case C_AUTH_METHOD:
        mi->auth_method = u32(it);
        rpt_copy(mi->auth_name, sizeof mi->auth_name, isakmp_item_value_name(it));
        break;
    case C_VERIFY_ICV: count_verify(&mi->icv_ok, &mi->icv_bad, it); break;
    case C_VERIFY_HASH: count_verify(&mi->hash_ok, &mi->hash_bad, it); break;
    case C_VERIFY_AUTH: count_verify(&mi->auth_ok, &mi->auth_bad, it); break;
    case C_FRAG: mi->frag_used = true; break;
    case C_EAP_TYPE: walk_eap(mi, it); break;
    case C_DECRYPTED: mi->decrypted = true; break;
    default: break;
    }
    return true;
}

static void msg_info_reset(msg_info *mi)
{
    GArray *keep = mi->suites;
    memset(mi, 0, sizeof *mi);
    mi->suites = keep;
    g_array_set_size(mi->suites, 0);
}

void walk_msg(const walk_fields *wf, const isakmp_msg *m, msg_info *mi)
{
    msg_info_reset(mi);
    mi->version = isakmp_msg_version(m);
    const isakmp_item *root = isakmp_msg_root(m);
    for (const isakmp_item *it = isakmp_item_first_child(root); it;) {
        bool in = walk_item(wf, mi, it);
        it = next_item(it, root, in);
    }
    for (size_t s = 1; s < isakmp_msg_source_count(m); s++)
        if (g_str_has_prefix(isakmp_msg_source_name(m, s), "Decrypted"))
            mi->decrypted = true;
}
