/*
 * source.c - pcap files, stdin and live interfaces behind one frame
 * index (see source.h).  Depends on libpcap only, called through the
 * pcap_dl table (loaded by cap_open_file).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lib/bigarr.h"
#include "pcapng.h"
#include "source.h"

#define PCAPNG_MAGIC 0x0A0D0D0Au

static char *
make_temp(FILE **fp, char *err, size_t errlen)
{
	const char *dir = getenv("TMPDIR");
	char *path;
	int fd;

	if (!dir || !*dir)
		dir = "/tmp";
	if (asprintf(&path, "%s/httptool-sniff-XXXXXX", dir) < 0)
		return NULL;
	fd = mkstemp(path);
	if (fd < 0 || !(*fp = fdopen(fd, "w+b"))) {
		snprintf(err, errlen, "cannot create a temporary file in '%s': %s",
			 dir, strerror(errno));
		if (fd >= 0)
			close(fd);
		free(path);
		return NULL;
	}
	return path;
}

static int
set_temp(struct capture *c, char *path)
{
	free(c->path);
	c->path = path;
	c->unlink_path = true;
	return 0;
}

/* stdin is not seekable: keep a copy in a temporary file. */
static int
copy_stdin(struct capture *c)
{
	char buf[65536];
	size_t n;
	FILE *fp;
	char *path = make_temp(&fp, c->err, sizeof(c->err));

	if (!path)
		return -1;
	while ((n = fread(buf, 1, sizeof(buf), stdin)) > 0)
		if (fwrite(buf, 1, n, fp) != n)
			break;
	if (ferror(stdin) || fclose(fp) != 0) {
		snprintf(c->err, sizeof(c->err), "cannot copy stdin: %s",
			 strerror(errno));
		unlink(path);
		free(path);
		return -1;
	}
	return set_temp(c, path);
}

static int
is_pcapng(const char *path)
{
	FILE *fp = fopen(path, "rb");
	unsigned char m[4];
	int r = 0;

	if (!fp)
		return 0;
	if (fread(m, 1, 4, fp) == 4)
		r = ((uint32_t)m[0] << 24 | (uint32_t)m[1] << 16 |
		     (uint32_t)m[2] << 8 | m[3]) == PCAPNG_MAGIC;
	fclose(fp);
	return r;
}

/* LINKTYPE_ numbers as files store them, as libpcap's DLT_ values. */
static uint16_t
linktype_dlt(uint16_t lt)
{
	return lt == 101 ? DLT_RAW : lt;
}

/*
 * Rewrite a pcapng file as pcap, so offsets into it are simple; when its
 * interfaces have different link types, keep each frame's (c->fdlt).
 */
static int
convert_pcapng(struct capture *c)
{
	struct pcapng_frames fr;
	FILE *in, *fp;
	char *path;
	size_t i;
	int r;

	if (!(in = fopen(c->path, "rb"))) {
		snprintf(c->err, sizeof(c->err), "%s", strerror(errno));
		return -1;
	}
	if (!(path = make_temp(&fp, c->err, sizeof(c->err)))) {
		fclose(in);
		return -1;
	}
	r = pcapng_to_pcap(in, fp, &fr, c->err, sizeof(c->err));
	fclose(in);
	if (fclose(fp) != 0 && r == 0)
		r = -1;
	if (r == -1) {
		free(fr.dlt);
		unlink(path);
		free(path);
		return -1;
	}
	if (fr.mixed) {
		for (i = 0; i < fr.n; i++)
			fr.dlt[i] = linktype_dlt(fr.dlt[i]);
		c->fdlt = fr.dlt;
		c->nfdlt = fr.n;
	} else {
		free(fr.dlt);
	}
	return set_temp(c, path);
}

