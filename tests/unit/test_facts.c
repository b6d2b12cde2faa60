/* The facts record (isakmp_msg_facts): pinned for sample IKEv1 and IKEv2
 * messages and crafted ones, and checked against the tree for every
 * message of every sample (each entry is where its items are, with their
 * values). */
#include <string.h>

#include "testutil.h"

/* ---------------------------------------------------------------- text */

static void header_text(GString *s, const isakmp_fact_header *h)
{
    g_string_append_printf(s, "hdr v%u.%u x%u f%02x mid%u len%u%s%s%s%s%s%s\n", h->major, h->minor,
                           h->exchange, h->flags, h->msgid, h->length, h->initiator ? " I" : "",
                           h->response ? " R" : "", h->higher_version ? " V" : "",
                           h->encrypted ? " E" : "", h->commit ? " C" : "",
                           h->auth_only ? " A" : "");
}

static void payloads_text(GString *s, const isakmp_facts *f)
{
    g_string_append(s, "payloads");
    for (size_t i = 0; i < f->n_payloads; i++) {
        const isakmp_fact_payload *p = &f->payloads[i];
        g_string_append_printf(s, " %u", p->type);
        if (p->parent != ISAKMP_FACT_NONE)
            g_string_append_printf(s, "<%u", p->parent);
    }
    g_string_append_c(s, '\n');
}

static void sa_text(GString *s, const isakmp_facts *f)
{
    for (size_t i = 0; i < f->n_sas; i++) {
        const isakmp_fact_sa *sa = &f->sas[i];
        g_string_append_printf(s, "sa @%u doi%u\n", sa->payload, sa->doi);
        for (uint32_t k = 0; k < sa->n_proposals; k++) {
            const isakmp_fact_proposal *p = &f->proposals[sa->first_proposal + k];
            g_string_append_printf(s, " prop #%u proto%u spi%u/%u%s:", p->number, p->protocol,
                                   p->spi_size, p->spi.len, p->complete ? "" : " incomplete");
            for (uint32_t t = 0; t < p->n_transforms; t++) {
                const isakmp_fact_transform *x = &f->transforms[p->first_transform + t];
                g_string_append_printf(s, " [%u.%u#%u", x->type, x->id, x->number);
                if (x->key_length)
                    g_string_append_printf(s, " kl%u", x->key_length);
                for (uint32_t a = 0; a < x->n_attrs; a++) {
                    const isakmp_fact_attr *at = &f->attrs[x->first_attr + a];
                    g_string_append_printf(s, " %u%s%" G_GUINT64_FORMAT, at->type,
                                           at->tv ? "=" : ":", at->value);
                }
                g_string_append_c(s, ']');
            }
            g_string_append_c(s, '\n');
        }
    }
}

/* The rest, one line per entry. */
static void entries_text(GString *s, const isakmp_facts *f)
{
    for (size_t i = 0; i < f->n_kes; i++)
        g_string_append_printf(s, "ke @%u g%u len%u\n", f->kes[i].payload, f->kes[i].group,
                               f->kes[i].data.len);
    for (size_t i = 0; i < f->n_nonces; i++)
        g_string_append_printf(s, "nonce @%u len%u\n", f->nonces[i].payload,
                               f->nonces[i].data.len);
    for (size_t i = 0; i < f->n_ids; i++)
        g_string_append_printf(s, "id @%u t%u p%u/%u len%u\n", f->ids[i].payload, f->ids[i].type,
                               f->ids[i].protocol, f->ids[i].port, f->ids[i].data.len);
    for (size_t i = 0; i < f->n_auths; i++)
        g_string_append_printf(s, "auth @%u m%u len%u\n", f->auths[i].payload,
                               f->auths[i].method, f->auths[i].data.len);
    for (size_t i = 0; i < f->n_certs; i++)
        g_string_append_printf(s, "cert @%u e%u len%u\n", f->certs[i].payload,
                               f->certs[i].encoding, f->certs[i].data.len);
    for (size_t i = 0; i < f->n_notifies; i++)
        g_string_append_printf(s, "notify @%u t%u p%u spi%u data%u\n", f->notifies[i].payload,
                               f->notifies[i].type, f->notifies[i].protocol,
                               f->notifies[i].spi.len, f->notifies[i].data.len);
    for (size_t i = 0; i < f->n_deletes; i++)
        g_string_append_printf(s, "delete @%u p%u %ux%u\n", f->deletes[i].payload,
                               f->deletes[i].protocol, f->deletes[i].count,
                               f->deletes[i].spi_size);
    for (size_t i = 0; i < f->n_vids; i++)
        g_string_append_printf(s, "vid @%u %s\n", f->vids[i].payload,
                               f->vids[i].name ? f->vids[i].name : "?");
    for (size_t i = 0; i < f->n_frags; i++)
        g_string_append_printf(s, "frag @%u %u/%u id%u%s\n", f->frags[i].payload,
                               f->frags[i].number, f->frags[i].total, f->frags[i].id,
                               f->frags[i].last ? " last" : "");
    for (size_t i = 0; i < f->n_ts; i++)
        g_string_append_printf(s, "ts @%u t%u p%u %u-%u\n", f->ts[i].payload, f->ts[i].type,
                               f->ts[i].protocol, f->ts[i].start_port, f->ts[i].end_port);
    for (size_t i = 0; i < f->n_eaps; i++)
        g_string_append_printf(s, "eap @%u c%u t%u\n", f->eaps[i].payload, f->eaps[i].code,
                               f->eaps[i].type);
    for (size_t i = 0; i < f->n_hash_algs; i++)
        g_string_append_printf(s, "hash_alg n%u %u\n", f->hash_algs[i].notify,
                               f->hash_algs[i].alg);
}

