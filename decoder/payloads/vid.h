/*
 * Vendor ID recognition (RFC 2408 3.16, RFC 7296 3.12), shared by both IKE
 * versions.
 */
#ifndef ISAKMP_VID_H
#define ISAKMP_VID_H

#include "core/internal.h"

/* Decodes a Vendor ID payload body: adds ike.vid_bytes, ike.vid_string (the
 * name Wireshark 4.0 gives it: the first of its vendor IDs that is a prefix
 * of the body, or "Unknown Vendor ID"), the vendor-specific fields that
 * follow some IDs (Check Point, Cisco Unity, MS NT5, Aruba VIA, Fortigate)
 * and, when the ID is known, ike.vid.name (vid_name) under `item`.
 * Consumes the whole body. */
void vid_decode(dec_t *d, uint32_t item, cur_t *body);

/* The name Wireshark 4.0 shows for a vendor ID, or NULL when it has none. */
const char *vid_wireshark_name(const uint8_t *vid, size_t len);

/* Our most specific name for a vendor ID (Wireshark's IDs plus current
 * strongSwan, libreswan, Cisco, Microsoft, Fortinet, Juniper ones, with
 * versions where the ID carries one), newly allocated (g_free), or NULL
 * when none is known. */
char *vid_name(const uint8_t *vid, size_t len);

/* The entries of the table beyond Wireshark's (for the tests): the count,
 * and entry i's byte string and fixed name. */
size_t vid_extra_count(void);
const char *vid_extra_entry(size_t i, const uint8_t **bytes, size_t *len);

#endif
