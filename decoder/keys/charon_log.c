/*
 * strongSwan charon debug logs (docs/secrets.md "Daemon logs").
 *
 * At `ike 4` charon dumps each key as "LABEL => N bytes @ 0xADDR" followed by
 * rows "  OFF: HH HH ...  ascii", on the thread that derived it (strongSwan 5
 * and 6 name them alike but for the DH secret: "shared Diffie Hellman
 * secret" / "DH secret" in 5.x, "key exchange secret" in 6.x, which also
 * dumps an "additional key exchange secret", empty without RFC 9370).  A line is
 * "[prefix ]NN[GRP] [<name|N> ]text": whatever came before the thread number
 * (a filelog time, a syslog or journald prefix) is skipped.  Keys are tied to
 * their IKE SA by what the log says where it says it:
 *
 *  - the SA's unique id: the `<name|N>` marker (ike_name = yes) ties lines of
 *    one IKE_SA across threads; without it, the lines a thread logs while it
 *    handles one message (from "received packet", "initiating IKE_SA" or an
 *    mgr "checkout" on) go together;
 *  - SPIs where they are logged: `mgr` "checkin IKEv2 SA name[N] with SPIs
 *    X_i Y_r" (the SA it names; the thread's keys logged before it), the
 *    `natd_chunk` dumps (ike 3: SPIi | SPIr | address | port) and the IKEv2
 *    AUTH `octets` dumps (ike 3: they start with an IKE_SA_INIT message, whose
 *    header holds the SPIs);
 *  - what is left untied is kept as a candidate for any SA ('*' secrets):
 *    derivation tries it against the capture's SAs and uses it only when an
 *    ICV confirms it (keying/derive*.c).
 *
 * CHILD_SA keys go by the message the thread last parsed or generated (its
 * message id, and whether we initiated that exchange) and by the "adding|
 * registering inbound|outbound ESP SA" / "SPI 0x.., src A dst B" lines.
 */
#include <glib.h>
#include <stdio.h>
#include <string.h>

#include "core/secure.h"
#include "core/hex.h"
#include "keys/charon_log.h"

typedef enum { P_DH = 1, P_SEED, P_SKEYID, P_KEY, P_CHILD_DH, P_ADDKE, P_CHILD_ADDKE } pend_kind;

/* What one IKE SA (a unique id, or one job of a thread) is known to be. */
typedef struct sa_ref_s {
    uint8_t spii[8], spir[8];
    bool have_i, have_r;
    bool mixed;                /* two different SAs' SPIs: tie nothing by them */
    bool has_seed;             /* an IKEv2 SKEYSEED was dumped for it */
    uint32_t labels;           /* which ike_labels were dumped for it (bits) */
    int version;               /* 1, 2, 0 unknown */
    struct sa_ref_s *parent;   /* made by a rekey: the old SA ... */
    uint32_t parent_msgid;     /* ... and the CREATE_CHILD_SA's message id */
    uint32_t ccsa_msgid;       /* its last CREATE_CHILD_SA (RFC 9370: IKE_FOLLOWUP_KEs follow it) */
    unsigned n_addke;          /* IKE_INTERMEDIATE key exchanges dumped for it */
    bool by_uid;               /* the SA of a <name|N> marker (not one job of a thread) */
    bool in_inter;             /* its last message line was an IKE_INTERMEDIATE (the
                                * responder derives on another thread, after it) */
} sa_ref;

typedef struct {
    pend_kind kind;
    char *name;
    GByteArray *bytes;
    uint32_t msgid;
    bool have_msgid;
    unsigned ke_n;             /* P_ADDKE / P_CHILD_ADDKE: which additional key exchange */
    int version;
    size_t line;
    sa_ref *sa;
    bool tied;                 /* by a checkin line: spi / spir below */
    uint8_t spi[8], spir[8];
} key_rec;

