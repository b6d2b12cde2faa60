/* isakmpdump --report: merges the facts of each message (report_walk.c) into
 * one row per IKE SA and per child SA, keyed by version and initiator SPI
 * (IKEv1: initiator cookie), children by the exchange's message ID.
 * Rules for who offered and who chose: IKEv2 by the Response flag; IKEv1 by
 * the sender's address (the first message of an SA, with a zero responder
 * cookie, comes from its initiator).  See docs/report.md. */
#include <arpa/inet.h>
#include <string.h>

#include "audit.h"
#include "report.h"
#include "report_out.h"
#include "report_walk.h"

#define RPT_UNLISTED_HELD 4096   /* unlisted rows held at once */

struct rpt_report {
    rpt_opts opt;
    msg_info mi;
    GHashTable *rows;      /* key string -> rpt_row * (several keys may share a row) */
    GPtrArray *order;      /* every row, in order of first sight; owned */
    GHashTable *files;     /* interned file names */
    size_t max_rows, dropped;   /* dropped: messages of SAs not listed */
    /* Rows beyond max_rows are audited but not listed: at most
     * RPT_UNLISTED_HELD of them are held (and merged across messages like
     * the others); then the oldest half is audited, its findings counted
     * and its rows freed (retire_unlisted). */
    GHashTable *ukeys;     /* key string -> unlisted rpt_row * */
    GPtrArray *unlisted;   /* the unlisted rows held, oldest first; owned */
    size_t unlisted_rows;  /* unlisted rows made so far */
    size_t ufound[RPT_SEV_COUNT];   /* findings of the unlisted rows audited, by severity */
    bool msg_unlisted;     /* the message being added touched an unlisted row */
    const char *file;
    const isakmp_packet *pkt;
    /* ESP SPI -> child row, one table per direction (rpt_add_esp); rebuilt
     * on a miss after a message came (children learn their SPIs from them) */
    GHashTable *esp_spi[2];
    bool esp_stale;
};

static void row_free(gpointer p)
{
    rpt_row *r = p;
    if (!r)
        return;
    g_array_free(r->offers, TRUE);
    g_ptr_array_free(r->vids, TRUE);
    g_array_free(r->findings, TRUE);
    if (r->children)
        g_ptr_array_free(r->children, TRUE);
    g_free(r);
}

rpt_report *rpt_new(const rpt_opts *o)
{
    rpt_report *r = g_new0(rpt_report, 1);
    r->opt = *o;
    r->max_rows = o->max_rows ? o->max_rows : RPT_DEFAULT_MAX_ROWS;
    r->mi.suites = g_array_new(FALSE, TRUE, sizeof(rpt_suite));
    r->rows = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
    r->order = g_ptr_array_new_with_free_func(row_free);
    r->files = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
    r->ukeys = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
    r->unlisted = g_ptr_array_new_with_free_func(row_free);
    for (int d = 0; d < 2; d++)
        r->esp_spi[d] = g_hash_table_new(g_direct_hash, g_direct_equal);
    return r;
}

void rpt_free(rpt_report *r)
{
    if (!r)
        return;
    g_array_free(r->mi.suites, TRUE);
    g_hash_table_destroy(r->rows);
    g_ptr_array_free(r->order, TRUE);
    g_hash_table_destroy(r->files);
    g_hash_table_destroy(r->ukeys);
    g_ptr_array_free(r->unlisted, TRUE);
    for (int d = 0; d < 2; d++)
        g_hash_table_destroy(r->esp_spi[d]);
    g_free(r);
}

/* ---------------------------------------------------------------- rows */

static char *ike_key(int version, const uint8_t *ispi)
{
    char h[17];
    isakmp_format_hex(ispi, 8, h, sizeof h);
    return g_strdup_printf("%d:%s", version, h);
}

static char *child_key(const rpt_row *ike, const char *kind, uint32_t msgid)
{
    char *k = ike_key(ike->version, ike->ispi);
    char *c = g_strdup_printf("%s:%s:%08x", k, kind, msgid);
    g_free(k);
    return c;
}

/* A row of the key, listed or not; NULL when there is none. */
static rpt_row *row_find(const rpt_report *r, const char *k)
{
    rpt_row *row = g_hash_table_lookup(r->rows, k);
    return row ? row : g_hash_table_lookup(r->ukeys, k);
}

