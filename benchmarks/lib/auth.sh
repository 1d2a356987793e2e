# Sourced by the benchmark scripts: sets AUTH (an "Authorization: Bearer ..." header) for the Loupe services.
# Give LOUPE_TOKEN (an API token: POST /api/auth/tokens, README "Team access"), or LOUPE_ADMIN_PASSWORD (the
# administrator's password `./loupe up` printed; LOUPE_ADMIN_USERNAME, default admin): then a one-day token is made.
bench_token() {
  local label_url="$1" jar csrf
  if [[ -n "${LOUPE_TOKEN:-}" ]]; then AUTH="Authorization: Bearer $LOUPE_TOKEN"; return 0; fi
  if [[ -z "${LOUPE_ADMIN_PASSWORD:-}" ]]; then
    echo "set LOUPE_TOKEN (an API token) or LOUPE_ADMIN_PASSWORD (printed by ./loupe up)" >&2; return 1
  fi
  jar="$(mktemp)"
  csrf="$(curl -fsS -c "$jar" -H 'Content-Type: application/json' \
    -d "$(jq -n --arg u "${LOUPE_ADMIN_USERNAME:-admin}" --arg p "$LOUPE_ADMIN_PASSWORD" '{username: $u, password: $p}')" \
    "$label_url/api/auth/session" | jq -r .csrfToken)"
  LOUPE_TOKEN="$(curl -fsS -b "$jar" -H "X-Loupe-CSRF: $csrf" -H 'Content-Type: application/json' \
    -d '{"name":"benchmark","expiresInDays":1}' "$label_url/api/auth/tokens" | jq -r .token)"
  curl -fsS -o /dev/null -b "$jar" -H "X-Loupe-CSRF: $csrf" -X DELETE "$label_url/api/auth/session" || true
  rm -f "$jar"
  AUTH="Authorization: Bearer $LOUPE_TOKEN"
}
