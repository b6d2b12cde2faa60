/* The report's writers: a text table with a detail block per SA, and JSON
 * lines (one object per SA, then a summary object).  docs/report.md. */
#include <inttypes.h>
#include <string.h>

#include "report_out.h"

static const char *outcome_name(rpt_outcome o)
{
    switch (o) {
    case RPT_ESTABLISHED: return "established";
    case RPT_FAILED: return "failed";
    case RPT_UNKNOWN: return "unknown";
    default: return "incomplete";
    }
}

static void addr_text(char *buf, size_t size, int af, const uint8_t *a)
{
    size_t n = isakmp_format_addr(af, a, buf, size);
    if (n == 0 || n >= size)
        g_strlcpy(buf, "?", size);
}

static const char *proto_name(uint32_t p)
{
    return p == 1 ? "IKE" : p == 2 ? "AH" : p == 3 ? "ESP" : p == 4 ? "IPCOMP" : "?";
}

static const char *mode_name(const rpt_row *row)
{
    if (row->version == 2)
        return row->transport_mode ? "transport" : "tunnel";
    if (!row->have_chosen || !row->chosen.encap.set)
        return NULL;
    uint32_t e = row->chosen.encap.id;   /* RFC 2407 4.5, RFC 3947: 1/3 tunnel, 2/4 transport */
    return e == 1 || e == 3 || e == 61443 ? "tunnel" : e == 2 || e == 4 || e == 61444 ? "transport" : NULL;
}

static int worst_of(const rpt_row *row)
{
    int w = -1;
    for (guint i = 0; i < row->findings->len; i++)
        w = MAX(w, (int)g_array_index(row->findings, rpt_finding, i).severity);
    return w;
}

/* ---------------------------------------------------------------- JSON */

static void js_str(GString *g, const char *s)
{
    if (!s) {
        g_string_append(g, "null");
        return;
    }
    g_string_append_c(g, '"');
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if (*p == '"' || *p == '\\')
            g_string_append_printf(g, "\\%c", *p);
        else if (*p < 0x20)
            g_string_append_printf(g, "\\u%04x", *p);
        else
            g_string_append_c(g, (char)*p);
    }
    g_string_append_c(g, '"');
}

static void js_key(GString *g, const char *k)
{
    char last = g->len ? g->str[g->len - 1] : 0;
    if (last != '{' && last != '[')
        g_string_append_c(g, ',');
    js_str(g, k);
    g_string_append_c(g, ':');
}

static void js_kstr(GString *g, const char *k, const char *v)
{
    js_key(g, k);
    js_str(g, v && v[0] ? v : NULL);
}

static void js_kuint(GString *g, const char *k, uint64_t v)
{
    js_key(g, k);
    g_string_append_printf(g, "%" PRIu64, v);
}

static void js_kuint_or_null(GString *g, const char *k, uint64_t v)
{
    js_key(g, k);
    if (v)
        g_string_append_printf(g, "%" PRIu64, v);
    else
        g_string_append(g, "null");
}

static void js_kbool(GString *g, const char *k, bool v)
{
    js_key(g, k);
    g_string_append(g, v ? "true" : "false");
}

static void js_alg(GString *g, const char *k, const rpt_alg *a)
{
    js_key(g, k);
    if (!a->set) {
        g_string_append(g, "null");
        return;
    }
    g_string_append_printf(g, "{\"id\":%u,\"name\":", a->id);
    js_str(g, a->name);
    g_string_append_c(g, '}');
}

static void js_suite(GString *g, const rpt_suite *s)
{
    char spi[17];
    isakmp_format_hex(s->spi, s->spi_len, spi, sizeof spi);
    g_string_append_c(g, '{');
    js_kstr(g, "protocol", proto_name(s->protoid));
    js_kstr(g, "spi", spi);
    js_alg(g, "encryption", &s->encr);
    js_kuint_or_null(g, "key_length", s->key_length);
    js_alg(g, "integrity", &s->integ);
    js_alg(g, "prf", &s->prf);
    js_alg(g, "dh_group", &s->dh);
    js_alg(g, "auth_method", &s->auth);
    js_alg(g, "esn", &s->esn);
    js_alg(g, "encapsulation", &s->encap);
    js_kuint_or_null(g, "life_seconds", s->life_s);
    js_kuint_or_null(g, "life_kilobytes", s->life_kb);
    js_kstr(g, "text", s->text);
    g_string_append_c(g, '}');
}