/* The record as text: what the tests pin. */
static char *facts_text(const isakmp_msg *m)
{
    const isakmp_facts *f = isakmp_msg_facts(m);
    GString *s = g_string_new(NULL);
    header_text(s, &f->header);
    payloads_text(s, f);
    sa_text(s, f);
    entries_text(s, f);
    if (f->icv.ok + f->icv.bad + f->hash.ok + f->hash.bad + f->auth.ok + f->auth.bad)
        g_string_append_printf(s, "checks icv%u/%u hash%u/%u auth%u/%u\n", f->icv.ok, f->icv.bad,
                               f->hash.ok, f->hash.bad, f->auth.ok, f->auth.bad);
    if (f->decrypted || f->partial || f->truncated)
        g_string_append_printf(s, "%s%s%s\n", f->decrypted ? "decrypted " : "",
                               f->partial ? "partial " : "", f->truncated ? "truncated" : "");
    return g_string_free(s, FALSE);
}

/* ---------------------------------------------------------------- the tree */

typedef struct {
    const char *abbrev;
    GPtrArray *items;
} found;

static void find_all(const isakmp_item *it, void *user)
{
    found *f = user;
    if (strcmp(isakmp_item_field(it)->abbrev, f->abbrev) == 0)
        g_ptr_array_add(f->items, (gpointer)(uintptr_t)it);
}

/* The items of field `abbrev`, in tree order. */
static GPtrArray *items_of(const isakmp_msg *m, const char *abbrev)
{
    found f = { abbrev, g_ptr_array_new() };
    isakmp_msg_walk(m, find_all, &f);
    return f.items;
}

static void assert_at(const isakmp_item *it, isakmp_span s)
{
    g_assert_cmpuint(isakmp_item_source(it), ==, s.src);
    g_assert_cmpuint(isakmp_item_offset(it), ==, s.off);
    g_assert_cmpuint(isakmp_item_length(it), ==, s.len);
}

/* The spans of n entries (stride bytes apart, the span at `at`) are where
 * the items of `abbrev` are. */
static void assert_spans(const isakmp_msg *m, const char *abbrev, const void *entries, size_t n,
                         size_t stride, size_t at)
{
    GPtrArray *items = items_of(m, abbrev);
    g_assert_cmpuint(items->len, ==, n);
    for (size_t i = 0; i < n; i++) {
        isakmp_span sp;
        memcpy(&sp, (const char *)entries + i * stride + at, sizeof sp);
        assert_at(items->pdata[i], sp);
    }
    g_ptr_array_free(items, TRUE);
}

/* The values of the items of `abbrev` are those of n entries. */
static void assert_uints(const isakmp_msg *m, const char *abbrev, const uint64_t *want, size_t n)
{
    GPtrArray *items = items_of(m, abbrev);
    g_assert_cmpuint(items->len, ==, n);
    for (size_t i = 0; i < n; i++)
        g_assert_cmpuint(isakmp_item_uint(items->pdata[i]), ==, want[i]);
    g_ptr_array_free(items, TRUE);
}

#define ASSERT_SPANS(m, abbrev, arr, n, member) \
    assert_spans(m, abbrev, arr, n, sizeof *(arr), offsetof(__typeof__(*(arr)), member))

/* The values of a member of every entry, as uint64_t. */
#define VALUES(arr, n, member, out)                  \
    do {                                             \
        for (size_t i_ = 0; i_ < (n); i_++)          \
            (out)[i_] = (uint64_t)(arr)[i_].member;  \
    } while (0)

static void check_header(const isakmp_msg *m, const isakmp_fact_header *h)
{
    GPtrArray *ex = items_of(m, "ike.exchangetype"), *ispi = items_of(m, "ike.ispi");
    if (ex->len) {   /* the last header: the reassembled message's */
        g_assert_cmpuint(isakmp_item_uint(ex->pdata[ex->len - 1]), ==, h->exchange);
        size_t n;
        const uint8_t *b = isakmp_item_bytes(ispi->pdata[ispi->len - 1], &n);
        g_assert_true(n == 8 && memcmp(b, h->ispi, 8) == 0);
    }
    g_ptr_array_free(ex, TRUE);
    g_ptr_array_free(ispi, TRUE);
    g_assert_true(h->initiator == (h->major == 2 && (h->flags & 0x08)));
    g_assert_true(h->response == (h->major == 2 && (h->flags & 0x20)));
    g_assert_true(h->encrypted == (h->major == 1 && (h->flags & 0x01)));
}

/* Every payload of the chain is its ike.typepayload item; proposals and
 * transforms (under an SA or a proposal) are not payloads. */
static void check_payloads(const isakmp_msg *m, const isakmp_facts *f)
{
    GPtrArray *items = items_of(m, "ike.typepayload");
    size_t chain = 0;
    for (guint i = 0; i < items->len; i++) {
        const isakmp_item *up = isakmp_item_parent(items->pdata[i]);
        bool sub = up && !strcmp(isakmp_item_field(up)->abbrev, "ike.typepayload") &&
                   (isakmp_item_uint(up) == 1 || isakmp_item_uint(up) == 2 ||
                    isakmp_item_uint(up) == 33);
        if (sub)
            continue;
        g_assert_cmpuint(chain, <, f->n_payloads);
        const isakmp_fact_payload *p = &f->payloads[chain++];
        g_assert_true(p->item == items->pdata[i]);
        g_assert_cmpuint(isakmp_item_uint(p->item), ==, p->type);
        assert_at(p->item, p->span);
        g_assert_true(p->parent == ISAKMP_FACT_NONE || p->parent < chain - 1);
    }
    g_assert_cmpuint(chain, ==, f->n_payloads);
    g_ptr_array_free(items, TRUE);
}

/* IKEv1 attributes: IKE classes in ISAKMP proposals, IPsec DOI ones in the
 * others, in tree order either way. */
static void v1_attr_types(const isakmp_item *it, void *user)
{
    const char *a = isakmp_item_field(it)->abbrev;
    if (!strcmp(a, "ike.ike.attr.type") || !strcmp(a, "ike.ipsec.attr.type"))
        g_array_append_val((GArray *)user, (uint64_t){ isakmp_item_uint(it) });
}

