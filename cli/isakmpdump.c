/* isakmpdump: decode the IKE messages of pcap / pcapng captures. */
#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <glib/gstdio.h>


#include "capture/capture.h"
#include "capture/capture_cli.h"
#include "esp/esp_cli.h"
#include "filter/filter.h"
#include "output/output.h"
#include "mutate.h"
#include "shard.h"
#include "report/report.h"

enum { EXIT_OK = 0, EXIT_INPUT = 1, EXIT_USAGE = 2 };

typedef enum { MODE_SUMMARY, MODE_TREE, MODE_JSON, MODE_FIELDS } out_mode;

typedef struct {
    out_mode mode;
    bool hex, stats, verbose_set;
    int verbose;           /* -v, -vv */
    int jobs;
    int threads;           /* --threads; 0: one per CPU */
    GPtrArray *files, *fields, *keys;
    bool keys_tables;       /* every -k file is one of Wireshark's tables (or an ESP SA list) */
    size_t max_sas;         /* --max-sas (max_sas_set): each decoding context's SA bound */
    bool max_sas_set;
    isakmp_ctx *keys_ctx;   /* with keys_tables, the -k files loaded once: each file's
                             * contexts share them (isakmp_ctx_share_keys) */
    const char *export_keys, *export_psk;   /* --export-keys DIR, --export-psk-crack FILE */
    GString **exported_keys, **exported_psk;   /* what the inputs gave, written at the end */
    out_fields_opts fo;
    time_format time;      /* -t */
    capture_opts cap;
    capture_cli cc;        /* -c -f -i -s -w -F -P -D (capture/capture_cli.c) */
    rpt_cli rep;           /* --report (cli/report_cli.c) */
    bool esp_show;         /* --esp: ESP verdicts and inner packets on the ESP lines */
    bool esp_decrypt;      /* --decrypt-esp: -w gets the decrypted inner packets */
    const char *yexpr;     /* -Y */
    filter *flt;           /* -Y compiled once, shared by every file and thread */
    unsigned mutate;       /* --mutate N: N mutants of every IKE message into -w */
    uint64_t seed;         /* --seed */
    bool mutate_break;     /* --mutate-break */
    bool seed_set;         /* --seed given */
} options;

typedef struct {
    const options *opt;
    bool live;             /* reading a pipe: flush after every frame */
    isakmp_ctx *ctx;
    out_fields *fields;
    out_ctx out;
    filter_scratch *fs;    /* -Y */
    uint64_t passed;       /* messages that passed -Y (--stats) */
    mutate_run *mut;       /* --mutate */
    const char *path;      /* the input (the field `file`) */
    bool displayed;        /* a frame passed -Y: disp_* is the last one's time */
    int64_t disp_sec;      /* (frame.time_delta_displayed in -Y) */
    int32_t disp_nsec;
    bool esp_on;           /* ESP packets are decrypted (esp_wanted) */
    esp_run esp;
} run_state;

static void usage(FILE *out)
{
    fputs("Usage: isakmpdump [options] [-r] FILE...\n"
          "Decode ISAKMP / IKEv1 / IKEv2 messages in pcap or pcapng captures.\n"
          "\n"
          "Input:\n"
          "  -r FILE            read FILE (\"-\" for standard input); files may also be\n"
          "                     given without -r; each file is decoded on its own\n"
          "  -i IFACE           capture live on IFACE (\"any\": all), until Ctrl-C or -c\n"
          "  -s SNAPLEN         with -i: bytes kept of each frame (default 262144)\n"
          "  -D                 list the interfaces -i can capture on, and exit\n"
          "  -f FILTER          a libpcap capture filter (pcap-filter(7)), for -i and\n"
          "                     files alike\n"
          "  -c N               stop after N frames (frames passing -f)\n"
          "  -w FILE            write the frames read to FILE (\"-\": standard output)\n"
          "                     instead of printing them\n"
          "  -F pcap|nsecpcap|pcapng  the format of the -w file (default pcap)\n"
          "  -P                 with -w: print the decoded frames too\n"
          "  --mutate N         with -w and -k: write N mutants of every IKE message,\n"
          "                     each a frame before the original: field-aware changes\n"
          "                     inside the encrypted payloads, encrypted again with\n"
          "                     the SA's keys, ICVs right (docs/mutate.md)\n"
          "  --seed S           the mutations' random seed (default 1)\n"
          "  --mutate-break     mutants may also break one length or chain\n"
          "  --decrypt-esp      with -w: write the decrypted inner packets of the ESP\n"
          "                     traffic (raw IP; pcapng: a comment per packet naming\n"
          "                     the SA) instead of the frames read\n"
          "  -p PORT[/natt]     also decode UDP/TCP PORT as IKE (repeatable); /natt: with\n"
          "                     the RFC 3948 non-ESP marker, like 4500\n"
          "  -k FILE            load keys or secrets (repeatable), by content: Wireshark's\n"
          "                     ikev1_decryption_table, ikev2_decryption_table, esp_sa,\n"
          "                     a secrets file (PSK, DH secrets; docs/secrets.md),\n"
          "                     strongSwan charon logs, libreswan pluto logs,\n"
          "                     ip xfrm state output, tcpdump -E lines\n"
          "  --export-keys DIR  write the derived keys as Wireshark tables into DIR,\n"
          "                     merged with the tables there (\"-\": print them);\n"
          "                     all input files go into one set\n"
          "  --export-psk-crack FILE  write psk-crack / hashcat lines for IKEv1\n"
          "                     Aggressive Mode PSK exchanges (\"-\": print them)\n"
          "  -Y FILTER          show only the messages that match the display filter\n"
          "                     (Wireshark's syntax, e.g. 'ike.exchangetype == 34';\n"
          "                     docs/filters.md); also --display-filter\n"
          "  -j N               decode N files at once (output stays in file order)\n"
          "  --threads N        decode each file with N threads (default: one per CPU,\n"
          "                     at most 4; output stays the same; one with secrets files)\n"
          "  --max-sas N        keep decoding state for at most N IKE SAs at once (default\n"
          "                     4096; 0: no limit): the least recently seen is dropped,\n"
          "                     with a note when it held keys (docs/limits.md)\n"
          "\n"
          "Output:\n"
          "  (default)          one line per message\n"
          "  -v, -vv            summary: the first note's text (-vv: every note's)\n"
          "  -V                 the full decoded tree of each message\n"
          "  -x                 with -V: a hex dump of each data source\n"
          "  -t a|ad|adoy|d|dd|e|r|u|ud|udoy  time format of the summary and -V (as\n"
          "                     tshark's; default e: seconds since 1970)\n"
          "  -T text|json|fields  output format (json: one object per line)\n"
          "  -e FIELD           a field to print with -T fields (repeatable)\n"
          "  -E header=y|n      print the field names first (yes/no too)\n"
          "  -E separator=C     field separator (default tab; /t tab, /s space)\n"
          "  -E aggregator=C    separator between occurrences (default ,)\n"
          "  -E occurrence=a|f|l  all, first or last occurrence (default a)\n"
          "  -E compat=4.0      values as tshark 4.0 prints them (default: as 4.2-4.6)\n"
          "  -E quote=d|s|n     quote non-empty values with \" or ' or not (default n)\n"
          "  -G fields          print the field table and exit\n"
          "  --esp              decrypt ESP and add to each ESP line its verdict (ok,\n"
          "                     ICV failed, no key, ...) and inner packet (protocol,\n"
          "                     addresses, ports, length)\n"
          "  --stats            counts per file on standard error at the end\n"
          "  --no-progress      no progress bar (shown on a terminal for large files)\n"
          "  --report           per-SA policy report and audit instead (docs/report.md);\n"
          "                     with -T json: JSON lines\n"
          "  --audit-rules FILE change audit severities (\"list\" prints the rules)\n"
          "  --fail-on SEV      exit 3 when a finding of severity SEV or above is found\n"
          "  --report-max-sa N  list at most N SAs (default 20000; later ones are still audited)\n"
          "  -h, --help         this help\n"
          "      --version      print the version\n"
          "\n"
          "Exit status: 0 ok, 1 an input or key file could not be read (fully) or an\n"
          "export failed, 2 bad usage, 3 a report finding at or above --fail-on.\n"
          "See isakmpdump(1).\n",
          out);
}

