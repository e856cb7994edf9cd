#!/bin/sh
# modproxy doctor: is my go using modproxy?
#
#   curl -fsS <modproxy>/doctor | sh              (add: sh -s -- --json  for CI)
#
# Served by the modproxy gateway, which wrote its own values below. Plain POSIX sh, curl and
# your own go command; nothing is installed and nothing of yours is changed.
#  1. Reads go env -json (the values go really uses) and, for each one that is wrong, says
#     where it came from (environment variable, the GOENV file written by go env -w, or go's
#     default) and how to fix it.
#  2. Downloads modproxy's canary module with your own go environment into a throw-away module
#     cache (GOMODCACHE in a temporary directory), then asks modproxy whether that exact
#     request arrived (by a ticket only this run knows), as whom, and whether go asked
#     modproxy's checksum database about it.
# One verdict line; exit status 0 when go uses modproxy as it should, 1 when not.

MODPROXY_URL=@MODPROXY_URL@
MODPROXY_GOPROXY=@MODPROXY_GOPROXY@
MODPROXY_GOSUMDB=@MODPROXY_GOSUMDB@
MODPROXY_KEY_PROBLEM=@MODPROXY_KEY_PROBLEM@
CANARY=@MODPROXY_CANARY@
# Module paths a client pattern must not cover: the canary, and public modules modproxy serves.
PROBES="$CANARY golang.org/x/mod github.com/modproxy-doctor/probe"

json=0
for arg in "$@"; do
  case $arg in
    --json) json=1 ;;
    -h|--help) echo "usage: curl -fsS $MODPROXY_URL/doctor | sh [-s -- --json]"; exit 0 ;;
  esac
done

set -f # patterns such as * in GOPRIVATE must never expand to file names
TAB=$(printf '\t')
NL='
'
findings=''
failures=0
verdict=''
c_version='' c_seen=false c_identity='' c_address='' c_db=''

# finding SEVERITY CHECK MESSAGE FIX   (SEVERITY: FAIL counts against the exit status, WARN not)
finding() {
  findings="$findings$1$TAB$2$TAB$(oneline "$3")$TAB$(oneline "$4")$NL"
  if [ "$1" = FAIL ]; then failures=$((failures + 1)); fi
}

oneline() { printf '%s' "$1" | tr '\n\t' '  '; }

jesc() { printf '%s' "$1" | sed 's/\\/\\\\/g; s/"/\\"/g'; }

report() {
  if [ $json = 1 ]; then
    ok=false; [ $failures = 0 ] && ok=true
    printf '{\n  "ok": %s,\n  "modproxy": "%s",\n  "verdict": "%s",\n  "findings": [' "$ok" "$(jesc "$MODPROXY_URL")" "$(jesc "$verdict")"
    sep=''
    printf '%s' "$findings" | while IFS="$TAB" read -r sev check msg fix; do
      [ -z "$sev" ] && continue
      printf '%s\n    {"severity": "%s", "check": "%s", "message": "%s", "fix": "%s"}' "$sep" \
        "$sev" "$(jesc "$check")" "$(jesc "$msg")" "$(jesc "$fix")"
      sep=','
    done
    printf '\n  ],\n  "canary": {"module": "%s", "version": "%s", "seen": %s, "identity": "%s", "address": "%s", "sumdb": "%s"}\n}\n' \
      "$(jesc "$CANARY")" "$(jesc "$c_version")" "$c_seen" "$(jesc "$c_identity")" "$(jesc "$c_address")" "$(jesc "$c_db")"
  else
    printf '%s' "$findings" | while IFS="$TAB" read -r sev check msg fix; do
      [ -z "$sev" ] && continue
      printf '%-4s  %-10s %s\n' "$sev" "$check" "$msg"
      [ -n "$fix" ] && printf '      %-10s fix: %s\n' '' "$fix"
    done
    printf '%s\n' "$verdict"
  fi
  [ $failures = 0 ]
  exit $?
}

for tool in go curl; do
  if ! command -v $tool >/dev/null 2>&1; then
    finding FAIL $tool "no $tool command on PATH" "install $tool"
    verdict="FAIL: no $tool command"
    report
  fi
done
if [ -z "$MODPROXY_URL" ]; then
  finding FAIL modproxy "the script does not name a modproxy" "download it from your modproxy: curl -fsS <modproxy>/doctor | sh"
  verdict="FAIL: no modproxy"
  report
fi

if ! envjson=$(go env -json 2>&1); then
  finding FAIL go "go env fails: $envjson" "fix the go installation or the GOENV file it names"
  verdict="FAIL: go env fails"
  report