/* Files the row under key k (which it takes). */
static void row_key(rpt_report *r, char *k, rpt_row *row)
{
    g_hash_table_insert(row->unlisted ? r->ukeys : r->rows, k, row);
}

/* A new row: listed while there are fewer than max_rows, else unlisted
 * (audited, not listed). */
static rpt_row *row_new(rpt_report *r, rpt_kind kind, int version)
{
    rpt_row *row = g_new0(rpt_row, 1);
    row->unlisted = r->order->len >= r->max_rows;
    row->id = row->unlisted ? 0 : r->order->len + 1;
    row->kind = kind;
    row->version = version;
    row->offers = g_array_new(FALSE, TRUE, sizeof(rpt_suite));
    row->vids = g_ptr_array_new_with_free_func(g_free);
    row->findings = g_array_new(FALSE, TRUE, sizeof(rpt_finding));
    if (kind == RPT_IKE_SA)
        row->children = g_ptr_array_new();
    if (row->unlisted) {
        r->unlisted_rows++;
        g_ptr_array_add(r->unlisted, row);
    } else {
        g_ptr_array_add(r->order, row);
    }
    return row;
}

static rpt_row *ike_get(rpt_report *r, const msg_info *mi)
{
    char *k = ike_key(mi->version, mi->ispi);
    rpt_row *row = row_find(r, k);
    if (row) {
        g_free(k);
        return row;
    }
    row = row_new(r, RPT_IKE_SA, mi->version);
    memcpy(row->ispi, mi->ispi, 8);
    row_key(r, k, row);
    return row;
}

static rpt_row *child_get(rpt_report *r, rpt_row *ike, const char *kind, uint32_t msgid,
                          rpt_kind rk, bool create)
{
    char *k = child_key(ike, kind, msgid);
    rpt_row *row = row_find(r, k);
    if (row || !create) {
        g_free(k);
        return row;
    }
    row = row_new(r, rk, ike->version);
    row->ike = ike;
    memcpy(row->ispi, ike->ispi, 8);
    memcpy(row->rspi, ike->rspi, 8);
    row->msgid = msgid;
    /* an unlisted child of a listed IKE SA is not among its children: it
     * may be freed first (retire_unlisted) */
    if (row->unlisted == ike->unlisted)
        g_ptr_array_add(ike->children, row);
    row_key(r, k, row);
    return row;
}

/* ---------------------------------------------------------------- common facts */

static bool is_zero(const uint8_t *b, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (b[i])
            return false;
    return true;
}

static void set_peers(rpt_row *row, const isakmp_packet *p, bool sender_is_initiator)
{
    if (row->have_peers)
        return;
    row->have_peers = true;
    row->af = p->af;
    memcpy(sender_is_initiator ? row->iaddr : row->raddr, p->src, 16);
    memcpy(sender_is_initiator ? row->raddr : row->iaddr, p->dst, 16);
    row->iport = sender_is_initiator ? p->sport : p->dport;
    row->rport = sender_is_initiator ? p->dport : p->sport;
}

static bool from_initiator(const rpt_row *row, const isakmp_packet *p)
{
    return p->af == row->af && memcmp(p->src, row->iaddr, 16) == 0;
}

static void add_vid(rpt_row *row, const char *name)
{
    for (guint i = 0; i < row->vids->len; i++)
        if (strcmp(row->vids->pdata[i], name) == 0)
            return;
    if (row->vids->len < RPT_MAX_VIDS)
        g_ptr_array_add(row->vids, g_strdup(name));
}

/* What every message says about the rows it belongs to. */
static void touch(rpt_report *r, rpt_row *row, const msg_info *mi)
{
    rpt_where w = { r->file, r->pkt->frame };
    r->msg_unlisted |= row->unlisted;
    if (row->msgs++ == 0)
        row->first = w;
    row->last = w;
    row->encrypted += mi->encrypted;
    row->decrypted += mi->encrypted && mi->decrypted;
    row->icv_ok += mi->icv_ok;
    row->icv_bad += mi->icv_bad;
    row->hash_ok += mi->hash_ok;
    row->hash_bad += mi->hash_bad;
    row->auth_ok += mi->auth_ok;
    row->auth_bad += mi->auth_bad;
    row->nat_d |= mi->nat_d;
    row->nat_t |= r->pkt->sport == 4500 || r->pkt->dport == 4500;
    row->frag_supported |= mi->frag_supported;
    row->frag_used |= mi->frag_used;
}

