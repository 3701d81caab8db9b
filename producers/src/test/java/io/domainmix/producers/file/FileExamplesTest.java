package io.domainmix.producers.file;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.domainmix.core.data.Example;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reading CSV and JSON files into examples: quoting, missing values, bad lines, passes. */
class FileExamplesTest {
    @TempDir
    Path dir;

    private final List<Example> examples = new ArrayList<>();
    private final List<BadLine> bad = new ArrayList<>();

    private Path file(String name, String text) throws IOException {
        Path f = dir.resolve(name);
        Files.writeString(f, text);
        return f;
    }

    private FileExamples.Options options(Path f, String domainColumn, String label) {
        FileExamples.Options o = new FileExamples.Options();
        o.file = f;
        o.domainColumn = domainColumn;
        o.labelColumn = label;
        return o;
    }

    private FileExamples read(FileExamples.Options o) throws Exception {
        FileExamples fe = new FileExamples(o);
        fe.forEach(examples::add, bad::add, () -> false);
        return fe;
    }

    private static final String QUOTED = String.join("\n",
            "region,name,size,price,y",                      // line 1
            "north,\"Smith, John\",1.5,10,2.0",              // 2: delimiter inside quotes
            "\"south\",\"He said \"\"hi\"\"\",2.5,20,3.0",    // 3: doubled quotes, quoted domain
            "",                                              // 4: blank, skipped
            "north,\"two",                                    // 5: a line break inside quotes ...
            "lines\",3.5,30,4.0",                             // 6: ... the record starts on line 5
            "  east , plain , 4.5 , 40 , 5.0  ",             // 7: spaces around values trimmed
            "");

    @Test
    void csvQuotingAndInferredFeatures() throws Exception {
        FileExamples fe = read(options(file("q.csv", QUOTED), "region", "y"));
        assertEquals(List.of("size", "price"), fe.mapping().features(), "'name' is text, not a feature");
        assertTrue(fe.rejectedColumns().containsKey("name"));
        assertTrue(bad.isEmpty(), bad.toString());
        assertEquals(4, examples.size());
        assertEquals("north", examples.get(0).domain);
        assertArrayEquals(new double[] {1.5, 10}, examples.get(0).x);
        assertEquals(2.0, examples.get(0).y);
        assertEquals("south", examples.get(1).domain);
        assertEquals("q.csv:3", examples.get(1).id);
        assertEquals("q.csv:5", examples.get(2).id, "a multi-line record is numbered by its first line");
        assertArrayEquals(new double[] {3.5, 30}, examples.get(2).x);
        assertEquals("east", examples.get(3).domain);
        assertEquals("q.csv:7", examples.get(3).id);
        assertArrayEquals(new double[] {4.5, 40}, examples.get(3).x);
    }

    private static final String BROKEN = String.join("\n",
            "site,a,b,y",          // 1
            "s1,1,2,3",            // 2 good
            "s1,1,2",              // 3 too few values
            "s2,1,abc,3",          // 4 unparseable feature
            "s2,1,2,",             // 5 missing label
            "s2,,2,4",             // 6 missing feature
            "s1,1,2,3,9",          // 7 too many values
            ",1,2,3",              // 8 missing domain
            "s2,NA,2,5",           // 9 missing feature (NA token)
            "s2,1e3,-2.5E-1,6",    // 10 good, exponent notation
            "s1,1,2,Infinity",     // 11 label not finite
            "s1,0x10,2,1",         // 12 hex is not a decimal number
            "");

