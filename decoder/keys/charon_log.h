/*
 * strongSwan charon debug logs as a key source (charon_log.c): any prefix
 * (filelog with or without time, syslog, journald), with or without IKE_SA
 * names, at ike 3 / 4 with or without mgr, enc and chd.  Keys are handed to
 * a sink as secrets.h entries: tied to their SA where the log says which
 * (SPIs), else as candidates for any SA ('*').
 */
#ifndef ISAKMP_CHARON_LOG_H
#define ISAKMP_CHARON_LOG_H

#include "keys/entry.h"

/* What a log gave: lines of charon's, dumps, and keys by kind. */
typedef struct {
    unsigned lines, dumps;
    unsigned dh, skeyseed, skeyid, ike_keys, child_dh, psk, esp;
    unsigned tied, candidates;   /* IKE and CHILD DH keys: tied to an SA by the log, or not */
} charon_log_summary;

/* True when the text (the head of a file, NUL-terminated) is a charon log. */
bool charon_log_detect(const char *head);

/* Calls sink for each key of the log; the summary (may be NULL) says what. */
void charon_log_parse(const char *name, const char *text, size_t len, secret_sink_fn sink,
                      void *user, charon_log_summary *sum);

#endif
