#!/bin/sh
# Generates the start-up archive for the application in DIR (default /deployments, as in the JVM image), with the JVM
# and the flags ($JAVA_OPTS) that will run it: both must be the same at run time, or the JVM ignores the archive (it
# then starts as without it).
#
# - JDK 25 or later (the JVM image): an AOT cache, DIR/app.aot (JEP 483/514/515: the classes of a start-up already
#   loaded and linked, and the method profiles of the training run, so the JIT compiles the hot methods sooner).
#   Start with: java $JAVA_OPTS -XX:AOTCache=DIR/app.aot -jar DIR/quarkus-run.jar
# - JDK 17 to 24: an AppCDS archive, DIR/app-cds.jsa (the classes of a start-up, parsed, verified and laid out).
#   Start with: java $JAVA_OPTS -XX:SharedArchiveFile=DIR/app-cds.jsa -jar DIR/quarkus-run.jar
#
# The training run starts the whole application and stops it (SIGTERM) once it has started, so the archive holds the
# classes of a real start-up (Hibernate, Vert.x, the delivery engine…), not only those loaded before Quarkus reads its
# runtime configuration. It needs no database: the URL points at a closed port and Flyway's migration at start is off,
# so the replica starts unready (and logs that it cannot reach PostgreSQL). The master key below is a fixed training
# value, not a secret: the archive holds class metadata and profiles, never configuration values.
set -eu
dir=$(cd "${1:-/deployments}" && pwd)
cd "$dir"
version=$(java -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java\.specification\.version = //p')
if [ "${version%%.*}" -ge 25 ]; then
    archive=app.aot
    record="-XX:AOTCacheOutput=$dir/$archive"
    use="-XX:AOTCache=$dir/$archive"
else
    archive=app-cds.jsa
    record="-XX:ArchiveClassesAtExit=$dir/$archive"
    use="-XX:SharedArchiveFile=$dir/$archive"
fi
rm -f app-cds.jsa app.aot appcds-training.log
QUARKUS_DATASOURCE_JDBC_URL=jdbc:postgresql://127.0.0.1:1/appcds-training \
QUARKUS_FLYWAY_MIGRATE_AT_START=false \
HOOKLINE_SECRETS_MASTER_KEY=dHJhaW5pbmctb25seS1rZXktbm90LWEtc2VjcmV0ISE= \
QUARKUS_HTTP_PORT=0 \
QUARKUS_LOG_CONSOLE_JSON_ENABLED=false \
    java ${JAVA_OPTS:-} "$record" -jar "$dir/quarkus-run.jar" >appcds-training.log 2>&1 &
pid=$!
waited=0
while [ "$waited" -lt 180 ] && kill -0 "$pid" 2>/dev/null && ! grep -q ' started in ' appcds-training.log; do
    sleep 1
    waited=$((waited + 1))
done
kill -TERM "$pid" 2>/dev/null || true
wait "$pid" || true
if [ ! -s "$archive" ]; then
    echo "appcds.sh: no archive written; see $dir/appcds-training.log" >&2
    exit 1
fi
rm -f appcds-training.log
echo "appcds.sh: $dir/$archive ($(du -m "$archive" | cut -f1) MB, Java $version); run with $use"
