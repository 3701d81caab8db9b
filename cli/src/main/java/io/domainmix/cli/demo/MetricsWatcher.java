package io.domainmix.cli.demo;

import io.domainmix.cli.KafkaConnection;
import io.domainmix.cli.report.MetricsPoint;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Follows the metrics topics of a set of runs and hands each run its newest record, for the live
 * table. Reads partition 0 of each topic (the job creates its output topics with one partition).
 */
final class MetricsWatcher implements AutoCloseable {
    private final Thread thread;
    private volatile boolean stop;

    MetricsWatcher(KafkaConnection kafka, List<PolicyRun> runs) {
        Map<String, PolicyRun> byTopic = new HashMap<>();
        for (PolicyRun r : runs) {
            byTopic.put(r.metricsTopic(), r);
        }
        thread = new Thread(() -> follow(kafka, byTopic), "metrics-watcher");
        thread.setDaemon(true);
        thread.start();
    }

    private void follow(KafkaConnection kafka, Map<String, PolicyRun> byTopic) {
        Properties p = kafka.clientProperties();
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> parts = new ArrayList<>();
            for (String t : byTopic.keySet()) {
                parts.add(new TopicPartition(t, 0));
            }
            c.assign(parts);
            c.seekToBeginning(parts);
            while (!stop) {
                for (ConsumerRecord<byte[], byte[]> r : c.poll(Duration.ofMillis(250))) {
                    MetricsPoint m = MetricsPoint.parse(r.value());
                    PolicyRun run = byTopic.get(r.topic());
                    if (m != null && run != null) {
                        run.offer(m);
                    }
                }
            }
        } catch (RuntimeException e) {
            // the live table is a view: losing it must not stop the training
        }
    }

    @Override
    public void close() throws InterruptedException {
        stop = true;
        thread.join(5_000);
    }
}