static void js_peer(GString *g, const char *k, const rpt_row *row, bool init)
{
    char a[64];
    addr_text(a, sizeof a, row->af, init ? row->iaddr : row->raddr);
    js_key(g, k);
    g_string_append_c(g, '{');
    js_kstr(g, "address", row->have_peers ? a : NULL);
    js_kuint(g, "port", init ? row->iport : row->rport);
    js_kstr(g, "id", init ? row->id_i : row->id_r);
    g_string_append_c(g, '}');
}

static void js_where(GString *g, const char *k, const rpt_where *w)
{
    js_key(g, k);
    g_string_append_c(g, '{');
    js_kstr(g, "file", w->file);
    js_kuint(g, "frame", w->frame);
    g_string_append_c(g, '}');
}

static void js_check(GString *g, const char *k, uint32_t ok, uint32_t bad)
{
    js_key(g, k);
    g_string_append_printf(g, "{\"ok\":%u,\"failed\":%u}", ok, bad);
}

static void js_negotiation(GString *g, const rpt_row *row)
{
    js_key(g, "offered");
    g_string_append_c(g, '[');
    for (guint i = 0; i < row->offers->len; i++) {
        if (i)
            g_string_append_c(g, ',');
        js_suite(g, &g_array_index(row->offers, rpt_suite, i));
    }
    g_string_append_c(g, ']');
    js_kuint(g, "offers_dropped", row->offers_dropped);
    js_key(g, "chosen");
    if (row->have_chosen)
        js_suite(g, &row->chosen);
    else
        g_string_append(g, "null");
    js_key(g, "auth");
    g_string_append_c(g, '{');
    js_kstr(g, "initiator", row->auth_i);
    js_kstr(g, "responder", row->auth_r);
    g_string_append_c(g, '}');
}

static void js_traffic(GString *g, const rpt_row *row);

static void js_child(GString *g, const rpt_row *row)
{
    js_key(g, "pfs");
    g_string_append_printf(g, "{\"used\":%s,\"group\":", row->ke_seen ? "true" : "false");
    if (row->ke_seen && row->have_chosen && row->chosen.dh.set)
        g_string_append_printf(g, "%u", row->chosen.dh.id);
    else if (row->ke_seen && row->ke_group)
        g_string_append_printf(g, "%u", row->ke_group);
    else
        g_string_append(g, "null");
    g_string_append_c(g, '}');
    js_kstr(g, "mode", mode_name(row));
    js_kuint(g, "msgid", row->msgid);
    js_traffic(g, row);
}

/* One direction of a child's ESP traffic. */
static void js_traffic_dir(GString *g, const char *k, const rpt_traffic *t)
{
    js_key(g, k);
    g_string_append_c(g, '{');
    js_kuint(g, "packets", t->packets);
    js_kuint(g, "decrypted", t->decrypted);
    js_kuint(g, "bytes", t->bytes);
    js_kuint(g, "icv_failed", t->icv_failed);
    js_kuint(g, "no_key", t->no_key);
    js_kuint(g, "replays", t->replays);
    if (t->packets) {
        js_where(g, "first", &t->first);
        js_where(g, "last", &t->last);
        js_key(g, "first_time");
        g_string_append_printf(g, "\"%lld.%06d\"", (long long)t->first_sec, t->first_usec);
        js_key(g, "last_time");
        g_string_append_printf(g, "\"%lld.%06d\"", (long long)t->last_sec, t->last_usec);
    }
    g_string_append_c(g, '}');
}

static void js_traffic(GString *g, const rpt_row *row)
{
    js_key(g, "traffic");
    bool flowed = row->traffic[0].packets || row->traffic[1].packets;
    g_string_append_printf(g, "{\"flowed\":%s", flowed ? "true" : "false");
    js_traffic_dir(g, "initiator_to_responder", &row->traffic[0]);
    js_traffic_dir(g, "responder_to_initiator", &row->traffic[1]);
    g_string_append_c(g, '}');
}

static void js_seen(GString *g, const rpt_row *row)
{
    js_kbool(g, "nat_t", row->nat_t);
    js_kbool(g, "nat_d", row->nat_d);
    js_key(g, "fragmentation");
    g_string_append_printf(g, "{\"supported\":%s,\"used\":%s}",
                           row->frag_supported ? "true" : "false", row->frag_used ? "true" : "false");
    js_key(g, "vendor_ids");
    g_string_append_c(g, '[');
    for (guint i = 0; i < row->vids->len; i++) {
        if (i)
            g_string_append_c(g, ',');
        js_str(g, row->vids->pdata[i]);
    }
    g_string_append_c(g, ']');
    js_kstr(g, "signature_hashes", row->sig_hashes);
}

