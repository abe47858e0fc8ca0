/* the connection ladder: column order and the text layout (capture/ladder.c) */
#include <string.h>

#include "capture/ladder.h"
#include "unit.h"

/* One client reusing a connection, then a second in parallel. */
static void
two_clients(struct ladder *l)
{
	ladder_init(l);
	ladder_add(l, 1, 0.0, ":51000", ":8000", LADDER_DST_SERVER, "SYN", "SYN");
	ladder_add(l, 2, 0.000010, ":8000", ":51000", LADDER_SRC_SERVER,
		   "SYN, ACK", "SYN, ACK");
	ladder_add(l, 4, 0.000100, ":51000", ":8000", LADDER_DST_SERVER,
		   "GET /a", "GET /a HTTP/1.1");
	ladder_add(l, 5, 0.000200, ":52000", ":8000", LADDER_DST_SERVER, "SYN", "SYN");
	ladder_add(l, 6, 0.000900, ":8000", ":51000", LADDER_SRC_SERVER,
		   "200 OK", "HTTP/1.1 200 OK  (text/html)");
}

TEST(ladder_servers_first_then_clients_in_order)
{
	struct ladder l;
	uint32_t col[3];

	two_clients(&l);
	CHECK_EQ(l.nep, 3);
	ladder_columns(&l, col);
	/* endpoint 0 is :51000 (seen first), 1 is :8000, 2 is :52000 */
	CHECK_STR(l.ep[1].name, ":8000");
	CHECK(l.ep[1].server);
	CHECK_EQ(col[1], 0);
	CHECK_EQ(col[0], 1);
	CHECK_EQ(col[2], 2);
	ladder_free(&l);
}

TEST(ladder_text_layout)
{
	struct ladder l;
	struct buf b = BUF_INIT;
	const char *want =
		"Time                :8000              :51000              :52000         Frame  Info\n"
		"0.000000              |<-------SYN--------|                   |               1  SYN\n"
		"0.000010              |-----SYN, ACK----->|                   |               2  SYN, ACK\n"
		"0.000100              |<-----GET /a-------|                   |               4  GET /a HTTP/1.1\n"
		"0.000200              |<-----------------SYN------------------|               5  SYN\n"
		"0.000900              |------200 OK------>|                   |               6  HTTP/1.1 200 OK  (text/html)\n";

	two_clients(&l);
	CHECK_EQ(ladder_print(&l, &b, 20), 0);
	CHECK_STR(b.data ? b.data : "", want);
	buf_free(&b);
	ladder_free(&l);
}

TEST(ladder_long_names_widen_columns_and_tags_are_cut)
{
	struct ladder l;
	struct buf b = BUF_INIT;

	ladder_init(&l);
	ladder_add(&l, 3, 1.5, "[2001:db8::1]:40000", "[2001:db8::2]:80",
		   LADDER_DST_SERVER,
		   "POST /a/very/long/path/that/does/not/fit/between/two",
		   "POST /a/very/long/path HTTP/1.1");
	CHECK_EQ(ladder_print(&l, &b, 8), 0);
	/* the header holds both names whole, the arrow ends in '<' next to
	 * the server's bar, and the tag is cut to fit inside the shaft */
	CHECK(strstr(b.data, "[2001:db8::2]:80") != NULL);
	CHECK(strstr(b.data, "[2001:db8::1]:40000") != NULL);
	CHECK(strstr(b.data, "|<-") != NULL);
	CHECK(strstr(b.data, "POST /a/very") != NULL);
	CHECK(strstr(b.data, "-|") != NULL);
	CHECK(strstr(b.data, "  3  POST /a/very/long/path HTTP/1.1\n") != NULL);
	buf_free(&b);
	ladder_free(&l);
}