static void die_usage(const char *fmt, ...) G_GNUC_PRINTF(1, 2) G_GNUC_NORETURN;
static void die_usage(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fputs("isakmpdump: ", stderr);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputs(" (see isakmpdump --help)\n", stderr);
    exit(EXIT_USAGE);
}

static char sep_char(const char *v)
{
    if (strcmp(v, "/t") == 0)
        return '\t';
    if (strcmp(v, "/s") == 0)
        return ' ';
    return v[0];
}

/* -E compat=VERSION: the values of that tshark (4.0 and 4.2+ differ in
 * booleans and string escapes; isakmp_tshark_style says how). */
static int parse_compat(options *o, const char *v)
{
    static const char *const current[] = { "4.2", "4.4", "4.6", "current" };
    if (strcmp(v, "4.0") == 0) {
        o->fo.style = ISAKMP_TSHARK_4_0;
        return 0;
    }
    for (size_t i = 0; i < G_N_ELEMENTS(current); i++) {
        if (strcmp(v, current[i]) == 0) {
            o->fo.style = ISAKMP_TSHARK_CURRENT;
            return 0;
        }
    }
    return -1;
}

/* y, yes, n, no (any case): 1, 0; -1 for anything else. */
static int yes_no(const char *v)
{
    if (g_ascii_strcasecmp(v, "y") == 0 || g_ascii_strcasecmp(v, "yes") == 0)
        return 1;
    if (g_ascii_strcasecmp(v, "n") == 0 || g_ascii_strcasecmp(v, "no") == 0)
        return 0;
    return -1;
}

static int parse_E(options *o, const char *arg)
{
    const char *v = strchr(arg, '=');
    if (!v || !v[1])
        return -1;
    size_t k = (size_t)(v - arg);
    v++;
    if (k == 6 && strncmp(arg, "header", k) == 0 && yes_no(v) >= 0)
        o->fo.header = yes_no(v);
    else if (k == 9 && strncmp(arg, "separator", k) == 0)
        o->fo.sep = sep_char(v);
    else if (k == 10 && strncmp(arg, "aggregator", k) == 0)
        o->fo.agg = sep_char(v);
    else if (k == 10 && strncmp(arg, "occurrence", k) == 0 && strchr("afl", v[0]) && !v[1])
        o->fo.occurrence = v[0];
    else if (k == 6 && strncmp(arg, "compat", k) == 0)
        return parse_compat(o, v);
    else if (k == 5 && strncmp(arg, "quote", k) == 0 && strchr("dsn", v[0]) && !v[1])
        o->fo.quote = v[0] == 'd' ? '"' : v[0] == 's' ? '\'' : 0;
    else
        return -1;
    return 0;
}

static int parse_port(options *o, const char *arg)
{
    char *end;
    errno = 0;
    long p = strtol(arg, &end, 10);
    bool natt = false;
    if (strcmp(end, "/natt") == 0)
        natt = true;
    else if (*end)
        return -1;
    if (errno || p <= 0 || p > 65535)
        return -1;
    return capture_opts_add_port(&o->cap, (uint16_t)p, natt);
}

/* The option getopt_long stopped at: "-x", or "--name" without "=value"
 * (for a long option optopt is its code, not a character). */
static const char *bad_opt(char *buf, size_t size, char **argv)
{
    const char *arg = argv[optind - 1];
    if (strncmp(arg, "--", 2) == 0)
        g_snprintf(buf, size, "%.*s", (int)strcspn(arg, "="), arg);
    else
        g_snprintf(buf, size, "-%c", optopt > 0 && optopt < 128 ? optopt : '?');
    return buf;
}