static void touch_ike(rpt_report *r, rpt_row *ike, const msg_info *mi)
{
    touch(r, ike, mi);
    for (size_t i = 0; i < mi->n_vids; i++)
        add_vid(ike, mi->vids[i]);
    if (mi->sig_hashes[0] && !ike->sig_hashes[0])
        rpt_copy(ike->sig_hashes, sizeof ike->sig_hashes, mi->sig_hashes);
    ike->sig_hash_sha1 |= mi->sig_hash_sha1;
    if (is_zero(ike->rspi, 8) && !is_zero(mi->rspi, 8))
        memcpy(ike->rspi, mi->rspi, 8);
}

static void set_offers(rpt_row *row, const msg_info *mi)
{
    g_array_set_size(row->offers, 0);
    row->offers_dropped = mi->suites_dropped;
    for (guint i = 0; i < mi->suites->len; i++) {
        if (row->offers->len >= RPT_MAX_OFFERS) {
            row->offers_dropped++;
            continue;
        }
        g_array_append_val(row->offers, g_array_index(mi->suites, rpt_suite, i));
    }
}

static void set_chosen(rpt_row *row, const msg_info *mi)
{
    if (mi->suites->len == 0)
        return;
    row->chosen = g_array_index(mi->suites, rpt_suite, 0);
    row->have_chosen = true;
}

static void fail(rpt_row *row, const msg_info *mi)
{
    row->outcome = RPT_FAILED;
    rpt_copy(row->error, sizeof row->error, mi->error_name);
}

static void set_exchange(rpt_row *row, const msg_info *mi)
{
    if (row->exchange[0])
        return;
    row->exch = mi->exch;
    rpt_copy(row->exchange, sizeof row->exchange, mi->exch_name);
}

/* ---------------------------------------------------------------- IKEv2 */

static void v2_sa_init(rpt_row *ike, const msg_info *mi)
{
    set_exchange(ike, mi);
    if (!mi->flag_r) {
        if (mi->suites->len)
            set_offers(ike, mi);   /* a retry (INVALID_KE_PAYLOAD, COOKIE) replaces it */
        return;
    }
    if (mi->has_error)
        fail(ike, mi);   /* a later success still wins */
    else if (mi->suites->len)
        set_chosen(ike, mi);
}

static void v2_auth_side(rpt_row *ike, const msg_info *mi)
{
    char *id = mi->flag_r ? ike->id_r : ike->id_i;
    char *auth = mi->flag_r ? ike->auth_r : ike->auth_i;
    if (mi->flag_r ? mi->id_r[0] : mi->id_i[0])
        rpt_copy(id, sizeof ike->id_i, mi->flag_r ? mi->id_r : mi->id_i);
    if (mi->eap_name[0] && !mi->flag_r)
        rpt_copy(auth, RPT_NAME, mi->eap_name);
    else if (mi->eap_name[0])
        rpt_copy(ike->auth_i, RPT_NAME, mi->eap_name);   /* the server names the method */
    else if (mi->has_eap && !auth[0] && !mi->flag_r)
        rpt_copy(auth, RPT_NAME, "EAP");
    else if (mi->has_auth && !auth[0]) {
        /* the first AUTH says how a side authenticated; after EAP both sides
         * send another one made from the EAP key (RFC 7296 2.16) */
        rpt_copy(auth, RPT_NAME, mi->auth_name[0] ? mi->auth_name : "AUTH");
        *(mi->flag_r ? &ike->auth_r_id : &ike->auth_i_id) = mi->auth_method;
    }
}

static void v2_child_from(rpt_report *r, rpt_row *c, const msg_info *mi)
{
    touch(r, c, mi);
    set_exchange(c, mi);
    set_peers(c, r->pkt, !mi->flag_r);
    if (!mi->flag_r) {
        set_offers(c, mi);
        rpt_copy(c->id_i, sizeof c->id_i, mi->ts_i);
        rpt_copy(c->id_r, sizeof c->id_r, mi->ts_r);
    } else {
        set_chosen(c, mi);
        if (mi->ts_i[0]) {   /* the responder's narrowed selectors */
            rpt_copy(c->id_i, sizeof c->id_i, mi->ts_i);
            rpt_copy(c->id_r, sizeof c->id_r, mi->ts_r);
        }
        c->transport_mode = mi->transport_mode;
    }
    if (mi->has_ke) {
        c->ke_seen = true;
        c->ke_group = mi->ke_group;
    }
}

