/*
 * Mutated, correctly encrypted IKEv2 requests sent to a live responder
 * (tests/mutate/live-charon.sh drives it against strongSwan's charon).
 *
 *   live_mutants -k KEYS... -x EXCHANGE (-l ADDR -r ADDR [-p PORT] | -d)
 *                [-n N] [-s SEED] [-m MID] [-b] [-w SECONDS] [-q QUIT_AFTER] CAPTURE
 *
 * The capture holds an established IKEv2 SA: every message is decoded in
 * order with the keys (a daemon log: -k charon.log).  The template is the
 * last initiator request of exchange EXCHANGE (35 IKE_AUTH, 36
 * CREATE_CHILD_SA, 37 INFORMATIONAL); the donor for splicing is the SA's
 * IKE_AUTH request (for an IKE_AUTH template: its IKE_SA_INIT request).
 * Each mutant is a copy of the template's edit with the message ID set to
 * the one the responder expects next (-m; default: one more than the
 * highest initiator request of the template's SA in the capture), one
 * isakmp_edit_mutate inside the SK payload (ISAKMP_MUTATE_INNER; -b allows
 * breaking a length or chain), encoded: encrypted again with the SA's keys
 * and its ICV recomputed, since the message ID is in the header the ICV
 * covers.  It is sent over UDP from ADDR (-l; the template's source port)
 * to the responder (-r; the template's destination port, or -p; the
 * non-ESP marker first unless it is 500), one at a time:
 * the tool waits for the response (-w seconds, default 2) and moves the
 * message ID on only when the responder answered it.  A response with
 * INVALID_SYNTAX (a receiver deletes the IKE SA then, RFC 7296 2.21.2), or
 * QUIT_AFTER mutants in a row without an answer (-q, default 2: the SA is
 * most likely gone), stop it with exit status 3.
 *
 * Each mutant is also decoded by our own decoder in the SA's context: its
 * message ID must be the one set and every ICV must verify, or the line
 * says OWN-CHECK-FAILED and the exit status is 1.  -d (dry run) sends
 * nothing and moves the message ID on after every mutant: that check alone
 * (tests/mutate/run-edit.sh runs it on a sample, without root).
 *
 * One tab-separated line per mutant on standard output:
 *   index  mid  mutation  bytes  sent-payloads  response  own-check
 * where sent-payloads are the payload types inside SK as charon names them
 * (N(type) with the notify type's number) and response is "-" (none) or
 * the response's inner payloads.  The template's own line comes first,
 * with index "template".
 */
#include <arpa/inet.h>
#include <errno.h>
#include <glib.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "capture/capture.h"
#include "isakmp/edit.h"
#include "tool_keys.h"

static void on_frame(void *user, const capture_frame *f)
{
    GPtrArray *pkts = user;
    for (size_t i = 0; i < f->nmsgs; i++) {
        isakmp_packet *p = g_new(isakmp_packet, 1);
        *p = f->msgs[i];
        p->data = g_memdup2(f->msgs[i].data, f->msgs[i].len);
        g_ptr_array_add(pkts, p);
    }
}

static void free_pkt(gpointer p)
{
    g_free((void *)(uintptr_t)((isakmp_packet *)p)->data);
    g_free(p);
}

/* The IKEv2 header facts the tool needs, read from the message bytes. */
static unsigned hdr_exchange(const uint8_t *d) { return d[18]; }
static bool hdr_initiator_request(const uint8_t *d) { return (d[19] & 0x28) == 0x08; }
static uint32_t hdr_mid(const uint8_t *d)
{
    return (uint32_t)d[20] << 24 | (uint32_t)d[21] << 16 | (uint32_t)d[22] << 8 | d[23];
}

/* charon's short payload names (its "parsed ... [ ... ]" lines) */
static const char *payload_name(unsigned t)
{
    static const char *const names[] = {
        [33] = "SA",  [34] = "KE",  [35] = "IDi", [36] = "IDr", [37] = "CERT",
        [38] = "CERTREQ", [39] = "AUTH", [40] = "No", [41] = "N", [42] = "D",
        [43] = "V",   [44] = "TSi", [45] = "TSr", [46] = "SK", [47] = "CP",
        [48] = "EAP", [49] = "GSPM", [53] = "EF",
    };
    return t < G_N_ELEMENTS(names) ? names[t] : NULL;
}