static void check_v1_attrs(const isakmp_msg *m, const isakmp_facts *f)
{
    GArray *types = g_array_new(FALSE, FALSE, sizeof(uint64_t));
    isakmp_msg_walk(m, v1_attr_types, types);
    g_assert_cmpuint(types->len, ==, f->n_attrs);
    for (size_t i = 0; i < f->n_attrs; i++)
        g_assert_cmpuint(g_array_index(types, uint64_t, i), ==, f->attrs[i].type);
    g_array_free(types, TRUE);
}

/* IDs: the type of each ID payload (NAT-OA has one too), where its data is. */
static void check_ids(const isakmp_msg *m, const isakmp_facts *f)
{
    GPtrArray *items = items_of(m, "ike.id.type");
    size_t k = 0;
    for (guint i = 0; i < items->len; i++) {
        uint64_t p = isakmp_item_uint(isakmp_item_parent(items->pdata[i]));
        if (p != 5 && p != 35 && p != 36)
            continue;
        g_assert_cmpuint(k, <, f->n_ids);
        g_assert_cmpuint(isakmp_item_uint(items->pdata[i]), ==, f->ids[k].type);
        g_assert_cmpuint(f->ids[k].body.off + 4, ==, f->ids[k].data.off);
        k++;
    }
    g_assert_cmpuint(k, ==, f->n_ids);
    g_ptr_array_free(items, TRUE);
}

static void check_sa(const isakmp_msg *m, const isakmp_facts *f, int version)
{
    uint64_t *v = g_new0(uint64_t, f->n_transforms + f->n_attrs + f->n_proposals + 1);
    VALUES(f->proposals, f->n_proposals, number, v);
    assert_uints(m, "ike.prop.number", v, f->n_proposals);
    if (version == 2) {
        VALUES(f->transforms, f->n_transforms, type, v);
        assert_uints(m, "ike.tf.type", v, f->n_transforms);
        VALUES(f->attrs, f->n_attrs, type, v);
        assert_uints(m, "ike.ike2.attr.type", v, f->n_attrs);
    } else {
        VALUES(f->transforms, f->n_transforms, id, v);
        assert_uints(m, "ike.trans.id", v, f->n_transforms);
        check_v1_attrs(m, f);
    }
    for (size_t i = 0; i < f->n_sas; i++) {   /* proposals, transforms, attributes nest */
        const isakmp_fact_sa *sa = &f->sas[i];
        for (uint32_t k = sa->first_proposal; k < sa->first_proposal + sa->n_proposals; k++)
            g_assert_cmpuint(f->proposals[k].sa, ==, i);
    }
    for (size_t k = 0; k < f->n_proposals; k++) {
        const isakmp_fact_proposal *p = &f->proposals[k];
        for (uint32_t t = p->first_transform; t < p->first_transform + p->n_transforms; t++)
            g_assert_cmpuint(f->transforms[t].proposal, ==, k);
    }
    g_free(v);
}

/* The entries and the items they come from agree. */
static void check_against_tree(const isakmp_msg *m)
{
    const isakmp_facts *f = isakmp_msg_facts(m);
    int version = isakmp_msg_version(m);
    uint64_t v[512];
    check_header(m, &f->header);
    check_payloads(m, f);
    check_sa(m, f, version);
    ASSERT_SPANS(m, "ike.key_exchange.data", f->kes, f->n_kes, data);
    ASSERT_SPANS(m, "ike.nonce", f->nonces, f->n_nonces, data);
    ASSERT_SPANS(m, "ike.vid_bytes", f->vids, f->n_vids, data);
    g_assert_cmpuint(f->n_notifies, <=, G_N_ELEMENTS(v));
    VALUES(f->notifies, f->n_notifies, type, v);
    assert_uints(m, "ike.notify.msgtype", v, f->n_notifies);
    VALUES(f->certs, f->n_certs, encoding, v);
    assert_uints(m, "ike.cert.encoding", v, f->n_certs);
    VALUES(f->ts, f->n_ts, type, v);
    assert_uints(m, "ike.ts.type", v, f->n_ts);
    VALUES(f->eaps, f->n_eaps, code, v);
    assert_uints(m, "ike.eap.code", v, f->n_eaps);
    VALUES(f->hash_algs, f->n_hash_algs, alg, v);
    assert_uints(m, "ike.notify.data.signature_hash_algorithms", v, f->n_hash_algs);
    if (version == 2) {
        VALUES(f->kes, f->n_kes, group, v);
        assert_uints(m, "ike.key_exchange.dh_group", v, f->n_kes);
        VALUES(f->auths, f->n_auths, method, v);
        assert_uints(m, "ike.auth.method", v, f->n_auths);
        VALUES(f->frags, f->n_frags, number, v);
        assert_uints(m, "ike.frag.number", v, f->n_frags);
    } else {
        VALUES(f->frags, f->n_frags, number, v);
        assert_uints(m, "ike.frag.seq", v, f->n_frags);
        GPtrArray *h = items_of(m, "ike.hash"), *sg = items_of(m, "ike.sig");
        g_assert_cmpuint(h->len + sg->len, ==, f->n_auths);
        for (size_t i = 0, a = 0, b = 0; i < f->n_auths; i++) {
            bool hash = f->payloads[f->auths[i].payload].type == 8;
            assert_at(hash ? h->pdata[a++] : sg->pdata[b++], f->auths[i].data);
        }
        g_ptr_array_free(h, TRUE);
        g_ptr_array_free(sg, TRUE);
    }
    check_ids(m, f);
    GPtrArray *icv = items_of(m, "ike.verify.icv");
    g_assert_cmpuint(icv->len, ==, f->icv.ok + f->icv.bad);
    g_ptr_array_free(icv, TRUE);
    bool decrypted = false;
    for (size_t s = 1; s < isakmp_msg_source_count(m); s++)
        decrypted |= !strcmp(isakmp_msg_source_name(m, s), "Decrypted IKE");
    g_assert_true(f->decrypted == decrypted);
    g_assert_false(f->partial || f->truncated);
}

/* ---------------------------------------------------------------- samples */