typedef struct {
    GByteArray *dump;          /* the dump being read */
    sa_ref *dump_sa;           /* ... and the SA its head line was about */
    char label[80], grp[4];
    size_t want, dump_line;
    uint32_t msgid;            /* last message parsed / generated */
    bool have_msgid;
    int version;               /* of that message's exchange */
    bool we_initiated;         /* that message's exchange was ours */
    bool in_ccsa;              /* that message is a CREATE_CHILD_SA */
    bool in_inter;             /* ... an IKE_INTERMEDIATE (RFC 9242) */
    bool in_followup;          /* ... an IKE_FOLLOWUP_KE (RFC 9370) */
    bool msg_in_job;           /* that message line came in the thread's current job */
    bool ike_proposal;         /* ... and it chose an IKE proposal (a rekey of the IKE SA) */
    sa_ref *rekey;             /* the IKE SA this job's rekey makes */
    sa_ref *msg_sa;            /* the SA of the last message line */
    bool psk_wait;             /* a "secret" dump waits for "prf(secret, keypad)" */
    GByteArray *psk;
    sa_ref *job;               /* the SA of the job the thread is in (no marker) */
    GPtrArray *pending;        /* key_rec, waiting for a checkin (not owned) */
    GByteArray *child[4];      /* encr i, encr r, integ i, integ r */
    char encr[32], integ[32];
    size_t encr_bits;
    int esp_dir;               /* 1 inbound, 2 outbound: an SPI line follows */
} thread_t;

typedef struct {
    const char *name;
    secret_sink_fn sink;
    void *user;
    charon_log_summary *sum;
    GHashTable *threads;       /* thread number -> thread_t */
    GHashTable *uids;          /* IKE_SA unique id -> sa_ref */
    GPtrArray *refs;           /* every sa_ref (owned) */
    GPtrArray *keys;           /* key_rec (owned) */
    thread_t *last_dump;       /* the thread whose dump the last line continued */
} charon_ctx;

static void bytes_wipe(GByteArray *b)
{
    if (!b)
        return;
    if (b->len)
        secure_wipe(b->data, b->len);
    g_byte_array_free(b, TRUE);
}

static void key_free(gpointer p)
{
    key_rec *k = p;
    bytes_wipe(k->bytes);
    g_free(k->name);
    g_free(k);
}

static void thread_free(gpointer p)
{
    thread_t *t = p;
    bytes_wipe(t->dump);
    bytes_wipe(t->psk);
    for (int i = 0; i < 4; i++)
        bytes_wipe(t->child[i]);
    g_ptr_array_free(t->pending, TRUE);
    g_free(t);
}

static sa_ref *ref_new(charon_ctx *cc)
{
    sa_ref *r = g_new0(sa_ref, 1);
    g_ptr_array_add(cc->refs, r);
    return r;
}

static sa_ref *ref_of_uid(charon_ctx *cc, long uid)
{
    sa_ref *r = g_hash_table_lookup(cc->uids, GINT_TO_POINTER((int)uid));
    if (!r) {
        r = ref_new(cc);
        r->by_uid = true;
        g_hash_table_insert(cc->uids, GINT_TO_POINTER((int)uid), r);
    }
    return r;
}

static thread_t *thread_get(charon_ctx *cc, int no)
{
    thread_t *t = g_hash_table_lookup(cc->threads, GINT_TO_POINTER(no));
    if (!t) {
        t = g_new0(thread_t, 1);
        t->pending = g_ptr_array_new();
        g_hash_table_insert(cc->threads, GINT_TO_POINTER(no), t);
    }
    return t;
}

/* The SPIs of an SA as a log line gives them; a zero SPIr (not yet chosen)
 * adds nothing. */
static void ref_ids(sa_ref *r, const uint8_t spii[8], const uint8_t spir[8])
{
    static const uint8_t zero[8];
    if (!memcmp(spii, zero, 8))
        return;
    if (r->have_i && memcmp(r->spii, spii, 8))
        r->mixed = true;
    memcpy(r->spii, spii, 8);
    r->have_i = true;
    if (!memcmp(spir, zero, 8))
        return;
    if (r->have_r && memcmp(r->spir, spir, 8))
        r->mixed = true;
    memcpy(r->spir, spir, 8);
    r->have_r = true;
}

/* ---------------------------------------------------------------- lines */

typedef struct {
    int thread;                /* -1: none (charon-systemd's journal) */
    char grp[4];               /* "" when the line has no group */
    long uid;                  /* the <name|N> marker's N, -1 without */
    char *text;
} split_t;

static bool is_grp(const char *p)
{
    return g_ascii_isupper(p[0]) && g_ascii_isupper(p[1]) && g_ascii_isupper(p[2]);
}