static void parse_args(options *o, int argc, char **argv)
{
    /* OPT_REPORT stays last: it and the next RPT_OPT_COUNT - 1 values are the report's */
    enum { OPT_VERSION = 256, OPT_STATS, OPT_NO_PROGRESS, OPT_EXPORT_KEYS, OPT_EXPORT_PSK,
           OPT_THREADS, OPT_MUTATE, OPT_SEED, OPT_MUTATE_BREAK, OPT_ESP, OPT_DECRYPT_ESP,
           OPT_MAX_SAS, OPT_REPORT };
    static const struct option longopts[] = {
        { "help", no_argument, NULL, 'h' },
        { "version", no_argument, NULL, OPT_VERSION },
        { "stats", no_argument, NULL, OPT_STATS },
        { "no-progress", no_argument, NULL, OPT_NO_PROGRESS },
        { "export-keys", required_argument, NULL, OPT_EXPORT_KEYS },
        { "export-psk-crack", required_argument, NULL, OPT_EXPORT_PSK },
        { "threads", required_argument, NULL, OPT_THREADS },
        { "max-sas", required_argument, NULL, OPT_MAX_SAS },
        { "esp", no_argument, NULL, OPT_ESP },
        { "decrypt-esp", no_argument, NULL, OPT_DECRYPT_ESP },
        { "display-filter", required_argument, NULL, 'Y' },
        { "mutate", required_argument, NULL, OPT_MUTATE },
        { "seed", required_argument, NULL, OPT_SEED },
        { "mutate-break", no_argument, NULL, OPT_MUTATE_BREAK },
        { "report", no_argument, NULL, OPT_REPORT + RPT_OPT_REPORT },
        { "audit-rules", required_argument, NULL, OPT_REPORT + RPT_OPT_AUDIT_RULES },
        { "fail-on", required_argument, NULL, OPT_REPORT + RPT_OPT_FAIL_ON },
        { "report-max-sa", required_argument, NULL, OPT_REPORT + RPT_OPT_MAX_SA },
        { NULL, 0, NULL, 0 },
    };
    bool want_table = false;
    int c;
    opterr = 0;
    while ((c = getopt_long(argc, argv, ":r:VvxT:e:E:k:p:G:j:Y:t:h" CAPTURE_CLI_OPTSTRING, longopts,
                            NULL)) != -1) {
        if (c > 0 && c < 128 && c != ':' && strchr(CAPTURE_CLI_OPTSTRING, c)) {
            char cwhy[256];
            if (capture_cli_option(&o->cc, &o->cap, c, optarg, cwhy, sizeof cwhy) < 0)
                die_usage("%s", cwhy);
            continue;
        }
        switch (c) {
        case 'r': g_ptr_array_add(o->files, optarg); break;
        case 'V': o->verbose_set = true; break;
        case 'v': o->verbose++; break;
        case 'x': o->hex = true; break;
        case 'T':
            if (strcmp(optarg, "fields") == 0)
                o->mode = MODE_FIELDS;
            else if (strcmp(optarg, "json") == 0)
                o->mode = MODE_JSON;
            else if (strcmp(optarg, "text") == 0)
                o->mode = MODE_SUMMARY;
            else
                die_usage("unknown output format '%s' for -T (text, json, fields)", optarg);
            break;
        case 'e': g_ptr_array_add(o->fields, optarg); break;
        case 'E':
            if (parse_E(o, optarg) < 0)
                die_usage("bad -E option '%s'", optarg);
            break;
        case 'k': g_ptr_array_add(o->keys, optarg); break;
        case 'Y': o->yexpr = optarg; break;
        case 't': {
            int tf = out_time_format(optarg);
            if (tf < 0)
                die_usage("unknown time format '%s' for -t (a, ad, adoy, d, dd, e, r, u, ud, "
                          "udoy)", optarg);
            o->time = (time_format)tf;
            break;
        }
        case 'p':
            if (parse_port(o, optarg) < 0)
                die_usage("bad port '%s' for -p (1-65535, optionally /natt)", optarg);
            break;
        case 'j': {
            char *end;
            long j = strtol(optarg, &end, 10);
            if (*end || j < 1 || j > 256)
                die_usage("bad job count '%s' for -j (1-256)", optarg);
            o->jobs = (int)j;
            break;
        }
        case 'G':
            if (strcmp(optarg, "fields") != 0)
                die_usage("unknown report '%s' for -G (fields)", optarg);
            want_table = true;
            break;
        case 'h': usage(stdout); exit(EXIT_OK);
        case OPT_VERSION: printf("isakmpdump %s\n", ISAKMP_VERSION_STRING); exit(EXIT_OK);
        case OPT_STATS: o->stats = true; break;
        case OPT_NO_PROGRESS: o->cap.progress = false; break;
        case OPT_EXPORT_KEYS: o->export_keys = optarg; break;
        case OPT_EXPORT_PSK: o->export_psk = optarg; break;
        case OPT_ESP: o->esp_show = true; break;
        case OPT_DECRYPT_ESP: o->esp_decrypt = true; break;
        case OPT_THREADS: {
            char *end;
            long t = strtol(optarg, &end, 10);
            if (*end || t < 1 || t > SHARD_MAX_THREADS)
                die_usage("bad thread count '%s' for --threads (1-%d)", optarg, SHARD_MAX_THREADS);
            o->threads = (int)t;
            break;
        }
        case OPT_MAX_SAS: {
            char *end;
            long n = strtol(optarg, &end, 10);
            if (*end || !*optarg || n < 0 || n > 100000000)
                die_usage("bad SA count '%s' for --max-sas (0-100000000)", optarg);
            o->max_sas = (size_t)n;
            o->max_sas_set = true;
            break;
        }
        case OPT_MUTATE: {
            char *end;
            long n = strtol(optarg, &end, 10);
            if (*end || n < 1 || n > 100000)
                die_usage("bad mutant count '%s' for --mutate (1-100000)", optarg);
            o->mutate = (unsigned)n;
            break;
        }
        case OPT_SEED: {
            char *end;
            errno = 0;
            o->seed = strtoull(optarg, &end, 0);
            if (*end || errno || !*optarg)
                die_usage("bad seed '%s' for --seed", optarg);
            o->seed_set = true;
            break;
        }
        case OPT_MUTATE_BREAK: o->mutate_break = true; break;
        case OPT_REPORT + RPT_OPT_REPORT: case OPT_REPORT + RPT_OPT_AUDIT_RULES:
        case OPT_REPORT + RPT_OPT_FAIL_ON: case OPT_REPORT + RPT_OPT_MAX_SA: {
            char why[256];
            if (rpt_cli_option(&o->rep, c - OPT_REPORT, optarg, why, sizeof why) < 0)
                die_usage("%s", why);
            break;
        }
        case ':': {
            char opt[64];
            die_usage("option '%s' needs a value", bad_opt(opt, sizeof opt, argv));
        }
        default: {
            char opt[64];
            bad_opt(opt, sizeof opt, argv);
            if (optopt && strchr(argv[optind - 1], '='))   /* --stats=yes */
                die_usage("option '%s' takes no value", opt);
            die_usage("unknown option '%s'", opt);
        }
        }
    }
    if (want_table) {
        out_field_table(stdout);
        exit(EXIT_OK);
    }
    if (o->verbose_set && o->mode == MODE_SUMMARY)
        o->mode = MODE_TREE;
    if (o->cc.list) {
        char why[512];
        if (capture_list_interfaces(stdout, why, sizeof why) < 0) {
            fprintf(stderr, "isakmpdump: -D: %s\n", why);
            exit(EXIT_INPUT);
        }
        exit(EXIT_OK);
    }
    for (int i = optind; i < argc; i++)
        g_ptr_array_add(o->files, argv[i]);
    char why[512];
    if (capture_cli_check(&o->cc, &o->cap, o->files->len, why, sizeof why) < 0)
        die_usage("%s", why);
    if (o->esp_decrypt && !o->cc.write_path)
        die_usage("--decrypt-esp needs -w FILE");
    o->cc.inner = o->esp_decrypt;
    if (o->mode == MODE_FIELDS && o->fields->len == 0)
        die_usage("-T fields needs at least one -e FIELD");
    if (o->mode != MODE_FIELDS && o->fields->len > 0)
        die_usage("-e needs -T fields");
    if (o->yexpr && !o->yexpr[strspn(o->yexpr, " \t\r\n")])
        o->yexpr = NULL;   /* an empty filter shows everything, as tshark's */
    if (o->yexpr) {
        filter_error fe;
        o->flt = filter_compile(o->yexpr, NULL, &fe);
        if (!o->flt) {
            filter_error_print(stderr, "-Y", o->yexpr, &fe);
            exit(EXIT_USAGE);
        }
    }
}