static void js_state(GString *g, const rpt_row *row)
{
    js_kstr(g, "outcome", outcome_name(row->outcome));
    js_kstr(g, "error", row->error);
    js_where(g, "first", &row->first);
    js_where(g, "last", &row->last);
    js_kuint(g, "messages", row->msgs);
    js_kuint(g, "encrypted", row->encrypted);
    js_kuint(g, "decrypted", row->decrypted);
    js_key(g, "verified");
    g_string_append_c(g, '{');
    js_check(g, "icv", row->icv_ok, row->icv_bad);
    js_check(g, "hash", row->hash_ok, row->hash_bad);
    js_check(g, "auth", row->auth_ok, row->auth_bad);
    g_string_append_c(g, '}');
}

static void js_findings(GString *g, const rpt_row *row)
{
    js_key(g, "findings");
    g_string_append_c(g, '[');
    for (guint i = 0; i < row->findings->len; i++) {
        const rpt_finding *f = &g_array_index(row->findings, rpt_finding, i);
        g_string_append_printf(g, "%s{", i ? "," : "");
        js_kstr(g, "rule", f->rule);
        js_kstr(g, "severity", rpt_severity_name(f->severity));
        js_kstr(g, "reason", f->reason);
        g_string_append_c(g, '}');
    }
    g_string_append_c(g, ']');
}

static void js_row(GString *g, const rpt_row *row)
{
    char s[17];
    g_string_append_c(g, '{');
    js_kstr(g, "type", row->kind == RPT_IKE_SA ? "ike_sa" : "child_sa");
    js_kuint(g, "id", row->id);
    js_kuint_or_null(g, "ike_sa", row->ike ? row->ike->id : 0);
    js_kuint_or_null(g, "rekey_of", row->rekey_of ? row->rekey_of->id : 0);
    js_kuint(g, "version", (uint64_t)row->version);
    js_kstr(g, "exchange", row->exchange);
    isakmp_format_hex(row->ispi, 8, s, sizeof s);
    js_kstr(g, "ispi", s);
    isakmp_format_hex(row->rspi, 8, s, sizeof s);
    js_kstr(g, "rspi", s);
    js_peer(g, "initiator", row, true);
    js_peer(g, "responder", row, false);
    js_negotiation(g, row);
    if (row->kind == RPT_CHILD_SA)
        js_child(g, row);
    js_seen(g, row);
    js_state(g, row);
    js_findings(g, row);
    g_string_append(g, "}\n");
}

void rpt_out_json(FILE *out, const GPtrArray *rows, const rpt_out_summary *sum)
{
    GString *g = g_string_sized_new(4096);
    size_t ike = 0;
    for (guint i = 0; i < rows->len; i++) {
        g_string_truncate(g, 0);
        js_row(g, rows->pdata[i]);
        ike += ((const rpt_row *)rows->pdata[i])->kind == RPT_IKE_SA;
        fputs(g->str, out);
    }
    g_string_truncate(g, 0);
    g_string_append_c(g, '{');
    js_kstr(g, "type", "summary");
    js_kuint(g, "ike_sas", ike);
    js_kuint(g, "child_sas", sum->rows - ike);
    js_kuint(g, "max_rows", sum->max_rows);
    js_kbool(g, "truncated", sum->unlisted_rows > 0);
    js_kuint(g, "messages_without_row", sum->dropped);
    js_kuint(g, "unlisted_sas", sum->unlisted_rows);
    js_key(g, "unlisted_findings");
    g_string_append_c(g, '{');
    for (int s = RPT_SEV_COUNT - 1; s >= 0; s--)
        js_kuint(g, rpt_severity_name((rpt_severity)s), sum->unlisted_found[s]);
    g_string_append_c(g, '}');
    js_kstr(g, "worst", sum->worst >= 0 ? rpt_severity_name((rpt_severity)sum->worst) : NULL);
    g_string_append(g, "}\n");
    fputs(g->str, out);
    g_string_free(g, TRUE);
}

/* ---------------------------------------------------------------- text */

static void peer_text(char *buf, size_t size, const rpt_row *row, bool init)
{
    char a[64];
    addr_text(a, sizeof a, row->af, init ? row->iaddr : row->raddr);
    if (!row->have_peers)
        g_strlcpy(buf, "?", size);
    else if (row->af == 6)
        g_snprintf(buf, size, "[%s]:%u", a, init ? row->iport : row->rport);
    else
        g_snprintf(buf, size, "%s:%u", a, init ? row->iport : row->rport);
}

