package io.domainmix.producers.file;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.domainmix.core.data.Example;
import io.domainmix.core.stats.Welford;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a file's columns become: one-hot categorical columns, label transforms, missing values
 * in both kinds of column, and a holdout whose rows are encoded and scaled like the training rows.
 */
class EncodingTest {
    @TempDir
    Path dir;

    private final List<Example> examples = new ArrayList<>();
    private final List<BadLine> bad = new ArrayList<>();

    private static final String WEATHER = String.join("\n",
            "city,kind,wind,temp",     // 1
            "A,rain,2,10",             // 2
            "B,sun,4,20",              // 3
            "A,fog,1,5",               // 4
            "B,,3,12",                 // 5: missing category
            "A,sun,NA,8",              // 6: missing numeric feature
            "B,rain,5,-3",             // 7: a label that log refuses
            "");

    private FileExamples read(String text, FileExamples.Options o) throws Exception {
        Path f = dir.resolve("w.csv");
        Files.writeString(f, text);
        o.file = f;
        o.domainColumn = "city";
        o.labelColumn = "temp";
        FileExamples fe = new FileExamples(o);
        fe.forEach(examples::add, bad::add, () -> false);
        return fe;
    }

    private static FileExamples.Options categorical() {
        FileExamples.Options o = new FileExamples.Options();
        o.categorical = List.of("kind");
        return o;
    }

    @Test
    void categoriesAreSortedOneHotColumnsAfterTheNumericFeatures() throws Exception {
        FileExamples fe = read(WEATHER, categorical());
        assertEquals(List.of("wind"), fe.mapping().features(), "the categorical column is not inferred as a feature");
        assertEquals(Map.of("kind", List.of("fog", "rain", "sun")), fe.mapping().categories());
        assertEquals(List.of("wind", "kind=fog", "kind=rain", "kind=sun"), fe.mapping().encodedFeatures());
        // default --missing skip: lines 5 (category) and 6 (wind) are skipped with their reason
        assertEquals(List.of(5L, 6L), bad.stream().map(BadLine::line).toList());
        assertTrue(bad.get(0).detail().contains("categorical column 'kind'"), bad.get(0).message());
        assertEquals(BadLine.Reason.MISSING_VALUE, bad.get(1).reason());
        assertArrayEquals(new double[] {2, 0, 1, 0}, examples.get(0).x);
        assertArrayEquals(new double[] {4, 0, 0, 1}, examples.get(1).x);
        assertArrayEquals(new double[] {1, 1, 0, 0}, examples.get(2).x);
        assertArrayEquals(new double[] {5, 0, 1, 0}, examples.get(3).x);
    }

    @Test
    void underZeroFillingAMissingCategoryIsAllZeros() throws Exception {
        FileExamples.Options o = categorical();
        o.missing = ColumnMapping.MissingValues.ZERO;
        read(WEATHER, o);
        assertTrue(bad.isEmpty(), bad.toString());
        assertArrayEquals(new double[] {3, 0, 0, 0}, examples.get(3).x, "line 5: no category");
        assertArrayEquals(new double[] {0, 0, 0, 1}, examples.get(4).x, "line 6: wind filled with 0");
    }

    @Test
    void underMeanFillingTheMeanComesFromTheRowsThatHaveIt() throws Exception {
        FileExamples.Options o = categorical();
        o.missing = ColumnMapping.MissingValues.MEAN;
        read(WEATHER, o);
        assertArrayEquals(new double[] {(2 + 4 + 1 + 3 + 5) / 5.0, 0, 0, 1}, examples.get(4).x);
    }

    @Test
    void logTransformTakesTheLogarithmAndSkipsNonPositiveLabels() throws Exception {
        FileExamples.Options o = new FileExamples.Options();
        o.labelTransform = ColumnMapping.LabelTransform.LOG;
        o.missing = ColumnMapping.MissingValues.ZERO;
        read(WEATHER, o);
        assertEquals(List.of(7L), bad.stream().map(BadLine::line).toList());
        assertEquals(BadLine.Reason.LABEL_NOT_POSITIVE, bad.get(0).reason());
        assertEquals(Math.log(10), examples.get(0).y, 1e-15);
        assertEquals(Math.log(8), examples.get(4).y, 1e-15);
    }

