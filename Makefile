# httptool - the only build file.
#
#   make              build ./httptool, man/*.1 and completions/* (make docs)
#   make test         install missing packages, build, run unit + e2e tests
#   make test SAN=1   the same with AddressSanitizer + UBSan (build-san/)
#   make demo         install the build set only (scripts/deps.sh build),
#                     build and run `httptool demo`
#   make install      PREFIX=/usr/local DESTDIR= (binary, man pages, completions;
#                     SETCAP=1 also lets it capture without root); make uninstall
#   make deps         install the Debian packages the build and tests need
#                     (scripts/deps.sh --list build|test|all shows each set)
#   make clean

PREFIX ?= /usr/local
DESTDIR ?=
BINDIR = $(PREFIX)/bin
MANDIR = $(PREFIX)/share/man/man1
BASHDIR = $(PREFIX)/share/bash-completion/completions
ZSHDIR = $(PREFIX)/share/zsh/vendor-completions
FISHDIR = $(PREFIX)/share/fish/vendor_completions.d

CC ?= cc
# libpcap, ncursesw, libjpeg, libbrotlienc: headers only; they are dlopen()ed
# when sniff, the TUI, or serve's /image/jpeg and /brotli need them
# (capture/pcap_dl.c, capture/tui/curses_dl.c, server/codec_dl.c), so that
# other processes do not map and relocate them at start-up
PKGS = libcurl openssl zlib libnghttp2
PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS) libpcap ncursesw libbrotlienc libjpeg 2>/dev/null)
PKG_LIBS := $(shell pkg-config --libs $(PKGS) 2>/dev/null || echo -lcurl -lssl -lcrypto -lz -lnghttp2)

CFLAGS ?= -O2 -g
CFLAGS += -std=c11 -Wall -Wextra -D_GNU_SOURCE -MMD -MP $(PKG_CFLAGS)
LDLIBS += $(PKG_LIBS) -ldl -lm -lpthread

# DT_RELR (packed relative relocations): the dynamic loader applies them
# several times faster at every start (binutils >= 2.38, glibc >= 2.36)
RELR := $(shell printf 'int main(void){return 0;}' | $(CC) -x c - -o /dev/null -Wl,--fatal-warnings -Wl,-z,pack-relative-relocs 2>/dev/null && echo -Wl,-z,pack-relative-relocs)
LDFLAGS += $(RELR)

ifeq ($(SAN),1)
O = build-san
CFLAGS += -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined
LDFLAGS += -fsanitize=address,undefined
BIN = $(O)/httptool
else
O = build
BIN = httptool
endif

# Every .c under the parts is library code; cli/main.c holds only main().
LIB_SRC := $(filter-out cli/main.c, $(wildcard cli/*.c lib/*.c http/*.c client/*.c raw/*.c capture/*.c capture/tui/*.c server/*.c ws/*.c))
LIB_OBJ := $(LIB_SRC:%.c=$(O)/%.o)
UNIT_SRC := $(wildcard tests/unit/*.c)
UNIT_OBJ := $(UNIT_SRC:%.c=$(O)/%.o)
UNIT_BIN = $(O)/unit-tests

.PHONY: all deps deps-build test unit e2e demo install uninstall clean fuzz valgrind
all: $(BIN) docs

$(O)/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -I. -c -o $@ $<

$(O)/libhttptool.a: $(LIB_OBJ)
	@rm -f $@
	ar rcs $@ $^

$(BIN): $(O)/cli/main.o $(O)/libhttptool.a
	$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS)

$(UNIT_BIN): $(UNIT_OBJ) $(O)/libhttptool.a
	$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS)

deps:
	@scripts/deps.sh all

deps-build:
	@scripts/deps.sh build

unit: $(UNIT_BIN)
	$(UNIT_BIN)

e2e: $(BIN)
	HTTPTOOL=$(abspath $(BIN)) /usr/bin/python3 -m pytest -q tests/e2e

# unit + e2e with one combined summary line at the end
# sanitizer settings for SAN=1 runs (harmless otherwise)
export ASAN_OPTIONS ?= halt_on_error=1:detect_leaks=1:abort_on_error=0
export UBSAN_OPTIONS ?= halt_on_error=1:print_stacktrace=1
export LSAN_OPTIONS ?= suppressions=$(abspath tests/lsan.supp):print_suppressions=0

test: deps
	@$(MAKE) --no-print-directory all $(UNIT_BIN)
	@HTTPTOOL=$(abspath $(BIN)) UNIT=$(abspath $(UNIT_BIN)) scripts/run-tests.sh

demo: deps-build
	@$(MAKE) --no-print-directory all
	./$(BIN) demo

# Man pages and shell completions are built from the hand-written
# man/*.1.in and completions/*.in plus `httptool __complete` (the option
# tables --help prints; STYLE.md 15).  The scripts rewrite only what changed.
.PHONY: docs
docs: $(BIN)
	@scripts/gen-man-options.sh $(BIN) man man
	@scripts/gen-completions.sh $(BIN) completions

.PHONY: clean-docs
clean: clean-docs
clean-docs:
	rm -f man/*.1 completions/httptool.bash completions/_httptool \
		completions/httptool.fish

# SETCAP=1 also lets the installed binary capture without root.
install: all
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(MANDIR) $(DESTDIR)$(BASHDIR) \
		$(DESTDIR)$(ZSHDIR) $(DESTDIR)$(FISHDIR)
	install -m 755 $(BIN) $(DESTDIR)$(BINDIR)/httptool
	for f in man/*.1; do \
		if [ -L "$$f" ]; then \
			ln -sf "$$(readlink "$$f")" "$(DESTDIR)$(MANDIR)/$${f#man/}"; \
		else install -m 644 "$$f" $(DESTDIR)$(MANDIR)/; fi; done
	install -m 644 completions/httptool.bash $(DESTDIR)$(BASHDIR)/httptool
	install -m 644 completions/_httptool $(DESTDIR)$(ZSHDIR)/_httptool
	install -m 644 completions/httptool.fish $(DESTDIR)$(FISHDIR)/httptool.fish
	if [ -n "$(SETCAP)" ]; then \
		setcap cap_net_raw,cap_net_admin=eip $(DESTDIR)$(BINDIR)/httptool; fi

uninstall:
	rm -f $(DESTDIR)$(BINDIR)/httptool $(DESTDIR)$(BASHDIR)/httptool \
		$(DESTDIR)$(ZSHDIR)/_httptool $(DESTDIR)$(FISHDIR)/httptool.fish \
		$(DESTDIR)$(MANDIR)/httptool.1 $(DESTDIR)$(MANDIR)/httptool-*.1

# a representative subset under valgrind --leak-check=full (issue 9)
valgrind: deps $(BIN)
	scripts/valgrind.sh $(BIN)

# libFuzzer harnesses (tests/fuzz/*_fuzz.c), FUZZ_SECONDS each
FUZZ_SECONDS ?= 30
fuzz: deps
	FUZZ_SECONDS=$(FUZZ_SECONDS) scripts/fuzz.sh

clean:
	rm -rf build build-san build-fuzz httptool tests/e2e/__pycache__ .pytest_cache

-include $(LIB_OBJ:.o=.d) $(UNIT_OBJ:.o=.d) $(O)/cli/main.d
