#!/bin/bash
# Runs once, when the data directory is first initialised (postgres image entrypoint).
# One database per metrocap service; each service creates its own tables by migration.
set -euo pipefail
for db in metrocap_membership metrocap_assessment metrocap_roadmaps metrocap_hubs; do
  psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname "$POSTGRES_DB" \
    -c "CREATE DATABASE ${db} OWNER \"${POSTGRES_USER}\""
done