/* "<name|N> " or "<N> " at the start of the text: N, and the text after it. */
static long ike_marker(char **text)
{
    char *t = *text;
    if (*t != '<')
        return -1;
    char *close = strstr(t, "> ");
    if (!close)
        return -1;
    char *num = close;
    while (num > t + 1 && g_ascii_isdigit(num[-1]))
        num--;
    if (num == close || (num[-1] != '|' && num[-1] != '<'))
        return -1;
    *text = close + 2;
    return strtol(num, NULL, 10);
}

/* Splits "[prefix ]NN[GRP] [<name|N> ]text"; charon-systemd's journal lines
 * ("... charon-systemd[PID]: [<name|N> ]text") have no thread and group. */
static bool charon_split(char *line, split_t *s)
{
    s->thread = -1;
    s->grp[0] = 0;
    s->text = NULL;
    for (char *p = strchr(line, '['); p; p = strchr(p + 1, '[')) {
        if (p == line || !g_ascii_isdigit(p[-1]) || strlen(p) < 5 || p[4] != ']' || !is_grp(p + 1))
            continue;
        char *d = p;
        while (d > line && g_ascii_isdigit(d[-1]))
            d--;
        if (d > line && d[-1] != ' ' && d[-1] != '\t' && d[-1] != ':')
            continue;   /* a word that ends in digits, not a thread number */
        s->thread = atoi(d);
        memcpy(s->grp, p + 1, 3);
        s->grp[3] = 0;
        s->text = p + 5;
        break;
    }
    if (!s->text) {
        char *j = strstr(line, "charon-systemd[");
        char *c = j ? strstr(j, "]: ") : NULL;
        if (!c)
            return false;
        s->text = c + 3;
    }
    if (*s->text == ' ')
        s->text++;
    s->uid = ike_marker(&s->text);
    return true;
}

/* The group test: a line without group (journal) may be any. */
static bool grp_is(const split_t *s, const char *g)
{
    return !s->grp[0] || !strcmp(s->grp, g);
}

/* "  16: AA BB ...  ascii": true when the text is a dump row. */
static bool is_row(const char *s)
{
    while (*s == ' ' || *s == '\t')
        s++;
    if (!g_ascii_isdigit(*s))
        return false;
    while (g_ascii_isdigit(*s))
        s++;
    return s[0] == ':' && s[1] == ' ' && g_ascii_isxdigit(s[2]) && g_ascii_isxdigit(s[3]);
}

static void dump_row(thread_t *t, const char *s)
{
    while (*s == ' ' || *s == '\t')
        s++;
    while (g_ascii_isdigit(*s))
        s++;
    s += 2;
    for (int i = 0; i < 16 && t->dump->len < t->want; i++) {
        uint8_t b;
        if (!hex_decode(s, 1, &b))
            break;
        g_byte_array_append(t->dump, &b, 1);
        s += 2;
        if (*s != ' ')
            break;
        s++;
    }
}

/* ---------------------------------------------------------------- keys */

static void emit(charon_ctx *cc, secret_entry *e, size_t line)
{
    char where[512];
    snprintf(where, sizeof where, "%s:%zu", cc->name, line);
    e->where = where;
    cc->sink(cc->user, e);
}

/* IKE SA key labels -> our key names and the IKE version they belong to. */
static const struct {
    const char *label, *name;
    pend_kind kind;
    int version;
} ike_labels[] = {
    { "shared Diffie Hellman secret", "DH", P_DH, 0 },
    { "key exchange secret", "DH", P_DH, 0 },           /* strongSwan 6 */
    { "SKEYSEED", "SKEYSEED", P_SEED, 2 },
    { "SKEYID", "SKEYID", P_SKEYID, 1 },
    { "SKEYID_d", "SKEYID_d", P_KEY, 1 }, { "SKEYID_a", "SKEYID_a", P_KEY, 1 },
    { "SKEYID_e", "SKEYID_e", P_KEY, 1 }, { "encryption key Ka", "Ka", P_KEY, 1 },
    { "Sk_d secret", "SK_d", P_KEY, 2 }, { "Sk_ai secret", "SK_ai", P_KEY, 2 },
    { "Sk_ar secret", "SK_ar", P_KEY, 2 }, { "Sk_ei secret", "SK_ei", P_KEY, 2 },
    { "Sk_er secret", "SK_er", P_KEY, 2 }, { "Sk_pi secret", "SK_pi", P_KEY, 2 },
    { "Sk_pr secret", "SK_pr", P_KEY, 2 },
};

static const char *const child_labels[4] = {
    "encryption initiator key", "encryption responder key",
    "integrity initiator key", "integrity responder key",
};