fi
# goval NAME: the value go env -json reports (one "NAME": "value" per line).
goval() {
  printf '%s\n' "$envjson" | sed -n "s/^[[:space:]]*\"$1\": \"\(.*\)\",\{0,1\}\$/\1/p" | sed 's/\\"/"/g; s/\\\\/\\/g'
}
GOENV_FILE=$(goval GOENV)

# origin NAME: where go took the value of NAME from.
origin() {
  eval "envval=\${$1:-}"
  if [ -n "$envval" ]; then
    echo "environment variable $1"
  elif [ -n "$GOENV_FILE" ] && [ -f "$GOENV_FILE" ] && grep -q "^[[:space:]]*$1[[:space:]]*=" "$GOENV_FILE"; then
    echo "GOENV file $GOENV_FILE, written by go env -w"
  else
    echo "go's default"
  fi
}

# fix NAME VALUE: how to give NAME the VALUE where it is set (empty VALUE: remove it).
fix() {
  case $(origin "$1") in
    environment*)
      if [ -z "$2" ]; then echo "unset $1 (shell profile, CI settings)"; else echo "export $1='$2' (shell profile, CI settings)"; fi ;;
    *)
      if [ -z "$2" ]; then echo "go env -u $1"; else echo "go env -w $1='$2'"; fi ;;
  esac
}

norm() { printf '%s' "$1" | sed 's:/*$::'; }

# matching PATTERNS PATH: prints the first comma-separated glob pattern that matches a prefix
# of PATH (go's GOPRIVATE rule: a pattern of n elements is matched against PATH's first n).
matching() {
  for p in $(printf '%s' "$1" | tr ',' ' '); do
    p=$(norm "$p")
    [ -z "$p" ] && continue
    n=$(printf '%s' "$p" | tr -cd '/' | wc -c | tr -d ' ')
    prefix=$(printf '%s' "$2" | cut -d/ -f1-$((n + 1)))
    case $prefix in
      $p) printf '%s' "$p"; return 0 ;;
    esac
  done
  return 1
}

GOPROXY_V=$(goval GOPROXY)
GOSUMDB_V=$(goval GOSUMDB)
GOPRIVATE_V=$(goval GOPRIVATE)
GONOPROXY_V=$(goval GONOPROXY)
GONOSUMDB_V=$(goval GONOSUMDB)
GOFLAGS_V=$(goval GOFLAGS)
GOINSECURE_V=$(goval GOINSECURE)
GO111MODULE_V=$(goval GO111MODULE)

# --- GOPROXY: modproxy must be asked first.
proxy_first=false
before=''
for e in $(printf '%s' "$GOPROXY_V" | tr ',|' '  '); do
  if [ "$(norm "$e")" = "$MODPROXY_URL" ]; then proxy_first=found; break; fi
  before="$before $e"
done
if [ "$proxy_first" != found ]; then
  finding FAIL GOPROXY "GOPROXY=$GOPROXY_V (from the $(origin GOPROXY)) does not name modproxy ($MODPROXY_URL): go never asks it" \
    "$(fix GOPROXY "$MODPROXY_GOPROXY")"
elif [ -n "$before" ]; then
  case " $before " in
    *" direct "*) why="direct comes before modproxy: go fetches from origin servers (git) first" ;;
    *" off "*) why="off comes before modproxy: go refuses to download anything" ;;
    *) why="another proxy ($before ) comes before modproxy: it answers first" ;;
  esac
  finding FAIL GOPROXY "GOPROXY=$GOPROXY_V (from the $(origin GOPROXY)): $why" "$(fix GOPROXY "$MODPROXY_GOPROXY")"
else
  proxy_first=true
fi

# --- GOSUMDB: modproxy's own checksum database.
if [ -z "$MODPROXY_GOSUMDB" ]; then
  finding WARN GOSUMDB "modproxy could not tell its checksum database's key ($MODPROXY_KEY_PROBLEM); GOSUMDB not checked" \
    "ask the operator: sumdb-service must be reachable from the gateway"
else
  case "$GOSUMDB_V" in
    "$MODPROXY_GOSUMDB"|"$MODPROXY_GOSUMDB "*) ;;
    off) finding FAIL GOSUMDB "GOSUMDB=off (from the $(origin GOSUMDB)): go checks no checksum at all" \
           "$(fix GOSUMDB "$MODPROXY_GOSUMDB")" ;;
    *) finding FAIL GOSUMDB "GOSUMDB=$GOSUMDB_V (from the $(origin GOSUMDB)) is not modproxy's checksum database (${MODPROXY_GOSUMDB%%+*}), which records every module modproxy serves, private ones too" \
         "$(fix GOSUMDB "$MODPROXY_GOSUMDB")" ;;
  esac
