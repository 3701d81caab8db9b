package io.domainmix.testkit;

/** The log4j2 configuration of the child processes: everything to stdout, which goes to their log file. */
public final class LogConfig {

    private LogConfig() {}

    public static String log4j2(String processName) {
        return String.join("\n",
                "# " + processName + ": console only; the test redirects stdout to a file under target/",
                "rootLogger.level = INFO",
                "rootLogger.appenderRef.console.ref = console",
                "appender.console.type = Console",
                "appender.console.name = console",
                "appender.console.layout.type = PatternLayout",
                "appender.console.layout.pattern = %d{HH:mm:ss,SSS} %-5p [%t] %c{1.} - %m%n",
                // The broker's request log and the state change log are noise for these tests.
                "logger.kafkaRequest.name = kafka.request.logger",
                "logger.kafkaRequest.level = WARN",
                "logger.stateChange.name = state.change.logger",
                "logger.stateChange.level = WARN",
                "logger.kafkaLogs.name = org.apache.kafka.storage.internals.log",
                "logger.kafkaLogs.level = WARN",
                "");
    }
}
