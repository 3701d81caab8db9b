package io.domainmix.job.feedback;

import io.domainmix.core.train.ModelSnapshot;
import java.util.Properties;
import org.apache.flink.api.common.eventtime.Watermark;
import org.apache.flink.api.common.eventtime.WatermarkGenerator;
import org.apache.flink.api.common.eventtime.WatermarkOutput;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.connector.source.Boundedness;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.api.connector.source.SourceReader;
import org.apache.flink.api.connector.source.SourceReaderContext;
import org.apache.flink.api.connector.source.SplitEnumerator;
import org.apache.flink.api.connector.source.SplitEnumeratorContext;
import org.apache.flink.core.io.SimpleVersionedSerializer;

/**
 * The model feedback input: the run's snapshots read back from the snapshot topic (Flink 2 has
 * no iterations, so the loop goes through Kafka). Unlike a Kafka source it can end: in bounded
 * mode it finishes at the run's final snapshot, so that the job finishes once the examples are
 * consumed and that snapshot is written.
 *
 * <p>Use it with {@link #WATERMARKS}: the feedback holds back no event time, so the end of the
 * example input alone advances the statistics operator's watermark to the end of time — the
 * signal on which the final summaries and the final snapshot are emitted.
 */
public final class SnapshotFeedbackSource implements Source<ModelSnapshot, SnapshotTopicSplit, FeedbackEnumeratorState> {
    private static final long serialVersionUID = 1L;

    /** The feedback input's watermark is the end of time from the start. */
    public static final WatermarkStrategy<ModelSnapshot> WATERMARKS = WatermarkStrategy.forGenerator(ctx -> new NoEventTime());

    private final String topic;
    private final Properties consumerProperties;
    private final String runId;
    private final boolean bounded;

    /**
     * @param consumerProperties Kafka consumer properties (bootstrap servers and any security settings)
     * @param bounded end at the run's final snapshot
     */
    public SnapshotFeedbackSource(String topic, Properties consumerProperties, String runId, boolean bounded) {
        this.topic = topic;
        this.consumerProperties = new Properties();
        this.consumerProperties.putAll(consumerProperties);
        this.consumerProperties.setProperty("enable.auto.commit", "false");
        this.consumerProperties.remove("group.id");
        this.runId = runId;
        this.bounded = bounded;
    }

    @Override
    public Boundedness getBoundedness() {
        return bounded ? Boundedness.BOUNDED : Boundedness.CONTINUOUS_UNBOUNDED;
    }

    @Override
    public SplitEnumerator<SnapshotTopicSplit, FeedbackEnumeratorState> createEnumerator(
            SplitEnumeratorContext<SnapshotTopicSplit> context) {
        return new SnapshotFeedbackEnumerator(context, topic, consumerProperties, null);
    }

    @Override
    public SplitEnumerator<SnapshotTopicSplit, FeedbackEnumeratorState> restoreEnumerator(
            SplitEnumeratorContext<SnapshotTopicSplit> context, FeedbackEnumeratorState checkpoint) {
        return new SnapshotFeedbackEnumerator(context, topic, consumerProperties, checkpoint);
    }

    @Override
    public SimpleVersionedSerializer<SnapshotTopicSplit> getSplitSerializer() {
        return new SnapshotTopicSplitSerializer();
    }

    @Override
    public SimpleVersionedSerializer<FeedbackEnumeratorState> getEnumeratorCheckpointSerializer() {
        return new SnapshotTopicSplitSerializer.EnumeratorStateSerializer();
    }

    @Override
    public SourceReader<ModelSnapshot, SnapshotTopicSplit> createReader(SourceReaderContext readerContext) {
        return new SnapshotFeedbackReader(consumerProperties, runId, bounded);
    }

    private static final class NoEventTime implements WatermarkGenerator<ModelSnapshot> {
        @Override
        public void onEvent(ModelSnapshot event, long eventTimestamp, WatermarkOutput output) {}

        @Override
        public void onPeriodicEmit(WatermarkOutput output) {
            output.emitWatermark(new Watermark(Long.MAX_VALUE));
        }
    }
}