/* The payloads of a tree, the encrypted ones' children in their place. */
static void payload_list(const isakmp_node *n, GString *out)
{
    for (size_t i = 0; i < isakmp_node_child_count(n); i++) {
        const isakmp_node *c = isakmp_node_child(n, i);
        if (isakmp_node_kind_of(c) != ISAKMP_NODE_PAYLOAD)
            continue;
        if (isakmp_node_encrypted(c)) {
            payload_list(c, out);
            continue;
        }
        unsigned t = isakmp_node_type(c);
        const char *name = payload_name(t);
        if (out->len)
            g_string_append_c(out, ' ');
        if (t == 41) {
            size_t len = 0;
            const uint8_t *b = isakmp_node_body(c, &len);
            if (len >= 4)
                g_string_append_printf(out, "N(%u)", (unsigned)b[2] << 8 | b[3]);
            else
                g_string_append(out, "N(?)");
        } else if (name) {
            g_string_append(out, name);
        } else {
            g_string_append_printf(out, "U_%u", t);
        }
    }
}

static char *payloads_of(isakmp_edit *e)
{
    GString *s = g_string_new(NULL);
    payload_list(isakmp_edit_root(e), s);
    return g_string_free(s, FALSE);
}

static void count_icv(const isakmp_item *it, void *user)
{
    int *v = user;   /* [0] verified, [1] failed */
    if (strcmp(isakmp_item_field(it)->abbrev, "ike.verify.icv") == 0)
        v[isakmp_item_uint(it) ? 0 : 1]++;
}

/* Our own decoder on the mutant, in the SA's context: true when its
 * message ID is mid and every ICV verifies (at least one). */
static bool own_check(isakmp_ctx *ctx, const isakmp_packet *meta, uint32_t *frame,
                      const uint8_t *b, size_t len, uint32_t mid)
{
    isakmp_packet p = *meta;
    p.data = b;
    p.len = len;
    p.frame = ++*frame;
    isakmp_msg *m = isakmp_decode(ctx, &p);
    int v[2] = { 0, 0 };
    isakmp_msg_walk(m, count_icv, v);
    isakmp_msg_free(m);
    return len >= 28 && hdr_mid(b) == mid && v[0] > 0 && v[1] == 0;
}

static char **keys;
static int nkeys;

static isakmp_ctx *new_ctx(void) { return tool_ctx_with_keys(keys, nkeys, "live_mutants"); }

typedef struct {
    int fd;
    bool marker;                 /* port 4500: the four zero bytes first */
    struct sockaddr_in peer;
    isakmp_packet meta;          /* the template's packet facts, for decoding replies */
} link_t;

