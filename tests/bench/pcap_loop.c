/* The limit for any libpcap-based decoder: read every packet, touch its
 * bytes (a checksum, so the reads are not optimised away), nothing else. */
#include <pcap/pcap.h>
#include <stdio.h>

int main(int argc, char **argv)
{
    char err[PCAP_ERRBUF_SIZE];
    unsigned long packets = 0, sum = 0;
    for (int i = 1; i < argc; i++) {
        pcap_t *p = pcap_open_offline(argv[i], err);
        if (!p) {
            fprintf(stderr, "pcap_loop: %s\n", err);
            return 1;
        }
        struct pcap_pkthdr *h;
        const u_char *d;
        while (pcap_next_ex(p, &h, &d) == 1) {
            packets++;
            for (bpf_u_int32 k = 0; k < h->caplen; k++)
                sum += d[k];
        }
        pcap_close(p);
    }
    printf("%lu packets, sum %lu\n", packets, sum);
    return 0;
}