/* The SA an IKE SA key belongs to: the SA the line is about, but for a key
 * dumped while the thread handles a CREATE_CHILD_SA (only a rekeyed IKE SA
 * gets IKE keys then; the initiator logs them under the old SA's name) or a
 * key that SA already has (no ENC lines to tell): then a new SA's. */
static sa_ref *key_sa(charon_ctx *cc, thread_t *t, int label)
{
    sa_ref *sa = t->dump_sa;
    if (label >= 0 && (t->in_ccsa || (sa->labels & 1u << label))) {
        if (!t->rekey) {   /* the new SA's own name when the line has it (responder) */
            t->rekey = t->in_ccsa && sa != t->msg_sa && !sa->labels ? sa : ref_new(cc);
            t->rekey->parent = t->in_ccsa ? t->msg_sa : NULL;
            t->rekey->parent_msgid = t->msgid;
        }
        sa = t->rekey;
    }
    if (label >= 0)
        sa->labels |= 1u << label;
    return sa;
}

/* The dump comes after an IKE_INTERMEDIATE exchange of its SA: this thread's
 * last message, or, for a thread that logged none, the SA's. */
static bool in_inter(const thread_t *t)
{
    return t->msg_in_job ? t->in_inter : t->dump_sa && t->dump_sa->in_inter;
}

static void add_key(charon_ctx *cc, thread_t *t, pend_kind k, const char *name, int version,
                    int label, GByteArray *b)
{
    if (b->len == 0) {   /* "=> 0 bytes @ (nil)": nothing */
        bytes_wipe(b);
        return;
    }
    key_rec *r = g_new0(key_rec, 1);
    r->kind = k;
    r->name = g_strdup(name);
    r->bytes = b;
    r->msgid = t->msgid;
    r->have_msgid = t->have_msgid;
    if (t->in_followup && t->msg_sa && (k == P_CHILD_DH || k == P_CHILD_ADDKE))
        r->msgid = t->msg_sa->ccsa_msgid;   /* the CREATE_CHILD_SA the follow-ups complete */
    /* the n-th IKE_INTERMEDIATE key exchange of the SA; a log without
     * markers has a job per message: its message id (charon numbers them
     * from 1, one key exchange each) */
    if (k == P_ADDKE && in_inter(t))
        r->ke_n = t->dump_sa->by_uid || !t->msg_in_job ? ++t->dump_sa->n_addke : t->msgid;
    else if (k == P_ADDKE || k == P_CHILD_ADDKE)
        r->ke_n = 1;   /* a rekey's: strongSwan dumps them as one "additional" secret */
    r->version = version ? version : t->version;
    r->line = t->dump_line;
    r->sa = key_sa(cc, t, label);
    if (version && !r->sa->version)
        r->sa->version = version;
    if (k == P_SEED)
        r->sa->has_seed = true;
    g_ptr_array_add(cc->keys, r);
    g_ptr_array_add(t->pending, r);
}

static void count_kind(charon_log_summary *s, pend_kind k)
{
    switch (k) {
    case P_DH: s->dh++; break;
    case P_SEED: s->skeyseed++; break;
    case P_SKEYID: s->skeyid++; break;
    case P_KEY: s->ike_keys++; break;
    case P_CHILD_DH: case P_CHILD_ADDKE: s->child_dh++; break;
    case P_ADDKE: s->dh++; break;
    }
}

/* A dump that tells an SA's SPIs: natd_chunk (SPIi | SPIr | address | port)
 * and the IKEv2 AUTH octets (an IKE_SA_INIT message first). */
static void ids_dump(thread_t *t, const GByteArray *b)
{
    if (b->len < 16)
        return;
    bool octets = g_str_has_prefix(t->label, "octets");
    if (!octets && strcmp(t->label, "natd_chunk"))
        return;
    ref_ids(t->dump_sa, b->data, b->data + 8);
    if (octets && !t->dump_sa->version)
        t->dump_sa->version = 2;
}