    @Test
    void badLinesAreSkippedCountedAndNumbered() throws Exception {
        FileExamples.Options o = options(file("b.csv", BROKEN), "site", "y");
        o.features = List.of("a", "b");
        read(o);
        assertEquals(2, examples.size());
        assertArrayEquals(new double[] {1000, -0.25}, examples.get(1).x);
        List<Long> lines = new ArrayList<>();
        for (BadLine b : bad) {
            lines.add(b.line());
        }
        assertEquals(List.of(3L, 4L, 5L, 6L, 7L, 8L, 9L, 11L, 12L), lines);
        assertEquals(BadLine.Reason.WRONG_COLUMN_COUNT, bad.get(0).reason());
        assertEquals("b.csv line 3: wrong column count: 3 values, the header has 4 columns", bad.get(0).message());
        assertEquals(BadLine.Reason.NOT_A_NUMBER, bad.get(1).reason());
        assertTrue(bad.get(1).message().contains("'b' is 'abc'"), bad.get(1).message());
        assertEquals(BadLine.Reason.MISSING_LABEL, bad.get(2).reason());
        assertEquals(BadLine.Reason.MISSING_VALUE, bad.get(3).reason());
        assertEquals(BadLine.Reason.WRONG_COLUMN_COUNT, bad.get(4).reason());
        assertEquals(BadLine.Reason.MISSING_DOMAIN, bad.get(5).reason());
        assertEquals(BadLine.Reason.MISSING_VALUE, bad.get(6).reason());
        assertEquals(BadLine.Reason.NOT_A_NUMBER, bad.get(7).reason());
        assertEquals(BadLine.Reason.NOT_A_NUMBER, bad.get(8).reason());
    }

    @Test
    void strictStopsAtTheFirstBadLine() throws Exception {
        FileExamples.Options o = options(file("b.csv", BROKEN), "site", "y");
        o.features = List.of("a", "b");
        FileExamples fe = new FileExamples(o);
        BadInputException e = assertThrows(BadInputException.class, () -> fe.forEach(examples::add, b -> {
            throw new BadInputException(b);
        }, () -> false));
        assertEquals(3, e.badLine().line());
        assertTrue(e.getMessage().startsWith("b.csv line 3: wrong column count"), e.getMessage());
        assertEquals(1, examples.size(), "only the line before it");
    }

    @Test
    void strictStopsDuringTheStatisticsPassBeforeAnythingIsEmitted() throws Exception {
        FileExamples.Options o = options(file("b.csv", BROKEN), "site", "y");
        o.features = List.of("a", "b");
        o.standardize = true;
        o.strict = true;
        FileExamples fe = new FileExamples(o);
        BadInputException e = assertThrows(BadInputException.class, () -> fe.forEach(examples::add, b -> {
            throw new BadInputException(b);
        }, () -> false));
        assertEquals(3, e.badLine().line());
        assertTrue(examples.isEmpty());
    }

    @Test
    void missingFeaturesFilledWithZeroOrTheMean() throws Exception {
        String text = "d,a,b,y\nx,1,10,0\nx,,20,0\nx,3,,0\nx,null,30,0\n";
        FileExamples.Options o = options(file("m.csv", text), "d", "y");
        o.missing = ColumnMapping.MissingValues.ZERO;
        read(o);
        assertArrayEquals(new double[] {0, 20}, examples.get(1).x);
        examples.clear();
        o.missing = ColumnMapping.MissingValues.MEAN;
        read(o);
        assertTrue(bad.isEmpty());
        assertArrayEquals(new double[] {1, 10}, examples.get(0).x);
        assertArrayEquals(new double[] {2, 20}, examples.get(1).x, "mean of a = (1 + 3) / 2");
        assertArrayEquals(new double[] {3, 20}, examples.get(2).x, "mean of b = (10 + 20 + 30) / 3");
        assertArrayEquals(new double[] {2, 30}, examples.get(3).x);
    }

