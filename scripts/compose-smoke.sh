#!/usr/bin/env bash
# The Docker quick start, run for real: `docker compose up --build --wait`,
# then the curl flow of docs/deployment.md — place an order, follow it until
# COMPLETED, find its payment, shipment and notifications through the read
# APIs — then `docker compose down --volumes`.
#
#   scripts/compose-smoke.sh                 build, start, check, remove
#   scripts/compose-smoke.sh --keep          leave the system running afterwards
#   scripts/compose-smoke.sh --no-compose    only the curl flow, against a system
#                                            already running (compose, a
#                                            port-forwarded cluster, `npm start`)
#
# Environment: SMOKE_HOST (default 127.0.0.1), ORDERS_HTTP_PORT,
# PAYMENTS_HTTP_PORT, SHIPPING_HTTP_PORT, NOTIFICATIONS_HTTP_PORT (3001-3004),
# SMOKE_TIMEOUT_S (default 60), SMOKE_TOKEN (a customer's bearer token for
# customer 7c1f1f43-3a5b-4d2c-9a41-0b9f3f2d5e11; default: one signed with the
# demo key by `npm run -s auth:token`). Uses .env if present, .env.example otherwise.
# Needs a Docker engine with the compose plugin; without one it says so and
# exits 77 (skipped).
set -euo pipefail
cd "$(dirname "$0")/.."

compose=true
keep=false
for arg in "$@"; do
  case "$arg" in
    --keep) keep=true ;;
    --no-compose) compose=false ;;
    *) echo "usage: $0 [--keep] [--no-compose]" >&2; exit 2 ;;
  esac
done

host="${SMOKE_HOST:-127.0.0.1}"
orders="http://$host:${ORDERS_HTTP_PORT:-3001}"
payments="http://$host:${PAYMENTS_HTTP_PORT:-3002}"
shipping="http://$host:${SHIPPING_HTTP_PORT:-3003}"
notifications="http://$host:${NOTIFICATIONS_HTTP_PORT:-3004}"
timeout_s="${SMOKE_TIMEOUT_S:-60}"

step() { printf '\n== %s\n' "$*"; }
fail() { echo "FAILED: $*" >&2; exit 1; }

if $compose; then
  if ! docker info >/dev/null 2>&1; then
    echo "compose-smoke: no Docker engine reachable; nothing was run (skipped)" >&2
    exit 77
  fi
  if ! docker compose version >/dev/null 2>&1; then
    echo "compose-smoke: the docker compose plugin is missing; nothing was run (skipped)" >&2
    exit 77
  fi
  env_file=.env
  [ -f "$env_file" ] || env_file=.env.example
  dc() { docker compose --env-file "$env_file" "$@"; }
  if ! $keep; then
    trap 'status=$?; [ $status -eq 0 ] || dc logs --no-color --tail 50 || true; dc down --volumes --remove-orphans; exit $status' EXIT
  fi
  step "docker compose up --build --wait (env file $env_file)"
  dc up --build --detach --wait --wait-timeout 300
  dc ps
fi

customer="7c1f1f43-3a5b-4d2c-9a41-0b9f3f2d5e11"
step "a bearer token for customer $customer"
token="${SMOKE_TOKEN:-$(npm run -s auth:token -- "$customer")}" || fail "npm run auth:token"
auth="Authorization: Bearer $token"

step "POST $orders/orders"
body='{"customerId":"'"$customer"'","currency":"EUR","items":[{"sku":"BOOK-42","quantity":2,"unitPrice":1250}],"address":{"line1":"1 Main St","city":"Berlin","postalCode":"10115","country":"DE"}}'
headers="$(mktemp)"
response="$(curl --silent --show-error --fail-with-body --max-time 10 \
  --dump-header "$headers" \
  --header 'Content-Type: application/json' \
  --header "$auth" \
  --header "Idempotency-Key: smoke-$(date +%s)-$RANDOM" \
  --data "$body" "$orders/orders")" || fail "POST /orders: $response"
echo "$response"
location="$(tr -d '\r' <"$headers" | sed -n 's/^[Ll]ocation: *//p')"
rm -f "$headers"
case "$location" in
  /orders/*) order_id="${location#/orders/}" ;;
  *) fail "POST /orders answered without a Location: /orders/{id} header" ;;
esac
echo "order $order_id"

step "GET $orders$location until COMPLETED (at most ${timeout_s}s)"
deadline=$((SECONDS + timeout_s))
status=""
while [ $SECONDS -lt $deadline ]; do
  order="$(curl --silent --fail --max-time 5 --header "$auth" "$orders$location" || true)"
  # The order's own status comes first; its history follows.
  status="$(printf '%s' "$order" | grep -o '"status":"[A-Z]*"' | head -n 1 | cut -d '"' -f 4 || true)"
  case "$status" in
    COMPLETED) break ;;
    CANCELLED) fail "order $order_id was cancelled: $order" ;;
  esac
  sleep 1
done
[ "$status" = COMPLETED ] || fail "order $order_id is still ${status:-unknown} after ${timeout_s}s"
echo "$order"

# Each read API has its own copy of what concerns the order, filled from messages.
step "read APIs: payment, shipment, notifications of order $order_id"
check_read() {
  local url="$1"
  local found=""
  local deadline=$((SECONDS + 15))
  while [ $SECONDS -lt $deadline ]; do
    found="$(curl --silent --fail --max-time 5 --header "$auth" "$url" || true)"
    case "$found" in *"$order_id"*) echo "$url: $found"; return 0 ;; esac
    sleep 1
  done
  fail "$url does not mention order $order_id: ${found:-no answer}"
}
check_read "$payments/payments?orderId=$order_id"
check_read "$shipping/shipments?orderId=$order_id"
check_read "$notifications/notifications?orderId=$order_id"

step "smoke test passed"
