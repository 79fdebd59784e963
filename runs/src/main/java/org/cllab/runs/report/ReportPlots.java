package org.cllab.runs.report;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontFormatException;
import java.awt.Graphics2D;
import java.awt.Paint;
import java.awt.RenderingHints;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import javax.imageio.ImageIO;
import org.cllab.runs.config.ConfigSchema;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.StandardChartTheme;
import org.jfree.chart.annotations.XYTextAnnotation;
import org.jfree.chart.axis.AxisLocation;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.axis.NumberTickUnit;
import org.jfree.chart.axis.SymbolAxis;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.PaintScale;
import org.jfree.chart.renderer.xy.DeviationRenderer;
import org.jfree.chart.renderer.xy.XYBlockRenderer;
import org.jfree.chart.renderer.xy.XYItemRenderer;
import org.jfree.chart.title.LegendTitle;
import org.jfree.chart.title.PaintScaleLegend;
import org.jfree.chart.title.TextTitle;
import org.jfree.chart.ui.RectangleEdge;
import org.jfree.chart.ui.RectangleInsets;
import org.jfree.chart.ui.TextAnchor;
import org.jfree.data.xy.DefaultXYZDataset;
import org.jfree.data.xy.XYDataset;
import org.jfree.data.xy.YIntervalSeries;
import org.jfree.data.xy.YIntervalSeriesCollection;

/**
 * PNG plots of a report, drawn with JFreeChart off-screen ({@code java.awt.headless=true}, set before AWT loads):
 * an accuracy-matrix heatmap per scenario x mode x learner and a line plot of ACC after each task per scenario x
 * mode (one line per learner, mean with a ± sample-std band).
 *
 * <p>Rendering is deterministic: fixed image size, an RGB image without alpha, fixed rendering hints, and the font
 * loaded from the DejaVu Sans files of Debian's {@code fonts-dejavu-core} when present (else the JDK's logical
 * {@code SansSerif}), so the same data give byte-identical PNGs on the same machine. Across machines with other
 * fonts or JDKs the pixels may differ; the tables are the artefact to compare there.
 */
public final class ReportPlots {
    static {
        System.setProperty("java.awt.headless", "true");
    }

    /** Heatmap size in pixels. */
    public static final int MATRIX_WIDTH = 760;
    public static final int MATRIX_HEIGHT = 640;
    /** ACC-curve plot size in pixels. */
    public static final int CURVES_WIDTH = 820;
    public static final int CURVES_HEIGHT = 540;

    /** Where Debian's fonts-dejavu-core puts DejaVu Sans. */
    static final Path DEJAVU_DIR = Path.of("/usr/share/fonts/truetype/dejavu");

    private static final Font REGULAR = loadFont("DejaVuSans.ttf", Font.PLAIN);
    private static final Font BOLD = loadFont("DejaVuSans-Bold.ttf", Font.BOLD);

    /** Tableau-10 colours; a learner keeps its colour across plots (indexed by its canonical order). */
    private static final Color[] PALETTE = {new Color(0x1f77b4), new Color(0xff7f0e), new Color(0x2ca02c),
        new Color(0xd62728), new Color(0x9467bd), new Color(0x8c564b), new Color(0xe377c2), new Color(0x7f7f7f),
        new Color(0xbcbd22), new Color(0x17becf)};

    private ReportPlots() {
    }

    private static Font loadFont(String file, int style) {
        Path p = DEJAVU_DIR.resolve(file);
        if (Files.isRegularFile(p)) {
            try {
                return Font.createFont(Font.TRUETYPE_FONT, p.toFile());
            } catch (FontFormatException | IOException e) {
                // fall through to the logical font
            }
        }
        return new Font(Font.SANS_SERIF, style, 1);
    }

    /** @return the family of the font the plots use (for diagnostics and tests) */
    public static String fontFamily() {
        return REGULAR.getFamily(Locale.ROOT);
    }

    private static Font font(boolean bold, float size) {
        return (bold ? BOLD : REGULAR).deriveFont(size);
    }