static void v2_ike_auth(rpt_report *r, rpt_row *ike, const msg_info *mi)
{
    v2_auth_side(ike, mi);
    bool child_msg = mi->suites->len > 0 || (mi->flag_r && mi->has_error && mi->has_auth);
    rpt_row *c = child_get(r, ike, "auth", 0, RPT_CHILD_SA, child_msg);
    if (c && c->msgs == 0)
        c->msgid = mi->msgid;
    if (c && (child_msg || mi->flag_r))
        v2_child_from(r, c, mi);
    if (!mi->flag_r)
        return;
    if (mi->has_auth && ike->auth_i[0])   /* an error with AUTH refuses only the child */
        ike->outcome = RPT_ESTABLISHED;
    else if (mi->has_error)
        fail(ike, mi);
    if (c && mi->has_error && mi->has_auth)
        fail(c, mi);
    else if (c && c->have_chosen)
        c->outcome = RPT_ESTABLISHED;
}

/* RFC 7296 1.3.2: a CREATE_CHILD_SA whose proposal is for IKE rekeys the IKE
 * SA; the new SA is known by the SPIs in the proposals. */
static rpt_row *v2_new_ike(rpt_report *r, rpt_row *old, const msg_info *mi)
{
    const rpt_suite *s = &g_array_index(mi->suites, rpt_suite, 0);
    if (s->spi_len != 8)
        return NULL;
    char *k = ike_key(2, s->spi);
    rpt_row *row = row_find(r, k);
    if (!row) {
        row = row_new(r, RPT_IKE_SA, 2);
        memcpy(row->ispi, s->spi, 8);
        row_key(r, g_strdup(k), row);
    }
    g_free(k);
    if (row) {
        if (!old->unlisted)   /* unlisted rows are freed first: never pointed at */
            row->rekey_of = old;
        rpt_copy(row->id_i, sizeof row->id_i, old->id_i);
        rpt_copy(row->id_r, sizeof row->id_r, old->id_r);
        rpt_copy(row->auth_i, RPT_NAME, old->auth_i);
        rpt_copy(row->auth_r, RPT_NAME, old->auth_r);
        row_key(r, child_key(old, "ccsa", mi->msgid), row);
    }
    return row;
}

static rpt_row *child_by_spi(const rpt_row *ike, const uint8_t *spi, size_t len)
{
    for (guint i = 0; len && i < ike->children->len; i++) {
        rpt_row *c = ike->children->pdata[i];
        for (guint k = 0; k < c->offers->len; k++) {
            const rpt_suite *s = &g_array_index(c->offers, rpt_suite, k);
            if (s->spi_len == len && memcmp(s->spi, spi, len) == 0)
                return c;
        }
        if (c->have_chosen && c->chosen.spi_len == len && memcmp(c->chosen.spi, spi, len) == 0)
            return c;
    }
    return NULL;
}

static void v2_ike_rekey_reply(rpt_report *r, rpt_row *row, const msg_info *mi)
{
    touch(r, row, mi);
    if (mi->has_error) {
        fail(row, mi);
        return;
    }
    set_chosen(row, mi);
    if (row->have_chosen && row->chosen.spi_len == 8) {
        memcpy(row->rspi, row->chosen.spi, 8);
        row->outcome = RPT_ESTABLISHED;
    }
}

static void v2_create_child(rpt_report *r, rpt_row *ike, const msg_info *mi)
{
    rpt_row *row = child_get(r, ike, "ccsa", mi->msgid, RPT_CHILD_SA, false);
    bool ike_rekey = mi->suites->len && g_array_index(mi->suites, rpt_suite, 0).protoid == 1;
    if (!row && !mi->flag_r && ike_rekey)
        row = v2_new_ike(r, ike, mi);
    else if (!row && !mi->flag_r && mi->suites->len)
        row = child_get(r, ike, "ccsa", mi->msgid, RPT_CHILD_SA, true);
    if (!row)
        return;
    if (row->kind == RPT_IKE_SA) {
        set_exchange(row, mi);
        set_peers(row, r->pkt, !mi->flag_r);
        if (!mi->flag_r) {
            touch(r, row, mi);
            set_offers(row, mi);
        } else {
            v2_ike_rekey_reply(r, row, mi);
        }
        return;
    }
    if (!mi->flag_r && mi->rekey_spi_len && !row->rekey_of)
        row->rekey_of = child_by_spi(ike, mi->rekey_spi, mi->rekey_spi_len);
    v2_child_from(r, row, mi);
    if (mi->flag_r && mi->has_error)
        fail(row, mi);
    else if (mi->flag_r && row->have_chosen)
        row->outcome = RPT_ESTABLISHED;
}

