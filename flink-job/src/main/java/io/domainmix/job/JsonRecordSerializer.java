package io.domainmix.job;

import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.util.function.Function;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.kafka.clients.producer.ProducerRecord;

/** Writes one of the job's outputs to its topic: a text key and a JSON value ({@link JobJson}). */
public final class JsonRecordSerializer<T> implements KafkaRecordSerializationSchema<T> {
    private static final long serialVersionUID = 1L;

    /** A serializable function, so that the serializer ships to the task managers. */
    public interface Field<T, R> extends Function<T, R>, Serializable {}

    private final String topic;
    private final Field<T, String> key;
    private final Field<T, byte[]> value;

    public JsonRecordSerializer(String topic, Field<T, String> key, Field<T, byte[]> value) {
        this.topic = topic;
        this.key = key;
        this.value = value;
    }

    @Override
    public ProducerRecord<byte[], byte[]> serialize(T element, KafkaSinkContext context, Long timestamp) {
        String k = key.apply(element);
        return new ProducerRecord<>(topic, null, k == null ? null : k.getBytes(StandardCharsets.UTF_8),
                value.apply(element));
    }
}