/* The capture fields -Y reads for a message (or a bare packet) pkt of f:
 * frame.time_delta_displayed from the last frame that passed. */
static filter_frame filter_frame_of(const run_state *rs, const capture_frame *f,
                                    const isakmp_packet *pkt)
{
    filter_frame fr = ff_frame_of(f, pkt);
    fr.file = rs->path;
    if (rs->displayed) {
        fr.disp_sec = rs->disp_sec;
        fr.disp_nsec = rs->disp_nsec;
    }
    return fr;
}

/* -Y: keeps in msgs (and frees the others) the messages that pass; their
 * number.  Each message is decided on its own, with its own addresses. */
static size_t filter_msgs(run_state *rs, const capture_frame *f, isakmp_msg **msgs, size_t n)
{
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        filter_frame fr = filter_frame_of(rs, f, &f->msgs[i]);
        if (filter_match(rs->opt->flt, rs->fs, msgs[i], &fr))
            msgs[k++] = msgs[i];
        else
            isakmp_msg_free(msgs[i]);
    }
    rs->passed += k;
    return k;
}

/* -Y on a frame line without an IKE message (a NAT keepalive, an ESP packet):
 * only the frame, IP, UDP / TCP fields (and for ESP the esp.* ones) can
 * match; pkt has its addresses. */
static bool bare_passes(run_state *rs, const capture_frame *f, const isakmp_packet *pkt,
                        const filter_esp *esp)
{
    filter_frame fr = filter_frame_of(rs, f, pkt);
    fr.esp = esp;
    return filter_match(rs->opt->flt, rs->fs, NULL, &fr);
}

/* The esp.* fields of the frame's ESP line. */
static filter_esp esp_of(const run_state *rs, const capture_frame *f)
{
    return ff_esp_of(f, rs->esp_on && rs->esp.have ? rs->esp.results : NULL);
}

/* Prints "file:line: reason" ("file: reason" for the whole file) and counts;
 * a note (ISAKMP_KEY_NOTE) is said but is no error. */
static void key_error(void *user, const char *where, const char *reason)
{
    size_t n = strlen(where);
    int len = n > 2 && strcmp(where + n - 2, ":0") == 0 ? (int)(n - 2) : (int)n;
    fprintf(stderr, "isakmpdump: %.*s: %s\n", len, where, reason);
    if (strncmp(reason, ISAKMP_KEY_NOTE, strlen(ISAKMP_KEY_NOTE)) != 0)
        (*(unsigned *)user)++;
}

/* A key file that cannot be opened is said like an input file; NULL: it can. */
static const char *unreadable(const char *path)
{
    struct stat st;
    if (stat(path, &st) != 0)
        return strerror(errno);
    if (S_ISDIR(st.st_mode))
        return "is a directory";
    FILE *f = fopen(path, "rb");
    if (!f)
        return strerror(errno);
    fclose(f);
    return NULL;
}

/* Loads the -k files, each to report its problems once, into one context;
 * drops the files that cannot be read.  When all are Wireshark's tables,
 * that context is kept: the decoding contexts share its keys (one parsed
 * copy, however many threads and files).  Otherwise each context loads the
 * files again (secrets files and daemon logs give what each derives). */
static int check_keys(options *o)
{
    int rc = EXIT_OK;
    isakmp_ctx *ctx = isakmp_ctx_new();
    o->keys_tables = true;
    for (guint i = 0; i < o->keys->len;) {
        const char *path = o->keys->pdata[i], *why = unreadable(path);
        if (why) {
            fprintf(stderr, "isakmpdump: %s: %s\n", path, why);
            g_ptr_array_remove_index(o->keys, i);
            rc = EXIT_INPUT;
            continue;
        }
        unsigned errors = 0;
        size_t from = isakmp_ctx_key_source_count(ctx);
        int n = isakmp_ctx_load_keys(ctx, path, key_error, &errors);
        if (n < 0 || errors)
            rc = EXIT_INPUT;
        isakmp_key_source src;   /* read, but nothing usable in it: say why */
        for (size_t j = from; isakmp_ctx_key_source(ctx, j, &src); j++) {
            if (src.entries == 0 && src.note && !errors)
                fprintf(stderr, "isakmpdump: %s: %s\n", src.name, src.note);
            /* tables give each SA its keys alone: the SAs can be decoded apart */
            o->keys_tables &= src.format && (strstr(src.format, "decryption_table") ||
                                             strcmp(src.format, "esp_sa") == 0);
        }
        i++;
    }
    if (o->keys_tables && o->keys->len)
        o->keys_ctx = ctx;
    else
        isakmp_ctx_free(ctx);
    return rc;
}

