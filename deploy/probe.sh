#!/usr/bin/env bash
# The image's health probe: GET a path of this instance (default /health/live) and succeed on 200. The JRE image
# has neither curl nor wget for certain, and a JVM per probe would cost a second of CPU, so it speaks HTTP/1.0
# over bash's /dev/tcp.
set -eu
path="${1:-/health/live}"
exec 3<>"/dev/tcp/127.0.0.1/${TALLY_HTTP_PORT:-8080}"
printf 'GET %s HTTP/1.0\r\nHost: localhost\r\n\r\n' "$path" >&3
IFS= read -r -t 4 status <&3
[[ "$status" == "HTTP/1."?" 200"* ]]
