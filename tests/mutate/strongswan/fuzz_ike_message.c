/*
 * libFuzzer harness over strongSwan's IKE message parser (libcharon's
 * message_t), the target of docs/strongswan-fuzz.md.  Built by
 * tests/mutate/strongswan/run.sh against a strongSwan build; linked once
 * alone (libFuzzer's mutator) and once with mutator/libfuzzer.c and
 * mutator/mutator.c (ours).  Not part of the CMake build: it needs
 * strongSwan's headers and static libraries.
 *
 * Input: one IKE message (the UDP payload, no non-ESP marker).  The
 * message is parsed as charon parses a received one: header, then body.
 * For IKEv2 the body is parsed with a keymat whose AEAD holds the keys of
 * the message's IKE SA and direction, when SS_FUZZ_KEYS (':'-separated
 * ikev2_decryption_table files, Wireshark's format, as our samples carry
 * them) has a row for its SPIs, so SK and SKF payloads are decrypted, their
 * ICV checked and their plaintext parsed.  Otherwise the keymat is NULL and
 * an encrypted payload ends the parse.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <daemon.h>
#include <library.h>
#include <crypto/aead.h>
#include <crypto/iv/iv_gen.h>
#include <encoding/message.h>
#include <sa/keymat.h>

/* the algorithms of our samples' tables, by the names Wireshark writes */
struct alg {
    const char *prefix;
    int alg;          /* encryption_algorithm_t or integrity_algorithm_t */
    size_t key;       /* key bytes (without salt) */
    size_t salt;
};

static const struct alg encr_algs[] = {
    { "AES-CBC-128", ENCR_AES_CBC, 16, 0 },
    { "AES-CBC-192", ENCR_AES_CBC, 24, 0 },
    { "AES-CBC-256", ENCR_AES_CBC, 32, 0 },
    { "AES-GCM-128 with 16", ENCR_AES_GCM_ICV16, 16, 4 },
    { "AES-GCM-256 with 16", ENCR_AES_GCM_ICV16, 32, 4 },
    { "AES-GCM-128 with 8", ENCR_AES_GCM_ICV8, 16, 4 },
    { "AES-GCM-256 with 8", ENCR_AES_GCM_ICV8, 32, 4 },
    { "AES-GCM-128 with 12", ENCR_AES_GCM_ICV12, 16, 4 },
    { "AES-GCM-256 with 12", ENCR_AES_GCM_ICV12, 32, 4 },
    { "CHACHA20-POLY1305", ENCR_CHACHA20_POLY1305, 32, 4 },
};

static const struct alg integ_algs[] = {
    { "HMAC_SHA2_256_128", AUTH_HMAC_SHA2_256_128, 32, 0 },
    { "HMAC_SHA2_384_192", AUTH_HMAC_SHA2_384_192, 48, 0 },
    { "HMAC_SHA2_512_256", AUTH_HMAC_SHA2_512_256, 64, 0 },
    { "HMAC_SHA1_96", AUTH_HMAC_SHA1_96, 20, 0 },
    { "AES-XCBC-96", AUTH_AES_XCBC_96, 16, 0 },
    { "NONE", AUTH_UNDEFINED, 0, 0 },
};

/* one IKE SA's keys: [0] for messages the original initiator sends (SK_ei,
 * SK_ai), [1] for the responder's */
struct sa_keys {
    uint8_t spi_i[8], spi_r[8];
    aead_t *aead[2];
};

#define MAX_SAS 128
static struct sa_keys sas[MAX_SAS];
static int n_sas;
static aead_t *current;   /* what the keymat hands out for this input */

static aead_t *km_get_aead(keymat_t *km, bool in)
{
    (void)km;
    (void)in;
    return current;
}

static ike_version_t km_get_version(keymat_t *km)
{
    (void)km;
    return IKEV2;
}

static void km_destroy(keymat_t *km)
{
    (void)km;
}

static keymat_t keymat = {
    .get_version = km_get_version,
    .get_aead = km_get_aead,
    .destroy = km_destroy,
};

static const struct alg *find_alg(const struct alg *t, size_t n, const char *name)
{
    const char *s = name[0] == '"' ? name + 1 : name;
    for (size_t i = 0; i < n; i++)
        if (strncmp(s, t[i].prefix, strlen(t[i].prefix)) == 0)
            return &t[i];
    return NULL;
}

static chunk_t hex(const char *s)
{
    return chunk_from_hex(chunk_create((u_char *)s, strlen(s)), NULL);
}

/* the AEAD of one direction: a real AEAD, or CBC + an integrity signer */
static aead_t *make_aead(const struct alg *e, const struct alg *a, const char *ek, const char *ak)
{
    chunk_t k = hex(ek);
    aead_t *aead = NULL;
    if (e->salt) {
        aead = lib->crypto->create_aead(lib->crypto, e->alg, e->key, e->salt);
        if (aead && (k.len != e->key + e->salt || !aead->set_key(aead, k))) {
            aead->destroy(aead);
            aead = NULL;
        }
    } else if (a && a->alg != AUTH_UNDEFINED) {
        crypter_t *c = lib->crypto->create_crypter(lib->crypto, e->alg, e->key);
        signer_t *s = lib->crypto->create_signer(lib->crypto, a->alg);
        chunk_t sk = hex(ak);
        if (c && s && k.len == e->key && c->set_key(c, k) && s->set_key(s, sk)) {
            aead = aead_create(c, s, iv_gen_create_for_alg(e->alg));
        } else {
            DESTROY_IF(c);
            DESTROY_IF(s);
        }
        chunk_free(&sk);
    }
    chunk_free(&k);
    return aead;
}