static int link_open(link_t *l, const char *laddr, const char *raddr, unsigned rport,
                     const isakmp_packet *tp)
{
    memset(l, 0, sizeof *l);
    l->meta = *tp;
    if (rport)
        l->meta.dport = (uint16_t)rport;
    l->marker = l->meta.dport != 500;   /* a NAT-T port */
    struct sockaddr_in me = { .sin_family = AF_INET, .sin_port = htons(tp->sport) };
    l->peer = (struct sockaddr_in){ .sin_family = AF_INET, .sin_port = htons(l->meta.dport) };
    if (inet_pton(AF_INET, laddr, &me.sin_addr) != 1 ||
        inet_pton(AF_INET, raddr, &l->peer.sin_addr) != 1) {
        fprintf(stderr, "live_mutants: -l and -r take IPv4 addresses\n");
        return -1;
    }
    l->fd = socket(AF_INET, SOCK_DGRAM, 0);
    int one = 1;
    setsockopt(l->fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    if (l->fd < 0 || bind(l->fd, (struct sockaddr *)&me, sizeof me) < 0) {
        fprintf(stderr, "live_mutants: bind %s:%u: %s\n", laddr, tp->sport, strerror(errno));
        return -1;
    }
    return 0;
}

static void link_send(link_t *l, const uint8_t *b, size_t len)
{
    uint8_t *d = g_malloc(len + 4);
    size_t off = l->marker ? 4 : 0;
    memset(d, 0, off);
    memcpy(d + off, b, len);
    if (sendto(l->fd, d, len + off, 0, (struct sockaddr *)&l->peer, sizeof l->peer) < 0)
        fprintf(stderr, "live_mutants: sendto: %s\n", strerror(errno));
    g_free(d);
}

/* Waits up to ms for the response with message ID mid; its payload list
 * (decoded with ctx's keys) into *reply.  False on timeout. */
static bool link_wait(link_t *l, isakmp_ctx *ctx, uint32_t mid, int ms, uint32_t *frame,
                      char **reply)
{
    gint64 end = g_get_monotonic_time() + (gint64)ms * 1000;
    uint8_t buf[65536];
    for (;;) {
        gint64 left = (end - g_get_monotonic_time()) / 1000;
        struct pollfd pf = { .fd = l->fd, .events = POLLIN };
        if (left <= 0 || poll(&pf, 1, (int)left) <= 0)
            return false;
        ssize_t n = recv(l->fd, buf, sizeof buf, 0);
        size_t off = l->marker ? 4 : 0;
        if (n < (ssize_t)(off + 28) || (off && memcmp(buf, "\0\0\0\0", 4) != 0))
            continue;
        const uint8_t *d = buf + off;
        if (!(d[19] & 0x20) || hdr_mid(d) != mid)
            continue;   /* not our response (a request of the responder's own, an old one) */
        isakmp_packet p = l->meta;
        p.data = d;
        p.len = (size_t)n - off;
        memcpy(p.src, l->meta.dst, sizeof p.src);
        memcpy(p.dst, l->meta.src, sizeof p.dst);
        p.sport = l->meta.dport;
        p.dport = l->meta.sport;
        p.frame = ++*frame;
        isakmp_msg *m = isakmp_decode(ctx, &p);
        isakmp_edit *e = isakmp_edit_new(ctx, m);
        *reply = e ? payloads_of(e) : g_strdup("?");
        if (e && isakmp_node_raw(isakmp_edit_root(e))) {
            g_free(*reply);
            *reply = g_strdup("(not decrypted)");
        }
        isakmp_edit_free(e);
        isakmp_msg_free(m);
        return true;
    }
}

static void usage(void)
{
    fprintf(stderr, "usage: live_mutants -k KEYS... -x EXCHANGE (-l ADDR -r ADDR [-p PORT] | -d) "
                    "[-n N] [-s SEED] [-m MID] [-b] [-w SECONDS] [-q QUIT_AFTER] CAPTURE\n");
    exit(2);
}

int main(int argc, char **argv)
{
    keys = g_new0(char *, argc);
    int nmut = 10, quit_after = 2;
    unsigned exchange = 36;
    uint64_t seed = 1;
    long long first_mid = -1;
    double wait_s = 2.0;
    unsigned rport = 0;
    bool allow_break = false, dry = false;
    const char *laddr = NULL, *raddr = NULL;
    int i = 1;
    for (; i < argc && argv[i][0] == '-'; i++) {
        const char *a = argv[i];
        bool has = i + 1 < argc;
        if (strcmp(a, "-k") == 0 && has)
            keys[nkeys++] = argv[++i];
        else if (strcmp(a, "-x") == 0 && has)
            exchange = (unsigned)atoi(argv[++i]);
        else if (strcmp(a, "-l") == 0 && has)
            laddr = argv[++i];
        else if (strcmp(a, "-r") == 0 && has)
            raddr = argv[++i];
        else if (strcmp(a, "-n") == 0 && has)
            nmut = atoi(argv[++i]);
        else if (strcmp(a, "-s") == 0 && has)
            seed = strtoull(argv[++i], NULL, 0);
        else if (strcmp(a, "-m") == 0 && has)
            first_mid = strtoll(argv[++i], NULL, 0);
        else if (strcmp(a, "-w") == 0 && has)
            wait_s = atof(argv[++i]);
        else if (strcmp(a, "-p") == 0 && has)
            rport = (unsigned)atoi(argv[++i]);
        else if (strcmp(a, "-q") == 0 && has)
            quit_after = atoi(argv[++i]);
        else if (strcmp(a, "-b") == 0)
            allow_break = true;
        else if (strcmp(a, "-d") == 0)
            dry = true;
        else
            usage();
    }
    if (i + 1 != argc || (!dry && (!laddr || !raddr)) || nkeys == 0)
        usage();

    /* one way out, so that an early exit (no template, no keys) frees what
     * the normal one does: LeakSanitizer runs on the tests' dry runs */
    int rc = 2;
    isakmp_ctx *ctx = NULL;
    isakmp_msg *tmsg = NULL, *dmsg = NULL;
    isakmp_edit *base = NULL, *donor = NULL;
    link_t l = { .fd = -1 };
    GPtrArray *pkts = g_ptr_array_new_with_free_func(free_pkt);
    capture_opts o;
    capture_opts_default(&o);
    capture_stats cs = { 0 };
    char err[256];
    if (capture_file(argv[i], &o, &cs, on_frame, pkts, err, sizeof err) < 0) {
        fprintf(stderr, "live_mutants: %s: %s\n", argv[i], err);
        goto out;
    }
    /* the SA's state: every message decoded in order; the template is the
     * last initiator request of the exchange, the donor the IKE_AUTH request */
    ctx = new_ctx();
    const isakmp_packet *tp = NULL;
    uint32_t frame = 0, top_mid = 0;
    for (guint k = 0; k < pkts->len; k++) {
        const isakmp_packet *p = g_ptr_array_index(pkts, k);
        frame = p->frame > frame ? p->frame : frame;
        isakmp_msg *m = isakmp_decode(ctx, p);
        bool req = p->len >= 28 && isakmp_msg_version(m) == 2 && hdr_initiator_request(p->data);
        if (req && hdr_exchange(p->data) == exchange) {
            isakmp_msg_free(tmsg);
            tmsg = m;
            tp = p;
        } else if (req && hdr_exchange(p->data) == (exchange == 35 ? 34 : 35) && !dmsg) {
            dmsg = m;
        } else {
            isakmp_msg_free(m);
        }
    }
    for (guint k = 0; tp && k < pkts->len; k++) {
        const isakmp_packet *p = g_ptr_array_index(pkts, k);
        if (p->len >= 28 && memcmp(p->data, tp->data, 16) == 0 &&
            hdr_initiator_request(p->data) && hdr_mid(p->data) > top_mid)
            top_mid = hdr_mid(p->data);
    }
    if (!tmsg) {
        fprintf(stderr, "live_mutants: no IKEv2 initiator request of exchange %u in %s\n",
                exchange, argv[i]);
        goto out;
    }
    base = isakmp_edit_new(ctx, tmsg);
    donor = dmsg ? isakmp_edit_new(ctx, dmsg) : NULL;
    bool encrypted = false;
    for (size_t c = 0; c < isakmp_node_child_count(isakmp_edit_root(base)); c++)
        encrypted |= isakmp_node_encrypted(isakmp_node_child(isakmp_edit_root(base), c));
    if (!encrypted) {
        fprintf(stderr, "live_mutants: the template (frame %u) was not decrypted: no keys for "
                        "its SA?\n", tp->frame);
        goto out;
    }
    char *tpl = payloads_of(base);
    uint32_t mid = first_mid >= 0 ? (uint32_t)first_mid : top_mid + 1;
    printf("template\t%u\t-\t%zu\t%s\t-\n", hdr_mid(tp->data), tp->len, tpl);
    fflush(stdout);
    g_free(tpl);

    if (!dry && link_open(&l, laddr, raddr, rport, tp) < 0)
        goto out;
    uint64_t rng = seed;
    int silent = 0, answered = 0, sent = 0, own_bad = 0;
    unsigned flags = ISAKMP_MUTATE_INNER | (allow_break ? ISAKMP_MUTATE_BREAK : 0);
    for (int j = 0; j < nmut; j++) {
        isakmp_edit *e = isakmp_edit_copy(base);
        uint8_t m4[4] = { mid >> 24, mid >> 16, mid >> 8, mid };
        isakmp_node_splice(isakmp_edit_root(e), 20, 4, m4, 4);
        const char *what = NULL;
        for (int tries = 0; tries < 16 && !what; tries++)
            what = isakmp_edit_mutate(e, &rng, flags, donor);
        size_t len = what ? isakmp_edit_encode(e, NULL, 0) : 0;
        uint8_t *b = g_malloc(len ? len : 1);
        if (!len || isakmp_edit_encode(e, b, len) != len) {
            fprintf(stderr, "live_mutants: mutant %d could not be encoded\n", j);
            g_free(b);
            isakmp_edit_free(e);
            continue;
        }
        char *sent_pl = payloads_of(e);
        bool own = own_check(ctx, tp, &frame, b, len, mid);
        own_bad += !own;
        char *reply = NULL;
        bool got = dry;   /* a dry run moves the message ID on as if answered */
        if (!dry) {
            link_send(&l, b, len);
            got = link_wait(&l, ctx, mid, (int)(wait_s * 1000), &frame, &reply);
        }
        sent++;
        printf("%d\t%u\t%s\t%zu\t%s\t%s\t%s\n", j, mid, what, len, sent_pl,
               reply ? reply : "-", own ? "icv-ok" : "OWN-CHECK-FAILED");
        fflush(stdout);
        g_free(sent_pl);
        g_free(b);
        isakmp_edit_free(e);
        bool fatal = reply && strstr(reply, "N(7)") != NULL;   /* INVALID_SYNTAX */
        g_free(reply);
        if (fatal) {
            answered++;
            silent = quit_after;
            break;
        }
        if (got) {
            mid++;
            answered++;
            silent = 0;
        } else if (++silent >= quit_after) {
            break;
        }
    }
    fprintf(stderr, "live_mutants: %d %s, %d answered, next message ID %u; %d failed our own "
                    "decoder's check\n", sent, dry ? "made" : "sent", answered, mid, own_bad);
    rc = own_bad ? 1 : silent >= quit_after ? 3 : 0;
out:
    if (l.fd >= 0)
        close(l.fd);
    isakmp_edit_free(base);
    isakmp_edit_free(donor);
    isakmp_msg_free(tmsg);
    isakmp_msg_free(dmsg);
    isakmp_ctx_free(ctx);
    g_ptr_array_free(pkts, TRUE);
    g_free(keys);
    return rc;
}
