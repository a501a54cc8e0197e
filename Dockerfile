# tally in a container: one image, the command picks the role (run | ingest | processor | rebuild).
FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /src
COPY . .
RUN mvn -q -B -DskipTests package -pl app -am

FROM eclipse-temurin:17-jre
WORKDIR /opt/tally
COPY --from=build /src/app/target/app-0.1.0-SNAPSHOT.jar /opt/tally/
COPY --from=build /src/app/target/lib /opt/tally/lib
ENV TALLY_DATA_DIR=/data
VOLUME /data
EXPOSE 8080
ENTRYPOINT ["java", "-cp", "/opt/tally/app-0.1.0-SNAPSHOT.jar:/opt/tally/lib/*", "dev.tally.app.TallyMain"]
CMD ["run"]