    @Test
    void standardizedFeaturesHaveMeanZeroAndUnitVariance() throws Exception {
        StringBuilder b = new StringBuilder("d,a,b,c,y\n");
        for (int i = 0; i < 50; i++) {
            b.append("k,").append(i).append(',').append(1000 + 7 * (i % 5)).append(",3,").append(i % 2).append('\n');
        }
        b.append("k,oops,1,1,1\n"); // line 52: bad, and left out of the statistics
        FileExamples.Options o = options(file("s.csv", b.toString()), "d", "y");
        o.features = List.of("a", "b", "c");
        o.standardize = true;
        FileExamples fe = read(o);
        assertEquals(50, examples.size());
        assertEquals(1, bad.size(), "reported once, though the file is read twice");
        assertEquals(52, bad.get(0).line());
        for (int j = 0; j < 3; j++) {
            double sum = 0;
            double sq = 0;
            for (Example e : examples) {
                sum += e.x[j];
                sq += e.x[j] * e.x[j];
            }
            assertEquals(0.0, sum / 50, 1e-12, "mean of feature " + j);
            if (j < 2) {
                assertEquals(1.0, sq / 49, 1e-12, "variance of feature " + j);
            } else {
                assertEquals(0.0, sq, 1e-12, "a constant column is only centred");
            }
        }
        assertTrue(fe.scaling().constant(2));
        assertEquals(24.5, fe.scaling().mean(0), 1e-12);
    }

    @Test
    void shuffleIsSeededAndLosesNothing() throws Exception {
        StringBuilder b = new StringBuilder("d,a,y\n");
        for (int i = 0; i < 200; i++) {
            b.append("k,").append(i).append(',').append(i).append('\n');
        }
        Path f = file("sh.csv", b.toString());
        FileExamples.Options o = options(f, "d", "y");
        o.shuffleSeed = 5L;
        read(o);
        List<Example> first = new ArrayList<>(examples);
        examples.clear();
        read(o);
        assertEquals(first, examples, "same seed, same order");
        examples.clear();
        o.shuffleSeed = 6L;
        read(o);
        assertNotEquals(first, examples, "another seed, another order");
        double[] ys = examples.stream().mapToDouble(e -> e.y).sorted().toArray();
        for (int i = 0; i < 200; i++) {
            assertEquals(i, ys[i]);
        }
        assertNotEquals(0.0, first.get(0).y + first.get(1).y * 1000 - 1000, "not the file order");
    }

    @Test
    void jsonLinesWithBadLines() throws Exception {
        String text = String.join("\n",
                "{\"Origin\": \"USA\", \"mpg\": 18, \"hp\": 130, \"name\": \"chevy\"}",  // 1
                "{\"Origin\": \"Japan\", \"mpg\": null, \"hp\": 95}",                 // 2 missing label
                "not json",                                                           // 3
                "",                                                                   // 4 blank
                "[1, 2]",                                                             // 5 not an object
                "{\"Origin\": \"Europe\", \"mpg\": 26, \"hp\": null}",                // 6 missing feature
                "{\"Origin\": \"Europe\", \"mpg\": 25.5, \"hp\": 71}",                // 7
                "{\"mpg\": 20, \"hp\": 100}",                                          // 8 no domain
                "");
        FileExamples fe = read(options(file("cars.jsonl", text), "Origin", "mpg"));
        assertEquals(List.of("hp"), fe.mapping().features());
        assertTrue(fe.rejectedColumns().get("name").startsWith("not numeric: 1 of 1 values, e.g. 'chevy' at line 1"),
                fe.rejectedColumns().toString());
        assertEquals(2, examples.size());
        assertEquals("Europe", examples.get(1).domain);
        assertArrayEquals(new double[] {71}, examples.get(1).x);
        assertEquals(25.5, examples.get(1).y);
        List<Long> lines = new ArrayList<>();
        bad.forEach(x -> lines.add(x.line()));
        assertEquals(List.of(2L, 3L, 5L, 6L, 8L), lines);
        assertEquals(BadLine.Reason.MISSING_LABEL, bad.get(0).reason());
        assertEquals(BadLine.Reason.MALFORMED, bad.get(1).reason());
        assertEquals(BadLine.Reason.MALFORMED, bad.get(2).reason());
        assertEquals(BadLine.Reason.MISSING_VALUE, bad.get(3).reason());
        assertEquals(BadLine.Reason.MISSING_DOMAIN, bad.get(4).reason());
    }

