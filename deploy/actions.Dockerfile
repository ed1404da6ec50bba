# syntax=docker/dockerfile:1
# The action server. Build from the repository root:
#   docker build -f deploy/actions.Dockerfile -t citybot-actions .
# The knowledge base is not in the image: mount it at /app/knowledge (read-only is enough; the
# server reloads it within 5 s of a change). docs/deployment.md, "Containers and Kubernetes".
FROM python:3.10-slim

# The launcher's settings for the action server (citybot/launcher.py, citybot/doors.py). No secret
# here: ACTION_SERVER_TOKEN comes from the deployment's secret store at run time.
ENV PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    RASA_TELEMETRY_ENABLED=false \
    ACTIONS_PORT=5055 \
    ACTIONS_HOST=0.0.0.0 \
    CITYBOT_KNOWLEDGE=/app/knowledge \
    CITYBOT_VAR=/app/var \
    HOME=/home/citybot

# The project and its locked dependencies (requirements.lock as pip constraints), as the Rasa image.
COPY requirements.lock pyproject.toml README.md /src/
COPY citybot/ /src/citybot/
COPY actions/ /src/actions/
RUN pip install --no-cache-dir -c /src/requirements.lock /src \
    && rm -rf /src

WORKDIR /app
COPY bot/ /app/bot/
COPY data/ /app/data/
COPY deploy/entrypoint.sh /app/deploy/entrypoint.sh

RUN groupadd --system --gid 10001 citybot \
    && useradd --system --uid 10001 --gid citybot --home-dir /home/citybot --create-home citybot \
    && mkdir -p /app/knowledge /app/var \
    && chown citybot:citybot /app/var && chmod 0700 /app/var
USER 10001:10001

VOLUME ["/app/knowledge"]
EXPOSE 5055

# GET /health is the one path the token guard leaves open (citybot/action_server.py).
HEALTHCHECK --interval=15s --timeout=5s --start-period=60s --retries=3 \
    CMD ["python", "-c", "import os, urllib.request; urllib.request.urlopen('http://127.0.0.1:%s/health' % os.environ['ACTIONS_PORT'], timeout=4)"]

ENTRYPOINT ["/app/deploy/entrypoint.sh"]
CMD ["actions"]