static void apply_v2(rpt_report *r, rpt_row *ike, const msg_info *mi)
{
    set_peers(ike, r->pkt, mi->flag_i);
    switch (mi->exch) {
    case 34: v2_sa_init(ike, mi); break;
    case 35: v2_ike_auth(r, ike, mi); break;
    case 36: v2_create_child(r, ike, mi); break;
    case 37:   /* RFC 7296 2.21.2: the initiator may refuse the responder's AUTH */
        if (mi->has_error && mi->error == 24)
            fail(ike, mi);
        break;
    default: break;
    }
    if (mi->exch == 35 && mi->flag_r && mi->encrypted && !mi->decrypted &&
        ike->outcome == RPT_INCOMPLETE)
        ike->outcome = RPT_UNKNOWN;
    if (mi->exch == 36 && ike->outcome != RPT_FAILED)
        ike->outcome = RPT_ESTABLISHED;   /* only an established IKE SA carries these */
}

/* ---------------------------------------------------------------- IKEv1 */

/* Counts changes of sender: Main Mode is done at the sixth turn (MM6),
 * Aggressive Mode at the third (AM3), Quick Mode at the third (QM3);
 * retransmissions do not count. */
static void v1_turn(rpt_row *row, bool from_i)
{
    if (row->turns == 0 || row->last_from_i != from_i)
        row->turns++;
    row->last_from_i = from_i;
}

static void v1_suites(rpt_row *row, const msg_info *mi, bool from_i)
{
    if (!mi->suites->len)
        return;
    if (from_i)
        set_offers(row, mi);
    else
        set_chosen(row, mi);
}

static void v1_phase1(rpt_report *r, rpt_row *ike, const msg_info *mi)
{
    bool from_i = from_initiator(ike, r->pkt);
    set_exchange(ike, mi);
    v1_turn(ike, from_i);
    v1_suites(ike, mi, from_i);
    if (mi->n_ids)
        rpt_copy(from_i ? ike->id_i : ike->id_r, sizeof ike->id_i, mi->ids[0]);
    if (ike->have_chosen && ike->chosen.auth.set) {
        rpt_copy(ike->auth_i, RPT_NAME, ike->chosen.auth.name);
        rpt_copy(ike->auth_r, RPT_NAME, ike->chosen.auth.name);
    }
    unsigned done = ike->exch == 4 ? 3 : 6;
    if (ike->turns >= done && ike->outcome != RPT_FAILED)
        ike->outcome = RPT_ESTABLISHED;
}

static void v1_quick(rpt_report *r, rpt_row *ike, const msg_info *mi)
{
    rpt_row *c = child_get(r, ike, "qm", mi->msgid, RPT_CHILD_SA, true);
    if (!c)
        return;
    touch(r, c, mi);
    set_exchange(c, mi);
    set_peers(c, r->pkt, true);   /* the first Quick Mode message comes from its initiator */
    bool from_i = from_initiator(c, r->pkt);
    v1_turn(c, from_i);
    v1_suites(c, mi, from_i);
    if (mi->n_ids >= 2 && from_i) {   /* RFC 2409 5.5: IDci, IDcr */
        rpt_copy(c->id_i, sizeof c->id_i, mi->ids[0]);
        rpt_copy(c->id_r, sizeof c->id_r, mi->ids[1]);
    }
    if (mi->has_ke) {
        c->ke_seen = true;
        c->ke_group = c->have_chosen && c->chosen.dh.set ? c->chosen.dh.id : 0;
    }
    if (c->turns >= 3 && c->outcome != RPT_FAILED)
        c->outcome = RPT_ESTABLISHED;
}

/* An error notify fails the Phase 1 SA when it is not done yet, else the
 * newest Quick Mode that is not. */