/* A decoding context's keys: the tables loaded once, or every file again. */
static void give_keys(const options *o, isakmp_ctx *ctx)
{
    if (o->keys_ctx) {
        isakmp_ctx_share_keys(ctx, o->keys_ctx);
        return;
    }
    for (guint i = 0; i < o->keys->len; i++)
        isakmp_ctx_load_keys(ctx, o->keys->pdata[i], NULL, NULL);   /* reported in main */
}

/* A text the library formats (keys among them: wiped after use) to
 * standard output. */
static void print_text(isakmp_ctx *ctx, size_t (*fn)(isakmp_ctx *, char *, size_t))
{
    size_t n = fn(ctx, NULL, 0);
    char *t = g_malloc(n + 1);
    fn(ctx, t, n + 1);
    fwrite(t, 1, n, stdout);
    fflush(stdout);
    explicit_bzero(t, n);
    g_free(t);
}

/* Appends what fn formats to *acc; the old buffer is wiped, not left behind
 * by a realloc. */
static void collect_text(GString **acc, isakmp_ctx *ctx,
                         size_t (*fn)(isakmp_ctx *, char *, size_t))
{
    size_t n = fn(ctx, NULL, 0);
    if (n == 0)
        return;
    GString *t = g_string_sized_new((*acc)->len + n + 1);
    g_string_append_len(t, (*acc)->str, (gssize)(*acc)->len);
    g_string_set_size(t, (*acc)->len + n);
    fn(ctx, t->str + (*acc)->len, n + 1);
    explicit_bzero((*acc)->str, (*acc)->len);
    g_string_free(*acc, TRUE);
    *acc = t;
}

static void wipe_text(GString *t)
{
    explicit_bzero(t->str, t->len);
    g_string_free(t, TRUE);
}

/* --export-keys and --export-psk-crack: "-" prints each input file's keys
 * after it; into a folder or file, what every input gave is collected and
 * written once at the end (export_write). */
static void export_file(const options *o, isakmp_ctx *ctx)
{
    if (o->export_keys && strcmp(o->export_keys, "-") == 0)
        print_text(ctx, isakmp_ctx_export_keys_mem);
    else if (o->export_keys)
        collect_text(o->exported_keys, ctx, isakmp_ctx_export_keys_mem);
    if (o->export_psk && strcmp(o->export_psk, "-") == 0)
        print_text(ctx, isakmp_ctx_export_psk_crack_mem);
    else if (o->export_psk)
        collect_text(o->exported_psk, ctx, isakmp_ctx_export_psk_crack_mem);
}

/* Merges what was collected into the tables / file already there: rows for
 * other SAs stay, the same SA's are replaced (the library's merge). */
static int export_write(const options *o)
{
    char err[512];
    int rc = EXIT_OK;
    if (o->export_keys && strcmp(o->export_keys, "-") != 0 &&
        isakmp_export_keys_merge(o->export_keys, (*o->exported_keys)->str,
                                 (*o->exported_keys)->len, err, sizeof err) < 0) {
        fprintf(stderr, "isakmpdump: --export-keys: %s\n", err);
        rc = EXIT_INPUT;
    }
    if (o->export_psk && strcmp(o->export_psk, "-") != 0 &&
        isakmp_export_psk_crack_merge(o->export_psk, (*o->exported_psk)->str,
                                      (*o->exported_psk)->len, err, sizeof err) < 0) {
        fprintf(stderr, "isakmpdump: --export-psk-crack: %s\n", err);
        rc = EXIT_INPUT;
    }
    return rc;
}

/* --report: every ESP packet of the frame to its child SA's traffic. */
static void rpt_esp_frame(run_state *rs, const capture_frame *f)
{
    for (size_t i = 0; i < rs->esp.nresults; i++)
        rpt_add_esp(rs->opt->rep.report, rs->out.file, rs->esp.pkts[i], &rs->esp.results[i]);
}

static void on_frame(void *user, const capture_frame *f)
{
    run_state *rs = user;
    if (f->nmsgs == 0 && !f->keepalive && !f->esp_udp)
        return;
    if (rs->esp_on) {
        esp_run_frame(&rs->esp, f);
        if (rs->opt->rep.report)
            rpt_esp_frame(rs, f);
    }
    isakmp_msg *msgs[CAPTURE_MAX_MSGS];
    for (size_t i = 0; i < f->nmsgs; i++)
        msgs[i] = isakmp_decode(rs->ctx, &f->msgs[i]);
    for (size_t i = 0; rs->opt->mutate && i < f->nmsgs; i++)
        mutate_run_msg(rs->mut, rs->ctx, msgs[i], &f->msgs[i]);
    size_t n = f->nmsgs;
    const capture_frame *read = f;   /* -w: the frame with all its messages' parts */
    capture_frame shown;   /* -Y: the frame as the writers see it */
    if (rs->opt->flt) {
        n = filter_msgs(rs, f, msgs, n);
        filter_esp fe = esp_of(rs, f);
        bool ka = f->keepalive && bare_passes(rs, f, &f->ka, NULL);
        bool esp = f->esp_udp && bare_passes(rs, f, &f->esp_pkt, &fe);
        if (n == 0 && !ka && !esp)
            return;
        if (n || rs->opt->mode != MODE_FIELDS) {   /* a line shown (-T fields: IKE only) */
            rs->displayed = true;   /* (tshark: the previous frame that passed -Y) */
            rs->disp_sec = f->ts_sec;
            rs->disp_nsec = f->ts_nsec;
        }
        if (ka != f->keepalive || esp != f->esp_udp) {
            shown = *f;   /* (a keepalive or ESP packet is alone in its datagram: rare) */
            shown.keepalive = ka;
            shown.esp_udp = esp;
            f = &shown;
        }
    }
    if (rs->opt->flt && (n || f->keepalive || f->esp_udp))   /* -w -Y: the frames that pass */
        writer_keep_frame(rs->opt->cc.w, read);
    for (size_t i = 0; rs->opt->rep.report && i < n; i++)
        rpt_add_msg(rs->opt->rep.report, rs->out.file, msgs[i]);
    /* -w without a display filter keeps every frame (writer.c); -w without -P
     * prints nothing, as tshark and tcpdump */
    switch (rs->opt->rep.report || !capture_cli_prints(&rs->opt->cc) ? (out_mode)-1
                                                                     : rs->opt->mode) {
    case MODE_SUMMARY: out_summary(&rs->out, f, msgs, n); break;
    case MODE_TREE: out_tree(&rs->out, f, msgs, n); break;
    case MODE_JSON: out_json(&rs->out, f, msgs, n); break;
    case MODE_FIELDS:
        out_fields_esp(rs->fields, rs->esp_on && rs->esp.have ? rs->esp.results : NULL);
        out_fields_frame(rs->fields, rs->out.out, f, msgs, n);
        break;
    default: break;   /* --report writes at the end */
    }
    for (size_t i = 0; i < n; i++)
        isakmp_msg_free(msgs[i]);
    if (rs->live)
        fflush(rs->out.out);
}

