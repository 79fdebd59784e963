package org.cllab.scenarios;

/**
 * Rotation of single- or multi-channel images about their centre by a fixed angle, with bilinear interpolation
 * and zero fill outside the source. Source coordinates are computed once per task.
 */
public final class Rotation implements PixelTransform {
    private final int rows;
    private final int cols;
    private final int channels;
    private final int[] x0;
    private final int[] y0;
    private final float[] fx;
    private final float[] fy;

    /** @param degrees counter-clockwise angle */
    public Rotation(double degrees, int channels, int rows, int cols) {
        this.rows = rows;
        this.cols = cols;
        this.channels = channels;
        int n = rows * cols;
        x0 = new int[n];
        y0 = new int[n];
        fx = new float[n];
        fy = new float[n];
        double a = Math.toRadians(degrees);
        double cos = Math.cos(a);
        double sin = Math.sin(a);
        double cy = (rows - 1) / 2.0;
        double cx = (cols - 1) / 2.0;
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                // inverse mapping: where does output pixel (r, c) come from?
                double dx = c - cx;
                double dy = r - cy;
                double sx = cos * dx - sin * dy + cx;
                double sy = sin * dx + cos * dy + cy;
                int i = r * cols + c;
                x0[i] = (int) Math.floor(sx);
                y0[i] = (int) Math.floor(sy);
                fx[i] = (float) (sx - x0[i]);
                fy[i] = (float) (sy - y0[i]);
            }
        }
    }

    private float px(float[] src, int base, int y, int x) {
        if (x < 0 || y < 0 || x >= cols || y >= rows) {
            return 0f;
        }
        return src[base + y * cols + x];
    }

    @Override
    public void apply(float[] src, int srcOff, float[] dst, int dstOff) {
        int n = rows * cols;
        for (int ch = 0; ch < channels; ch++) {
            int base = srcOff + ch * n;
            for (int i = 0; i < n; i++) {
                int x = x0[i];
                int y = y0[i];
                float ax = fx[i];
                float ay = fy[i];
                float top = px(src, base, y, x) * (1 - ax) + px(src, base, y, x + 1) * ax;
                float bottom = px(src, base, y + 1, x) * (1 - ax) + px(src, base, y + 1, x + 1) * ax;
                dst[dstOff + ch * n + i] = top * (1 - ay) + bottom * ay;
            }
        }
    }
}