/* Decodes a sample with its secrets; calls fn on each message. */
static void each_message(const char *sample, void (*fn)(const isakmp_msg *m, void *user),
                         void *user)
{
    GPtrArray *frames = tu_sample_frames(sample);
    if (!frames) {
        g_test_skip("sample capture missing");
        return;
    }
    isakmp_ctx *ctx = isakmp_ctx_new();
    char *k = tu_sample_path(sample, "secrets.txt");
    g_assert_cmpint(isakmp_ctx_load_keys(ctx, k, NULL, NULL), >, 0);
    g_free(k);
    for (guint i = 0; i < frames->len; i++) {
        isakmp_msg *m = isakmp_decode(ctx, &((const tu_frame *)frames->pdata[i])->pkt);
        fn(m, user);
        isakmp_msg_free(m);
    }
    isakmp_ctx_free(ctx);
    tu_frames_free(frames);
}

static void check_one(const isakmp_msg *m, void *user)
{
    (void)user;
    check_against_tree(m);
}

static void test_samples_against_tree(void)
{
    gchar *root = tu_sample_path("", "");
    GDir *dir = g_dir_open(root, 0, NULL);
    g_assert_nonnull(dir);
    const char *name;
    unsigned n = 0;
    while ((name = g_dir_read_name(dir))) {
        char *secrets = tu_sample_path(name, "secrets.txt");
        if (g_file_test(secrets, G_FILE_TEST_EXISTS)) {
            g_test_message("sample %s", name);
            each_message(name, check_one, NULL);
            n++;
        }
        g_free(secrets);
    }
    g_dir_close(dir);
    g_free(root);
    g_assert_cmpuint(n, >=, 10);
}

/* The facts of the frames of a sample, each after "--- frame N". */
typedef struct {
    const uint32_t *frames;
    size_t n;
    GString *out;
} pick;

static void pick_one(const isakmp_msg *m, void *user)
{
    pick *p = user;
    for (size_t i = 0; i < p->n; i++)
        if (isakmp_msg_packet(m)->frame == p->frames[i]) {
            char *t = facts_text(m);
            g_string_append_printf(p->out, "--- frame %u\n%s", p->frames[i], t);
            g_free(t);
        }
}

static void assert_sample(const char *sample, const uint32_t *frames, size_t n, const char *want)
{
    pick p = { frames, n, g_string_new(NULL) };
    each_message(sample, pick_one, &p);
    if (!g_test_failed() && p.out->len)
        g_assert_cmpstr(p.out->str, ==, want);
    g_string_free(p.out, TRUE);
}

/* IKE_SA_INIT, IKE_AUTH (SK, with the AUTH checked), CREATE_CHILD_SA with
 * PFS, an INFORMATIONAL Delete: AES-CBC-256, SHA2-256, ECP-256. */
static void test_ikev2_sample(void)
{
    static const uint32_t frames[] = { 1, 3, 9, 11 };
    assert_sample("ikev2-psk-aes256-sha256-ecp256", frames, G_N_ELEMENTS(frames),
                  "--- frame 1\n"
                  "hdr v2.0 x34 f08 mid0 len292 I\n"
                  "payloads 33 34 40 41 41 41 41 41 43\n"
                  "sa @0 doi0\n"
                  " prop #1 proto1 spi0/0: [1.12#0 kl256 14=256] [3.12#0] [2.5#0] [4.19#0]\n"
                  "ke @1 g19 len64\n"
                  "nonce @2 len32\n"
                  "notify @3 t16388 p0 spi0 data20\n"
                  "notify @4 t16389 p0 spi0 data20\n"
                  "notify @5 t16430 p0 spi0 data0\n"
                  "notify @6 t16431 p0 spi0 data8\n"
                  "notify @7 t16406 p0 spi0 data0\n"
                  "vid @8 strongSwan\n"
                  "hash_alg n3 2\nhash_alg n3 3\nhash_alg n3 4\nhash_alg n3 5\n"
                  "--- frame 3\n"
                  "hdr v2.0 x35 f08 mid1 len320 I\n"
                  "payloads 46 35<0 41<0 36<0 39<0 33<0 44<0 45<0 41<0 41<0 41<0\n"
                  "sa @5 doi0\n"
                  " prop #1 proto3 spi4/4: [1.12#0 kl256 14=256] [3.12#0] [5.0#0]\n"
                  "id @1 t2 p0/0 len32\n"
                  "id @3 t2 p0/0 len32\n"
                  "auth @4 m2 len32\n"
                  "notify @2 t16384 p0 spi0 data0\n"
                  "notify @8 t16404 p0 spi0 data0\n"
                  "notify @9 t16417 p0 spi0 data0\n"
                  "notify @10 t16420 p0 spi0 data0\n"
                  "ts @6 t7 p0 0-65535\n"
                  "ts @7 t7 p0 0-65535\n"
                  "checks icv1/0 hash0/0 auth1/0\n"
                  "decrypted \n"
                  "--- frame 9\n"
                  "hdr v2.0 x36 f08 mid2 len288 I\n"
                  "payloads 46 41<0 33<0 40<0 34<0 44<0 45<0\n"
                  "sa @2 doi0\n"
                  " prop #1 proto3 spi4/4: [1.12#0 kl256 14=256] [3.12#0] [4.19#0] [5.0#0]\n"
                  "ke @4 g19 len64\n"
                  "nonce @3 len32\n"
                  "notify @1 t16393 p3 spi4 data0\n"
                  "ts @5 t7 p0 0-65535\n"
                  "ts @6 t7 p0 0-65535\n"
                  "checks icv1/0 hash0/0 auth0/0\n"
                  "decrypted \n"
                  "--- frame 11\n"
                  "hdr v2.0 x37 f08 mid3 len80 I\n"
                  "payloads 46 42<0\n"
                  "delete @1 p3 1x4\n"
                  "checks icv1/0 hash0/0 auth0/0\n"
                  "decrypted \n");
}

/* IKE_AUTH in five SKF fragments (RFC 7383): the numbers of each, and the
 * reassembled payloads under the last; RSA signatures (RFC 7427). */
