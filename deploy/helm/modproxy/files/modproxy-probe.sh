#!/bin/sh
# modproxy-probe: the synthetic check operators of Go proxies run. Downloads a reference set of
# module versions through the proxy with the real go command, into an empty module cache each
# run (so every artifact is really fetched, and every hash checked against the checksum
# database through the proxy's /sumdb/ endpoint), and reports per module whether it worked and
# how long it took:
#   - one JSON line per module and one summary line on stdout (for log collectors);
#   - if MODPROXY_PROBE_PUSHGATEWAY is set, the same as Prometheus metrics pushed to it:
#       modproxy_probe_success{module}           1 or 0 (and without module: 1 only if all passed)
#       modproxy_probe_duration_seconds{module}  wall time of the download
#       modproxy_probe_last_run_timestamp_seconds
# Exit status: 0 if every module downloaded, 1 otherwise.
#
# Settings (environment):
#   MODPROXY_PROBE_GOPROXY      the proxy to probe              (default http://modproxy-gateway:8080)
#   MODPROXY_PROBE_GOSUMDB      GOSUMDB for the go command      (default sum.golang.org, through the proxy)
#   MODPROXY_PROBE_MODULES      space-separated path@version list
#                               (default golang.org/x/mod@v0.17.0 github.com/google/uuid@v1.6.0
#                                gopkg.in/yaml.v3@v3.0.1 github.com/pkg/errors@v0.9.1)
#   MODPROXY_PROBE_PUSHGATEWAY  Pushgateway base URL, e.g. http://pushgateway.monitoring:9091 (default: none)
#   MODPROXY_PROBE_INSTANCE     instance label of the pushed group (default: hostname)
#   MODPROXY_PROBE_TIMEOUT      seconds allowed per module      (default 120)
set -u

proxy=${MODPROXY_PROBE_GOPROXY:-http://modproxy-gateway:8080}
sumdb=${MODPROXY_PROBE_GOSUMDB:-sum.golang.org}
modules=${MODPROXY_PROBE_MODULES:-golang.org/x/mod@v0.17.0 github.com/google/uuid@v1.6.0 gopkg.in/yaml.v3@v3.0.1 github.com/pkg/errors@v0.9.1}
push=${MODPROXY_PROBE_PUSHGATEWAY:-}
instance=${MODPROXY_PROBE_INSTANCE:-$(hostname)}
limit=${MODPROXY_PROBE_TIMEOUT:-120}

command -v go >/dev/null 2>&1 || { echo '{"probe":"modproxy","error":"the go command is not on PATH"}'; exit 1; }

work=$(mktemp -d "${TMPDIR:-/tmp}/modproxy-probe.XXXXXX")
trap 'chmod -R u+w "$work" 2>/dev/null; rm -rf "$work"' EXIT
# Only the proxy: no VCS, no fallback, nothing from the user's environment.
export GOPROXY="$proxy" GOSUMDB="$sumdb" GOPATH="$work/gopath" GOMODCACHE="$work/modcache" \
       GOCACHE="$work/gocache" GOFLAGS=-modcacherw GONOSUMDB= GONOPROXY= GOPRIVATE= GOINSECURE= \
       GO111MODULE=on GOTOOLCHAIN=local HOME="$work"
cd "$work" || exit 1

now_ms() { t=$(date +%s%N 2>/dev/null); case $t in *N|"") echo $(( $(date +%s) * 1000 ));; *) echo $(( t / 1000000 ));; esac; }
json_str() { printf '%s' "$1" | tr -d '\000-\037' | sed 's/\\/\\\\/g; s/"/\\"/g'; }

metrics=""
failed=0
total=0
start_all=$(now_ms)
for m in $modules; do
  total=$((total + 1))
  t0=$(now_ms)
  if out=$(timeout "$limit" go mod download "$m" 2>&1); then ok=1; else ok=0; failed=$((failed + 1)); fi
  ms=$(( $(now_ms) - t0 ))
  secs=$(awk "BEGIN{printf \"%.3f\", $ms/1000}")
  if [ $ok = 1 ]; then
    printf '{"probe":"modproxy","module":"%s","success":true,"seconds":%s}\n' "$(json_str "$m")" "$secs"
  else
    printf '{"probe":"modproxy","module":"%s","success":false,"seconds":%s,"error":"%s"}\n' \
        "$(json_str "$m")" "$secs" "$(json_str "$(printf '%s' "$out" | tail -n 3 | tr '\n' ' ')")"
  fi
  metrics="${metrics}modproxy_probe_success{module=\"$m\"} $ok
modproxy_probe_duration_seconds{module=\"$m\"} $secs
"
done
all_secs=$(awk "BEGIN{printf \"%.3f\", $(( $(now_ms) - start_all ))/1000}")
all_ok=$([ $failed = 0 ] && echo 1 || echo 0)
printf '{"probe":"modproxy","proxy":"%s","modules":%d,"failed":%d,"success":%s,"seconds":%s}\n' \
    "$(json_str "$proxy")" "$total" "$failed" "$([ $all_ok = 1 ] && echo true || echo false)" "$all_secs"

if [ -n "$push" ]; then
  body="# TYPE modproxy_probe_success gauge
# TYPE modproxy_probe_duration_seconds gauge
${metrics}modproxy_probe_success $all_ok
modproxy_probe_duration_seconds $all_secs
# TYPE modproxy_probe_last_run_timestamp_seconds gauge
modproxy_probe_last_run_timestamp_seconds $(date +%s)
"
  if ! printf '%s' "$body" | curl -fsS --max-time 10 -X PUT --data-binary @- \
        "${push%/}/metrics/job/modproxy_probe/instance/$instance" >/dev/null; then
    echo '{"probe":"modproxy","error":"could not push to the Pushgateway"}'
  fi
fi
[ $failed = 0 ]