    /**
     * The mean accuracy matrix of one row as a heatmap: rows = after training task k (top to bottom), columns =
     * evaluated task j, cells labelled with their value (up to 15 tasks), a colour scale from 0 to 1 on the right.
     */
    public static byte[] matrixHeatmap(MetricTable.Row row) {
        int t = row.tasks();
        DefaultXYZDataset data = new DefaultXYZDataset();
        double[][] xyz = new double[3][t * t];
        for (int k = 0; k < t; k++) {
            for (int j = 0; j < t; j++) {
                xyz[0][k * t + j] = j;
                xyz[1][k * t + j] = k;
                xyz[2][k * t + j] = row.matrixMean()[k][j];
            }
        }
        data.addSeries("accuracy", xyz);
        String[] cols = new String[t];
        String[] rows = new String[t];
        for (int i = 0; i < t; i++) {
            cols[i] = "T" + (i + 1);
            rows[i] = "after T" + (i + 1);
        }
        SymbolAxis x = new SymbolAxis("evaluated on task", cols);
        SymbolAxis y = new SymbolAxis("trained up to", rows);
        for (SymbolAxis a : new SymbolAxis[] {x, y}) {
            a.setGridBandsVisible(false);
            a.setRange(-0.5, t - 0.5);
            a.setLowerMargin(0);
            a.setUpperMargin(0);
        }
        y.setInverted(true);
        ViridisScale scale = new ViridisScale();
        XYBlockRenderer renderer = new XYBlockRenderer();
        renderer.setPaintScale(scale);
        renderer.setBlockWidth(1);
        renderer.setBlockHeight(1);
        XYPlot plot = new XYPlot(data, x, y, renderer);
        plot.setDomainGridlinesVisible(false);
        plot.setRangeGridlinesVisible(false);
        plot.setOutlineVisible(false);
        plot.setAxisOffset(RectangleInsets.ZERO_INSETS);
        if (t <= 15) {
            Font cellFont = font(false, t <= 6 ? 16f : t <= 10 ? 13f : 10f);
            for (int k = 0; k < t; k++) {
                for (int j = 0; j < t; j++) {
                    double v = row.matrixMean()[k][j];
                    XYTextAnnotation a = new XYTextAnnotation(String.format(Locale.ROOT, "%.2f", v), j, k);
                    a.setFont(cellFont);
                    a.setTextAnchor(TextAnchor.CENTER);
                    a.setPaint(v < 0.6 ? Color.WHITE : Color.BLACK);
                    plot.addAnnotation(a, false);
                }
            }
        }
        JFreeChart chart = new JFreeChart(row.learner() + " — accuracy matrix", font(true, 18f), plot, false);
        chart.addSubtitle(new TextTitle(row.scenario() + ", " + row.mode() + "; mean of " + row.runs()
                + (row.runs() == 1 ? " run (seed " : " runs (seeds ") + seedList(row.seeds()) + ")", font(false, 13f)));
        NumberAxis scaleAxis = new NumberAxis("accuracy");
        scaleAxis.setRange(0, 1);
        scaleAxis.setTickUnit(new NumberTickUnit(0.1));
        PaintScaleLegend legend = new PaintScaleLegend(scale, scaleAxis);
        legend.setPosition(RectangleEdge.RIGHT);
        legend.setAxisLocation(AxisLocation.BOTTOM_OR_RIGHT);
        legend.setStripWidth(18);
        legend.setSubdivisionCount(100);
        legend.setMargin(new RectangleInsets(40, 12, 40, 8));
        legend.setBackgroundPaint(Color.WHITE);
        chart.addSubtitle(legend);
        styleAxes(scaleAxis);
        styleAxes(x, y);
        return png(chart, MATRIX_WIDTH, MATRIX_HEIGHT);
    }