static void pfs_text(char *buf, size_t size, const rpt_row *row)
{
    if (row->kind == RPT_IKE_SA)
        g_strlcpy(buf, "", size);
    else if (row->exch == 35)
        g_strlcpy(buf, "n/a", size);   /* IKE_AUTH children use the IKE SA's DH */
    else if (!row->ke_seen)
        g_strlcpy(buf, row->have_chosen ? "no" : "?", size);
    else if (row->have_chosen && row->chosen.dh.set)
        g_snprintf(buf, size, "DH%u", row->chosen.dh.id);
    else
        g_snprintf(buf, size, "yes");
}

static void table_row(FILE *out, const rpt_row *row)
{
    char i[80], r[80], pfs[16], who[24], what[24];
    peer_text(i, sizeof i, row, true);
    peer_text(r, sizeof r, row, false);
    pfs_text(pfs, sizeof pfs, row);
    int w = worst_of(row);
    if (row->kind == RPT_IKE_SA && row->rekey_of)
        g_snprintf(who, sizeof who, "IKE<-#%u", row->rekey_of->id);
    else if (row->kind == RPT_IKE_SA)
        g_snprintf(who, sizeof who, "IKE");
    else
        g_snprintf(who, sizeof who, "%s/#%u", row->have_chosen ? proto_name(row->chosen.protoid)
                   : "child", row->ike->id);
    g_snprintf(what, sizeof what, "v%d %s", row->version, row->exchange);
    fprintf(out, "%-4u %-11s %-26.26s %-23s %-23s %-5s %-12s %s\n", row->id, who, what, i, r,
            pfs, row->outcome == RPT_FAILED ? row->error : outcome_name(row->outcome),
            w >= 0 ? rpt_severity_name((rpt_severity)w) : "-");
}

static void detail_flags(FILE *out, const rpt_row *row)
{
    fprintf(out, "      seen:       NAT-T %s%s, fragmentation %s%s", row->nat_t ? "yes" : "no",
            row->nat_d ? " (NAT-D)" : "", row->frag_used ? "used" : "not used",
            row->frag_supported ? " (supported)" : "");
    const char *mode = row->kind == RPT_CHILD_SA ? mode_name(row) : NULL;
    if (mode)
        fprintf(out, ", %s mode", mode);
    fputc('\n', out);
    if (row->vids->len) {
        fputs("      vendor IDs: ", out);
        for (guint i = 0; i < row->vids->len; i++)
            fprintf(out, "%s%s", i ? ", " : "", (const char *)row->vids->pdata[i]);
        fputc('\n', out);
    }
}

static void detail_state(FILE *out, const rpt_row *row)
{
    fprintf(out, "      frames:     ");
    if (row->first.file)
        fprintf(out, "%s:", row->first.file);
    fprintf(out, "%u .. ", row->first.frame);
    if (row->last.file)
        fprintf(out, "%s:", row->last.file);
    fprintf(out, "%u, %u messages, %u of %u encrypted decrypted", row->last.frame, row->msgs,
            row->decrypted, row->encrypted);
    if (row->icv_ok + row->icv_bad)
        fprintf(out, ", ICV %u ok %u failed", row->icv_ok, row->icv_bad);
    if (row->hash_ok + row->hash_bad)
        fprintf(out, ", HASH %u ok %u failed", row->hash_ok, row->hash_bad);
    if (row->auth_ok + row->auth_bad)
        fprintf(out, ", AUTH %u ok %u failed", row->auth_ok, row->auth_bad);
    fputc('\n', out);
}

static void traffic_dir(FILE *out, const char *name, const rpt_traffic *t)
{
    fprintf(out, "%s %llu packets", name, (unsigned long long)t->packets);
    if (!t->packets)
        return;
    fprintf(out, " (%llu decrypted, %llu bytes inside", (unsigned long long)t->decrypted,
            (unsigned long long)t->bytes);
    if (t->icv_failed)
        fprintf(out, ", %llu ICV failed", (unsigned long long)t->icv_failed);
    if (t->no_key)
        fprintf(out, ", %llu without key", (unsigned long long)t->no_key);
    if (t->replays)
        fprintf(out, ", %llu replayed", (unsigned long long)t->replays);
    fprintf(out, "; frames ");
    if (t->first.file)
        fprintf(out, "%s:", t->first.file);
    fprintf(out, "%u .. ", t->first.frame);
    if (t->last.file)
        fprintf(out, "%s:", t->last.file);
    fprintf(out, "%u, %lld.%06d .. %lld.%06d)", t->last.frame, (long long)t->first_sec,
            t->first_usec, (long long)t->last_sec, t->last_usec);
}

