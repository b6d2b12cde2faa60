#include "keying/edit_int.h"
const char *isakmp_edit_mutate(isakmp_edit *e, uint64_t *rng, unsigned flags,
                               const isakmp_edit *donor) { return NULL; }
size_t isakmp_mutate_dictionary(char *buf, size_t size) { return 0; }