    /**
     * ACC after each task for the learners of one scenario x mode: mean over seeds with a ± sample-std band.
     *
     * @param rows rows of one scenario and mode
     */
    public static byte[] accCurves(List<MetricTable.Row> rows) {
        MetricTable.Row first = rows.get(0);
        YIntervalSeriesCollection data = new YIntervalSeriesCollection();
        DeviationRenderer renderer = new DeviationRenderer(true, true);
        renderer.setAlpha(0.18f);
        int maxT = 1;
        for (int s = 0; s < rows.size(); s++) {
            MetricTable.Row r = rows.get(s);
            YIntervalSeries series = new YIntervalSeries(r.learner() + " (" + r.runs() + ")", false, false);
            for (int k = 0; k < r.tasks(); k++) {
                double m = r.accAfterMean()[k];
                double sd = r.accAfterStd()[k];
                series.add(k + 1, m, m - sd, m + sd);
            }
            maxT = Math.max(maxT, r.tasks());
            data.addSeries(series);
            Color c = colour(r.learner(), s);
            renderer.setSeriesPaint(s, c);
            renderer.setSeriesFillPaint(s, c);
            renderer.setSeriesStroke(s, new BasicStroke(2.2f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
        }
        NumberAxis x = new NumberAxis("tasks trained");
        x.setStandardTickUnits(NumberAxis.createIntegerTickUnits());
        x.setRange(0.8, maxT + 0.2);
        NumberAxis y = new NumberAxis("ACC (mean accuracy on the tasks seen)");
        y.setRange(0, 1.02);
        y.setTickUnit(new NumberTickUnit(0.1));
        return curvesPng("ACC after each task", first.scenario() + ", " + first.mode()
                + "; mean ± sample std over seeds (runs per learner in parentheses)", 13f, data, x, y, renderer);
    }

    /** A learner trace ({@link org.cllab.core.spi.LearnerTraces}) as one line per column over its rows. */
    public static byte[] trace(org.cllab.core.spi.LearnerTraces.Trace t) {
        org.jfree.data.xy.XYSeriesCollection data = new org.jfree.data.xy.XYSeriesCollection();
        org.jfree.chart.renderer.xy.XYLineAndShapeRenderer renderer =
                new org.jfree.chart.renderer.xy.XYLineAndShapeRenderer(true, false);
        for (int c = 0; c < t.columns().size(); c++) {
            org.jfree.data.xy.XYSeries s = new org.jfree.data.xy.XYSeries(t.columns().get(c), false, true);
            for (int r = 0; r < t.rows().length; r++) {
                s.add(r + 1, t.rows()[r][c]);
            }
            data.addSeries(s);
            renderer.setSeriesPaint(c, PALETTE[c % PALETTE.length]);
            renderer.setSeriesStroke(c, new BasicStroke(2.0f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
        }
        NumberAxis x = new NumberAxis(t.xLabel());
        x.setStandardTickUnits(NumberAxis.createIntegerTickUnits());
        NumberAxis y = new NumberAxis(t.yLabel());
        y.setAutoRangeIncludesZero(true);
        return curvesPng(t.name(), null, 13f, data, x, y, renderer);
    }

    /** The few-shot probe curves of one scenario (mean ± std band over seeds), points 0..T. */
    public static byte[] probeCurves(List<ProbeTable> rows) {
        YIntervalSeriesCollection data = new YIntervalSeriesCollection();
        DeviationRenderer renderer = new DeviationRenderer(true, true);
        renderer.setAlpha(0.15f);
        int maxT = 1;
        for (int s = 0; s < rows.size(); s++) {
            ProbeTable r = rows.get(s);
            YIntervalSeries series = new YIntervalSeries(r.learner() + " (" + r.runs() + ")", false, false);
            for (int k = 0; k < r.curveMean().length; k++) {
                double m = r.curveMean()[k];
                double sd = r.curveStd()[k];
                series.add(k, m, m - sd, m + sd);
            }
            maxT = Math.max(maxT, r.curveMean().length - 1);
            data.addSeries(series);
            Color c = colour(r.learner(), s);
            renderer.setSeriesPaint(s, c);
            renderer.setSeriesFillPaint(s, c);
            renderer.setSeriesStroke(s, new BasicStroke(2.2f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
        }
        NumberAxis x = new NumberAxis("tasks trained");
        x.setStandardTickUnits(NumberAxis.createIntegerTickUnits());
        x.setRange(-0.2, maxT + 0.2);
        NumberAxis y = new NumberAxis("few-shot probe: mean query accuracy (held-out episodes)");
        y.setAutoRangeIncludesZero(false);
        return curvesPng("Few-shot probe after each task", rows.get(0).scenario()
                + "; mean ± sample std over seeds (runs per learner in parentheses)", 12f, data, x, y, renderer);
    }

    /**
     * A curves chart in the reports' one style: white plot with light grid lines, bold title, optional subtitle,
     * legend at the bottom in {@code legendFont} points, {@link #CURVES_WIDTH} x {@link #CURVES_HEIGHT} PNG.
     */
    private static byte[] curvesPng(String title, String subtitle, float legendFont, XYDataset data, NumberAxis x,
                                    NumberAxis y, XYItemRenderer renderer) {
        XYPlot plot = new XYPlot(data, x, y, renderer);
        plot.setBackgroundPaint(Color.WHITE);
        plot.setDomainGridlinePaint(new Color(0xdddddd));
        plot.setRangeGridlinePaint(new Color(0xdddddd));
        plot.setOutlinePaint(Color.GRAY);
        JFreeChart chart = new JFreeChart(title, font(true, 18f), plot, true);
        if (subtitle != null) {
            chart.addSubtitle(new TextTitle(subtitle, font(false, 13f)));
        }
        LegendTitle legend = chart.getLegend();
        legend.setItemFont(font(false, legendFont));
        legend.setPosition(RectangleEdge.BOTTOM);
        styleAxes(x, y);
        return png(chart, CURVES_WIDTH, CURVES_HEIGHT);
    }

    private static void styleAxes(NumberAxis... axes) {
        for (NumberAxis a : axes) {
            a.setLabelFont(font(false, 14f));
            a.setTickLabelFont(font(false, 12f));
        }
    }

    private static Color colour(String learner, int position) {
        int i = ConfigSchema.standard().learnerTypes().indexOf(RunCollector.learnerType(learner));
        return PALETTE[(i < 0 ? ConfigSchema.standard().learnerTypes().size() + position : i) % PALETTE.length];
    }

    private static String seedList(List<Long> seeds) {
        return String.join(", ", seeds.stream().map(String::valueOf).toList());
    }

    /** Draws into a white RGB image with fixed hints and encodes it as PNG (no time or text chunks). */
    static byte[] png(JFreeChart chart, int width, int height) {
        chart.setBackgroundPaint(Color.WHITE);
        chart.setAntiAlias(true);
        chart.setTextAntiAlias(RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_RENDERING, RenderingHints.VALUE_RENDER_QUALITY);
            g.setRenderingHint(RenderingHints.KEY_FRACTIONALMETRICS, RenderingHints.VALUE_FRACTIONALMETRICS_OFF);
            g.setRenderingHint(RenderingHints.KEY_STROKE_CONTROL, RenderingHints.VALUE_STROKE_NORMALIZE);
            g.setPaint(Color.WHITE);
            g.fillRect(0, 0, width, height);
            chart.draw(g, new Rectangle2D.Double(0, 0, width, height));
        } finally {
            g.dispose();
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            if (!ImageIO.write(img, "png", out)) {
                throw new IllegalStateException("no PNG writer in this JDK");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** Viridis-like colour scale on [0, 1], linear in RGB between five anchors of matplotlib's viridis. */
    static final class ViridisScale implements PaintScale {
        private static final int[] ANCHORS = {0x440154, 0x3b528b, 0x21918c, 0x5ec962, 0xfde725};

        @Override
        public double getLowerBound() {
            return 0;
        }

        @Override
        public double getUpperBound() {
            return 1;
        }

        @Override
        public Paint getPaint(double value) {
            double v = Double.isNaN(value) ? 0 : Math.max(0, Math.min(1, value)) * (ANCHORS.length - 1);
            int i = Math.min((int) Math.floor(v), ANCHORS.length - 2);
            double f = v - i;
            int a = ANCHORS[i];
            int b = ANCHORS[i + 1];
            return new Color(mix(a >> 16, b >> 16, f), mix(a >> 8, b >> 8, f), mix(a, b, f));
        }

        private static int mix(int a, int b, double f) {
            int x = a & 0xff;
            int y = b & 0xff;
            return (int) Math.round(x + (y - x) * f);
        }
    }
}
