package io.domainmix.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.domainmix.core.data.Example;
import io.domainmix.core.health.HealthEvent;
import io.domainmix.core.model.ModelSpec;
import io.domainmix.core.stats.DomainStatistics;
import io.domainmix.core.synth.DomainSpec;
import io.domainmix.core.synth.GroundTruth;
import io.domainmix.core.synth.SyntheticDomain;
import io.domainmix.core.train.TrainerSettings;
import io.domainmix.core.weights.ImportanceMode;
import io.domainmix.core.weights.LossWeightPolicy;
import io.domainmix.core.weights.SamplingPolicy;
import io.domainmix.core.weights.WeightSettings;
import java.util.List;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

/** A domain that stops arriving: the trainer operator publishes the event on the metrics output at once. */
class TrainerHealthEventsTest {
    private static final String RUN = "run-health";

    @Test
    void aDomainThatStopsIsPublishedWithTheElementThatNoticedIt() throws Exception {
        TrainerSettings s = new TrainerSettings(ModelSpec.linear(5, false),
                new WeightSettings(LossWeightPolicy.ERMA, SamplingPolicy.VA, ImportanceMode.CORRECTED));
        GroundTruth truth = GroundTruth.draw(io.domainmix.core.model.ModelType.LINEAR, 5, 0, 2);
        SyntheticDomain d1 = new SyntheticDomain(DomainSpec.regression("d1", 1, 1), truth, false, 2);
        SyntheticDomain d2 = new SyntheticDomain(DomainSpec.regression("d2", 1, 1), truth, false, 2);
        DomainStatistics[] stats = {DomainStatistics.create(5, false, false), DomainStatistics.create(5, false, false)};
        // metrics only every 10^9 steps: any record before the end is one that carries events
        TrainerFunction f = new TrainerFunction(s, RUN, 1_000_000_000L, 1_000_000_000L);
        try (var h = new KeyedOneInputStreamOperatorTestHarness<>(new KeyedProcessOperator<>(f),
                new DomainMixJob.ByRun<>(RUN), Types.STRING, 128, 1, 0)) {
            h.open();
            for (int i = 0; i < 8_000; i++) {
                int k = i < 6_000 ? i % 2 : 0; // d2 stops after 3,000 of its examples
                Example e = (k == 0 ? d1 : d2).next();
                h.processElement(TrainerInput.of(new ExampleBatch(e.domain, new Example[] {e})), 0);
                stats[k].observe(e);
                if (stats[k].count % 100 == 0) {
                    h.processElement(TrainerInput.of(stats[k].summary(e.domain)), 0);
                }
            }
            List<MetricsRecord> records = h.getSideOutput(TrainerFunction.METRICS).stream().map(StreamRecord::getValue).toList();
            assertEquals(1, records.size(), "one record, carrying the event");
            HealthEvent e = records.get(0).healthEvents[0];
            assertEquals("d2", e.domain);
            assertEquals(HealthEvent.STOPPED, e.kind);
            assertTrue(e.arrivals > 6_000 + 1_000 && e.arrivals <= 6_000 + 1_200, "noticed at the summary after 1,000 "
                    + "arrivals without d2: " + e.arrivals);
            JsonNode json = JobJson.tree(JobJson.metrics(records.get(0)));
            assertEquals("stopped", json.path("healthEvents").path(0).path("kind").asText());
            assertTrue(json.path("healthEvents").path(0).path("message").asText().startsWith("domain d2: no arrivals for"));
            assertEquals(3_000, json.path("domains").path("d2").path("arrivals").asLong());
        }
    }
}
