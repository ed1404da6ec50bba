# syntax=docker/dockerfile:1
# The Rasa server (and, with the command `page`, the web chat page). Build from the repository root:
#   docker build -f deploy/rasa.Dockerfile -t citybot-rasa .
# (deploy/rasa.Dockerfile.dockerignore keeps the build context small.) The model and the knowledge
# base are not in the image: mount them at /app/models (citybot.tar.gz) and /app/knowledge.
# docs/deployment.md, "Containers and Kubernetes".

# The web chat widget (rasa-webchat, a prebuilt file) from the npm lock, integrity-checked,
# install scripts off; only webchat/ is copied on.
FROM node:20-bookworm-slim AS widget
WORKDIR /src/webchat
COPY webchat/package.json webchat/package-lock.json ./
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund --loglevel=error
COPY webchat/index.html webchat/app.js webchat/style.css ./

FROM python:3.10-slim

# The launcher's settings (citybot/launcher.py, citybot/doors.py, citybot/isolation.py), with every
# door open inside the container: the container's own network is the boundary.
ENV PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    RASA_TELEMETRY_ENABLED=false \
    SQLALCHEMY_SILENCE_UBER_WARNING=1 \
    TF_CPP_MIN_LOG_LEVEL=2 \
    SANIC_REQUEST_MAX_SIZE=262144 \
    RASA_PORT=5005 \
    RASA_HOST=0.0.0.0 \
    ACTIONS_PORT=5055 \
    ACTIONS_HOST=0.0.0.0 \
    WEBCHAT_PORT=8080 \
    WEBCHAT_HOST=0.0.0.0 \
    CITYBOT_KNOWLEDGE=/app/knowledge \
    CITYBOT_MODEL_FILE=/app/models/citybot.tar.gz \
    CITYBOT_VAR=/app/var \
    HOME=/home/citybot

# The project and its locked dependencies (requirements.lock as pip constraints: exactly the
# tested versions), then the sources are removed: the code runs from site-packages.
COPY requirements.lock pyproject.toml README.md /src/
COPY citybot/ /src/citybot/
COPY actions/ /src/actions/
RUN pip install --no-cache-dir -c /src/requirements.lock /src \
    && rm -rf /src

# What the servers read at run time: bot/ (the project root's marker, the endpoints files),
# data/rules.yml (read by the actions), the page's files and the entry point.
WORKDIR /app
COPY bot/ /app/bot/
COPY data/ /app/data/
COPY --from=widget /src/webchat/ /app/webchat/
COPY deploy/entrypoint.sh /app/deploy/entrypoint.sh

# Not root: a fixed uid, so Kubernetes' runAsNonRoot can check it. Mount points owned by nobody
# else; the run-time folder (credentials file) is the user's own.
RUN groupadd --system --gid 10001 citybot \
    && useradd --system --uid 10001 --gid citybot --home-dir /home/citybot --create-home citybot \
    && mkdir -p /app/models /app/knowledge /app/var \
    && chown citybot:citybot /app/var && chmod 0700 /app/var
USER 10001:10001

VOLUME ["/app/models", "/app/knowledge"]
EXPOSE 5005 8080

# GET / answers once the model is loaded (20-60 s, minutes on a busy 2-core machine).
HEALTHCHECK --interval=15s --timeout=5s --start-period=300s --retries=3 \
    CMD ["python", "-c", "import os, urllib.request; urllib.request.urlopen('http://127.0.0.1:%s/' % os.environ['RASA_PORT'], timeout=4)"]

ENTRYPOINT ["/app/deploy/entrypoint.sh"]
CMD ["rasa"]