/* A complete dump: file it by group and label. */
static void dump_done(charon_ctx *cc, thread_t *t)
{
    GByteArray *b = t->dump;
    bool ike = !t->grp[0] || !strcmp(t->grp, "IKE"), chd = !t->grp[0] || !strcmp(t->grp, "CHD");
    t->dump = NULL;
    if (ike)
        ids_dump(t, b);
    if (ike && !strcmp(t->label, "secret")) {
        bytes_wipe(t->psk);           /* the PSK, confirmed by the keypad line */
        t->psk = b;
        t->psk_wait = true;
        return;
    }
    if (ike && t->psk_wait && !strcmp(t->label, "prf(secret, keypad)") && t->psk->len) {
        secret_entry e = { .kind = SEC_PSK, .selector = "*", .value = t->psk->data,
                           .len = t->psk->len };
        emit(cc, &e, t->dump_line);
        cc->sum->psk++;
        t->psk_wait = false;
    }
    /* strongSwan 6 names both DH secrets alike: without groups, a CHILD_SA's
     * is the one of a CREATE_CHILD_SA that chose no IKE proposal */
    if (!t->grp[0] && t->in_ccsa && !t->ike_proposal && !strcmp(t->label, "key exchange secret"))
        ike = false;
    /* RFC 9370: after an IKE_INTERMEDIATE, "key exchange secret" is additional
     * key exchange n of the same SA (its later SKEYSEED and SK_* are derived
     * from it: not kept); after a rekey's IKE_FOLLOWUP_KEs, the "additional"
     * one holds the additional secrets */
    if (ike && in_inter(t) && !strcmp(t->label, "key exchange secret")) {
        add_key(cc, t, P_ADDKE, "ADDKE", 2, -1, b);
        return;
    }
    if (ike && in_inter(t) && (!strcmp(t->label, "SKEYSEED") || g_str_has_prefix(t->label, "Sk_"))) {
        bytes_wipe(b);
        return;
    }
    if (!strcmp(t->label, "additional key exchange secret")) {
        if (b->len && (t->grp[0] || t->in_followup))
            add_key(cc, t, chd && t->grp[0] ? P_CHILD_ADDKE : P_ADDKE, "ADDKE", 2, -1, b);
        else
            bytes_wipe(b);
        return;
    }
    for (size_t i = 0; ike && i < G_N_ELEMENTS(ike_labels); i++)
        if (!strcmp(t->label, ike_labels[i].label)) {
            add_key(cc, t, ike_labels[i].kind, ike_labels[i].name, ike_labels[i].version, (int)i, b);
            return;
        }
    if (chd && (!strcmp(t->label, "DH secret") || !strcmp(t->label, "key exchange secret"))) {
        add_key(cc, t, P_CHILD_DH, "DH", 0, -1, b);
        return;
    }
    for (int i = 0; chd && i < 4; i++)
        if (!strcmp(t->label, child_labels[i])) {
            bytes_wipe(t->child[i]);
            t->child[i] = b;
            return;
        }
    bytes_wipe(b);
}

/* "LABEL => N bytes @ 0x..." starts a dump. */
static bool dump_head(charon_ctx *cc, thread_t *t, const split_t *s, sa_ref *sa, size_t line)
{
    const char *arrow = strstr(s->text, " => ");
    unsigned long n;
    if (!arrow || sscanf(arrow, " => %lu bytes", &n) != 1 || (size_t)(arrow - s->text) >= sizeof t->label)
        return false;
    bytes_wipe(t->dump);
    snprintf(t->label, sizeof t->label, "%.*s", (int)(arrow - s->text), s->text);
    snprintf(t->grp, sizeof t->grp, "%s", s->grp);
    t->dump = g_byte_array_new();
    t->dump_sa = sa;
    t->want = n;
    t->dump_line = line;
    cc->sum->dumps++;
    return true;
}

/* Exchange names -> IKE version (ENC lines). */
static int exchange_version(const char *x)
{
    static const char *const v2[] = { "IKE_SA_INIT", "IKE_AUTH", "CREATE_CHILD_SA",
                                      "INFORMATIONAL", "IKE_SESSION_RESUME", "IKE_INTERMEDIATE",
                                      "IKE_FOLLOWUP_KE" };
    static const char *const v1[] = { "ID_PROT", "AGGRESSIVE", "QUICK_MODE", "TRANSACTION",
                                      "INFORMATIONAL_V1", "BASE", "AUTH_ONLY" };
    for (size_t i = 0; i < G_N_ELEMENTS(v2); i++)
        if (!strcmp(x, v2[i]))
            return 2;
    for (size_t i = 0; i < G_N_ELEMENTS(v1); i++)
        if (!strcmp(x, v1[i]))
            return 1;
    return 0;
}

/* "parsed|generating EXCHANGE request|response N [ ... ]": the message id,
 * the version, and whether we initiated the exchange (we parse responses and
 * generate requests). */