static void v1_info(rpt_row *ike, const msg_info *mi)
{
    if (!mi->has_error)
        return;
    if (ike->outcome != RPT_ESTABLISHED) {
        fail(ike, mi);
        return;
    }
    for (guint i = ike->children->len; i > 0; i--) {
        rpt_row *c = ike->children->pdata[i - 1];
        if (c->outcome == RPT_INCOMPLETE) {
            fail(c, mi);
            return;
        }
    }
}

static void apply_v1(rpt_report *r, rpt_row *ike, const msg_info *mi)
{
    set_peers(ike, r->pkt, is_zero(mi->rspi, 8) || ike->msgs == 1);
    if ((mi->exch == 2 || mi->exch == 4) && mi->msgid == 0) {
        v1_phase1(r, ike, mi);
        return;
    }
    if (mi->msgid != 0 && mi->encrypted && ike->outcome == RPT_INCOMPLETE)
        ike->outcome = RPT_ESTABLISHED;   /* only a finished Phase 1 protects these */
    if (mi->exch == 32)
        v1_quick(r, ike, mi);
    else if (mi->exch == 5)
        v1_info(ike, mi);
}

/* ---------------------------------------------------------------- audit */

/* A child that never finished on an IKE SA that failed failed with it; an
 * IKE SA whose start was not captured is not "incomplete" but unknown. */
static void finalize(rpt_row *row)
{
    if (row->kind == RPT_IKE_SA && !row->exchange[0]) {
        rpt_copy(row->exchange, sizeof row->exchange, "(start not captured)");
        if (row->outcome == RPT_INCOMPLETE)
            row->outcome = RPT_UNKNOWN;
    }
    if (row->kind == RPT_CHILD_SA && row->outcome == RPT_INCOMPLETE &&
        row->ike->outcome == RPT_FAILED) {
        row->outcome = RPT_FAILED;
        rpt_copy(row->error, sizeof row->error, row->ike->error);
    }
}

static gboolean is_retired(gpointer key, gpointer value, gpointer user)
{
    (void)key;
    (void)user;
    return ((const rpt_row *)value)->retired;
}

/* Audits the n oldest unlisted rows held, with the rows they depend on or
 * that depend on them (an unlisted IKE SA goes with its children), counts
 * their findings and frees them. */
static void retire_unlisted(rpt_report *r, guint n)
{
    GPtrArray *u = r->unlisted;
    for (guint i = 0; i < n; i++) {
        rpt_row *row = u->pdata[i];
        row->retired = true;
        if (row->kind == RPT_CHILD_SA && row->ike->unlisted)
            row->ike->retired = true;
    }
    for (guint i = 0; i < u->len; i++) {
        rpt_row *row = u->pdata[i];
        if (row->kind == RPT_CHILD_SA && row->ike->unlisted && row->ike->retired)
            row->retired = true;
    }
    /* in any order: a child's finalize reads its IKE SA's outcome, which
     * the IKE SA's finalize never makes "failed" */
    for (guint i = 0; i < u->len; i++) {
        rpt_row *row = u->pdata[i];
        if (!row->retired)
            continue;
        finalize(row);
        audit_row(r->opt.rules, row);
        for (guint k = 0; k < row->findings->len; k++)
            r->ufound[g_array_index(row->findings, rpt_finding, k).severity]++;
    }
    g_hash_table_foreach_remove(r->ukeys, is_retired, NULL);
    guint keep = 0;
    for (guint i = 0; i < u->len; i++) {
        rpt_row *row = u->pdata[i];
        if (row->retired)
            row_free(row);
        else
            u->pdata[keep++] = row;
    }
    for (guint i = keep; i < u->len; i++)
        u->pdata[i] = NULL;   /* row_free passes NULL by */
    g_ptr_array_set_size(u, keep);
}

/* ---------------------------------------------------------------- entry points */

/* r->file: the report's copy of the name (NULL for a single input). */
static void intern_file(rpt_report *r, const char *file)
{
    if (file && !(r->file = g_hash_table_lookup(r->files, file))) {
        char *copy = g_strdup(file);
        g_hash_table_insert(r->files, copy, copy);
        r->file = copy;
    } else if (!file) {
        r->file = NULL;
    }
}

