package io.domainmix.job.feedback;

import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;
import org.apache.flink.api.connector.source.SourceSplit;

/** The whole snapshot topic as one split: the next offset to read in each of its partitions. */
public final class SnapshotTopicSplit implements SourceSplit {
    private final String topic;
    private final Map<Integer, Long> nextOffsets;

    public SnapshotTopicSplit(String topic, Map<Integer, Long> nextOffsets) {
        this.topic = topic;
        this.nextOffsets = Collections.unmodifiableMap(new TreeMap<>(nextOffsets));
    }

    @Override
    public String splitId() {
        return topic;
    }

    public String topic() {
        return topic;
    }

    public Map<Integer, Long> nextOffsets() {
        return nextOffsets;
    }

    @Override
    public String toString() {
        return "SnapshotTopicSplit{" + topic + " " + nextOffsets + "}";
    }
}