static bool message_line(thread_t *t, sa_ref *sa, const char *text)
{
    char verb[16], exch[40], dir[16];
    unsigned long id;
    if (sscanf(text, "%15s %39s %15s %lu", verb, exch, dir, &id) != 4)
        return false;
    bool parsed = !strcmp(verb, "parsed"), req = !strcmp(dir, "request");
    if ((!parsed && strcmp(verb, "generating")) || (!req && strcmp(dir, "response")))
        return false;
    t->msgid = (uint32_t)id;
    t->have_msgid = true;
    t->version = exchange_version(exch);
    t->in_ccsa = !strcmp(exch, "CREATE_CHILD_SA");
    t->in_inter = !strcmp(exch, "IKE_INTERMEDIATE");
    t->in_followup = !strcmp(exch, "IKE_FOLLOWUP_KE");
    t->msg_in_job = true;
    if (t->in_ccsa)
        sa->ccsa_msgid = (uint32_t)id;
    sa->in_inter = t->in_inter;
    t->msg_sa = sa;
    t->ike_proposal = false;
    t->rekey = NULL;
    t->we_initiated = parsed ? !req : req;
    return true;
}

/* "checkin IKEv1|IKEv2 SA name[N] with SPIs X_i Y_r": the SA named has these
 * SPIs, and so have the keys the thread dumped since its last checkin. */
static void checkin_line(charon_ctx *cc, thread_t *t, const char *text)
{
    const char *with = strstr(text, " with SPIs "), *br = strchr(text, '[');
    uint8_t spi[8], spir[8];
    char x[17], y[17];
    int version = !strncmp(text, "checkin IKEv1 ", 14) ? 1 : !strncmp(text, "checkin IKEv2 ", 14) ? 2 : 0;
    if (!version || !with || sscanf(with, " with SPIs %16[0-9a-f]_i %16[0-9a-f]_r", x, y) != 2 ||
        !hex_decode(x, 8, spi) || !hex_decode(y, 8, spir) || strlen(x) != 16 || strlen(y) != 16)
        return;
    if (br && br < with && g_ascii_isdigit(br[1])) {
        sa_ref *r = ref_of_uid(cc, strtol(br + 1, NULL, 10));
        ref_ids(r, spi, spir);
        if (!r->version)
            r->version = version;
    }
    if (!strcmp(y, "0000000000000000"))
        return;
    for (guint i = 0; i < t->pending->len; i++) {
        key_rec *k = g_ptr_array_index(t->pending, i);
        k->tied = true;
        k->version = version;
        memcpy(k->spi, spi, 8);
        memcpy(k->spir, spir, 8);
    }
    g_ptr_array_set_size(t->pending, 0);
}

/* "selected proposal: ESP:AES_CBC_256/HMAC_SHA2_256_128/..." or the same for AH. */
static void proposal_line(thread_t *t, const char *text)
{
    const char *p = strstr(text, "selected proposal: ");
    if (!p)
        return;
    p += strlen("selected proposal: ");
    t->ike_proposal = !strncmp(p, "IKE:", 4);
    if (strncmp(p, "ESP:", 4) && strncmp(p, "AH:", 3))
        return;
    gchar **parts = g_strsplit(strchr(p, ':') + 1, "/", 0);
    t->encr[0] = t->integ[0] = 0;
    t->encr_bits = 0;
    for (int i = 0; parts[i]; i++) {
        const char *a = parts[i];
        if (g_str_has_prefix(a, "HMAC_") || g_str_has_prefix(a, "AES_XCBC") ||
            g_str_has_prefix(a, "AES_CMAC")) {
            snprintf(t->integ, sizeof t->integ, "%s", a);
        } else if (i == 0 && strncmp(p, "AH:", 3)) {
            /* the cipher, with its key size last: AES_CBC_256, AES_GCM_16_128 */
            const char *us = strrchr(a, '_');
            if (us && g_ascii_isdigit(us[1]) && atoi(us + 1) >= 64) {
                t->encr_bits = (size_t)atoi(us + 1);
                snprintf(t->encr, sizeof t->encr, "%.*s", (int)(us - a), a);
            } else {
                snprintf(t->encr, sizeof t->encr, "%s", a);
            }
        }
    }
    g_strfreev(parts);
}

/* "  SPI 0x2b66db28, src 10.99.0.2 dst 10.99.0.1" after "adding inbound ESP SA":
 * inbound traffic is the peer's, so its keys are the other role's. */