    @Test
    void jsonArrayLikeVegaCars() throws Exception {
        String text = "[\n"
                + "  {\n    \"Name\": \"chevrolet chevelle malibu\",\n    \"Miles_per_Gallon\": 18,\n"
                + "    \"Cylinders\": 8,\n    \"Horsepower\": 130,\n    \"Year\": \"1970-01-01\",\n    \"Origin\": \"USA\"\n  },\n"
                + "  {\n    \"Name\": \"citroen ds-21 pallas\",\n    \"Miles_per_Gallon\": null,\n"
                + "    \"Cylinders\": 4,\n    \"Horsepower\": 115,\n    \"Year\": \"1970-01-01\",\n    \"Origin\": \"Europe\"\n  },\n"
                + "  {\"Name\": \"x\", \"Miles_per_Gallon\": 30, \"Cylinders\": 4, \"Horsepower\": 70, \"Year\": \"1971-01-01\", \"Origin\": \"Japan\"}\n"
                + "]\n";
        FileExamples fe = read(options(file("cars.json", text), "Origin", "Miles_per_Gallon"));
        assertEquals(List.of("Cylinders", "Horsepower"), fe.mapping().features());
        assertEquals(2, examples.size());
        assertEquals("cars.json:2", examples.get(0).id, "numbered by the opening brace");
        assertEquals("cars.json:18", examples.get(1).id);
        assertEquals(1, bad.size());
        assertEquals(10, bad.get(0).line());
        assertEquals("cars.json line 10: missing label: no value in label column 'Miles_per_Gallon'", bad.get(0).message());
    }

    @Test
    void fixedDomainWhenThereIsNoDomainColumn() throws Exception {
        FileExamples.Options o = options(file("plain.tsv", "a\tb\ty\n1\t2\t3\n"), null, "y");
        o.fixedDomain = "sensors";
        read(o);
        assertEquals("sensors", examples.get(0).domain);
        assertArrayEquals(new double[] {1, 2}, examples.get(0).x, "tab-separated by the file name");
    }

    @Test
    void unknownColumnsAreNamed() throws Exception {
        Path f = file("u.csv", "d,a,y\nk,1,2\n");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new FileExamples(options(f, "d", "label")).mapping());
        assertTrue(e.getMessage().contains("no label column 'label'; columns: d, a, y"), e.getMessage());
        FileExamples.Options o = options(f, "d", "y");
        o.features = List.of("a", "b");
        e = assertThrows(IllegalArgumentException.class, () -> new FileExamples(o).mapping());
        assertTrue(e.getMessage().contains("no feature column 'b'"), e.getMessage());
    }

    @Test
    void unterminatedQuoteStopsWithTheLineNumber() throws Exception {
        Path f = file("t.csv", "d,a,y\nk,1,2\nk,\"open,3\nk,4,5\n");
        IOException e = assertThrows(IOException.class, () -> read(options(f, "d", "y")));
        assertTrue(e.getMessage().startsWith("t.csv line 5: "), e.getMessage());
        assertTrue(examples.isEmpty(), "found while resolving the columns, before any example");
    }

    @Test
    void aTypoInANumericColumnMakesABadLineNotAMissingFeature() throws Exception {
        String text = "d,a,b,y\nk,1,x,0\nk,2,y,0\nk,3o,z,0\nk,4,w,0\n";
        FileExamples fe = read(options(file("typo.csv", text), "d", "y"));
        assertEquals(List.of("a"), fe.mapping().features(), "a is numeric in 3 of 4 values, b in none");
        assertEquals(3, examples.size());
        assertEquals(1, bad.size());
        assertEquals("typo.csv line 4: not a number: feature column 'a' is '3o', not a finite number", bad.get(0).message());
    }
}
