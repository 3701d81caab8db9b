package io.domainmix.core.health;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.domainmix.core.data.Example;
import io.domainmix.core.model.ModelType;
import io.domainmix.core.sim.PolicySpec;
import io.domainmix.core.sim.SimulationSettings;
import io.domainmix.core.sim.Simulator;
import io.domainmix.core.stats.DomainStatistics;
import io.domainmix.core.synth.DomainSpec;
import io.domainmix.core.synth.Experiment;
import io.domainmix.core.synth.GroundTruth;
import io.domainmix.core.synth.SyntheticDomain;
import io.domainmix.core.train.Trainer;
import io.domainmix.core.train.TrainerSettings;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntFunction;
import org.junit.jupiter.api.Test;

/** Domain health events: each rule by hand, no false alarms on the stationary experiments, and the changes caught in time. */
class HealthMonitorTest {

    @Test
    void aLossRiseAndALossWeightMoveAreEachOneEvent() {
        HealthMonitor m = new HealthMonitor(4, 100, 1000);
        DomainHealth h = new DomainHealth();
        m.check("d2", h, 99, 200, 200, 1.0, 1.0, 1, 0.5);
        assertEquals(-1, h.windowStart, "not watched before its first window");
        m.check("d2", h, 100, 202, 202, 1.0, 1.0, 1, 0.5);
        assertFalse(m.check("d2", h, 150, 300, 300, 3.9, 1.0, 1, 0.5), "no rise reported");
        assertTrue(m.drain().isEmpty(), "3.9 < F = 4");
        assertTrue(m.check("d2", h, 160, 320, 320, 5.0, 0.9, 1, 0.5), "the rise is reported to the caller");
        List<HealthEvent> up = m.drain();
        assertEquals(1, up.size());
        assertEquals(HealthEvent.LOSS_UP, up.get(0).kind);
        assertEquals("domain d2: loss 5.0× higher than at step 202 (1.000 → 5.000); λ 1.00 → 0.90", up.get(0).message);
        m.check("d2", h, 170, 340, 340, 5.5, 0.9, 1, 0.5);
        assertTrue(m.drain().isEmpty(), "one change, one event: compared afresh from 5.0");
        assertFalse(m.check("d2", h, 180, 360, 360, 5.5, 0.2, 1, 0.5), "a λ move is not a loss rise");
        List<HealthEvent> moved = m.drain();
        assertEquals(HealthEvent.LOSS_WEIGHT_MOVED, moved.get(0).kind);
        assertEquals(0.9, moved.get(0).before, 0.0);
        assertTrue(moved.get(0).message.startsWith("domain d2: λ 0.90 → 0.20 (÷4.5) since step 320"), moved.get(0).message);
        m.check("d2", h, 400, 800, 800, 0.5, 0.2, 1, 0.5);
        assertTrue(m.drain().isEmpty(), "a falling loss is the model learning");
        assertEquals(2, m.count());
    }

    @Test
    void aSilentDomainIsReportedOnceAndANewOneAfterTheStart() {
        HealthMonitor m = new HealthMonitor(4, 100, 1000);
        DomainHealth h = new DomainHealth();
        m.onArrival("d1", h, 1, 1, 0, 1.0);
        assertTrue(m.drain().isEmpty(), "the run's first domains are no news");
        m.check("d1", h, 500, 5000, 5000, 1.0, 1.0, 999, 0.5);
        assertTrue(m.drain().isEmpty(), "1000 arrivals at least");
        m.check("d1", h, 500, 5100, 5100, 1.0, 1.0, 1001, 0.5);
        HealthEvent stopped = m.drain().get(0);
        assertEquals(HealthEvent.STOPPED, stopped.kind);
        assertEquals("domain d1: no arrivals for 1,001 arrivals of the others (about 501 of its usual gaps; 500 examples "
                + "in all, share 0.500)", stopped.message);
        m.check("d1", h, 500, 5200, 5200, 1.0, 1.0, 1101, 0.5);
        assertTrue(m.drain().isEmpty(), "reported once");
        m.check("d1", h, 500, 9000, 9000, 1.0, 1.0, 4999, 0.001);
        assertTrue(m.drain().isEmpty());
        m.onArrival("d3", new DomainHealth(), 1, 10_000, 10_000, 0.7);
        HealthEvent started = m.drain().get(0);
        assertEquals(HealthEvent.STARTED, started.kind);
        assertEquals("domain d3: new domain at step 10,000 (after 9,999 arrivals of the others)", started.message);
    }