/* With fs, also what the library's fragment budget did (in the context that
 * holds fragments: the only one, or the stateful one of the sharded path);
 * passed: the messages that passed -Y, or NULL without one; esp: what ESP
 * decryption did, or NULL when it did not run. */
static void print_stats(const char *path, const capture_stats *st, const isakmp_frag_stats *fs,
                        const uint64_t *passed, const esp_counts *esp)
{
    char yline[64] = "";
    if (passed)
        g_snprintf(yline, sizeof yline, ", %llu IKE messages passed -Y",
                   (unsigned long long)*passed);
    fprintf(stderr,
            "%s: %llu frames, %llu with IKE, %llu IKE messages (%llu over TCP), "
            "%llu NAT keepalives, %llu ESP, %llu IP fragments, %llu reassembled, "
            "%llu incomplete dropped, %llu TCP segments/bytes not used, "
            "%llu frames of unsupported link types, %llu IPv6 jumbograms, "
            "%llu messages over %u MiB not decoded%s\n",
            path, (unsigned long long)st->frames, (unsigned long long)st->ike_frames,
            (unsigned long long)st->ike_msgs, (unsigned long long)st->tcp_msgs,
            (unsigned long long)st->keepalives, (unsigned long long)st->esp,
            (unsigned long long)st->ip_fragments, (unsigned long long)st->reassembled,
            (unsigned long long)st->frag_dropped, (unsigned long long)st->tcp_dropped,
            (unsigned long long)st->skipped_linktype, (unsigned long long)st->jumbograms,
            (unsigned long long)st->too_big, CAPTURE_MAX_MSG >> 20, yline);
    if (!fs)
        return;
    if (esp)
        fprintf(stderr, "%s: ESP: %llu decrypted, %llu ICV failed, %llu no key, %llu other "
                "(malformed, bad trailer, unsupported algorithm)\n",
                path, (unsigned long long)esp->decrypted, (unsigned long long)esp->icv_failed,
                (unsigned long long)esp->no_key, (unsigned long long)esp->other);
    fprintf(stderr,
            "%s: IKE fragments: %llu incomplete messages dropped (%llu bytes) to stay within "
            "the budget, at most %llu bytes pending\n",
            path, (unsigned long long)fs->evicted_sets, (unsigned long long)fs->evicted_bytes,
            (unsigned long long)fs->peak_bytes);
}

/* After a capture: with --stats what each key source gave and how much of it
 * a message confirmed; always, a daemon log none of whose keys was tied to
 * an SA or confirmed (nothing usable came from it for this capture). */
static void key_sources(const options *o, const isakmp_ctx *ctx, const char *path)
{
    isakmp_key_source s;
    for (size_t i = 0; isakmp_ctx_key_source(ctx, i, &s); i++) {
        bool log = s.format && strstr(s.format, " log");
        if (log && s.candidates && !s.tied && !s.confirmed)
            fprintf(stderr, "isakmpdump: %s: none of its %u keys is tied to an SA by the log, and "
                    "none was confirmed by a message of %s: is it this capture's log?\n",
                    s.name, s.candidates, path);
        if (!o->stats)
            continue;
        fprintf(stderr, "%s: %s: %u entries", s.name, s.format ? s.format : "unknown format",
                s.entries);
        if (s.format && strcmp(s.format, "esp_sa") && !strstr(s.format, "table"))
            fprintf(stderr, " (%u DH, %u SKEYSEED, %u SKEYID, %u IKE SA keys, %u CHILD DH, "
                    "%u PSK, %u ESP); %u tied to an SA by the file, %u candidates; "
                    "%u confirmed by a message of %s",
                    s.dh, s.skeyseed, s.skeyid, s.ike_keys, s.child_dh, s.psk, s.esp, s.tied,
                    s.candidates, s.confirmed, path);
        fprintf(stderr, "%s%s\n", s.note ? ": " : "", s.note ? s.note : "");
    }
}

/* An -e field of ESP (esp.*): ESP frames get -T fields lines. */
static bool esp_fields(const options *o)
{
    for (guint i = 0; i < o->fields->len; i++)
        if (strncmp(o->fields->pdata[i], "esp.", 4) == 0)
            return true;
    return false;
}

/* The threads for one file: several without keys (then almost every
 * message decodes without state) or with key tables only (then the frames
 * are partitioned by SA; not with --stats, which counts the keys each
 * message confirmed in one context) (shard.c), on a regular file (a pipe
 * is printed frame by frame), for every output but --report, unless an
 * output needs every frame in order (-t dd, frame.time_delta_displayed). */
static int file_threads(const options *o, bool live)
{
    if (o->rep.on || (o->keys->len && (!o->keys_tables || o->stats)) || o->export_keys ||
        o->export_psk ||
        o->esp_show || o->esp_decrypt || esp_fields(o) || (o->yexpr && strstr(o->yexpr, "esp")) ||
        live || o->cc.iface || o->cc.write_path || o->cap.bpf || o->cap.max_frames ||
        !capture_cli_prints(&o->cc) || (o->mode != MODE_FIELDS && o->time == TF_DELTA_DISP) ||
        (o->mode == MODE_FIELDS &&
         out_fields_ordered((const char *const *)o->fields->pdata, o->fields->len)) ||
        (o->flt && filter_ordered(o->flt)))
        return 1;
    /* by default one per CPU, at most SHARD_DEFAULT_MAX: each thread has its
     * own SA table, and past a few threads reading the file is the limit */
    int n = o->threads ? o->threads : MIN((int)g_get_num_processors(), SHARD_DEFAULT_MAX);
    return n < SHARD_MAX_THREADS ? n : SHARD_MAX_THREADS;
}

