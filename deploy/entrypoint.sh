#!/bin/sh
# The containers' entry point (deploy/rasa.Dockerfile, deploy/actions.Dockerfile): the same commands
# as `make run` (citybot/launcher.py), with the replicas' endpoints file (bot/endpoints.scaled.yml).
#   rasa     the Rasa server: channel credentials from the environment, then `rasa run`
#   actions  the action server: plain rasa-sdk; the `actions` package installs the token guard
#   page     the web chat page (citybot.webchat), told where browsers reach Rasa (RASA_URL)
# Every setting comes from the environment; the images set the launcher's defaults (ports, hosts).
set -eu
umask 077   # as the launcher: what the servers write is private to their account

# A secret still holding the template's placeholder (deploy/.env.example, deploy/k8s/secret.template.yaml)
# stops the start, naming the variable only, never a value.
placeholders=$(env | sed -n 's/^\([A-Za-z_][A-Za-z0-9_]*\)=.*CHANGE-ME.*/\1/p')
if [ -n "$placeholders" ]; then
  echo "error: still the template's placeholder (CHANGE-ME): $(echo $placeholders)" >&2
  exit 2
fi

role=${1:-rasa}
[ $# -gt 0 ] && shift
mkdir -p "$CITYBOT_VAR"

case "$role" in
  rasa)
    # The credentials file holds ${VAR} placeholders only; Rasa reads the values from this environment.
    python -m citybot.channels.credentials --out "$CITYBOT_VAR/credentials.yml"
    # The page origins Rasa answers with CORS: the socket.io channel checks the same list.
    origins=$(python -c 'import os; from citybot.channels.origins import page_origins; print(" ".join(page_origins(os.environ)))')
    # shellcheck disable=SC2086  # one argument per origin
    exec rasa run --model "$CITYBOT_MODEL_FILE" --endpoints bot/endpoints.scaled.yml \
      --credentials "$CITYBOT_VAR/credentials.yml" --interface "$RASA_HOST" --port "$RASA_PORT" \
      --cors $origins "$@"
    ;;
  actions)
    exec rasa run actions --actions actions --port "$ACTIONS_PORT" "$@"
    ;;
  page)
    exec python -m citybot.webchat --host "$WEBCHAT_HOST" --port "$WEBCHAT_PORT" "$@"
    ;;
  *)
    exec "$role" "$@"
    ;;
esac
