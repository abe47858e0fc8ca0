/*
 * source_live.c - live capture through libpcap: a large kernel buffer,
 * immediate mode when a person watches (else 50 ms batches, which keep
 * up with wrk on lo where per-packet wakeups do not), nanosecond stamps
 * where the platform has them, every
 * frame saved to a pcap file (temporary, or the -w file) so the frame
 * index works as it does for files.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "source.h"

static int
live_error(struct capture *c, const char *iface, int rc)
{
	const char *why = pcap_dl.geterr(c->pc);

	if (rc == PCAP_ERROR_PERM_DENIED) {
		snprintf(c->err, sizeof(c->err),
			 "cannot capture on '%s': permission denied (needs "
			 "CAP_NET_RAW); run it with sudo, or once: sudo setcap "
			 "cap_net_raw,cap_net_admin=eip \"$(command -v httptool)\"",
			 iface);
		return -2;
	}
	if (rc == PCAP_ERROR_NO_SUCH_DEVICE)
		snprintf(c->err, sizeof(c->err),
			 "cannot open '%s': no such device (see httptool sniff -D)",
			 iface);
	else
		snprintf(c->err, sizeof(c->err), "cannot capture on '%s': %s",
			 iface, why && *why ? why : pcap_dl.statustostr(rc));
	return -1;
}

static int
open_save(struct capture *c, const char *save)
{
	const char *dir = getenv("TMPDIR");
	FILE *fp;
	int fd;

	if (save) {
		fp = fopen(save, "wb");
		if (!fp)
			goto fail;
		/* big writes: the saving must not cost a syscall per frame */
		setvbuf(fp, NULL, _IOFBF, 1u << 20);
		c->dump = pcap_dl.dump_fopen(c->pc, fp);
		if (!c->dump) {
			fclose(fp);
			goto fail;
		}
		c->path = strdup(save);
	} else {
		if (!dir || !*dir)
			dir = "/tmp";
		if (asprintf(&c->path, "%s/httptool-sniff-XXXXXX", dir) < 0) {
			c->path = NULL;
			goto fail;
		}
		fd = mkstemp(c->path);
		fp = fd >= 0 ? fdopen(fd, "w+b") : NULL;
		if (!fp) {
			if (fd >= 0)
				close(fd);
			goto fail;
		}
		c->unlink_path = true;
		setvbuf(fp, NULL, _IOFBF, 1u << 20);
		c->dump = pcap_dl.dump_fopen(c->pc, fp);
		if (!c->dump) {
			fclose(fp);
			goto fail;
		}
	}
	if (!c->path)
		goto fail;
	c->rd = fopen(c->path, "rb");
	if (!c->rd)
		goto fail;
	/* the temporary file lives on through the two open handles; gone
	   from the directory now, it cannot be left behind, and nothing
	   needs root to remove it once privileges are dropped */
	if (c->unlink_path) {
		unlink(c->path);
		c->unlink_path = false;
	}
	return 0;
fail:
	snprintf(c->err, sizeof(c->err), "cannot write '%s': %s",
		 save ? save : "a temporary pcap", pcap_dl.geterr(c->pc));
	return -1;
}

int
cap_open_live(struct capture *c, const struct cap_live_opts *o)
{
	char ebuf[PCAP_ERRBUF_SIZE];
	const char *iface = o->iface ? o->iface : "lo";
	struct bpf_program prog;
	int rc;

	memset(c, 0, sizeof(*c));
	if (pcap_dl_load(c->err, sizeof(c->err)) < 0)
		return -1;
	c->live = true;
	c->indexing = true;
	c->pc = pcap_dl.create(iface, ebuf);
	if (!c->pc) {
		snprintf(c->err, sizeof(c->err), "cannot open '%s': %s", iface,
			 ebuf);
		return -1;
	}
	/*
	 * Immediate mode makes libpcap use a ring of fixed slots sized by
	 * the snaplen, so the default is just above lo's 64 KiB MTU (not
	 * 256 KiB) and the ring is large: more frames fit in a burst.
	 */
	pcap_dl.set_snaplen(c->pc, o->snaplen > 0 ? o->snaplen :
			    CAP_LIVE_SNAPLEN);
	pcap_dl.set_immediate_mode(c->pc, o->immediate);
	pcap_dl.set_timeout(c->pc, 50);	/* when not immediate: batch <= 50 ms */
	pcap_dl.set_buffer_size(c->pc, (o->buffer_mib > 0 ? o->buffer_mib :
				     CAP_LIVE_BUFFER_MIB) << 20);
	pcap_dl.set_tstamp_precision(c->pc, PCAP_TSTAMP_PRECISION_NANO);
	rc = pcap_dl.activate(c->pc);
	if (rc < 0)
		return live_error(c, iface, rc);
	c->nsec = pcap_dl.get_tstamp_precision(c->pc) ==
		  PCAP_TSTAMP_PRECISION_NANO;
	c->dlt = pcap_dl.datalink(c->pc);
	if (o->bpf) {
		if (pcap_dl.compile(c->pc, &prog, o->bpf, 1,
				 PCAP_NETMASK_UNKNOWN) < 0 ||
		    pcap_dl.setfilter(c->pc, &prog) < 0) {
			snprintf(c->err, sizeof(c->err),
				 "bad capture filter '%s': %s", o->bpf,
				 pcap_dl.geterr(c->pc));
			return -1;
		}
		pcap_dl.freecode(&prog);
	}
	if (pcap_dl.setnonblock(c->pc, 1, ebuf) < 0) {
		snprintf(c->err, sizeof(c->err), "%s", ebuf);
		return -1;
	}
	return open_save(c, o->save);
}

void
cap_save(struct capture *c, const struct pcap_pkthdr *h, const uint8_t *data)
{
	long long pos = c->dump ? pcap_dl.dump_ftell64(c->dump) : -1;
	struct frame_rec *f;

	if (c->dump)
		pcap_dl.dump((u_char *)c->dump, h, data);
	if (!(f = cap_index_add(c)))
		return;
	f->off = pos >= 0 ? (uint64_t)pos + 16 : 0;
	f->sec = (uint32_t)h->ts.tv_sec;
	f->nsec = (uint32_t)h->ts.tv_usec * (c->nsec ? 1u : 1000u);
	f->caplen = h->caplen;
	f->len = h->len;
}

int
cap_list_interfaces(FILE *out, char *err, size_t errlen)
{
	char ebuf[PCAP_ERRBUF_SIZE];
	pcap_if_t *all, *d;
	int i = 1;

	if (pcap_dl_load(err, errlen) < 0)
		return -1;
	if (pcap_dl.findalldevs(&all, ebuf) < 0) {
		snprintf(err, errlen, "cannot list interfaces: %s", ebuf);
		return -1;
	}
	for (d = all; d; d = d->next, i++) {
		if (d->description)
			fprintf(out, "%d. %s (%s)\n", i, d->name, d->description);
		else
			fprintf(out, "%d. %s\n", i, d->name);
	}
	pcap_dl.freealldevs(all);
	return 0;
}