fi

# --- GOPRIVATE / GONOPROXY / GONOSUMDB: go's effective values (GOPRIVATE is the default of both).
pattern_origin() { # NAME: origin, or GOPRIVATE's when NAME is not set itself
  o=$(origin "$1")
  if [ "$o" = "go's default" ] && [ -n "$GOPRIVATE_V" ]; then echo "GOPRIVATE, from the $(origin GOPRIVATE)"; else echo "the $o"; fi
}
pattern_fix() { # NAME
  o=$(origin "$1")
  if [ "$o" = "go's default" ] && [ -n "$GOPRIVATE_V" ]; then fix GOPRIVATE ''; else fix "$1" ''; fi
}
wide=''
for probe in $PROBES; do
  if m=$(matching "$GONOPROXY_V" "$probe"); then
    finding FAIL GONOPROXY "pattern '$m' of GONOPROXY=$GONOPROXY_V ($(pattern_origin GONOPROXY)) matches $probe: go fetches such modules from their origin, bypassing modproxy" \
      "$(pattern_fix GONOPROXY) (modproxy fetches private modules itself; clients need no pattern)"
    wide="$wide GONOPROXY"
    break
  fi
done
for probe in $PROBES; do
  if m=$(matching "$GONOSUMDB_V" "$probe"); then
    finding FAIL GONOSUMDB "pattern '$m' of GONOSUMDB=$GONOSUMDB_V ($(pattern_origin GONOSUMDB)) is too wide, it matches $probe: go checks no checksum for such modules" \
      "$(pattern_fix GONOSUMDB) (modproxy's checksum database covers every module it serves)"
    wide="$wide GONOSUMDB"
    break
  fi
done
case "$wide" in *GONOPROXY*) ;; *)
  if [ -n "$GONOPROXY_V" ]; then
    finding WARN GONOPROXY "GONOPROXY=$GONOPROXY_V ($(pattern_origin GONOPROXY)): modules matching it bypass modproxy (no cache, policy or audit)" \
      "$(pattern_fix GONOPROXY), unless modproxy cannot reach those modules"
  fi ;;
esac
case "$wide" in *GONOSUMDB*) ;; *)
  if [ -n "$GONOSUMDB_V" ]; then
    finding WARN GONOSUMDB "GONOSUMDB=$GONOSUMDB_V ($(pattern_origin GONOSUMDB)): modules matching it are not checked; modproxy's checksum database covers them" \
      "$(pattern_fix GONOSUMDB)"
  fi ;;
esac

# --- GOFLAGS, GOINSECURE, GO111MODULE
case " $GOFLAGS_V " in
  *" -mod=vendor "*|*" --mod=vendor "*)
    finding FAIL GOFLAGS "GOFLAGS=$GOFLAGS_V (from the $(origin GOFLAGS)) has -mod=vendor: builds read vendor/ and never ask any proxy" \
      "$(fix GOFLAGS "$(printf '%s' " $GOFLAGS_V " | sed 's/ --*mod=vendor / /g; s/^ *//; s/ *$//')")" ;;
esac
if [ -n "$GOINSECURE_V" ]; then
  finding WARN GOINSECURE "GOINSECURE=$GOINSECURE_V (from the $(origin GOINSECURE)): matching modules may come over plain HTTP or unverified TLS" \
    "$(fix GOINSECURE '')"
fi
if [ "$GO111MODULE_V" = off ]; then
  finding FAIL GO111MODULE "GO111MODULE=off (from the $(origin GO111MODULE)): go is in GOPATH mode and uses no module proxy" \
    "$(fix GO111MODULE '')"
fi

