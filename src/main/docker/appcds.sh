#!/bin/sh
# Generates the AppCDS archive app-cds.jsa for the application in DIR (default /deployments, as in the JVM image), with
# the JVM and the flags ($JAVA_OPTS) that will run it: both must be the same at run time, or the JVM ignores the
# archive (it then starts as without it). Start it with: java $JAVA_OPTS -XX:SharedArchiveFile=DIR/app-cds.jsa -jar DIR/quarkus-run.jar
#
# The training run starts the whole application and stops it (SIGTERM) once it has started, so the archive holds the
# classes of a real start-up (Hibernate, Vert.x, the delivery engine…), not only those loaded before Quarkus reads its
# runtime configuration. It needs no database: the URL points at a closed port and Flyway's migration at start is off,
# so the replica starts unready (and logs that it cannot reach PostgreSQL). The master key below is a fixed training
# value, not a secret: the archive holds class metadata, never configuration values.
set -eu
dir=$(cd "${1:-/deployments}" && pwd)
cd "$dir"
rm -f app-cds.jsa appcds-training.log
QUARKUS_DATASOURCE_JDBC_URL=jdbc:postgresql://127.0.0.1:1/appcds-training \
QUARKUS_FLYWAY_MIGRATE_AT_START=false \
HOOKLINE_SECRETS_MASTER_KEY=dHJhaW5pbmctb25seS1rZXktbm90LWEtc2VjcmV0ISE= \
QUARKUS_HTTP_PORT=0 \
QUARKUS_LOG_CONSOLE_JSON_ENABLED=false \
    java ${JAVA_OPTS:-} -XX:ArchiveClassesAtExit="$dir/app-cds.jsa" -jar "$dir/quarkus-run.jar" >appcds-training.log 2>&1 &
pid=$!
waited=0
while [ "$waited" -lt 180 ] && kill -0 "$pid" 2>/dev/null && ! grep -q ' started in ' appcds-training.log; do
    sleep 1
    waited=$((waited + 1))
done
kill -TERM "$pid" 2>/dev/null || true
wait "$pid" || true
if [ ! -s app-cds.jsa ]; then
    echo "appcds.sh: no archive written; see $dir/appcds-training.log" >&2
    exit 1
fi
rm -f appcds-training.log
echo "appcds.sh: $dir/app-cds.jsa ($(du -m app-cds.jsa | cut -f1) MB)"
