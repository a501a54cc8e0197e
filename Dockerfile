# tally in a container: one image, the command picks the role (run | ingest | processor | rebuild); the mirror
# (MirrorMaker 2 on Kafka 4.3.1) has a class path of its own in /opt/tally/mirror, started by its own entrypoint
# (docker-compose.regions.yml).
# Base images are pinned to exact tags: a rebuild next month must not pick up another JDK or Maven.
FROM maven:3.9.11-eclipse-temurin-17 AS build
WORKDIR /src
# The poms alone first: the dependency layer below is rebuilt only when a pom changes, not on every source edit.
COPY pom.xml ./
COPY schemas/pom.xml schemas/
COPY runtime/pom.xml runtime/
COPY http-common/pom.xml http-common/
COPY ingest-api/pom.xml ingest-api/
COPY stream-processor/pom.xml stream-processor/
COPY query-api/pom.xml query-api/
COPY live-api/pom.xml live-api/
COPY mirror/pom.xml mirror/
COPY app/pom.xml app/
COPY bench/pom.xml bench/
RUN mvn -q -B dependency:go-offline -pl app,mirror -am
COPY . .
# Tests run in CI (.ci/run), not here: -Dmaven.test.skip also skips compiling them and resolving their dependencies.
RUN mvn -q -B -Dmaven.test.skip=true package -pl app,mirror -am

FROM eclipse-temurin:17.0.16_8-jre
RUN groupadd --system --gid 10001 tally \
    && useradd --system --uid 10001 --gid tally --home-dir /opt/tally --shell /usr/sbin/nologin tally \
    && mkdir -p /data \
    && chown tally:tally /data
WORKDIR /opt/tally
COPY --from=build /src/app/target/app-0.1.0-SNAPSHOT.jar /opt/tally/
COPY --from=build /src/app/target/lib /opt/tally/lib
COPY --from=build /src/mirror/target/mirror-0.1.0-SNAPSHOT.jar /opt/tally/mirror/
COPY --from=build /src/mirror/target/lib /opt/tally/mirror/lib
COPY deploy/probe.sh /opt/tally/probe
ENV TALLY_DATA_DIR=/data
VOLUME /data
EXPOSE 8080
USER tally
HEALTHCHECK --interval=10s --timeout=5s --start-period=30s --retries=3 CMD ["/opt/tally/probe", "/health/live"]
# The heap follows the container's memory limit; the other quarter is for RocksDB, thread stacks and direct buffers.
ENTRYPOINT ["java", "-XX:MaxRAMPercentage=75", "-cp", "/opt/tally/app-0.1.0-SNAPSHOT.jar:/opt/tally/lib/*", "dev.tally.app.TallyMain"]
CMD ["run"]