static void esp_spi_line(charon_ctx *cc, thread_t *t, const char *text, size_t line)
{
    unsigned long spi;
    char src[64], dst[64];
    int dir = t->esp_dir;
    t->esp_dir = 0;
    if (sscanf(text, " SPI 0x%lx, src %63s dst %63s", &spi, src, dst) != 3)
        return;
    bool from_initiator = (dir == 2) == t->we_initiated;
    GByteArray *ek = t->child[from_initiator ? 0 : 1], *ak = t->child[from_initiator ? 2 : 3];
    if (!ek && !ak)
        return;
    secret_entry e = { .kind = SEC_ESP_KEY, .esp_spi = (uint32_t)spi, .src = src, .dst = dst,
                       .encr = t->encr[0] ? t->encr : NULL, .integ = t->integ[0] ? t->integ : NULL,
                       .encr_bits = t->encr_bits, .value = ek ? ek->data : NULL,
                       .len = ek ? ek->len : 0, .integ_key = ak ? ak->data : NULL,
                       .integ_len = ak ? ak->len : 0 };
    emit(cc, &e, line);
    cc->sum->esp++;
}

static void esp_dir_line(thread_t *t, const char *text)
{
    char alg[32], what[16];
    if (sscanf(text, " using %31s for %15s", alg, what) == 2) {   /* when no proposal line was seen */
        if (!strcmp(what, "encryption") && !t->encr[0])
            snprintf(t->encr, sizeof t->encr, "%s", alg);
        else if (!strcmp(what, "integrity") && !t->integ[0])
            snprintf(t->integ, sizeof t->integ, "%s", alg);
        return;
    }
    if (strstr(text, "inbound ESP SA") || strstr(text, "inbound AH SA"))
        t->esp_dir = 1;
    else if (strstr(text, "outbound ESP SA") || strstr(text, "outbound AH SA"))
        t->esp_dir = 2;
    if (!g_str_has_prefix(text, "adding ") && !g_str_has_prefix(text, "registering "))
        t->esp_dir = 0;
}

/* Lines that start a thread's work on an IKE_SA (without markers, what the
 * thread logs from there on is about that SA). */
static bool job_start(const split_t *s)
{
    return (grp_is(s, "IKE") && g_str_has_prefix(s->text, "initiating ")) ||
           (grp_is(s, "MGR") && g_str_has_prefix(s->text, "checkout ")) ||
           (grp_is(s, "NET") && g_str_has_prefix(s->text, "received packet: "));
}

static void charon_line(char *line, size_t no, void *user)
{
    charon_ctx *cc = user;
    split_t s;
    if (!charon_split(line, &s)) {
        /* a journal message's dump rows come on lines of their own */
        thread_t *t = cc->last_dump;
        if (t && t->dump && is_row(line)) {
            dump_row(t, line);
            if (t->dump->len == t->want)
                dump_done(cc, t);
        }
        return;
    }
    cc->sum->lines++;
    thread_t *t = thread_get(cc, s.thread);
    cc->last_dump = NULL;
    if (t->dump && t->dump->len < t->want && !strcmp(s.grp, t->grp) && is_row(s.text)) {
        dump_row(t, s.text);
        if (t->dump->len == t->want)
            dump_done(cc, t);
        else
            cc->last_dump = t;
        return;
    }
    if (t->dump) {   /* cut short: drop it */
        bytes_wipe(t->dump);
        t->dump = NULL;
    }
    if (job_start(&s) || !t->job) {
        t->job = ref_new(cc);
        t->msg_in_job = false;
        t->rekey = NULL;
        t->in_ccsa = false;
    }
    sa_ref *sa = s.uid >= 0 ? ref_of_uid(cc, s.uid) : t->job;
    if (dump_head(cc, t, &s, sa, no)) {
        if (t->want == 0)
            dump_done(cc, t);
        else
            cc->last_dump = t;
        return;
    }
    if (grp_is(&s, "ENC") && message_line(t, sa, s.text))
        return;
    if (grp_is(&s, "MGR") && g_str_has_prefix(s.text, "checkin IKEv"))
        checkin_line(cc, t, s.text);
    else if (grp_is(&s, "CFG") && strstr(s.text, "selected proposal: "))
        proposal_line(t, s.text);
    else if (grp_is(&s, "CHD") && g_str_has_prefix(s.text, "  SPI 0x"))
        esp_spi_line(cc, t, s.text, no);
    else if (grp_is(&s, "CHD"))
        esp_dir_line(t, s.text);
}

