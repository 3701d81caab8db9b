package io.domainmix.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.domainmix.core.serve.ModelSource;
import io.domainmix.job.score.StartupPolicy;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class ScoringOptionsTest {

    @Test
    void defaultsAndGivenValues() {
        ScoringOptions d = ScoringOptions.parse();
        assertEquals(List.of("domainmix-requests"), d.get(ScoringOptions.REQUESTS));
        assertEquals(ModelSource.AVERAGED, d.get(ScoringOptions.MODEL_SOURCE));
        assertEquals(StartupPolicy.WAIT, d.get(ScoringOptions.STARTUP));
        assertEquals("domainmix-score-domainmix", d.groupId());
        assertTrue(!d.requestSchema().labelRequired());
        ScoringOptions o = ScoringOptions.parse("--model-source", "fgls", "--startup=reject", "--requests", "a,b",
                "--kafka-property", "security.protocol=SASL_SSL");
        assertEquals(ModelSource.FGLS, o.get(ScoringOptions.MODEL_SOURCE));
        assertEquals(StartupPolicy.REJECT, o.get(ScoringOptions.STARTUP));
        assertEquals(List.of("a", "b"), o.get(ScoringOptions.REQUESTS));
        assertEquals("SASL_SSL", o.kafkaProperties().getProperty("security.protocol"));
    }

    @Test
    void badValuesNameTheOptionAndWhatIsAllowed() {
        String m = assertThrows(IllegalArgumentException.class,
                () -> ScoringOptions.parse("--model-source", "theta")).getMessage();
        assertTrue(m.contains("--model-source") && m.contains("averaged, fgls"), m);
        m = assertThrows(IllegalArgumentException.class, () -> ScoringOptions.parse("--startup", "later")).getMessage();
        assertTrue(m.contains("--startup") && m.contains("wait, reject"), m);
        m = assertThrows(IllegalArgumentException.class, () -> ScoringOptions.parse("--dim", "3")).getMessage();
        assertTrue(m.contains("unknown option --dim") && m.contains("--requests"), m);
        m = assertThrows(IllegalArgumentException.class,
                () -> ScoringOptions.parse("--requests", "domainmix-snapshots")).getMessage();
        assertTrue(m.contains("both a request topic"), m);
    }

    @Test
    void scoringDocumentCarriesTheOptionsTable() throws Exception {
        String doc = Files.readString(Path.of("SCORING.md"), StandardCharsets.UTF_8);
        assertTrue(doc.contains(ScoringOptions.markdownTable()), "flink-job/SCORING.md's options table differs from "
                + "ScoringOptions; this is the table:\n" + ScoringOptions.markdownTable());
    }
}
