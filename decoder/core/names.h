/* Value names that depend on the IKE version (see names.c). */
#ifndef ISAKMP_NAMES_H
#define ISAKMP_NAMES_H

#include "isakmp/isakmp.h"

extern const isakmp_value_name names_v1_exchange[];
extern const isakmp_value_name names_v2_exchange[];
extern const isakmp_value_name names_v1_payload[];
extern const isakmp_value_name names_v2_payload[];
extern const isakmp_value_name names_v1_xauth_auth_methods[];
extern const isakmp_value_name names_v1_gmt_encryption[];
extern const isakmp_value_name names_v1_gmt_hash[];
extern const isakmp_value_name names_v1_gmt_asymmetric[];
extern const isakmp_value_name names_v1_china_auth_methods[];

#endif