# --- The canary: a real download with your environment, and modproxy's word on it.
canary() {
  if [ "$proxy_first" != true ]; then
    finding WARN canary "not downloaded: go would not ask modproxy first (fix GOPROXY above)" ''
    return
  fi
  if matching "$GONOPROXY_V" "$CANARY" >/dev/null; then
    # go would look for the canary at its origin, a .invalid name: nothing to learn from that.
    finding WARN canary "not downloaded: go would fetch it from its origin, not from modproxy (fix GONOPROXY above)" ''
    return
  fi
  ticket=$(curl -sS -X POST -w '\nHTTP %{http_code}' "$MODPROXY_URL/api/v1/canary" 2>&1)
  case $(printf '%s\n' "$ticket" | tail -n 1) in
    "HTTP 200") ;;
    *) finding FAIL canary "no canary ticket from $MODPROXY_URL: $(printf '%s\n' "$ticket" | head -n 1)" \
         "check that modproxy is up and reachable from here"
       return ;;
  esac
  nonce=$(printf '%s\n' "$ticket" | sed -n 's/.*"nonce": "\([0-9a-f]*\)".*/\1/p')
  c_version=$(printf '%s\n' "$ticket" | sed -n 's/.*"version": "\([^"]*\)".*/\1/p')
  tmp=$(mktemp -d 2>/dev/null || mktemp -d -t modproxy-doctor)
  out=$(cd "$tmp" && GOMODCACHE="$tmp/modcache" GOFLAGS="$GOFLAGS_V -modcacherw" \
        go mod download -json "$CANARY@$c_version" 2>&1)
  rc=$?
  chmod -R u+w "$tmp" 2>/dev/null; rm -rf "$tmp"
  seen=$(curl -fsS "$MODPROXY_URL/api/v1/canary/$nonce" 2>&1) || seen=''
  zipline=$(printf '%s\n' "$seen" | grep '"what": "zip"' | head -n 1)
  sumline=$(printf '%s\n' "$seen" | grep '"what": "sumdb-lookup ' | head -n 1)
  if [ -n "$zipline" ]; then
    c_seen=true
    c_identity=$(printf '%s' "$zipline" | sed -n 's/.*"identity": "\([^"]*\)".*/\1/p')
    c_address=$(printf '%s' "$zipline" | sed -n 's/.*"address": "\([^"]*\)".*/\1/p')
  fi
  [ -n "$sumline" ] && c_db=$(printf '%s' "$sumline" | sed -n 's/.*"what": "sumdb-lookup \([^"]*\)".*/\1/p')
  if [ $rc != 0 ]; then
    err=$(printf '%s\n' "$out" | sed -n 's/^[[:space:]]*"Error": "\(.*\)",\{0,1\}$/\1/p' | head -n 1)
    [ -z "$err" ] && err=$(oneline "$out")
    err=$(printf '%s' "$err" | sed 's/\\[nt]/ /g; s/\\"/"/g; s/  */ /g') # go's JSON escapes of its multi-line errors
    host=$(printf '%s' "$MODPROXY_URL" | sed 's,^[a-z]*://,,; s,[:/].*,,')
    case $err in
      *"401 Unauthorized"*)
        case $MODPROXY_URL in
          https:*) how="put 'machine $host login <user> password <token>' in ~/.netrc (or the file NETRC names)" ;;
          *) how="go sends .netrc credentials over https only: use modproxy's https URL, and put 'machine $host login <user> password <token>' in ~/.netrc (or the file NETRC names)" ;;
        esac
        finding FAIL credentials "modproxy asked go for credentials (401) and go had none that it accepted: $err" "$how" ;;
      *"403 Forbidden"*)
        finding FAIL policy "modproxy refused the canary: $err" "ask the operator (a deny rule, the allow list or a cooldown covers $CANARY)" ;;
      *"SECURITY ERROR"*|*"verifying "*|*"checksum"*)
        finding FAIL GOSUMDB "the checksum check of the canary failed: $err" "$(fix GOSUMDB "$MODPROXY_GOSUMDB")" ;;
      *x509*|*certificate*)
        finding FAIL TLS "go does not trust modproxy's certificate: $err" "add the CA to the system trust store or point SSL_CERT_FILE at it" ;;
      *modproxy.invalid*)
        finding FAIL route "go fetched the canary from its origin, not from modproxy: $err" "check GOPROXY, GOPRIVATE and GONOPROXY above" ;;
      *)
        finding FAIL canary "go could not download the canary: $err" '' ;;
    esac
    return
  fi
  if [ $c_seen != true ]; then
    finding FAIL route "go downloaded $CANARY@$c_version but modproxy never saw the request: something else answered (a proxy or cache in front of modproxy)" \
      "$(fix GOPROXY "$MODPROXY_GOPROXY")"
    return
  fi
  if [ -z "$c_db" ]; then
    because=''
    case "$wide" in *GONOSUMDB*) because=' (GONOSUMDB above)' ;; esac
    finding FAIL GOSUMDB "go did not ask modproxy's checksum database about the canary: its sums are not checked by modproxy$because" \
      "$(fix GOSUMDB "$MODPROXY_GOSUMDB")"
  fi
}
canary

if [ $failures = 0 ]; then
  verdict="OK: go → modproxy $MODPROXY_URL as $c_identity, sums checked by $c_db"
else
  first=$(printf '%s' "$findings" | grep "^FAIL$TAB" | head -n 1 | cut -f2)
  verdict="FAIL: $failures problem(s), first $first; go does not use modproxy $MODPROXY_URL as it should"
fi
report