/* ---------------------------------------------------------------- the end */

static const secret_kind v1_kinds[] = { [P_DH] = SEC_V1_DH_SHARED, [P_SEED] = 0,
                                        [P_SKEYID] = SEC_V1_SKEYID, [P_KEY] = SEC_V1_KEY,
                                        [P_CHILD_DH] = SEC_V1_QM_DH_SHARED, [P_ADDKE] = 0,
                                        [P_CHILD_ADDKE] = 0 };
static const secret_kind v2_kinds[] = { [P_DH] = SEC_V2_DH_SHARED, [P_SEED] = SEC_V2_SKEYSEED,
                                        [P_SKEYID] = 0, [P_KEY] = SEC_V2_KEY,
                                        [P_CHILD_DH] = SEC_V2_CHILD_DH_SHARED,
                                        [P_ADDKE] = SEC_V2_ADDKE_SHARED,
                                        [P_CHILD_ADDKE] = SEC_V2_CHILD_ADDKE_SHARED };

/* One kept key as a secret: tied to the SPIs the log gave for it, else a
 * candidate for any SA; of either IKE version when the log did not say. */
static void key_out(charon_ctx *cc, const key_rec *k)
{
    const sa_ref *sa = k->sa;
    bool tied = k->tied || (sa->have_i && !sa->mixed);
    int version = k->version ? k->version : sa->version;
    bool child = k->kind == P_CHILD_DH || k->kind == P_CHILD_ADDKE;   /* only these go by message id */
    secret_entry e = { .have_spir = k->tied || sa->have_r, .any_sa = !tied,
                       .msgid = child ? k->msgid : 0, .any_msgid = child && !k->have_msgid,
                       .ke_n = k->ke_n, .name = k->name,
                       .value = k->bytes->data, .len = k->bytes->len };
    memcpy(e.spi, k->tied ? k->spi : sa->spii, 8);
    memcpy(e.spir, k->tied ? k->spir : sa->spir, 8);
    if (!tied && k->kind == P_DH && sa->has_seed && version != 1)
        return;   /* a candidate SKEYSEED of the same SA says the same */
    const sa_ref *parent = sa->parent;
    if (!tied && parent && parent->have_i && !parent->mixed) {
        e.have_parent = true;
        memcpy(e.parent_spi, parent->spii, 8);
        e.parent_msgid = sa->parent_msgid;
    }
    bool out = false;
    for (int v = 1; v <= 2; v++) {
        e.kind = v == 1 ? v1_kinds[k->kind] : v2_kinds[k->kind];
        if ((version && version != v) || !e.kind)
            continue;
        emit(cc, &e, k->line);
        out = true;
    }
    if (!out)
        return;
    count_kind(cc->sum, k->kind);
    if (tied)
        cc->sum->tied++;
    else
        cc->sum->candidates++;
}

void charon_log_parse(const char *name, const char *text, size_t len, secret_sink_fn sink,
                      void *user, charon_log_summary *sum)
{
    charon_log_summary dummy;
    charon_ctx cc = { name, sink, user, sum ? sum : &dummy,
                      g_hash_table_new_full(g_direct_hash, g_direct_equal, NULL, thread_free),
                      g_hash_table_new(g_direct_hash, g_direct_equal),
                      g_ptr_array_new_with_free_func(g_free),
                      g_ptr_array_new_with_free_func(key_free), NULL };
    memset(cc.sum, 0, sizeof *cc.sum);
    secrets_each_line(text, len, charon_line, &cc);
    for (guint i = 0; i < cc.keys->len; i++)
        key_out(&cc, g_ptr_array_index(cc.keys, i));
    g_hash_table_destroy(cc.threads);
    g_hash_table_destroy(cc.uids);
    g_ptr_array_free(cc.keys, TRUE);
    g_ptr_array_free(cc.refs, TRUE);
}

bool charon_log_detect(const char *head)
{
    if (strstr(head, "[IKE] ") || strstr(head, "[MGR] ") || strstr(head, "[CFG] ") ||
        strstr(head, "[DMN] ") || strstr(head, "[ENC] ") || strstr(head, "[CHD] "))
        return true;
    return strstr(head, "charon-systemd[") && strstr(head, " bytes @ 0x");
}
