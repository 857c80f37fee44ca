# syntax=docker/dockerfile:1
# stackwire controller image, for users with a registry:
#   docker build -t stackwire:0.1.0 .
# Without a registry (no base images to pull), scripts/build-image assembles the same runtime image
# from the local JDK with jlink and `docker import`.

FROM maven:3-eclipse-temurin-17 AS build
WORKDIR /src
COPY .mvn/ .mvn/
COPY mvnw pom.xml ./
COPY model/pom.xml model/
COPY reconcile/pom.xml reconcile/
COPY controller/pom.xml controller/
# Dependencies first, so a source change does not download them again.
RUN ./mvnw -B -q -DskipTests dependency:go-offline || true
COPY model/src model/src
COPY reconcile/src reconcile/src
COPY controller/src controller/src
RUN ./mvnw -B -q -DskipTests package && cp controller/target/stackwire.jar /stackwire.jar

FROM eclipse-temurin:17-jre
ARG VERSION=0.1.0
LABEL org.opencontainers.image.title="stackwire" \
      org.opencontainers.image.description="GitOps controller for Docker networking" \
      org.opencontainers.image.version="${VERSION}" \
      org.opencontainers.image.licenses="Apache-2.0" \
      org.opencontainers.image.source="https://github.com/stackwire/stackwire"
# A fixed uid/gid, so hosts can grant it the Docker socket. The socket is usually root:docker 0660:
# run with `--group-add $(stat -c %g /var/run/docker.sock)` (or, less strictly, `--user 0`).
RUN groupadd --system --gid 10001 stackwire \
 && useradd --system --uid 10001 --gid 10001 --home-dir /var/lib/stackwire --create-home --shell /usr/sbin/nologin stackwire \
 && mkdir -p /opt/stackwire /spec
COPY --from=build /stackwire.jar /opt/stackwire/stackwire.jar
USER 10001:10001
ENV HOME=/var/lib/stackwire \
    DOCKER_HOST=unix:///var/run/docker.sock
EXPOSE 9090
# The JRE image has no curl: a tiny Java probe in the jar does the request.
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
  CMD ["java", "-XX:TieredStopAtLevel=1", "-Xshare:auto", "-cp", "/opt/stackwire/stackwire.jar", "io.stackwire.controller.probe.HealthProbe", "http://127.0.0.1:9090/healthz"]
ENTRYPOINT ["java", "-jar", "/opt/stackwire/stackwire.jar"]
CMD ["run", "/spec", "--listen", "0.0.0.0:9090"]
