package io.domainmix.testkit;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * SASL/SCRAM-SHA-512 users of a secured test broker: one super user (the broker itself, and
 * the test's admin client) and the users whose rights come only from ACLs.
 */
public record SaslScram(String superUser, String superPassword, Map<String, String> users) {
    public static final String MECHANISM = "SCRAM-SHA-512";

    public SaslScram {
        users = Map.copyOf(users);
    }

    /** The client properties of a plaintext broker. */
    static Properties clientPropertiesPlain(String bootstrapServers) {
        Properties p = new Properties();
        p.setProperty("bootstrap.servers", bootstrapServers);
        return p;
    }

    /** The client properties that log in as {@code user} with {@code password}. */
    public static Properties clientProperties(String bootstrapServers, String user, String password) {
        Properties p = new Properties();
        p.setProperty("bootstrap.servers", bootstrapServers);
        for (Map.Entry<String, String> e : clientSettings(user, password).entrySet()) {
            p.setProperty(e.getKey(), e.getValue());
        }
        return p;
    }

    /** The settings a client needs besides bootstrap servers, in the order a command line lists them. */
    public static Map<String, String> clientSettings(String user, String password) {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("security.protocol", "SASL_PLAINTEXT");
        p.put("sasl.mechanism", MECHANISM);
        p.put("sasl.jaas.config", jaas(user, password));
        return p;
    }

    static String jaas(String user, String password) {
        return "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"" + user
                + "\" password=\"" + password + "\";";
    }

    /** {@code --add-scram} arguments of {@code kafka-storage format}: the credentials exist from the first start. */
    List<String> formatArguments() {
        Map<String, String> all = new LinkedHashMap<>();
        all.put(superUser, superPassword);
        all.putAll(users);
        return all.entrySet().stream()
                .flatMap(e -> List.of("--add-scram", MECHANISM + "=[name=" + e.getKey() + ",password=" + e.getValue() + "]").stream())
                .toList();
    }

    /** The broker settings: one SASL listener for clients and the broker itself, the KRaft authorizer. */
    Map<String, String> serverProperties(int port, int controllerPort) {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("listeners", "SASL_PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort);
        p.put("advertised.listeners", "SASL_PLAINTEXT://127.0.0.1:" + port);
        p.put("inter.broker.listener.name", "SASL_PLAINTEXT");
        p.put("listener.security.protocol.map", "CONTROLLER:PLAINTEXT,SASL_PLAINTEXT:SASL_PLAINTEXT");
        p.put("sasl.enabled.mechanisms", MECHANISM);
        p.put("sasl.mechanism.inter.broker.protocol", MECHANISM);
        p.put("listener.name.sasl_plaintext.scram-sha-512.sasl.jaas.config", jaas(superUser, superPassword));
        p.put("authorizer.class.name", "org.apache.kafka.metadata.authorizer.StandardAuthorizer");
        // The controller listener stays plaintext on 127.0.0.1: only this node's own broker talks to
        // it, and it arrives there as ANONYMOUS. Clients reach only the SASL listener.
        p.put("super.users", "User:" + superUser + ";User:ANONYMOUS");
        p.put("allow.everyone.if.no.acl.found", "false");
        return p;
    }
}
