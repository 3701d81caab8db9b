package io.domainmix.producers;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.domainmix.core.data.Example;
import io.domainmix.core.synth.Experiment;
import io.domainmix.core.synth.DomainSpec;
import io.domainmix.core.synth.GroundTruth;
import io.domainmix.core.synth.SyntheticDomain;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.producer.KafkaProducer;

/**
 * Produces the examples of a {@link SyntheticPlan} into Kafka: each domain at its own rate,
 * from its start delay until its count, with the same generators the reference simulator uses.
 * Before the first example it writes the ground truth (θ*, or the teacher network) with the
 * plan to a JSON file and to the truth topic, keyed by the run name, so that evaluation can
 * find what the model should converge to.
 *
 * <p>Example ids are {@code <domain>-<n>} (n from 0), so a consumer can check for gaps and
 * duplicates.
 */
public final class SyntheticProducer extends ExampleProducer {
    private static final long SPIN_NANOS = 1_000_000; // below this, sending a little early beats a sleep

    private final SyntheticPlan plan;
    private final Path truthFile;
    private GroundTruth truth;
    private List<SyntheticDomain> generators;

    /**
     * @param truthFile where to write the ground truth, or null for none
     */
    public SyntheticProducer(SyntheticPlan plan, KafkaTarget target, TopicLayout layout, Path truthFile, Output output) {
        super(target, layout, output);
        this.plan = plan;
        this.truthFile = truthFile;
    }

    public SyntheticPlan plan() {
        return plan;
    }

    @Override
    protected String sourceName() {
        return "synthetic " + plan.name();
    }

    @Override
    protected Long plannedCount(String domain) {
        for (DomainPlan d : plan.domains()) {
            if (d.name().equals(domain)) {
                return d.bounded() ? d.count() : null;
            }
        }
        return null;
    }

    @Override
    protected void prepare(KafkaProducer<String, byte[]> producer) throws Exception {
        truth = plan.groundTruth();
        generators = plan.generators(truth);
        List<String> topics = new ArrayList<>();
        for (DomainPlan d : plan.domains()) {
            counters.domain(d.name()); // list every domain in progress from the start, even delayed ones
            String t = layout.topicFor(d.name());
            if (!topics.contains(t)) {
                topics.add(t);
            }
        }
        if (layout.truthTopic() != null) {
            topics.add(layout.truthTopic());
        }
        target.ensureTopics(topics);
        byte[] truthJson = truthDocument(plan, truth, layout);
        if (truthFile != null) {
            Path parent = truthFile.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            Files.write(truthFile, truthJson);
        }
        if (layout.truthTopic() != null) {
            sendAndWait(layout.truthTopic(), plan.name(), truthJson);
        }
    }

    @Override
    protected void produce() throws Exception {
        if (plan.changes()) {
            produceStream();
            return;
        }
        SyntheticSchedule schedule = new SyntheticSchedule(plan.domains(), System.nanoTime());
        while (!stopRequested()) {
            int i = schedule.nextDomain();
            if (i < 0) {
                return;
            }
            long now = System.nanoTime();
            long wait = schedule.dueNanos(i) - now;
            if (wait > SPIN_NANOS) {
                pause(wait);
                continue; // re-evaluate: another domain may be due by now, or a stop requested
            }
            Example e = generators.get(i).next();
            e.id = e.domain + "-" + schedule.emitted(i);
            send(e);
            schedule.emitted(i, now);
        }
    }

    /**
     * An experiment with a change point, in the order of the simulator's stream of the same seed:
     * the change points are fractions of that stream. The stream is paced at {@link
     * SyntheticPlan#streamRate()}; unpaced, each record is stamped 1 ms after the previous one
     * (the last one now), so that a job ordering its input by record time reads the stream in
     * this order and sees the change where the simulator does.
     */
    private void produceStream() throws Exception {
        long length = plan.totalCount();
        Experiment.Arrivals arrivals = plan.experiment().arrivals(truth, plan.seed(), length);
        RateLimiter pace = new RateLimiter(plan.streamRate(), System.nanoTime());
        long firstStamp = System.currentTimeMillis() - length;
        long[] emitted = new long[plan.domains().size()];
        for (long i = 0; i < length && !stopRequested(); i++) {
            int k = arrivals.nextDomain();
            Example e = arrivals.next(k);
            long wait;
            while ((wait = pace.waitNanos(System.nanoTime())) > SPIN_NANOS) {
                pause(wait);
                if (stopRequested()) {
                    return;
                }
            }
            e.id = e.domain + "-" + emitted[k]++;
            e.timestamp = pace.unlimited() ? firstStamp + i : System.currentTimeMillis();
            send(e, e.timestamp);
            pace.take(System.nanoTime());
        }
    }

    /**
     * A domain's change points in its entry of a truth document, as fractions of the stream of
     * length {@code "examples"} (nothing for a domain that does not change).
     */
    public static void putChanges(ObjectNode domain, DomainSpec spec) {
        if (spec.changes()) {
            domain.put("startsAt", spec.startsAt());
            domain.put("stopsAt", spec.stopsAt());
            if (spec.hasNoiseChange()) {
                domain.put("noiseChangesAt", spec.noiseChangesAt());
                domain.put("noiseAfterChange", spec.noiseVarianceAfterChange());
            }
        }
    }

    /** The truth document: run name, seed, model, the domains as planned, and the ground truth. */
    static byte[] truthDocument(SyntheticPlan plan, GroundTruth truth, TopicLayout layout) throws IOException {
        ObjectMapper mapper = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        ObjectNode root = mapper.createObjectNode();
        root.put("run", plan.name());
        root.put("seed", plan.seed());
        root.put("model", plan.modelType().optionName());
        root.put("dimension", plan.dimension());
        ArrayNode domains = root.putArray("domains");
        for (DomainPlan d : plan.domains()) {
            ObjectNode n = domains.addObject();
            n.put("name", d.name());
            n.put("topic", layout.topicFor(d.name()));
            n.put("scale", d.spec().featureScale());
            n.put("noise", d.spec().noiseVariance());
            n.put("flip", d.spec().flipRate());
            n.put("rate", d.rate());
            n.put("count", d.count());
            n.put("delay", d.delaySeconds());
            putChanges(n, d.spec());
        }
        if (plan.changes()) {
            root.put("examples", plan.totalCount());
            root.put("changeAt", plan.experiment().changeAt());
            root.put("changedDomain", plan.experiment().changedDomain());
        }
        root.set("truth", mapper.valueToTree(truth));
        return mapper.writeValueAsBytes(root);
    }
}