    /** The six stationary experiments × seeds 1–5, 200,000 arrivals each, as the simulator runs them: no event at all. */
    @Test
    void noFalseAlarmsOnTheStationaryExperiments() {
        List<String> alarms = new ArrayList<>();
        int runs = 0;
        for (String name : List.of("linear-noise", "linear-scale", "logistic-scale", "logistic-mixed", "mlp", "offset-noise")) {
            Experiment ex = Experiment.named(name, Experiment.defaultDimension(name));
            List<String> policies = ex.modelType() == ModelType.LINEAR ? List.of("erma+va", "fgls+va") : List.of("erma+va");
            for (String policy : policies) {
                for (long seed = 1; seed <= 5; seed++) {
                    Trainer t = Trainer.create(Simulator.trainerSettings(ex, new SimulationSettings(),
                            PolicySpec.parse(policy), seed));
                    Experiment.Arrivals arrivals = ex.arrivals(ex.groundTruth(seed), seed);
                    feed(t, ex.domains().size(), 200_000, i -> {
                        int k = arrivals.nextDomain();
                        return arrivals.next(k);
                    });
                    for (HealthEvent e : t.drainHealthEvents()) {
                        alarms.add(name + " " + policy + " seed " + seed + ": " + e.message);
                    }
                    runs++;
                }
            }
        }
        System.out.println("health events on " + runs + " stationary runs: " + alarms.size());
        assertEquals(List.of(), alarms);
    }

    /** d2's noise jumps from σ² = 1 to 20 halfway: the event for d2 comes within 5,000 of d2's examples, none for d1. */
    @Test
    void aNoiseJumpIsReportedWithinFiveThousandExamplesOfTheDomain() {
        for (long seed = 1; seed <= 3; seed++) {
            GroundTruth truth = GroundTruth.draw(ModelType.LINEAR, 20, 0, seed);
            SyntheticDomain d1 = new SyntheticDomain(DomainSpec.regression("d1", 1, 1), truth, false, seed);
            SyntheticDomain before = new SyntheticDomain(DomainSpec.regression("d2", 1, 1), truth, false, seed);
            SyntheticDomain after = new SyntheticDomain(DomainSpec.regression("d2", 1, 20), truth, false, seed + 100);
            Trainer t = trainer("erma+va", seed);
            List<HealthEvent> events = feed(t, 2, 100_000, i -> i % 2 == 0 ? d1.next() : (i < 50_000 ? before : after).next());
            assertTrue(events.stream().noneMatch(e -> e.domain.equals("d1")), events.toString());
            HealthEvent first = events.stream().filter(e -> e.domain.equals("d2")).findFirst().orElseThrow();
            assertEquals(HealthEvent.LOSS_UP, first.kind);
            long lag = first.domainArrivals - 25_000;
            System.out.println("noise jump, seed " + seed + ", after " + lag + " examples of d2: " + events);
            assertTrue(lag > 0 && lag <= 5_000, "d2 examples after the change: " + lag);
        }
    }

    /** A third domain appears at 30 % and the second stops at 60 %: each reported once, soon after. */
    @Test
    void aDomainThatStartsOrStopsIsReported() {
        GroundTruth truth = GroundTruth.draw(ModelType.LINEAR, 20, 0, 4);
        SyntheticDomain[] d = {new SyntheticDomain(DomainSpec.regression("d1", 1, 1), truth, false, 4),
                new SyntheticDomain(DomainSpec.regression("d2", 1, 5), truth, false, 4),
                new SyntheticDomain(DomainSpec.regression("d3", 1, 2), truth, false, 4)};
        Trainer t = trainer("erma+va", 4);
        List<HealthEvent> events = feed(t, 3, 100_000, i -> {
            int k = i % 3;
            if (k == 2 && i < 30_000) {
                k = 0; // d3 has not started
            }
            if (k == 1 && i >= 60_000) {
                k = 2; // d2 has stopped
            }
            return d[k].next();
        });
        System.out.println("arrive and vanish: " + events);
        assertEquals(List.of("d3 started", "d2 stopped"),
                events.stream().map(e -> e.domain + " " + e.kind).toList());
        assertTrue(events.get(0).arrivals <= 30_003, "at d3's first arrival: " + events.get(0).arrivals);
        assertTrue(events.get(1).arrivals - 60_000 <= 5_000, "arrivals after d2's last: " + (events.get(1).arrivals - 60_000));
    }

    private static Trainer trainer(String policy, long seed) {
        TrainerSettings s = new TrainerSettings(io.domainmix.core.model.ModelSpec.linear(20, false),
                PolicySpec.parse(policy).weightSettings());
        s.seed = seed;
        return Trainer.create(s);
    }

    /** Arrivals through statistics and trainer as the simulator feeds them (a summary every 1,000 examples of a domain). */
    private static List<HealthEvent> feed(Trainer t, int domains, int n, IntFunction<Example> next) {
        java.util.Map<String, DomainStatistics> stats = new java.util.HashMap<>();
        List<HealthEvent> events = new ArrayList<>();
        int dim = t.settings().model.dimension();
        boolean intercept = t.settings().model.intercept();
        for (int i = 0; i < n; i++) {
            Example e = next.apply(i);
            DomainStatistics s = stats.computeIfAbsent(e.domain, x -> DomainStatistics.create(dim, intercept,
                    t.settings().fglsEnabled()));
            if (!s.observe(e)) {
                continue;
            }
            t.onExample(e);
            if (s.count % 1000 == 0) {
                t.onDomainStats(s.summary(e.domain));
            }
            events.addAll(t.drainHealthEvents());
        }
        assertTrue(stats.size() <= domains);
        return events;
    }
}