/* Is the pcap at path one of microsecond timestamps (by its magic)? */
static bool
pcap_is_usec(const char *path)
{
	uint8_t m[4];
	FILE *fp = fopen(path, "rb");
	bool usec = fp && fread(m, 1, 4, fp) == 4 &&
		    ((m[0] == 0xd4 && m[1] == 0xc3 && m[2] == 0xb2 && m[3] == 0xa1) ||
		     (m[0] == 0xa1 && m[1] == 0xb2 && m[2] == 0xc3 && m[3] == 0xd4));

	if (fp)
		fclose(fp);
	return usec;
}

static int
open_pcap(struct capture *c, const char *bpf)
{
	char ebuf[PCAP_ERRBUF_SIZE];
	struct bpf_program prog;

	c->pc = pcap_dl.open_offline_with_tstamp_precision(
		c->path, PCAP_TSTAMP_PRECISION_NANO, ebuf);
	if (!c->pc) {
		snprintf(c->err, sizeof(c->err), "%s", ebuf);
		return -1;
	}
	c->nsec = true;
	c->usec_file = pcap_is_usec(c->path);
	c->dlt = pcap_dl.datalink(c->pc);
	c->pos = 24;		/* after the pcap file header */
	c->filtered = bpf != NULL;
	if (bpf && c->fdlt) {
		snprintf(c->err, sizeof(c->err), "bad capture filter '%s': the "
			 "file mixes link types (use -Y)", bpf);
		return -1;
	}
	if (bpf) {
		if (pcap_dl.compile(c->pc, &prog, bpf, 1,
				    PCAP_NETMASK_UNKNOWN) < 0 ||
		    pcap_dl.setfilter(c->pc, &prog) < 0) {
			snprintf(c->err, sizeof(c->err),
				 "bad capture filter '%s': %s", bpf,
				 pcap_dl.geterr(c->pc));
			return -1;
		}
		pcap_dl.freecode(&prog);
	}
	return 0;
}

int
cap_open_file(struct capture *c, const char *path, const char *bpf)
{
	memset(c, 0, sizeof(*c));
	if (pcap_dl_load(c->err, sizeof(c->err)) < 0)
		return -1;
	c->indexing = true;
	if (strcmp(path, "-") == 0) {
		if (copy_stdin(c) < 0)
			return -1;
	} else {
		if (access(path, R_OK) != 0) {
			snprintf(c->err, sizeof(c->err), "cannot open '%s': %s",
				 path, strerror(errno));
			return -1;
		}
		c->path = strdup(path);
		if (!c->path)
			return -1;
	}
	if ((is_pcapng(c->path) && convert_pcapng(c) < 0) ||
	    open_pcap(c, bpf) < 0) {
		char why[sizeof(c->err)];

		if (strncmp(c->err, "bad capture filter", 18) == 0)
			return -1;
		snprintf(why, sizeof(why), "%s", c->err);
		snprintf(c->err, sizeof(c->err), "cannot read '%.200s': %.*s",
			 path, (int)(sizeof(c->err) - 240), why);
		return -1;
	}
	c->rd = fopen(c->path, "rb");
	if (!c->rd) {
		snprintf(c->err, sizeof(c->err), "cannot open '%s': %s",
			 c->path, strerror(errno));
		return -1;
	}
	return 0;
}

struct frame_rec *
cap_index_add(struct capture *c)
{
	if (c->nframes == c->cap && !(c->ring && c->cap == c->ring)) {
		size_t ncap = c->cap ? c->cap * 2 : 4096;

		if (c->ring && ncap > c->ring)
			ncap = c->ring;
		if (bigarr_resize((void **)&c->frames, c->cap, ncap,
				  sizeof(*c->frames)) < 0)
			return NULL;
		c->cap = ncap;
	}
	c->nframes++;
	return (struct frame_rec *)cap_frame(c, c->nframes - 1);
}

static void
index_add(struct capture *c, const struct pcap_pkthdr *h, uint64_t off)
{
	struct frame_rec *f = cap_index_add(c);

	if (!f)
		return;
	f->off = off;
	f->sec = (uint32_t)h->ts.tv_sec;
	f->nsec = (uint32_t)h->ts.tv_usec * (c->nsec ? 1u : 1000u);
	f->caplen = h->caplen;
	f->len = h->len;
}