static void test_ikev2_fragments(void)
{
    static const uint32_t frames[] = { 3, 7 };
    assert_sample("ikev2-rsa-certs-frag", frames, G_N_ELEMENTS(frames),
                  "--- frame 3\n"
                  "hdr v2.0 x35 f08 mid1 len484 I\n"
                  "payloads 53\n"
                  "frag @0 1/5 id0\n"
                  "checks icv1/0 hash0/0 auth0/0\n"
                  "decrypted \n"
                  "--- frame 7\n"
                  "hdr v2.0 x35 f08 mid1 len212 I\n"
                  "payloads 53 35<0 37<0 41<0 38<0 36<0 39<0 41<0 41<0 41<0\n"
                  "id @1 t2 p0/0 len32\n"
                  "id @5 t2 p0/0 len32\n"
                  "auth @6 m14 len400\n"
                  "cert @2 e4 len1249\n"
                  "notify @3 t16384 p0 spi0 data0\n"
                  "notify @7 t16404 p0 spi0 data0\n"
                  "notify @8 t16417 p0 spi0 data0\n"
                  "notify @9 t16420 p0 spi0 data0\n"
                  "frag @0 5/5 id0 last\n"
                  "checks icv1/0 hash0/0 auth1/0\n"
                  "decrypted \n");
}

/* Main Mode with a PSK (clear SA and KE, encrypted ID and HASH_I), Quick
 * Mode with PFS, an Informational Delete. */
static void test_ikev1_sample(void)
{
    static const uint32_t frames[] = { 1, 3, 5, 7, 15 };
    assert_sample("ikev1-main-psk-aes128-sha1-modp2048", frames, G_N_ELEMENTS(frames),
                  "--- frame 1\n"
                  "hdr v1.0 x2 f00 mid0 len200\n"
                  "payloads 1 13 13 13 13 13 13\n"
                  "sa @0 doi1\n"
                  " prop #1 proto1 spi0/0: [0.1#1 kl128 1=7 14=128 2=2 4=14 3=1 11=1 12=3960]\n"
                  "vid @1 strongSwan\n"
                  "vid @2 XAUTH\n"
                  "vid @3 RFC 3706 DPD (Dead Peer Detection)\n"
                  "vid @4 Cisco Fragmentation\n"
                  "vid @5 RFC 3947 Negotiation of NAT-Traversal in the IKE\n"
                  "vid @6 draft-ietf-ipsec-nat-t-ike-02\\n\n"
                  "--- frame 3\n"
                  "hdr v1.0 x2 f00 mid0 len372\n"
                  "payloads 4 10 20 20\n"
                  "ke @0 g0 len256\n"
                  "nonce @1 len32\n"
                  "--- frame 5\n"
                  "hdr v1.0 x2 f01 mid0 len124 E\n"
                  "payloads 5 8 11\n"
                  "id @0 t2 p0/0 len32\n"
                  "auth @1 m0 len20\n"
                  "notify @2 t24578 p1 spi16 data0\n"
                  "checks icv0/0 hash1/0 auth0/0\n"
                  "decrypted \n"
                  "--- frame 7\n"
                  "hdr v1.0 x32 f01 mid3228872303 len444 E\n"
                  "payloads 8 1 10 4 5 5\n"
                  "sa @1 doi1\n"
                  " prop #1 proto3 spi4/4: [0.12#1 kl128 6=128 5=2 3=14 4=3 1=1 2=1320]\n"
                  "ke @3 g0 len256\n"
                  "nonce @2 len32\n"
                  "id @4 t4 p0/0 len8\n"
                  "id @5 t4 p0/0 len8\n"
                  "auth @0 m0 len20\n"
                  "checks icv0/0 hash1/0 auth0/0\n"
                  "decrypted \n"
                  "--- frame 15\n"
                  "hdr v1.0 x5 f01 mid4011492329 len92 E\n"
                  "payloads 8 12\n"
                  "auth @0 m0 len20\n"
                  "delete @1 p1 1x16\n"
                  "checks icv0/0 hash1/0 auth0/0\n"
                  "decrypted \n");
}

/* IKEv1 fragments (payload 132): each fragment's number and ID, and on the
 * last the reassembled (and decrypted) message's header and payloads, its
 * certificate and its signature (checked). */
static void test_ikev1_fragments(void)
{
    static const uint32_t frames[] = { 7, 11 };
    assert_sample("ikev1-main-rsa-certs-frag", frames, G_N_ELEMENTS(frames),
                  "--- frame 7\n"
                  "hdr v1.0 x2 f00 mid0 len480\n"
                  "payloads 132\n"
                  "frag @0 1/0 id1\n"
                  "--- frame 11\n"
                  "hdr v1.0 x2 f01 mid0 len1820 E\n"
                  "payloads 132 5<0 6<0 9<0 7<0 11<0\n"
                  "id @1 t2 p0/0 len32\n"
                  "auth @3 m0 len384\n"
                  "cert @2 e4 len1249\n"
                  "notify @5 t24578 p1 spi16 data0\n"
                  "frag @0 5/0 id1 last\n"
                  "checks icv0/0 hash0/0 auth1/0\n"
                  "decrypted \n");
}

/* ---------------------------------------------------------------- crafted */

static void assert_span(isakmp_span s, uint32_t src, uint32_t off, uint32_t len)
{
    g_assert_cmpuint(s.src, ==, src);
    g_assert_cmpuint(s.off, ==, off);
    g_assert_cmpuint(s.len, ==, len);
}

/* An IKEv2 CREATE_CHILD_SA request with one of each: an ESP proposal with an
 * additional key exchange (RFC 9370) and two KE payloads, Nonce, Delete,
 * TSi, CERT, an RFC 7427 AUTH, N(REKEY_SA), EAP, V. */