void rpt_add_msg(rpt_report *r, const char *file, const isakmp_msg *m)
{
    walk_msg(m, &r->mi);
    const msg_info *mi = &r->mi;
    if ((mi->version != 1 && mi->version != 2) || is_zero(mi->ispi, 8))
        return;
    intern_file(r, file);
    r->esp_stale = true;
    r->pkt = isakmp_msg_packet(m);
    if (r->unlisted->len >= RPT_UNLISTED_HELD)
        retire_unlisted(r, r->unlisted->len / 2);   /* before any row of this message is held */
    rpt_row *ike = ike_get(r, mi);
    r->msg_unlisted = false;
    touch_ike(r, ike, mi);
    if (mi->version == 2)
        apply_v2(r, ike, mi);
    else
        apply_v1(r, ike, mi);
    r->dropped += r->msg_unlisted;
}

/* ---------------------------------------------------------------- ESP traffic */

static uint32_t spi32(const rpt_suite *s)
{
    return (uint32_t)s->spi[0] << 24 | (uint32_t)s->spi[1] << 16 | (uint32_t)s->spi[2] << 8 |
           s->spi[3];
}

/* Every listed ESP / AH child with both SPIs known: the responder's (in the
 * chosen proposal) receives from the initiator, the initiator's (in its
 * first offer) from the responder. */
static void esp_index(rpt_report *r)
{
    for (int d = 0; d < 2; d++)
        g_hash_table_remove_all(r->esp_spi[d]);
    for (guint i = 0; i < r->order->len; i++) {
        rpt_row *row = r->order->pdata[i];
        if (row->kind != RPT_CHILD_SA || !row->have_chosen || row->chosen.spi_len != 4)
            continue;
        g_hash_table_insert(r->esp_spi[0], GUINT_TO_POINTER(spi32(&row->chosen)), row);
        const rpt_suite *offer = row->offers->len ? &g_array_index(row->offers, rpt_suite, 0) : NULL;
        if (offer && offer->spi_len == 4)
            g_hash_table_insert(r->esp_spi[1], GUINT_TO_POINTER(spi32(offer)), row);
    }
    r->esp_stale = false;
}

static rpt_traffic *esp_traffic(rpt_report *r, uint32_t spi)
{
    for (int pass = 0; pass < 2; pass++) {
        for (int d = 0; d < 2; d++) {
            rpt_row *row = g_hash_table_lookup(r->esp_spi[d], GUINT_TO_POINTER(spi));
            if (row)
                return &row->traffic[d];
        }
        if (!r->esp_stale)
            return NULL;
        esp_index(r);
    }
    return NULL;
}

void rpt_add_esp(rpt_report *r, const char *file, const isakmp_packet *outer,
                 const isakmp_esp_result *res)
{
    rpt_traffic *t = esp_traffic(r, res->spi);
    if (!t)
        return;
    intern_file(r, file);
    rpt_where here = { r->file, outer->frame };
    if (!t->packets) {
        t->first = here;
        t->first_sec = outer->ts_sec;
        t->first_usec = outer->ts_usec;
    }
    t->last = here;
    t->last_sec = outer->ts_sec;
    t->last_usec = outer->ts_usec;
    t->packets++;
    if (res->verdict == ISAKMP_ESP_OK) {
        t->decrypted++;
        t->bytes += res->inner_len;
    }
    t->icv_failed += res->verdict == ISAKMP_ESP_ICV_FAILED;
    t->no_key += res->verdict == ISAKMP_ESP_NO_KEY;
    t->replays += res->replay;
}

int rpt_finish(rpt_report *r, FILE *out)
{
    int worst = -1;
    for (guint i = 0; i < r->order->len; i++) {
        rpt_row *row = r->order->pdata[i];
        finalize(row);
        audit_row(r->opt.rules, row);
        for (guint k = 0; k < row->findings->len; k++) {
            int s = (int)g_array_index(row->findings, rpt_finding, k).severity;
            worst = MAX(worst, s);
        }
    }
    retire_unlisted(r, r->unlisted->len);
    for (int s = 0; s < RPT_SEV_COUNT; s++)
        if (r->ufound[s])
            worst = MAX(worst, s);
    rpt_out_summary sum = { .rows = r->order->len, .dropped = r->dropped,
                            .max_rows = r->max_rows, .worst = worst,
                            .unlisted_rows = r->unlisted_rows };
    memcpy(sum.unlisted_found, r->ufound, sizeof sum.unlisted_found);
    if (r->opt.json)
        rpt_out_json(out, r->order, &sum);
    else
        rpt_out_text(out, r->order, &sum);
    return worst;
}