/* SPIi,SPIr,SK_ei,SK_er,"encr",SK_ai,SK_ar,"integ" */
static void load_table(const char *path)
{
    FILE *f = fopen(path, "r");
    char line[2048];
    if (!f)
        return;
    while (n_sas < MAX_SAS && fgets(line, sizeof line, f)) {
        char *field[8];
        char *rest = line, *tok;
        int n = 0;
        line[strcspn(line, "\r\n")] = '\0';
        while (n < 8 && (tok = strsep(&rest, ",")))   /* empty fields too (AEAD rows) */
            field[n++] = tok;
        if (n != 8 || strlen(field[0]) != 16 || strlen(field[1]) != 16)
            continue;
        const struct alg *e = find_alg(encr_algs, countof(encr_algs), field[4]);
        const struct alg *a = find_alg(integ_algs, countof(integ_algs), field[7]);
        if (!e)
            continue;
        struct sa_keys *sa = &sas[n_sas];
        chunk_t i = hex(field[0]), r = hex(field[1]);
        memcpy(sa->spi_i, i.ptr, 8);
        memcpy(sa->spi_r, r.ptr, 8);
        chunk_free(&i);
        chunk_free(&r);
        sa->aead[0] = make_aead(e, a, field[2], field[5]);
        sa->aead[1] = make_aead(e, a, field[3], field[6]);
        if (sa->aead[0] || sa->aead[1])
            n_sas++;
    }
    fclose(f);
}

#ifdef SS_FUZZ_COUNT
/* -DSS_FUZZ_COUNT: how many inputs reach which stage, printed at exit (a
 * separate build: run.sh's count step, not the compared binaries) */
static unsigned long n_inputs, n_header, n_keyed, n_keyed_ok, n_body_ok, keyed_status[16];

static void print_counts(void)
{
    fprintf(stderr, "counts: inputs %lu header-ok %lu keyed-ikev2 %lu keyed-body-ok %lu "
            "body-ok %lu\n", n_inputs, n_header, n_keyed, n_keyed_ok, n_body_ok);
    fprintf(stderr, "keyed-ikev2 parse_body status:");
    for (int i = 0; i < 16; i++)
        if (keyed_status[i])
            fprintf(stderr, " %s %lu", enum_to_name(status_names, i), keyed_status[i]);
    fprintf(stderr, "\n");
}
#define COUNT(x) ((x)++)
#else
#define COUNT(x) ((void)0)
#endif

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    dbg_default_set_level(-1);
    library_init(NULL, "fuzz_ike_message");
    if (!lib->plugins->load(lib->plugins, "aes sha1 sha2 hmac gcm xcbc cmac random nonce kdf"))
        fprintf(stderr, "fuzz_ike_message: plugins not loaded\n");
    libcharon_init();
    const char *keys = getenv("SS_FUZZ_KEYS");
    char *list = strdup(keys ? keys : ""), *save = NULL;
    for (char *p = strtok_r(list, ":", &save); p; p = strtok_r(NULL, ":", &save))
        load_table(p);
    free(list);
    if (keys)
        fprintf(stderr, "fuzz_ike_message: keys of %d IKE SAs\n", n_sas);
#ifdef SS_FUZZ_COUNT
    atexit(print_counts);
#endif
    return 0;
}

/* the keys of the message's SA and direction (header bytes, as received) */
static aead_t *aead_of(const uint8_t *data, size_t size)
{
    if (size < 28 || data[17] >> 4 != 2)
        return NULL;
    int dir = (data[19] & 0x08) ? 0 : 1;   /* I flag: sent by the original initiator */
    for (int i = 0; i < n_sas; i++)
        if (!memcmp(sas[i].spi_i, data, 8) && !memcmp(sas[i].spi_r, data + 8, 8))
            return sas[i].aead[dir];
    return NULL;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    host_t *src = host_create_from_string("192.0.2.1", 500);
    host_t *dst = host_create_from_string("192.0.2.2", 500);
    packet_t *pkt = packet_create_from_data(src, dst, chunk_clone(chunk_create((u_char *)data, size)));
    message_t *msg = message_create_from_packet(pkt);   /* owns pkt */
    COUNT(n_inputs);
    if (msg->parse_header(msg) == SUCCESS) {
        COUNT(n_header);
        current = aead_of(data, size);
        status_t st = msg->parse_body(msg, current ? &keymat : NULL);
        (void)st;
#ifdef SS_FUZZ_COUNT
        if (current && data[18] != 34) {   /* not IKE_SA_INIT: SK or SKF expected */
            n_keyed++;
            n_keyed_ok += st == SUCCESS;
            keyed_status[st & 15]++;
        }
        n_body_ok += st == SUCCESS;
#endif
    }
    msg->destroy(msg);
    return 0;
}
