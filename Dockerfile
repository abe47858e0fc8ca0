# httptool in a container (the labs end with "Dockerizing").
#
#   docker build -t httptool .
#   docker run --rm -p 8000:8000 httptool                    # serve /srv
#   docker run --rm -p 8000:8000 -v "$PWD:/srv:ro" httptool  # serve this folder
#   docker run --rm httptool get -v http://host.docker.internal:8000/
#
# Stage 1 builds with the same package list and Makefile as a checkout
# (scripts/deps.sh build, make install); stage 2 is a slim Debian with only
# the shared libraries httptool links against (tests/e2e/test_install.py
# checks that list against the binary's DT_NEEDED entries).
FROM debian:bookworm-slim AS build
WORKDIR /src
COPY . .
RUN scripts/deps.sh build \
 && make clean \
 && make -j"$(nproc)" \
 && make install DESTDIR=/out PREFIX=/usr

FROM debian:bookworm-slim
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
      libcurl4 libpcap0.8 libncursesw6 libtinfo6 libssl3 zlib1g libnghttp2-14 \
      libbrotli1 libjpeg62-turbo ca-certificates \
 && rm -rf /var/lib/apt/lists/*
COPY --from=build /out/ /
WORKDIR /srv
USER nobody
EXPOSE 8000
# The server listens on 127.0.0.1 by default; in a container it must take
# connections from the published port, hence -b 0.0.0.0.
ENTRYPOINT ["httptool"]
CMD ["serve", "-b", "0.0.0.0"]
