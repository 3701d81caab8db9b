# syntax=docker/dockerfile:1.6
#
# The producers image: the domainmix command line on a plain JRE, for
# `domainmix produce synthetic|file ...` against any Kafka.
#
# Build from the repository root (the compose file does this):
#   docker build -f docker/producers.Dockerfile -t domainmix/producers:0.1.0 .
ARG MAVEN_IMAGE=maven:3.9-eclipse-temurin-17
ARG JRE_IMAGE=eclipse-temurin:17-jre

FROM ${MAVEN_IMAGE} AS build
WORKDIR /src
# The whole reactor: Maven reads every module's pom even with -pl. The .dockerignore next to
# this file keeps build outputs and version control out of the context.
COPY . .
# The command's jar and its runtime dependencies (the module jars included) into one lib/.
RUN --mount=type=cache,target=/root/.m2 \
    mvn -B -ntp -Dmaven.test.skip=true -pl cli -am package dependency:copy-dependencies \
        -DincludeScope=runtime -DoutputDirectory=target/lib \
 && mkdir -p /opt/domainmix/lib \
 && cp cli/target/lib/*.jar /opt/domainmix/lib/ \
 && cp cli/target/domainmix-cli-*.jar /opt/domainmix/lib/

FROM ${JRE_IMAGE}
COPY --from=build /opt/domainmix/lib /opt/domainmix/lib
RUN useradd --system --uid 9999 domainmix
USER domainmix
ENV JAVA_TOOL_OPTIONS="-Xmx512m"
ENTRYPOINT ["java", "-cp", "/opt/domainmix/lib/*", "io.domainmix.cli.DomainMixCommand"]
CMD ["--help"]
