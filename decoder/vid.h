/*
 * Vendor ID recognition (RFC 2408 3.16, RFC 7296 3.12), shared by both IKE
 * versions.
 */
#ifndef ISAKMP_VID_H
#define ISAKMP_VID_H

#include "internal.h"

/* Decodes a Vendor ID payload body: adds ike.vid_bytes, ike.vid_string (the
 * name of the first known vendor ID that is a prefix of the body, or
 * "Unknown Vendor ID") and the vendor-specific fields that follow some IDs
 * (Check Point, Cisco Unity, MS NT5, Aruba VIA, Fortigate) under `item`.
 * Consumes the whole body. */
void vid_decode(dec_t *d, uint32_t item, cur_t *body);

/* The name of a vendor ID, or NULL when none is known. */
const char *vid_name(const uint8_t *vid, size_t len);

#endif
