package org.cllab.runs.run;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import javax.imageio.ImageIO;
import org.cllab.core.api.ClassIncrementalPredictor;
import org.cllab.core.api.ClassIncrementalQuery;
import org.cllab.core.api.Scenario;
import org.cllab.core.data.TaskData;
import org.cllab.core.nn.StepScope;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A PNG of a 2-D learner's class-incremental decision regions on the unit square: every pixel coloured by the class
 * the learner predicts there (grey: no answer), with the training points of the tasks seen so far drawn on top in
 * their class colour. Written after every task for a stream of 2-d inputs (the Gaussian toy).
 */
public final class DecisionRegions {
    private static final Color[] PALETTE = {
            new Color(0x1f77b4), new Color(0xff7f0e), new Color(0x2ca02c), new Color(0xd62728),
            new Color(0x9467bd), new Color(0x8c564b), new Color(0xe377c2), new Color(0x17becf)};
    private static final int MARGIN = 24;

    private DecisionRegions() {
    }

    /** The image after {@code tasksDone} tasks, {@code size x size} plot pixels, as PNG bytes. */
    public static byte[] png(ClassIncrementalPredictor learner, Scenario scenario, int tasksDone, int size)
            throws IOException {
        if (scenario.info().featureDim() != 2) {
            throw new IllegalArgumentException("decision regions need 2-d inputs");
        }
        float[] grid = new float[size * size * 2];
        for (int py = 0; py < size; py++) {
            for (int px = 0; px < size; px++) {
                int i = py * size + px;
                grid[2 * i] = (px + 0.5f) / size;
                grid[2 * i + 1] = 1f - (py + 0.5f) / size; // y grows upwards
            }
        }
        int[] pred;
        try (StepScope s = StepScope.open("eval")) {
            pred = learner.predict(new ClassIncrementalQuery(Nd4j.create(grid, new long[] {size * size, 2},
                    DataType.FLOAT)));
        }
        BufferedImage img = new BufferedImage(size + 2 * MARGIN, size + 2 * MARGIN, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, img.getWidth(), img.getHeight());
        for (int py = 0; py < size; py++) {
            for (int px = 0; px < size; px++) {
                int c = pred[py * size + px];
                Color col = c < 0 ? new Color(0xdddddd) : blend(PALETTE[c % PALETTE.length], 0.45);
                img.setRGB(MARGIN + px, MARGIN + py, col.getRGB());
            }
        }
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        float[] x = new float[2];
        for (int t = 0; t < tasksDone; t++) {
            TaskData d = scenario.train(t);
            for (int i = 0; i < d.size(); i++) {
                d.copyFeatures(i, x, 0);
                int px = MARGIN + Math.round(x[0] * size);
                int py = MARGIN + Math.round((1 - x[1]) * size);
                g.setColor(PALETTE[d.classLabel(i) % PALETTE.length]);
                g.fillOval(px - 3, py - 3, 6, 6);
                g.setColor(Color.BLACK);
                g.setStroke(new BasicStroke(0.6f));
                g.drawOval(px - 3, py - 3, 6, 6);
            }
        }
        g.setColor(Color.BLACK);
        g.drawRect(MARGIN, MARGIN, size, size);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
        g.drawString("decision regions after task " + tasksDone + " (points: training data seen)", MARGIN,
                MARGIN - 7);
        g.dispose();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(img, "png", out);
        return out.toByteArray();
    }

    private static Color blend(Color c, double keep) {
        return new Color((int) (255 - keep * (255 - c.getRed())), (int) (255 - keep * (255 - c.getGreen())),
                (int) (255 - keep * (255 - c.getBlue())));
    }
}