/* Children: the ESP traffic each way (rpt_add_esp). */
static void detail_traffic(FILE *out, const rpt_row *row)
{
    if (row->kind != RPT_CHILD_SA)
        return;
    const rpt_traffic *t = row->traffic;
    fprintf(out, "      traffic:    ");
    if (!t[0].packets && !t[1].packets) {
        fprintf(out, "none seen\n");
        return;
    }
    traffic_dir(out, "initiator->responder", &t[0]);
    traffic_dir(out, ", responder->initiator", &t[1]);
    fputc('\n', out);
}

static void detail(FILE *out, const rpt_row *row)
{
    char s[17], r[17];
    isakmp_format_hex(row->ispi, 8, s, sizeof s);
    isakmp_format_hex(row->rspi, 8, r, sizeof r);
    fprintf(out, "#%u %s, SPIs %s/%s", row->id, row->kind == RPT_IKE_SA ? "IKE SA" : "child SA",
            s, r);
    if (row->kind == RPT_CHILD_SA)
        fprintf(out, ", message ID %08x", row->msgid);
    if (row->kind == RPT_CHILD_SA && row->offers->len && row->have_chosen) {
        const rpt_suite *offer = &g_array_index(row->offers, rpt_suite, 0);
        isakmp_format_hex(offer->spi, offer->spi_len, s, sizeof s);
        isakmp_format_hex(row->chosen.spi, row->chosen.spi_len, r, sizeof r);
        fprintf(out, ", %s SPIs %s/%s", proto_name(row->chosen.protoid), s, r);
    }
    if (row->rekey_of)
        fprintf(out, ", rekeys #%u", row->rekey_of->id);
    fputc('\n', out);
    if (row->id_i[0] || row->id_r[0])
        fprintf(out, "      %-11s %s <-> %s\n",
                row->kind == RPT_IKE_SA ? "identities:" : "selectors:",
                row->id_i[0] ? row->id_i : "?", row->id_r[0] ? row->id_r : "?");
    for (guint i = 0; i < row->offers->len; i++)
        fprintf(out, "      %-11s %s\n", i ? "" : "offered:",
                g_array_index(row->offers, rpt_suite, i).text);
    if (row->offers_dropped)
        fprintf(out, "                  (%zu more offers not kept)\n", row->offers_dropped);
    fprintf(out, "      chosen:     %s\n", row->have_chosen ? row->chosen.text : "-");
    if (row->auth_i[0] || row->auth_r[0])
        fprintf(out, "      auth:       initiator %s, responder %s\n",
                row->auth_i[0] ? row->auth_i : "?", row->auth_r[0] ? row->auth_r : "?");
    detail_flags(out, row);
    detail_state(out, row);
    detail_traffic(out, row);
    for (guint i = 0; i < row->findings->len; i++) {
        const rpt_finding *f = &g_array_index(row->findings, rpt_finding, i);
        fprintf(out, "      %-11s [%s] %s: %s\n", i ? "" : "findings:",
                rpt_severity_name(f->severity), f->rule, f->reason);
    }
}

void rpt_out_text(FILE *out, const GPtrArray *rows, const rpt_out_summary *sum)
{
    fprintf(out, "%-4s %-11s %-26s %-23s %-23s %-5s %-12s %s\n", "ID", "SA", "EXCHANGE",
            "INITIATOR", "RESPONDER", "PFS", "OUTCOME", "WORST");
    for (guint i = 0; i < rows->len; i++)
        table_row(out, rows->pdata[i]);
    fputc('\n', out);
    for (guint i = 0; i < rows->len; i++)
        detail(out, rows->pdata[i]);
    if (!sum->unlisted_rows)
        return;
    /* the SAs not listed were audited all the same: their findings count */
    fprintf(out, "\nSA table full: only the first %zu SAs are listed; %zu more SAs (%zu messages) "
            "were audited but not listed (--report-max-sa)\n", sum->max_rows, sum->unlisted_rows,
            sum->dropped);
    fprintf(out, "Findings of the SAs not listed:");
    for (int s = RPT_SEV_COUNT - 1; s >= 0; s--)
        fprintf(out, " %zu %s%s", sum->unlisted_found[s], rpt_severity_name((rpt_severity)s),
                s ? "," : "\n");
}