static int run_file_sharded(const options *o, const char *path, FILE *out, int threads)
{
    static const shard_mode modes[] = { [MODE_SUMMARY] = SHARD_SUMMARY, [MODE_TREE] = SHARD_TREE,
                                        [MODE_JSON] = SHARD_JSON, [MODE_FIELDS] = SHARD_FIELDS };
    uint64_t passed = 0;
    out_fields_opts fo = o->fo;
    fo.file = path;
    out_ctx oc = { .time = o->time, .hex = o->hex, .verbose = o->verbose,
                   .file = o->files->len > 1 ? path : NULL };
    isakmp_frag_stats frag = { 0 };
    shard_opts so = { .threads = threads, .mode = modes[o->mode], .oc = &oc, .frag = &frag,
                      .keys = o->keys->len ? o->keys_ctx : NULL,
                      .max_sas = o->max_sas, .max_sas_set = o->max_sas_set,
                      .names = (const char *const *)o->fields->pdata,
                      .nnames = o->fields->len, .fo = &fo, .cap = &o->cap, .flt = o->flt,
                      .passed = &passed };
    capture_stats st = { 0 };
    char err[512];
    int rc = EXIT_OK;
    if (shard_file(path, &so, out, &st, err, sizeof err) < 0) {
        fflush(out);
        fprintf(stderr, "isakmpdump: %s\n", err);
        rc = EXIT_INPUT;
    }
    if (o->stats)
        print_stats(path, &st, &frag, o->flt ? &passed : NULL, NULL);
    fflush(out);
    return rc;
}

/* With several inputs, "# FILE" before each file's lines: in the summary
 * and -V, and in -T fields unless a column says the file already (a line
 * that a reader of -E header=y output skips as a comment). */
static void file_marker(const options *o, const char *path, FILE *out)
{
    if (o->files->len < 2 || o->rep.on || o->mode == MODE_JSON || !capture_cli_prints(&o->cc))
        return;   /* (-w without -P prints nothing) */
    for (guint i = 0; o->mode == MODE_FIELDS && i < o->fields->len; i++)
        if (strcmp(o->fields->pdata[i], "file") == 0)
            return;
    fprintf(out, "# %s\n", path);
}

/* ESP is decrypted for --esp, --decrypt-esp, the report, and --stats when
 * keys or secrets were given (without them every packet would be "no key"). */
static bool esp_wanted(const options *o)
{
    bool fields = o->mode == MODE_FIELDS && esp_fields(o);
    bool in_filter = o->yexpr && strstr(o->yexpr, "esp.");
    return o->esp_show || o->esp_decrypt || o->rep.on ||
           (o->keys->len && (o->stats || fields || in_filter));
}

/* Decodes one file to `out` with its own context: every file is independent. */
static int run_file(const options *o, const char *path, FILE *out)
{
    struct stat in;
    bool live = o->cc.iface ||
                (strcmp(path, "-") == 0 && fstat(STDIN_FILENO, &in) == 0 && !S_ISREG(in.st_mode));
    int threads = file_threads(o, live);
    file_marker(o, path, out);
    if (threads > 1)
        return run_file_sharded(o, path, out, threads);
    run_state rs = { .opt = o, .ctx = isakmp_ctx_new(), .live = live, .path = path };
    if (o->mutate)
        rs.mut = mutate_run_new(o->mutate, o->seed, o->mutate_break, o->cc.w);
    /* value-only outputs (the summary too) need no labels: formatting them is costly */
    isakmp_ctx_set_labels(rs.ctx, !(o->mode == MODE_FIELDS || o->mode == MODE_SUMMARY ||
                                    o->rep.on));
    isakmp_ctx_set_frame_records(rs.ctx, false);   /* each frame is decoded once: stream */
    /* on_frame frees every message before the capture layer moves on: the
     * messages can read the frame's bytes in place (not the report, which
     * keeps what it needs across frames) */
    isakmp_ctx_set_borrow(rs.ctx, !o->rep.on);
    out_ctx_init(&rs.out, out);
    rs.out.hex = o->hex;
    rs.out.time = o->time;
    rs.out.verbose = o->verbose;
    rs.out.file = o->files->len > 1 ? path : NULL;
    char err[512];
    int rc = EXIT_OK;
    if (o->mode == MODE_FIELDS && !o->rep.on) {   /* the names were checked in main */
        out_fields_opts fo = o->fo;
        fo.file = path;
        rs.fields = out_fields_new((const char *const *)o->fields->pdata, o->fields->len, &fo,
                                   err, sizeof err);
        out_fields_want(rs.fields, rs.ctx, o->flt);
    }
    if (o->flt)
        rs.fs = filter_scratch_new(o->flt);
    give_keys(o, rs.ctx);
    if (o->max_sas_set)
        isakmp_ctx_set_sa_limit(rs.ctx, o->max_sas);
    rs.esp_on = esp_wanted(o);
    esp_run_init(&rs.esp, rs.ctx, o->esp_decrypt ? o->cc.w : NULL);
    if (o->esp_show)
        rs.out.esp = &rs.esp;
    capture_stats st = { 0 };
    if (capture_cli_run(&o->cc, path, &o->cap, &st, on_frame, &rs, err,
                        sizeof err) < 0) {
        fflush(out);
        fprintf(stderr, "isakmpdump: %s\n", err);
        rc = EXIT_INPUT;
    }
    if (o->stats) {
        isakmp_frag_stats fs;
        isakmp_ctx_frag_stats(rs.ctx, &fs);
        print_stats(path, &st, &fs, o->flt ? &rs.passed : NULL, rs.esp_on ? &rs.esp.n : NULL);
    }
    mutate_run_free(rs.mut, path, stderr);
    key_sources(o, rs.ctx, path);
    filter_scratch_free(rs.fs);
    esp_run_clear(&rs.esp);
    out_fields_free(rs.fields);
    out_ctx_clear(&rs.out);
    fflush(out);
    export_file(o, rs.ctx);
    isakmp_ctx_free(rs.ctx);
    fflush(out);
    return rc;
}

/* ---------------------------------------------------------------- -j N */

typedef struct {
    pid_t pid;
    FILE *out, *err;   /* the worker's output, replayed in file order */
    bool done;
    int status;
} job;

