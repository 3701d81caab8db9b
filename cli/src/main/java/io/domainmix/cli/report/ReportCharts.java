package io.domainmix.cli.report;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.ValueMarker;
import org.jfree.chart.ui.RectangleAnchor;
import org.jfree.chart.ui.RectangleInsets;
import org.jfree.chart.ui.TextAnchor;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/**
 * Line charts of the report, drawn by JFreeChart and saved as PNG. A run keeps its colour in
 * every chart; predicted values and the oracle are dashed.
 */
final class ReportCharts {
    static final int WIDTH = 960;
    static final int HEIGHT = 540;

    private static final Color[] PALETTE = {
        new Color(0x1f77b4), new Color(0xff7f0e), new Color(0x2ca02c), new Color(0xd62728),
        new Color(0x9467bd), new Color(0x8c564b), new Color(0xe377c2), new Color(0x7f7f7f),
        new Color(0xbcbd22), new Color(0x17becf),
    };
    private static final BasicStroke SOLID = new BasicStroke(2.0f);
    private static final BasicStroke DASHED = new BasicStroke(2.0f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f,
            new float[] {6f, 4f}, 0f);

    static {
        // charts are drawn off-screen, also on machines without a display
        if (System.getProperty("java.awt.headless") == null) {
            System.setProperty("java.awt.headless", "true");
        }
    }

    private ReportCharts() {}

    /** Colour index of a reference line (black), e.g. an oracle or offline fit. */
    static final int REFERENCE = -1;
    /** Colour index of a second reference line in the same chart (grey). */
    static final int SECOND_REFERENCE = -2;

    /** One drawn line: its data, colour index and whether it is dashed. */
    record Line(String label, Series series, int colour, boolean dashed) {}

    static Color colour(int i) {
        return PALETTE[i % PALETTE.length];
    }

    /**
     * Draws the lines into a PNG file.
     *
     * @param logY a logarithmic y axis; points ≤ 0 are left out, and the axis falls back to
     *             linear when no point is left
     */
    static void write(Path file, String title, String yLabel, List<Line> lines, boolean logY) throws IOException {
        write(file, title, yLabel, lines, logY, List.of());
    }

    /** A labelled vertical line at an x value: a change point, an event. */
    record Marker(double x, String label, boolean event) {}

    /** As {@link #write(Path, String, String, List, boolean)}, with vertical markers on the time axis. */
    static void write(Path file, String title, String yLabel, List<Line> lines, boolean logY, List<Marker> markers)
            throws IOException {
        XYSeriesCollection data = new XYSeriesCollection();
        List<Line> drawn = new ArrayList<>();
        boolean anyPositive = false;
        for (Line l : lines) {
            XYSeries s = new XYSeries(l.label(), false, true);
            for (int i = 0; i < l.series().size(); i++) {
                double y = l.series().y()[i];
                if (!logY || y > 0) {
                    s.add(l.series().x()[i], y);
                    anyPositive |= y > 0;
                }
            }
            if (s.getItemCount() > 0) {
                data.addSeries(s);
                drawn.add(l);
            }
        }
        JFreeChart chart = ChartFactory.createXYLineChart(title, "examples seen", yLabel, data,
                PlotOrientation.VERTICAL, true, false, false);
        chart.setBackgroundPaint(Color.WHITE);
        chart.getTitle().setFont(new Font(Font.SANS_SERIF, Font.BOLD, 16));
        XYPlot plot = chart.getXYPlot();
        plot.setBackgroundPaint(Color.WHITE);
        plot.setDomainGridlinePaint(new Color(0xdddddd));
        plot.setRangeGridlinePaint(new Color(0xdddddd));
        NumberAxis x = (NumberAxis) plot.getDomainAxis();
        x.setAutoRangeIncludesZero(false);
        if (logY && anyPositive) {
            LogAxis y = new LogAxis(yLabel);
            y.setSmallestValue(1e-12);
            // plain tick values (0.316, 0.1, ...) read better than fractional powers of ten
            y.setNumberFormatOverride(new java.text.DecimalFormat("0.####"));
            y.setAutoRange(true);
            plot.setRangeAxis(y);
        } else {
            ((NumberAxis) plot.getRangeAxis()).setAutoRangeIncludesZero(false);
        }
        XYLineAndShapeRenderer renderer = new XYLineAndShapeRenderer(true, false);
        for (int i = 0; i < drawn.size(); i++) {
            Line l = drawn.get(i);
            renderer.setSeriesPaint(i, l.colour() == REFERENCE ? Color.BLACK
                    : l.colour() == SECOND_REFERENCE ? Color.GRAY : colour(l.colour()));
            renderer.setSeriesStroke(i, l.dashed() ? DASHED : SOLID);
        }
        plot.setRenderer(renderer);
        int events = 0;
        for (Marker m : markers) {
            ValueMarker v = new ValueMarker(m.x(), m.event() ? new Color(0xd62728) : Color.DARK_GRAY,
                    m.event() ? new BasicStroke(1.0f) : DASHED);
            v.setLabel(m.label());
            v.setLabelFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
            v.setLabelAnchor(RectangleAnchor.TOP_RIGHT);
            v.setLabelTextAnchor(TextAnchor.TOP_LEFT);
            if (m.event()) {
                // events close in time would print over each other: one line of text each, below the change's
                v.setLabelOffset(new RectangleInsets(18 + 16 * events++, 2, 2, 2));
                v.setLabelPaint(new Color(0xd62728));
            }
            plot.addDomainMarker(v);
        }
        ChartUtils.saveChartAsPNG(file.toFile(), chart, WIDTH, HEIGHT);
    }
}