    @Test
    void standardizedLabelsHaveMeanZeroAndUnitDeviation() throws Exception {
        FileExamples.Options o = new FileExamples.Options();
        o.labelTransform = ColumnMapping.LabelTransform.STANDARDIZE;
        o.missing = ColumnMapping.MissingValues.ZERO;
        FileExamples fe = read(WEATHER, o);
        Welford w = new Welford();
        examples.forEach(e -> w.add(e.y));
        assertEquals(0.0, w.mean(), 1e-12);
        assertEquals(1.0, w.standardDeviation(), 1e-12);
        assertEquals((10 + 20 + 5 + 12 + 8 - 3) / 6.0, fe.labelMean(), 1e-12);
        assertEquals((10 - fe.labelMean()) / fe.labelStandardDeviation(), examples.get(0).y, 1e-12);
    }

    @Test
    void badOptionValuesNameTheAllowedOnes() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ColumnMapping.LabelTransform.parse("sqrt"));
        assertTrue(e.getMessage().contains("none, log, standardize"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> ColumnMapping.MissingValues.parse("drop"));
        assertTrue(e.getMessage().contains("skip, zero, mean"), e.getMessage());
    }

    @Test
    void anUnknownCategoricalColumnIsAUsageError() {
        FileExamples.Options o = new FileExamples.Options();
        o.categorical = List.of("colour");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> read(WEATHER, o));
        assertTrue(e.getMessage().contains("no categorical column 'colour'"), e.getMessage());
    }

    @Test
    void aHoldoutIsScaledWithTheTrainingStatisticsAndWrittenWithTheEncoding() throws Exception {
        StringBuilder csv = new StringBuilder("city,kind,wind,temp\n");
        for (int i = 0; i < 200; i++) {
            csv.append(i % 2 == 0 ? "A" : "B").append(',').append(i % 3 == 0 ? "sun" : "rain").append(',')
                    .append(i).append(',').append(10 + i % 7).append('\n');
        }
        FileExamples.Options o = categorical();
        o.standardize = true;
        o.labelTransform = ColumnMapping.LabelTransform.STANDARDIZE;
        o.holdoutFraction = 0.25;
        o.holdoutSeed = 5;
        o.shuffleSeed = 9L;
        FileExamples fe = read(csv.toString(), o);
        assertEquals(150, examples.size());
        assertEquals(50, fe.holdout().size());
        assertEquals(25, fe.holdout().stream().filter(e -> e.domain.equals("A")).count());
        // the training rows alone have mean 0 and sd 1 in the numeric feature and the label
        Welford x = new Welford();
        Welford y = new Welford();
        examples.forEach(e -> {
            x.add(e.x[0]);
            y.add(e.y);
        });
        assertEquals(0.0, x.mean(), 1e-12);
        assertEquals(1.0, x.standardDeviation(), 1e-12);
        assertEquals(0.0, y.mean(), 1e-12);
        // a held-out row is mapped back to its line's raw values by the training statistics
        Example h = fe.holdout().get(0);
        int line = Integer.parseInt(h.id.substring(h.id.indexOf(':') + 1));
        int i = line - 2;
        assertEquals(i, h.x[0] * fe.scaling().standardDeviation(0) + fe.scaling().mean(0), 1e-9);
        assertEquals(10 + i % 7, h.y * fe.labelStandardDeviation() + fe.labelMean(), 1e-9);
        assertEquals(i % 3 == 0 ? 1.0 : 0.0, h.x[2], "kind=sun: one-hot columns are not scaled");

        try (DataSplitFiles files = new DataSplitFiles(dir.resolve("split"))) {
            for (Example e : examples) {
                files.sent(e);
            }
            files.finish(fe, o);
        }
        List<Example> holdout = DataSplitFiles.readExamples(dir.resolve("split").resolve(DataSplitFiles.HOLDOUT));
        assertEquals(fe.holdout(), holdout);
        assertEquals(examples, DataSplitFiles.readExamples(dir.resolve("split").resolve(DataSplitFiles.TRAINING)));
        JsonNode enc = new ObjectMapper().readTree(dir.resolve("split").resolve(DataSplitFiles.ENCODING).toFile());
        assertEquals("[\"wind\",\"kind=rain\",\"kind=sun\"]", enc.get("x").toString());
        assertEquals(fe.labelMean(), enc.get("labelMean").asDouble(), 0.0);
        assertEquals(25, enc.get("holdoutRows").get("B").asInt());
        assertEquals(75, enc.get("trainingRows").get("A").asInt());
    }
}