int
cap_next(struct capture *c, struct pcap_pkthdr **h, const uint8_t **data)
{
	const u_char *d;
	int r = pcap_dl.next_ex(c->pc, h, &d);

	if (r == -2)
		return 0;
	if (r < 0) {
		snprintf(c->err, sizeof(c->err), "%s", pcap_dl.geterr(c->pc));
		return -1;
	}
	*data = d;
	if (c->indexing && c->filtered) {
		long long end = ftello(pcap_dl.file(c->pc));

		index_add(c, *h, end >= (*h)->caplen ?
			  (uint64_t)end - (*h)->caplen : 0);
	} else if (c->indexing) {
		/* pcap records follow each other: no need to ask the file */
		index_add(c, *h, c->pos + 16);
		c->pos += 16 + (*h)->caplen;
	}
	return 1;
}

int
cap_rewind(struct capture *c)
{
	char ebuf[PCAP_ERRBUF_SIZE];

	if (c->live)
		return -1;
	pcap_dl.close(c->pc);
	if (c->spare) {		/* pcap owns it from here */
		c->pc = pcap_dl.fopen_offline_with_tstamp_precision(
			c->spare, PCAP_TSTAMP_PRECISION_NANO, ebuf);
		if (c->pc == NULL)
			fclose(c->spare);
		c->spare = NULL;
	} else {
		c->pc = pcap_dl.open_offline_with_tstamp_precision(
			c->path, PCAP_TSTAMP_PRECISION_NANO, ebuf);
	}
	if (!c->pc) {
		snprintf(c->err, sizeof(c->err), "%s", ebuf);
		return -1;
	}
	c->indexing = false;
	return 0;
}

int
cap_detach_path(struct capture *c)
{
	if (c->live || c->spare)
		return 0;
	c->spare = fopen(c->path, "rb");
	if (c->spare == NULL) {
		snprintf(c->err, sizeof(c->err), "cannot open '%s': %s",
			 c->path, strerror(errno));
		return -1;
	}
	if (c->unlink_path) {
		unlink(c->path);
		c->unlink_path = false;
	}
	return 0;
}

long
cap_read_frame(struct capture *c, size_t i, uint8_t *buf, size_t size)
{
	const struct frame_rec *f;

	if (i >= c->nframes || !c->rd)
		return -1;
	if (!(f = cap_frame(c, i)))
		return -1;
	if (f->caplen > size)
		return -1;
	if (f->off >= c->win_off && f->off + f->caplen <= c->win_off + c->win_len)
		goto copy;
	if (c->dump)
		pcap_dl.dump_flush(c->dump);
	if (!c->win && f->caplen <= CAP_WIN)
		c->win = malloc(CAP_WIN);
	if (!c->win || f->caplen > CAP_WIN) {	/* straight into buf */
		if (fseeko(c->rd, (off_t)f->off, SEEK_SET) != 0 ||
		    fread(buf, 1, f->caplen, c->rd) != f->caplen)
			return -1;
		return f->caplen;
	}
	/* the window from this frame on: the file only grows, so what was
	   read stays true */
	c->win_len = 0;
	if (fseeko(c->rd, (off_t)f->off, SEEK_SET) != 0)
		return -1;
	c->win_off = f->off;
	c->win_len = fread(c->win, 1, CAP_WIN, c->rd);
	if (c->win_len < f->caplen)
		return -1;
copy:
	memcpy(buf, c->win + (f->off - c->win_off), f->caplen);
	return f->caplen;
}

void
cap_close(struct capture *c)
{
	if (c->dump)
		pcap_dl.dump_close(c->dump);
	if (c->pc)
		pcap_dl.close(c->pc);
	if (c->rd)
		fclose(c->rd);
	free(c->win);
	if (c->spare)
		fclose(c->spare);
	if (c->path && c->unlink_path)
		unlink(c->path);
	free(c->path);
	bigarr_free(c->frames, c->cap, sizeof(*c->frames));
	free(c->fdlt);
	memset(c, 0, sizeof(*c));
}
