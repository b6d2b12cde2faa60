/*
 * Which fields a payload's body can hold, by IKE version and payload type:
 * field-directed decoding (isakmp_ctx_set_fields) skips the bodies that can
 * hold none of the wanted fields.  tests/direction checks the table against
 * every tree the test captures give.
 */
#ifndef ISAKMP_PAYLOAD_FIELDS_H
#define ISAKMP_PAYLOAD_FIELDS_H

#include <stdbool.h>
#include <stdint.h>

/* The fields (ended by -1) the body of a payload of this type can hold,
 * nested payload items included; NULL when the body is never skipped
 * (unknown types, and those whose parsing keeps state: encrypted data,
 * fragments). */
const int *payload_body_fields(int version, uint8_t type);

/* Row i of the table: version, type and the fields (NULL past the last row). */
const int *payload_body_row(size_t i, int *version, uint8_t *type);

/* True when `field` is in the list. */
bool payload_fields_has(const int *list, int field);

/* Fields any body can hold (trailing data): wanting them skips no body. */
bool payload_field_any_body(int field);

/* Fields added to payload items after parsing (verification verdicts):
 * built whether the body was parsed or not. */
bool payload_field_after_parse(int field);

#endif
