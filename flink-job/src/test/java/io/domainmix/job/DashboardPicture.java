package io.domainmix.job;

import com.fasterxml.jackson.databind.JsonNode;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.data.time.Millisecond;
import org.jfree.data.time.TimeSeries;
import org.jfree.data.time.TimeSeriesCollection;

/**
 * Draws the dashboard's panels from range queries against Prometheus, in the dashboard's grid:
 * what the Grafana dashboard shows, where Grafana itself cannot run.
 */
final class DashboardPicture {
    private static final int PANEL_WIDTH = 560;
    private static final int PANEL_HEIGHT = 320;

    record Panel(String title, List<String> exprs, List<String> legends) {}

    private DashboardPicture() {}

    static void render(PrometheusServer prometheus, List<Panel> panels, long start, long end, Path png) throws IOException {
        int columns = 3;
        int rows = (panels.size() + columns - 1) / columns;
        BufferedImage image = new BufferedImage(columns * PANEL_WIDTH, rows * PANEL_HEIGHT, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, image.getWidth(), image.getHeight());
        int step = (int) Math.max(1, (end - start) / 300);
        for (int i = 0; i < panels.size(); i++) {
            Panel panel = panels.get(i);
            TimeSeriesCollection data = new TimeSeriesCollection();
            for (int k = 0; k < panel.exprs().size(); k++) {
                for (JsonNode series : prometheus.queryRange(panel.exprs().get(k), start, end, step)) {
                    TimeSeries ts = new TimeSeries(legend(panel.legends().get(k), series.path("metric")));
                    for (JsonNode point : series.path("values")) {
                        double v = Double.parseDouble(point.get(1).asText());
                        if (Double.isFinite(v)) {
                            ts.addOrUpdate(new Millisecond(new java.util.Date((long) (point.get(0).asDouble() * 1000))), v);
                        }
                    }
                    data.addSeries(ts);
                }
            }
            JFreeChart chart = ChartFactory.createTimeSeriesChart(panel.title(), null, null, data, true, false, false);
            chart.getTitle().setFont(new Font(Font.SANS_SERIF, Font.BOLD, 13));
            XYPlot plot = chart.getXYPlot();
            plot.setBackgroundPaint(Color.WHITE);
            plot.setDomainGridlinePaint(Color.LIGHT_GRAY);
            plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
            XYLineAndShapeRenderer r = new XYLineAndShapeRenderer(true, false);
            for (int s = 0; s < data.getSeriesCount(); s++) {
                r.setSeriesStroke(s, new BasicStroke(1.6f));
            }
            plot.setRenderer(r);
            chart.draw(g, new java.awt.Rectangle((i % columns) * PANEL_WIDTH, (i / columns) * PANEL_HEIGHT,
                    PANEL_WIDTH, PANEL_HEIGHT));
        }
        g.dispose();
        Files.createDirectories(png.toAbsolutePath().getParent());
        ImageIO.write(image, "png", png.toFile());
    }

    /** Grafana's {{label}} legend template filled in from a series' labels. */
    static String legend(String template, JsonNode labels) {
        String out = template;
        var names = labels.fieldNames();
        while (names.hasNext()) {
            String name = names.next();
            out = out.replace("{{" + name + "}}", labels.path(name).asText());
        }
        return out.replaceAll("\\{\\{[^}]*}}", "");
    }
}