static const char v2_crafted[] =
    "0102030405060708 1112131415161718 21 20 24 08 00000002 000000cd"
    "2200002c 00000028 01030403 aabbccdd"                 /* SA: proposal #1 ESP, SPI */
    "0300000c 01000014 800e0100"                          /* ENCR AES-GCM-16, key length 256 */
    "03000008 04000013 00000008 06000023"                 /* KE 19, ADDKE1 35 */
    "2200000c 00130000 01020304"                          /* KE group 19 */
    "2800000b 00230000 050607"                            /* KE group 35 */
    "2a00000c a0a1a2a3a4a5a6a7"                           /* Nonce */
    "2c000010 03040002 c1c2c3c4 d1d2d3d4"                 /* Delete: ESP, 2 SPIs */
    "25000018 01000000 07110010 01f41194 0a000001 0a000002" /* TSi: UDP 500-4500 */
    "27000008 04 308001"                                  /* CERT X.509 */
    "29000012 0e000000 05 3003060100 e1e2e3e4"            /* AUTH: RFC 7427 */
    "3000000e 0304 4009 f1f2f3f4 abcd"                    /* N(REKEY_SA) ESP SPI, data */
    "2b00000a 0107 0006 04 99"                            /* EAP Request MD5-Challenge */
    "00000008 deadbeef";                                  /* V */

static void test_ikev2_crafted(void)
{
    isakmp_ctx *ctx = isakmp_ctx_new();
    isakmp_msg *m = tu_decode_hex(ctx, v2_crafted);
    const isakmp_facts *f = isakmp_msg_facts(m);
    /* the only complaint: the certificate is three bytes */
    g_assert_cmpuint(tu_note_count(m, ISAKMP_NOTE_MALFORMED), ==, 1);
    g_assert_nonnull(strstr(tu_note_text(m, ISAKMP_NOTE_MALFORMED), "Certificate"));
    check_against_tree(m);
    const isakmp_fact_header *h = &f->header;
    g_assert_cmpuint(h->major, ==, 2);
    g_assert_cmpuint(h->exchange, ==, 36);
    g_assert_cmpuint(h->msgid, ==, 2);
    g_assert_cmpuint(h->length, ==, 205);
    g_assert_true(h->initiator && !h->response && !h->higher_version && h->complete);
    g_assert_cmpmem(h->rspi, 8, "\x11\x12\x13\x14\x15\x16\x17\x18", 8);
    g_assert_cmpuint(f->n_payloads, ==, 11);
    assert_span(f->payloads[10].span, 0, 197, 8);
    /* SA: proposal, transforms, the key length attribute */
    g_assert_cmpuint(f->n_sas, ==, 1);
    assert_span(f->sas[0].body, 0, 32, 40);
    const isakmp_fact_proposal *p = &f->proposals[0];
    g_assert_true(p->protocol == 3 && p->complete && p->n_transforms == 3 && p->n_declared == 3);
    assert_span(p->spi, 0, 40, 4);
    g_assert_cmpmem(isakmp_msg_span(m, p->spi), 4, "\xaa\xbb\xcc\xdd", 4);
    g_assert_true(f->transforms[0].type == 1 && f->transforms[0].id == 20 &&
                  f->transforms[0].key_length == 256 && f->transforms[0].n_attrs == 1);
    g_assert_true(f->transforms[2].type == 6 && f->transforms[2].id == 35);
    g_assert_true(f->attrs[0].type == 14 && f->attrs[0].tv && f->attrs[0].value == 256);
    assert_span(f->attrs[0].data, 0, 54, 2);
    /* every KE payload */
    g_assert_cmpuint(f->n_kes, ==, 2);
    g_assert_true(f->kes[0].group == 19 && f->kes[1].group == 35 && f->kes[1].payload == 2);
    assert_span(f->kes[0].data, 0, 80, 4);
    assert_span(f->kes[1].data, 0, 92, 3);
    assert_span(f->nonces[0].data, 0, 99, 8);
    /* Delete, TS, CERT, AUTH, Notify, EAP, V */
    g_assert_true(f->deletes[0].protocol == 3 && f->deletes[0].spi_size == 4 &&
                  f->deletes[0].count == 2);
    assert_span(f->deletes[0].spis, 0, 115, 8);
    g_assert_true(f->ts[0].type == 7 && f->ts[0].protocol == 17 && f->ts[0].start_port == 500 &&
                  f->ts[0].end_port == 4500);
    assert_span(f->ts[0].start, 0, 139, 4);
    assert_span(f->ts[0].end, 0, 143, 4);
    g_assert_cmpuint(f->certs[0].encoding, ==, 4);
    assert_span(f->certs[0].data, 0, 152, 3);
    g_assert_cmpuint(f->auths[0].method, ==, 14);
    assert_span(f->auths[0].data, 0, 163, 10);
    assert_span(f->auths[0].sig_alg, 0, 164, 5);
    assert_span(f->auths[0].sig_value, 0, 169, 4);
    g_assert_true(f->notifies[0].type == 16393 && f->notifies[0].protocol == 3 &&
                  f->notifies[0].payload == 8);
    assert_span(f->notifies[0].spi, 0, 181, 4);
    assert_span(f->notifies[0].data, 0, 185, 2);
    g_assert_true(f->eaps[0].code == 1 && f->eaps[0].type == 4);
    assert_span(f->vids[0].data, 0, 201, 4);
    g_assert_null(f->vids[0].name);
    g_assert_false(f->decrypted || f->partial || f->truncated);
    /* spans out of their source give no bytes */
    g_assert_null(isakmp_msg_span(m, (isakmp_span){ 0, 200, 6 }));
    g_assert_null(isakmp_msg_span(m, (isakmp_span){ 1, 0, 1 }));
    g_assert_nonnull(isakmp_msg_span(m, (isakmp_span){ 0, 205, 0 }));
    isakmp_msg_free(m);
    isakmp_ctx_free(ctx);
}

/* IKEv1 Main Mode with a TLV attribute, a transform payload outside any
 * proposal, an ID with protocol and port, a Notify with an SPI, a Delete
 * and a fragment that is not the last. */
