package ovsj.cli.bench;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import javax.imageio.ImageIO;

import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * The PNG of {@code ovsj bench limit --plot}: two charts, one above the other, over the same time axis.
 * Above, per policy, the flow limit (solid) and the datapath's flows (thin); below, per policy, each
 * round's duration, with the budget and OVS's thresholds (1000 ms: OVS stops growing, 1300 ms: it cuts
 * by a quarter) as horizontal lines.
 */
final class LimitPlot {
    static final int WIDTH = 1000;
    static final int HEIGHT = 380;
    private static final Map<String, Color> COLORS =
            Map.of("ovs", new Color(0xd6, 0x27, 0x28), "adaptive", new Color(0x1f, 0x77, 0xb4),
                    LimitRun.FIXED, new Color(0x2c, 0xa0, 0x2c));
    private static final Color GREY = new Color(0x70, 0x70, 0x70);

    private LimitPlot() {
    }

    /**
     * Draws the rounds of each policy (one dump mode; {@code ovs}, {@code adaptive}, {@code fixed} in their
     * colours) into {@code png}; {@code title} heads it.
     */
    static void write(Path png, String title, Map<String, List<LimitTrace.Round>> byPolicy, long budgetMs)
            throws IOException {
        System.setProperty("java.awt.headless", "true");
        XYChart limits = chart(title, "flows");
        XYChart dumps = chart(null, "round duration (ms)");
        double tMax = 0;
        for (Map.Entry<String, List<LimitTrace.Round>> e : byPolicy.entrySet()) {
            String p = e.getKey();
            Color c = COLORS.getOrDefault(p, Color.BLACK);
            List<LimitTrace.Round> rs = e.getValue();
            if (rs.isEmpty()) {
                continue;
            }
            double[] t = rs.stream().mapToDouble(LimitTrace.Round::t).toArray();
            tMax = Math.max(tMax, t[t.length - 1]);
            line(limits, p + ": flow limit", t, rs.stream().mapToDouble(LimitTrace.Round::limit).toArray(), c, 2.2f);
            line(limits, p + ": datapath flows", t, rs.stream().mapToDouble(LimitTrace.Round::flows).toArray(),
                    c.brighter(), 0.9f);
            line(dumps, p, t, rs.stream().mapToDouble(LimitTrace.Round::dumpMs).toArray(), c, 1.4f);
        }
        double[] span = {0, Math.max(tMax, 1)};
        if (budgetMs != 1000) {
            dashed(dumps, "budget " + budgetMs + " ms", span, budgetMs);
        }
        dashed(dumps, "1000 ms: budget, OVS stops growing", span, 1000);
        dashed(dumps, "1300 ms: OVS cuts by 1/4", span, 1300);
        limits.getStyler().setXAxisMin(0.0).setXAxisMax(span[1]);
        dumps.getStyler().setXAxisMin(0.0).setXAxisMax(span[1]);
        dumps.setXAxisTitle("time (s)");

        BufferedImage top = BitmapEncoder.getBufferedImage(limits);
        BufferedImage bottom = BitmapEncoder.getBufferedImage(dumps);
        BufferedImage img = new BufferedImage(WIDTH, top.getHeight() + bottom.getHeight(), BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.drawImage(top, 0, 0, null);
        g.drawImage(bottom, 0, top.getHeight(), null);
        g.dispose();
        Path parent = png.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        ImageIO.write(img, "png", png.toFile());
    }

    private static XYChart chart(String title, String yTitle) {
        XYChart c = new XYChartBuilder().width(WIDTH).height(HEIGHT).title(title == null ? "" : title)
                .xAxisTitle("").yAxisTitle(yTitle).build();
        var st = c.getStyler();
        st.setChartBackgroundColor(Color.WHITE).setChartTitleVisible(title != null)
                .setLegendPosition(Styler.LegendPosition.InsideNE).setLegendFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11))
                .setChartTitleFont(new Font(Font.SANS_SERIF, Font.BOLD, 13));
        st.setPlotBackgroundColor(Color.WHITE);
        st.setPlotGridLinesColor(new Color(0xe4, 0xe4, 0xe4));
        st.setAxisTitleFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        st.setYAxisMin(0.0);
        st.setyAxisTickLabelsFormattingFunction(LimitPlot::tick);
        st.setAntiAlias(true);
        return c;
    }

    private static void line(XYChart c, String name, double[] x, double[] y, Color color, float width) {
        XYSeries s = c.addSeries(name, x, y);
        s.setMarker(SeriesMarkers.NONE);
        s.setLineColor(color);
        s.setLineStyle(new BasicStroke(width));
    }

    private static void dashed(XYChart c, String name, double[] span, double y) {
        XYSeries s = c.addSeries(name, span, new double[] {y, y});
        s.setMarker(SeriesMarkers.NONE);
        s.setLineColor(GREY);
        s.setLineStyle(new BasicStroke(1f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f,
                new float[] {y == 1000 ? 6f : 2f, 4f}, 0f));
    }

    /** Tick labels: 1.2M, 250k, 900. */
    static String tick(double v) {
        double a = Math.abs(v);
        if (a >= 1e6) {
            return trim(v / 1e6) + "M";
        }
        if (a >= 1e3) {
            return trim(v / 1e3) + "k";
        }
        return trim(v);
    }

    static String trim(double v) {
        String s = String.format(java.util.Locale.ROOT, "%.2f", v);
        s = s.replaceAll("0+$", "");
        return s.endsWith(".") ? s.substring(0, s.length() - 1) : s;
    }
}