static void copy_out(FILE *from, FILE *to)
{
    char buf[65536];
    size_t n;
    rewind(from);
    while ((n = fread(buf, 1, sizeof buf, from)) > 0)
        fwrite(buf, 1, n, to);
    fclose(from);
}

/* Each file in a worker process writing to unlinked temporary files; the
 * parent replays them in input order as soon as each is finished. */
static int run_parallel(const options *o)
{
    size_t n = o->files->len, next = 0, emitted = 0, running = 0;
    job *jobs = g_new0(job, n);
    int rc = EXIT_OK;
    fflush(stdout);
    while (emitted < n) {
        while (running < (size_t)o->jobs && next < n) {
            job *j = &jobs[next];
            j->out = tmpfile();
            j->err = tmpfile();
            if (!j->out || !j->err) {
                fprintf(stderr, "isakmpdump: temporary file: %s\n", strerror(errno));
                exit(EXIT_INPUT);
            }
            j->pid = fork();
            if (j->pid < 0) {
                fprintf(stderr, "isakmpdump: fork: %s\n", strerror(errno));
                exit(EXIT_INPUT);
            }
            if (j->pid == 0) {
                dup2(fileno(j->err), STDERR_FILENO);
                int r = run_file(o, o->files->pdata[next], j->out);
                fflush(NULL);
                _exit(r);
            }
            next++;
            running++;
        }
        int status;
        pid_t pid = wait(&status);
        if (pid < 0)
            break;
        for (size_t i = 0; i < next; i++)
            if (jobs[i].pid == pid && !jobs[i].done) {
                jobs[i].done = true;
                jobs[i].status = WIFEXITED(status) ? WEXITSTATUS(status) : EXIT_INPUT;
                running--;
            }
        while (emitted < next && jobs[emitted].done) {
            copy_out(jobs[emitted].out, stdout);
            fflush(stdout);
            copy_out(jobs[emitted].err, stderr);
            if (jobs[emitted].status > rc)
                rc = jobs[emitted].status;
            emitted++;
        }
    }
    g_free(jobs);
    return rc;
}

static void options_free(options *o)
{
    g_ptr_array_free(o->files, TRUE);
    g_ptr_array_free(o->fields, TRUE);
    g_ptr_array_free(o->keys, TRUE);
    isakmp_ctx_free(o->keys_ctx);
}

int main(int argc, char **argv)
{
    options o = { .mode = MODE_SUMMARY, .jobs = 1, .seed = 1,
                  .fo = { .sep = '\t', .agg = ',', .occurrence = 'a' } };
    o.files = g_ptr_array_new();
    o.fields = g_ptr_array_new();
    o.keys = g_ptr_array_new();
    GString *keys_text = g_string_new(NULL), *psk_text = g_string_new(NULL);
    o.exported_keys = &keys_text;
    o.exported_psk = &psk_text;
    capture_opts_default(&o.cap);
    o.cap.progress = true;
    capture_cli_init(&o.cc);
    rpt_cli_init(&o.rep);
    parse_args(&o, argc, argv);
    static char outbuf[1 << 16];
    setvbuf(stdout, outbuf, _IOFBF, sizeof outbuf);
    int rc = EXIT_OK;
    char err[512];
    if (rpt_cli_start(&o.rep, o.mode == MODE_JSON, err, sizeof err) < 0)
        die_usage("%s", err);
    if (o.rep.on || o.export_keys || o.export_psk || o.cc.write_path)
        o.jobs = 1;   /* one report, one set of exported keys, one -w file over every file */
    if (o.cc.iface) {
        g_ptr_array_add(o.files, o.cc.iface);   /* the input's name in --stats */
        o.cap.progress = false;
    }
    if (o.mode == MODE_FIELDS && !o.rep.on) {
        out_fields *f = out_fields_new((const char *const *)o.fields->pdata, o.fields->len,
                                       &o.fo, err, sizeof err);
        if (!f) {
            fprintf(stderr, "isakmpdump: %s\n", err);
            options_free(&o);   /* unlike exit(), a return leaves them unreachable */
            wipe_text(keys_text);
            wipe_text(psk_text);
            return EXIT_USAGE;
        }
        if (capture_cli_prints(&o.cc))
            out_fields_header(f, stdout);
        out_fields_free(f);
    }
    /* -w without -Y: every frame read; with -Y the frames that pass (on_frame) */
    if (capture_cli_start(&o.cc, &o.cap, o.flt != NULL, err, sizeof err) < 0) {
        fprintf(stderr, "isakmpdump: %s\n", err);
        options_free(&o);
        return EXIT_INPUT;
    }
    if (o.mutate && (!o.cc.write_path || o.flt || o.yexpr))
        die_usage("--mutate needs -w and no -Y");
    if ((o.mutate_break || o.seed_set) && !o.mutate)
        die_usage("--seed and --mutate-break go with --mutate");
    rc = check_keys(&o);
    if (o.jobs > 1 && o.files->len > 1) {
        if (!o.threads)
            o.threads = 1;   /* the processes share the CPUs already */
        int r = run_parallel(&o);
        if (r > rc)
            rc = r;
    } else {
        for (guint i = 0; i < o.files->len; i++) {
            int r = run_file(&o, o.files->pdata[i], stdout);
            if (r > rc)
                rc = r;
        }
    }
    uint64_t written = 0, dropped = 0;
    writer_variant_counts(o.cc.w, &written, &dropped);
    if (o.mutate)
        fprintf(stderr, "isakmpdump: --mutate: %llu mutants written, %llu not (their message is "
                "not alone in one complete UDP datagram: IP fragments, TCP, IPv6 extension "
                "headers)\n", (unsigned long long)written, (unsigned long long)dropped);
    if (capture_cli_finish(&o.cc, err, sizeof err) < 0) {
        fprintf(stderr, "isakmpdump: %s\n", err);
        rc = EXIT_INPUT;
    }
    int xr = export_write(&o);
    if (xr > rc)
        rc = xr;
    wipe_text(keys_text);
    wipe_text(psk_text);
    int rr = rpt_cli_finish(&o.rep, stdout);
    if (rr > rc)
        rc = rr;
    if (fflush(stdout) != 0 && errno != EPIPE) {
        fprintf(stderr, "isakmpdump: standard output: %s\n", strerror(errno));
        rc = EXIT_INPUT;
    }
    filter_free(o.flt);
    options_free(&o);
    return rc;
}