static const char v1_crafted[] =
    "0102030405060708 1112131415161718 01 10 02 00 00000000 0000009e"
    "0300002c 00000001 00000001"                          /* SA: DOI IPsec, identity only */
    "00000020 01010001"                                   /* proposal #1 ISAKMP, 1 transform */
    "00000018 01010000 80010007 800e0080 000c0004 00015180" /* AES, 128, life 86400 (TLV) */
    "0500000c 02030000 80060080"                          /* transform #2 3DES, key length */
    "0b00000c 011101f4 0a000001"                          /* ID IPv4 UDP/500 */
    "0c00001e 00000001 0110 6002 202122232425262728292a2b2c2d2e2f beef" /* N(INITIAL-CONTACT) */
    "84000014 00000001 03040002 c1c2c3c4d1d2d3d4"         /* Delete: ESP, 2 SPIs */
    "0000000c 00050100 01020304";                         /* fragment 1 of ID 5 */

static void test_ikev1_crafted(void)
{
    isakmp_ctx *ctx = isakmp_ctx_new();
    isakmp_msg *m = tu_decode_hex(ctx, v1_crafted);
    const isakmp_facts *f = isakmp_msg_facts(m);
    check_against_tree(m);
    g_assert_true(f->header.major == 1 && f->header.exchange == 2 && !f->header.encrypted);
    g_assert_cmpuint(f->n_payloads, ==, 6);
    g_assert_true(f->n_sas == 1 && f->sas[0].doi == 1 && f->sas[0].n_proposals == 1);
    assert_span(f->sas[0].body, 0, 32, 40);
    const isakmp_fact_proposal *p = &f->proposals[0];
    g_assert_true(p->protocol == 1 && p->spi_size == 0 && p->complete && p->n_transforms == 1);
    const isakmp_fact_transform *t = &f->transforms[0];
    g_assert_true(t->number == 1 && t->id == 1 && t->key_length == 128 && t->n_attrs == 3);
    const isakmp_fact_attr *a = &f->attrs[t->first_attr + 2];
    g_assert_true(a->type == 12 && !a->tv && a->value == 86400);
    assert_span(a->data, 0, 68, 4);
    /* outside any proposal: IPsec classes (6: key length) */
    t = &f->transforms[1];
    g_assert_true(t->proposal == ISAKMP_FACT_NONE && t->number == 2 && t->id == 3 &&
                  t->key_length == 128);
    const isakmp_fact_id *id = &f->ids[0];
    g_assert_true(id->type == 1 && id->protocol == 17 && id->port == 500);
    assert_span(id->body, 0, 88, 8);
    assert_span(id->data, 0, 92, 4);
    const isakmp_fact_notify *n = &f->notifies[0];
    g_assert_true(n->type == 24578 && n->doi == 1 && n->protocol == 1 && n->spi_size == 16);
    assert_span(n->spi, 0, 108, 16);
    assert_span(n->data, 0, 124, 2);
    g_assert_true(f->deletes[0].doi == 1 && f->deletes[0].protocol == 3 &&
                  f->deletes[0].count == 2);
    assert_span(f->deletes[0].spis, 0, 138, 8);
    g_assert_true(f->frags[0].number == 1 && f->frags[0].id == 5 && !f->frags[0].last &&
                  f->frags[0].payload == 5);
    isakmp_msg_free(m);
    isakmp_ctx_free(ctx);
}

/* Regression: a payload whose header lies about its length (2, less than
 * the header) or is cut is still listed, as the tree lists it; the summary
 * and the report count payloads from the facts. */
static void test_regression_broken_payload_header(void)
{
    isakmp_ctx *ctx = isakmp_ctx_new();
    isakmp_msg *m = tu_decode_hex(ctx, "0102030405060708 0000000000000000 28 20 22 08 00000000 "
                                       "00000020 00000002");
    const isakmp_facts *f = isakmp_msg_facts(m);
    g_assert_cmpuint(f->n_payloads, ==, 1);
    g_assert_cmpuint(f->payloads[0].type, ==, 40);
    isakmp_msg_free(m);
    m = tu_decode_hex(ctx, "0102030405060708 0000000000000000 28 20 22 08 00000000 0000001e 0000");
    f = isakmp_msg_facts(m);
    g_assert_cmpuint(f->n_payloads, ==, 1);
    assert_span(f->payloads[0].span, 0, 28, 2);
    isakmp_msg_free(m);
    isakmp_ctx_free(ctx);
}

/* Regression: an IKEv1 Notify whose SPI is cut (16 announced, 4 there)
 * still says its type, as the tree does (the report read NO-PROPOSAL-CHOSEN
 * from the tree and lost it with the facts). */
static void test_regression_v1_notify_cut_spi(void)
{
    isakmp_ctx *ctx = isakmp_ctx_new();
    isakmp_msg *m = tu_decode_hex(ctx, "0102030405060708 0000000000000000 0b 10 05 00 00000000 "
                                       "0000002c 00000010 00000001 01 10 000e aabbccdd");
    const isakmp_facts *f = isakmp_msg_facts(m);
    g_assert_cmpuint(f->n_notifies, ==, 1);
    g_assert_true(f->notifies[0].type == 14 && f->notifies[0].spi_size == 16 &&
                  f->notifies[0].doi == 1);
    g_assert_cmpuint(f->notifies[0].data.len, ==, 0);
    g_assert_cmpuint(tu_note_count(m, ISAKMP_NOTE_MALFORMED) + tu_note_count(m, ISAKMP_NOTE_TRUNCATED),
                     >=, 1);
    isakmp_msg_free(m);
    isakmp_ctx_free(ctx);
}

/* ---------------------------------------------------------------- directed */

static void set_fields(isakmp_ctx *ctx, const char *abbrev)
{
    int id = isakmp_field_by_abbrev(abbrev)->id;
    g_assert_cmpint(isakmp_ctx_set_fields(ctx, &id, 1), ==, 0);
}

/* Field-directed without keys: the header only; with secrets, what
 * derivation reads even when no field of it is wanted. */
