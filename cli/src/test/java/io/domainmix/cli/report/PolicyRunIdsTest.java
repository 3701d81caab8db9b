package io.domainmix.cli.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.domainmix.core.model.ModelType;
import io.domainmix.core.sim.PolicySpec;
import org.junit.jupiter.api.Test;

class PolicyRunIdsTest {
    @Test
    void everyGridPolicyRoundTripsThroughAValidRunId() {
        for (ModelType t : ModelType.values()) {
            for (PolicySpec p : PolicySpec.defaultGrid(t)) {
                String id = PolicyRunIds.runId("demo-linear-noise", p);
                assertTrue(id.matches("[A-Za-z0-9._-]{1,200}"), id);
                assertEquals(p.name(), PolicyRunIds.label(id));
            }
        }
        PolicySpec conflatedErma = PolicySpec.parse("erma+va:conflated");
        assertEquals("erma+va:conflated", PolicyRunIds.label(PolicyRunIds.runId("x", conflatedErma)));
    }

    @Test
    void otherRunIdsAreTheirOwnLabel() {
        assertEquals("domainmix", PolicyRunIds.label("domainmix"));
        assertEquals("my.run_with_underscores", PolicyRunIds.label("my.run_with_underscores"));
    }
}