static void test_field_directed(void)
{
    isakmp_ctx *ctx = isakmp_ctx_new();
    set_fields(ctx, "ike.ispi");
    isakmp_msg *m = tu_decode_hex(ctx, v2_crafted);
    const isakmp_facts *f = isakmp_msg_facts(m);
    g_assert_true(f->partial && f->header.exchange == 36 && f->header.initiator);
    g_assert_cmpuint(f->n_payloads + f->n_sas + f->n_kes + f->n_notifies, ==, 0);
    isakmp_msg_free(m);
    char *secrets = tu_sample_path("ikev2-psk-aes256-sha256-ecp256", "secrets.txt");
    g_assert_cmpint(isakmp_ctx_load_keys(ctx, secrets, NULL, NULL), >, 0);
    g_free(secrets);
    m = tu_decode_hex(ctx, v2_crafted);
    f = isakmp_msg_facts(m);
    g_assert_true(f->partial);
    g_assert_cmpuint(f->n_payloads, ==, 11);
    g_assert_true(f->n_sas == 1 && f->n_transforms == 3 && f->n_attrs == 1);
    g_assert_true(f->n_kes == 2 && f->n_nonces == 1 && f->n_certs == 1 && f->n_auths == 1);
    g_assert_cmpuint(f->n_deletes + f->n_ts, ==, 0);   /* not for derivation */
    isakmp_msg_free(m);
    isakmp_ctx_free(ctx);
}

typedef struct {
    isakmp_ctx *ctx;
    size_t am_with_sa;
} lean_run;

static void count_am(const isakmp_msg *m, void *user)
{
    const isakmp_facts *f = isakmp_msg_facts(m);
    lean_run *r = user;
    if (f->header.exchange == 4 && f->n_sas && f->n_kes && f->n_nonces && f->n_ids)
        r->am_with_sa++;
}

/* Without keys, IKEv1 Aggressive Mode still has the facts psk-crack lines
 * need (isakmp_ctx_export_psk_crack), and gives the same line. */
static void test_field_directed_aggressive(void)
{
    const char *sample = "ikev1-aggressive-psk-aes256-sha256";
    GPtrArray *frames = tu_sample_frames(sample);
    if (!frames) {
        g_test_skip("sample capture missing");
        return;
    }
    char full[4096], lean[4096];
    for (int k = 0; k < 2; k++) {
        lean_run r = { isakmp_ctx_new(), 0 };
        if (k == 1)
            set_fields(r.ctx, "ike.exchangetype");
        for (guint i = 0; i < frames->len; i++) {
            isakmp_msg *m = isakmp_decode(r.ctx, &((const tu_frame *)frames->pdata[i])->pkt);
            count_am(m, &r);
            isakmp_msg_free(m);
        }
        g_assert_cmpuint(r.am_with_sa, ==, 2);   /* the initiator's and the responder's */
        isakmp_ctx_export_psk_crack_mem(r.ctx, k ? lean : full, sizeof full);
        isakmp_ctx_free(r.ctx);
    }
    g_assert_cmpuint(strlen(full), >, 100);
    g_assert_cmpstr(lean, ==, full);
    tu_frames_free(frames);
}

/* ---------------------------------------------------------------- bounds */

/* 65,537 signature hash algorithms in three Notify payloads (a message
 * longer than UDP allows): the list stops at its bound, with a note. */
static void test_bound(void)
{
    GByteArray *b = g_byte_array_new();
    static const uint8_t hdr[28] = { 1, 2, 3, 4, 5, 6, 7, 8, [16] = 41, 0x20, 34, 0x08 };
    g_byte_array_append(b, hdr, sizeof hdr);
    size_t algs[] = { 32760, 32760, 17 };
    for (size_t k = 0; k < 3; k++) {
        size_t len = 8 + 2 * algs[k];
        uint8_t ph[8] = { k < 2 ? 41 : 0, 0, (uint8_t)(len >> 8), (uint8_t)len, 0, 0, 0x40, 0x2f };
        g_byte_array_append(b, ph, sizeof ph);
        for (size_t i = 0; i < algs[k]; i++)
            g_byte_array_append(b, (const uint8_t[]){ 0, 2 }, 2);
    }
    tu_put32(b, 24, b->len);
    isakmp_ctx *ctx = isakmp_ctx_new();
    isakmp_msg *m = tu_decode(ctx, b->data, b->len);
    const isakmp_facts *f = isakmp_msg_facts(m);
    g_assert_cmpuint(f->n_hash_algs, ==, ISAKMP_FACTS_MAX);
    g_assert_true(f->truncated);
    g_assert_cmpuint(tu_note_count(m, ISAKMP_NOTE_LIMIT), ==, 1);
    g_assert_nonnull(strstr(tu_note_text(m, ISAKMP_NOTE_LIMIT), "hash_algs"));
    g_assert_cmpuint(f->hash_algs[ISAKMP_FACTS_MAX - 1].notify, ==, 2);
    isakmp_msg_free(m);
    isakmp_ctx_free(ctx);
    g_byte_array_free(b, TRUE);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/facts/ikev2/sample", test_ikev2_sample);
    g_test_add_func("/facts/ikev2/fragments", test_ikev2_fragments);
    g_test_add_func("/facts/ikev1/sample", test_ikev1_sample);
    g_test_add_func("/facts/ikev1/fragments", test_ikev1_fragments);
    g_test_add_func("/facts/samples_against_tree", test_samples_against_tree);
    g_test_add_func("/facts/ikev2/crafted", test_ikev2_crafted);
    g_test_add_func("/facts/ikev1/crafted", test_ikev1_crafted);
    g_test_add_func("/facts/field_directed", test_field_directed);
    g_test_add_func("/facts/field_directed_aggressive", test_field_directed_aggressive);
    g_test_add_func("/facts/bound", test_bound);
    g_test_add_func("/facts/regression/broken_payload_header", test_regression_broken_payload_header);
    g_test_add_func("/facts/regression/v1_notify_cut_spi", test_regression_v1_notify_cut_spi);
    return g_test_run();
}
